"""Session state between the password and the 2FA code, and the links that go out by mail."""

from __future__ import annotations

from flask import request, session, url_for

from elk_domain.accounts.auth import Login
from elk_domain.accounts.passwords import AccountLinks
from elk_domain.accounts.signin import Pending
from elk_web.context import services

PENDING = "elk_pending"  # [user id, session version, started at]
NEXT = "elk_next"
ENROL_SECRET = "elk_enrol_secret"  # noqa: S105 (a session key; the TOTP secret being linked)
PENDING_SECONDS = 5 * 60


def begin_pending(login: Login, target: str) -> None:
    """Password accepted, code still to come: nothing of a logged-in session exists yet."""
    session.clear()
    session[PENDING] = [login.actor.user_id, login.session_version, _now()]
    session[NEXT] = target


def pending_login() -> Pending | None:
    """The user between password and code, for at most five minutes."""
    value = session.get(PENDING)
    if not isinstance(value, list) or len(value) != 3:
        return None
    user_id, version, started = value
    if _now() - float(started) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return Pending(int(user_id), int(version))


def pending_target() -> str:
    """Where to go after the code (a local path checked at login)."""
    target = session.get(NEXT)
    return target if isinstance(target, str) else url_for("main.home")


def client_address() -> str:
    """The client's address for throttling (behind proxies: set ELK_TRUSTED_PROXIES)."""
    return request.remote_addr or ""


def account_links() -> AccountLinks:
    """Links for invite and reset mails, from the configured base URL (never the Host header)."""
    base = services().settings.base_url
    marker = "TOKEN"
    path = url_for("account.set_password", token=marker)
    return AccountLinks(
        login_url=base + url_for("auth.login"),
        set_password_url=base + path.replace(marker, "{token}"),
    )


def _now() -> float:
    return services().clock.now().timestamp()
