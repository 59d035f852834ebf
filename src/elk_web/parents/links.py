"""Where the parents' mails point: built from the configured base URL, never the Host header."""

from __future__ import annotations

from flask import url_for

from elk_domain.parents.login import PortalLinks
from elk_web.context import services


def portal_links() -> PortalLinks:
    """The login page and the set-password page (with a ``{token}`` slot) of the portal."""
    base = services().settings.base_url.rstrip("/")
    marker = "TOKEN"
    path = url_for("parents.set_password", token=marker)
    return PortalLinks(
        login_url=base + url_for("parents.login"),
        set_password_url=base + path.replace(marker, "{token}"),
    )
