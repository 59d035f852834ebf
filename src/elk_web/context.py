"""How views reach the wired services, the acting user, the school in view and the request id."""

from __future__ import annotations

from typing import cast

import flask_login
from flask import current_app, g, request

from elk_adapters.bootstrap import Services
from elk_domain.errors import Forbidden, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_web.numbers import whole_number

PARENT_ID_PREFIX = "ouder-"  # parent accounts and staff users are numbered separately


class WebUser:
    """The Flask-Login user: a thin wrapper around the domain's Actor for this request."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def get_id(self) -> str:
        """What Flask-Login keeps in the session (the user id, never a name); a parent's
        account id carries a prefix, so it never passes for the staff user with that id."""
        prefix = PARENT_ID_PREFIX if self.actor.role is Role.PARENT else ""
        return f"{prefix}{self.actor.user_id}"


def services() -> Services:
    """The installation's services, stored by ``create_app`` in ``app.extensions["elk"]``."""
    return cast(Services, current_app.extensions["elk"])


def current_actor_or_none() -> Actor | None:
    """The logged-in actor, or None for an anonymous visitor."""
    user = flask_login.current_user
    return user.actor if isinstance(user, WebUser) else None


def current_actor() -> Actor:
    """The logged-in actor; views behind ``login_required`` can rely on it."""
    actor = current_actor_or_none()
    if actor is None:
        raise Forbidden("Log in om verder te gaan.")
    return actor


def chosen_or_own_school_id() -> int:
    """The school asked for, or the actor's own (board contacts pick one with ``?school=``)."""
    value = whole_number(request.values.get("school"))
    if value is not None:
        return value
    own = current_actor().school_id
    if own is None:
        raise Rejected("Kies eerst een school (via Scholen).")
    return own


def loaded_user_id() -> int | None:
    """The staff user's id if this request already loaded one (never a database read)."""
    user = g.get("_login_user")
    if not isinstance(user, WebUser) or user.actor.role is Role.PARENT:
        return None
    return user.actor.user_id


def loaded_parent_account_id() -> int | None:
    """The parent account's id if this request already loaded a parent (never a database read);
    apart from ``loaded_user_id``, as the two are numbered separately."""
    user = g.get("_login_user")
    if not isinstance(user, WebUser) or user.actor.role is not Role.PARENT:
        return None
    return user.actor.user_id


def request_id() -> str:
    """The id of this request, also in the ``X-Request-Id`` header and on error pages."""
    return str(g.get("request_id", "-"))
