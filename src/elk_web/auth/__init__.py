"""Logging in and out (staff: e-mail address and password)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from elk_domain.errors import Rejected
from elk_domain.services.auth import end_sessions, log_in
from elk_web.context import current_actor_or_none, services
from elk_web.session import forget_session, start_session

bp = Blueprint("auth", __name__)

MAX_EMAIL_LENGTH = 254


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """The login form; a success starts a fresh session and returns to the page asked for."""
    target = _safe_next(request.args.get("next"))
    if current_actor_or_none() is not None:
        return redirect(target)
    email, error = "", None
    if request.method == "POST":
        email = request.form.get("email", "")[:MAX_EMAIL_LENGTH]
        password = request.form.get("password", "")
        try:
            result = log_in(services().uow(), services().hasher, email, password)
        except Rejected as refused:
            error = refused.message
        else:
            start_session(result)
            return redirect(target)
    html = render_template(
        "auth/login.html", email=email, error=error, next=request.args.get("next")
    )
    return html, 422 if error else 200


@bp.post("/uitloggen")
def logout() -> Response:
    """End the session here and everywhere: copies of the old cookie stop working too."""
    actor = current_actor_or_none()
    if actor is not None:
        end_sessions(services().uow(), actor.user_id)
    forget_session()
    flash("U bent uitgelogd.", "success")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only local paths: a crafted ``next`` must not send the user to another site."""
    home = url_for("main.home")
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return home
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else home
