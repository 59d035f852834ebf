"""Per-request plumbing: a request id, security headers and one canonical log line."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from flask import Flask, g, request
from werkzeug.wrappers import Response

from elk_adapters.logging import get_logger
from elk_web.context import loaded_parent_account_id, loaded_user_id, request_id

REQUEST_ID_HEADER = "X-Request-Id"
_TRUSTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # a proxy's id is kept only if harmless

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

log = get_logger("elk.request")


def init_request_hooks(app: Flask, *, production: bool) -> None:
    """Register the hooks; call before anything else adds ``before_request`` functions."""
    app.before_request(_begin)
    app.teardown_request(_end)

    @app.after_request
    def finish(response: Response) -> Response:
        _secure(response, production=production)
        _log(response)
        return response


def _begin() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _TRUSTED_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def _end(_error: BaseException | None) -> None:
    structlog.contextvars.clear_contextvars()  # the next log line outside a request has no id


def _secure(response: Response, *, production: bool) -> None:
    headers = response.headers
    headers[REQUEST_ID_HEADER] = request_id()
    headers.setdefault("Content-Security-Policy", _CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"  # pages show pupil data: keep them out of caches
    if production:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


def _log(response: Response) -> None:
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    parent = loaded_parent_account_id()
    log.info(
        "request",
        method=request.method,
        path=request.path,
        status=response.status_code,
        duration_ms=round(duration, 1) if duration is not None else None,
        user_id=loaded_user_id(),
        # only for a parent: their account is numbered apart from staff users
        **({"parent_account_id": parent} if parent is not None else {}),
    )
