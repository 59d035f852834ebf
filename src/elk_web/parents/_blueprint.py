"""The parents' blueprint and what its views share: only a parent's session gets in, and every
page shows the child of the session, never a child named in the URL (decision 0045)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Blueprint, redirect, request, url_for
from werkzeug.wrappers import Response

from elk_domain.errors import Forbidden, Message
from elk_domain.kernel.people import Actor, Role
from elk_web.context import current_actor_or_none

bp = Blueprint("parents", __name__, url_prefix="/ouders")

MAX_FIELD = 300
MAX_MESSAGE_FIELD = 5000  # the use case allows 2,000 characters and says so
PARENTS_ONLY = Message(
    "Deze pagina is voor ouders en verzorgers. Log in met het ELK-nummer van uw kind."
)

P = ParamSpec("P")
R = TypeVar("R")


def field(name: str) -> str:
    """A posted text field, cut to a sane length before anything reads it."""
    return request.form.get(name, "")[:MAX_FIELD]


def parent() -> Actor | None:
    """The logged-in parent, or None for anyone else."""
    actor = current_actor_or_none()
    return actor if actor is not None and actor.role is Role.PARENT else None


def parent_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Anonymous visitors go to the parents' login; staff are refused (403)."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        actor = current_actor_or_none()
        if actor is None:
            return redirect(url_for("parents.login", next=request.path))
        if actor.role is not Role.PARENT:
            raise Forbidden(PARENTS_ONLY)
        return view(*args, **kwargs)

    return wrapper


def own() -> Actor:
    """The parent of this session (``parent_required`` let only parents in)."""
    actor = parent()
    if actor is None:
        raise Forbidden(PARENTS_ONLY)
    return actor


def own_child(actor: Actor) -> int:
    """The pupil id of the parent's child."""
    return actor.pupil_id or 0  # a parent's session always names one child
