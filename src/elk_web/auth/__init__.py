"""Logging in and out (staff: e-mail address and password)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from elk_domain.accounts.auth import end_sessions
from elk_domain.accounts.impersonation import end_impersonation
from elk_domain.accounts.signin import NextStep, SignIn, sign_in
from elk_domain.accounts.throttle import Throttled
from elk_domain.errors import Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.parents.signin import end_parent_sessions
from elk_web.account.flow import begin_pending, client_address
from elk_web.context import current_actor_or_none, services
from elk_web.session import forget_session, start_session

bp = Blueprint("auth", __name__)

MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 1024  # longer is refused by the hasher anyway; never hash megabytes


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """The login form; a success starts a fresh session and returns to the page asked for."""
    target = safe_next(request.args.get("next"), url_for("main.home"))
    if current_actor_or_none() is not None:
        return redirect(target)
    email, error, status = "", None, 200
    if request.method == "POST":
        email = request.form.get("email", "")[:MAX_EMAIL_LENGTH]
        password = request.form.get("password", "")[:MAX_PASSWORD_LENGTH]
        command = SignIn(email, password, client=client_address())
        try:
            result = sign_in(services().uow(), services().clock, services().hasher, command)
        except Rejected as refused:
            error = refused.message
            status = 429 if isinstance(refused, Throttled) else 422
        else:
            if result.step is NextStep.NONE:
                start_session(result.login)
                return redirect(target)
            begin_pending(result.login, target)
            step = "account.code" if result.step is NextStep.CODE else "account.enrol"
            return redirect(url_for(step))
    html = render_template(
        "auth/login.html", email=email, error=error, next=request.args.get("next")
    )
    return html, status


@bp.post("/uitloggen")
def logout() -> Response:
    """End the session here and everywhere: copies of the old cookie stop working too."""
    log_out(current_actor_or_none())
    forget_session()
    flash("U bent uitgelogd.", "success")
    return redirect(url_for("auth.login"))


def log_out(actor: Actor | None) -> None:
    """End the actor's sessions in the database: staff, a parent, or "inloggen als"."""
    if actor is None:
        return
    if actor.role is Role.PARENT:
        end_parent_sessions(services().uow(), actor.user_id)
    elif actor.impersonator_id is not None:
        end_impersonation(services().uow(), services().clock, actor)
    else:
        end_sessions(services().uow(), actor.user_id)


def safe_next(target: str | None, home: str) -> str:
    """Only local paths: a crafted ``next`` must not send the user to another site.

    Nor carry control characters: CR/LF would start a second header in the redirect, which
    werkzeug refuses with a crash (a 500), and a browser ignores tabs in a URL.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return home
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return home
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else home
