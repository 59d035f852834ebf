"""What the views of every blueprint share."""

from __future__ import annotations

import flask
from werkzeug.wrappers import Response

#: What a view returns: a page, a page with its status code (422 for a refused form), or a
#: redirect.
Page = str | tuple[str, int] | Response


def pdf_response(data: bytes, filename: str) -> flask.Response:
    """A PDF shown in the browser (which offers to save it); ``no-store``: personal data stays
    off disks and proxies."""
    return flask.Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
