"""Logged-in sessions: Flask-Login on a signed cookie, checked against the database each request.

The cookie carries the user id, the user's ``session_version`` at login, the time of the login
and the time of the last request. A request is anonymous when the user is disabled, when the
version in the database has moved on (logout bumps it, so a copied cookie dies with it), when the
idle timeout has passed or when the login is older than ELK_SESSION_MAX_HOURS, however active.
See docs/decisions/0006-web-shell.md and 0035-production-defaults.md.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import flask_login
from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from werkzeug.wrappers import Response

from elk_adapters.settings import Settings
from elk_domain.accounts.auth import Login, actor_for
from elk_domain.accounts.impersonation import Impersonation, impersonated_actor
from elk_domain.errors import Forbidden, Message
from elk_domain.kernel.people import Role
from elk_domain.kernel.permissions import second_factor_required
from elk_domain.parents.signin import parent_actor_for
from elk_web.context import PARENT_ID_PREFIX, WebUser, current_actor_or_none, services
from elk_web.language import translated

SESSION_VERSION = "elk_session_version"
IMPERSONATOR = "elk_impersonator"  # [helper id, helper's session version] while "inloggen als"
LAST_SEEN = "elk_last_seen"
LOGIN_AT = "elk_login_at"  # when the password was checked; the absolute lifetime counts from it
LAST_SEEN_STEP = 30  # seconds; the idle timeout is measured to within this step
# Messages: parents read them in their language too (decision 0048).
IDLE_MESSAGE = Message(
    "U bent automatisch uitgelogd omdat u een tijd niet actief was. Log opnieuw in."
)
ENROL_FIRST = "Stel eerst tweestapsverificatie in. Daarna kunt u verder in ELK."
STAFF_ONLY = "Deze pagina is voor medewerkers van scholen. Ouders gebruiken het ouderportaal."
# What a user who must still link an authenticator app may reach (decision 0033).
_WHILE_ENROLLING = frozenset({"account.enrol", "auth.logout", "static"})

P = ParamSpec("P")
R = TypeVar("R")


def init_sessions(app: Flask, settings: Settings) -> None:
    """Configure cookies, Flask-Login and the idle timeout for ``app``."""
    app.config.update(
        SESSION_COOKIE_NAME="elk_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.env == "production",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.idle_timeout_minutes),
        # The cookie is re-signed when the last-seen time moves (at most every LAST_SEEN_STEP
        # seconds), not on every request: the server-side idle check is what counts.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    app.session_interface = _CookieSessions()
    manager = flask_login.LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = None  # the login page explains itself; no flash on every redirect
    manager.session_protection = "basic"
    manager.user_loader(_load_user)
    manager.init_app(app)
    app.before_request(_enforce_timeouts)
    app.before_request(_keep_parents_in_their_portal)
    app.before_request(_require_second_factor)


def start_session(login: Login) -> None:
    """A fresh session for a successful login: nothing from before the login survives.

    Only its login time: a session that replaces a logged-in one (a new password, "inloggen
    als") ends when the original would have, so it cannot be renewed without logging in.
    """
    login_at = session.get(LOGIN_AT) if "_user_id" in session else None
    session.clear()
    flask_login.login_user(WebUser(login.actor))
    session[SESSION_VERSION] = login.session_version
    now = _now()
    session[LAST_SEEN] = now
    session[LOGIN_AT] = login_at if isinstance(login_at, int | float) else now
    session.permanent = True


def start_impersonation_session(impersonation: Impersonation) -> None:
    """A fresh session as the helped user; the helper's id and version ride along."""
    start_session(Login(impersonation.actor, impersonation.session_version))
    helper = impersonation.actor.impersonator_id
    session[IMPERSONATOR] = [helper, impersonation.impersonator_version]


def forget_session() -> None:
    """Drop everything from the browser's session (after the database was told to end it)."""
    flask_login.logout_user()
    session.clear()


def login_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Anonymous visitors go to the login page (and come back after logging in)."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if current_actor_or_none() is None:
            response: Response = current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            return response
        return view(*args, **kwargs)

    return wrapper


def _load_user(user_id: str) -> WebUser | None:
    version = session.get(SESSION_VERSION)
    if not isinstance(version, int):
        return None
    if user_id.startswith(PARENT_ID_PREFIX):
        return _load_parent(user_id.removeprefix(PARENT_ID_PREFIX), version)
    if not user_id.isdigit():
        return None
    helper = session.get(IMPERSONATOR)
    if isinstance(helper, list) and len(helper) == 2:
        actor = impersonated_actor(services().reader(), int(user_id), version, *map(int, helper))
    else:
        actor = actor_for(services().reader(), int(user_id), version)
    if actor is None:
        session.clear()  # disabled or logged out elsewhere: this cookie is done for
        return None
    return WebUser(actor)


def _load_parent(account_id: str, version: int) -> WebUser | None:
    actor = None
    if account_id.isdigit():
        actor = parent_actor_for(services().reader(), int(account_id), version)
    if actor is None:
        session.clear()
        return None
    return WebUser(actor)


def _keep_parents_in_their_portal() -> None:
    """A parent's session opens the parents' pages only: the staff pages are not for them,
    whatever the policy would allow on their own child (decision 0045)."""
    if request.endpoint == "static" or (request.blueprint or "") == "parents":
        return
    actor = current_actor_or_none()
    if actor is not None and actor.role is Role.PARENT:
        raise Forbidden(STAFF_ONLY)


def _enforce_timeouts() -> None:
    if request.endpoint == "static" or "_user_id" not in session:
        return
    now, settings = _now(), services().settings
    seen, login_at = session.get(LAST_SEEN), session.get(LOGIN_AT)
    if not isinstance(seen, int | float) or now - seen > settings.idle_timeout_minutes * 60:
        session.clear()
        flash(translated(IDLE_MESSAGE), "info")
        return
    if not isinstance(login_at, int | float) or now - login_at > settings.session_max_hours * 3600:
        session.clear()
        hours = f"{settings.session_max_hours:g}"
        flash(translated(_lifetime_message(hours)), "info")
        return
    if now - seen >= LAST_SEEN_STEP:
        session[LAST_SEEN] = now


def _lifetime_message(hours: str) -> Message:
    return Message(
        "U bent automatisch uitgelogd omdat u al {hours} uur bent ingelogd. Log opnieuw in.",
        hours=hours,
    )


def _require_second_factor() -> Response | None:
    """A session whose user must use 2FA and has none (the role came to need it, or it was
    reset) opens only the enrolment page and logout: pages redirect there, forms are refused."""
    if request.endpoint in _WHILE_ENROLLING:
        return None
    actor = current_actor_or_none()
    if actor is None or actor.second_factor or not second_factor_required(actor.role):
        return None
    if request.method in {"GET", "HEAD"}:
        return redirect(url_for("account.enrol"))
    raise Forbidden(ENROL_FIRST)


def _now() -> float:
    return services().clock.now().timestamp()


class _CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per key set.

    Flask builds a new serializer for every request (twice when the cookie is written); the
    result depends only on the secret key and its fallbacks, which the cache is keyed by.
    """

    _cached: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._cached is None or self._cached[0] != keys:
            self._cached = (keys, super().get_signing_serializer(app))
        return self._cached[1]
