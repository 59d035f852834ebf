"""The audit log page: who did what, when, and on whose behalf (impersonation visible)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from elk_domain.errors import NotFound
from elk_domain.kernel.audit import AuditEntry
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.okidoc.ports import OkidocWork

PAGE_SIZE = 200


@attrs.frozen(kw_only=True)
class AuditLine:
    """One entry as shown: the helper's name resolved when someone acted on another's behalf."""

    at: dt.datetime
    actor_name: str
    impersonator_name: str | None
    action: str
    subject: str
    changes: str
    detail: str


def audit_lines(uow: OkidocWork, actor: Actor, *, limit: int = PAGE_SIZE) -> Sequence[AuditLine]:
    """The newest entries the actor may read: all, the board's schools, or the own school."""
    admin = actor.role is Role.FUNCTIONAL_ADMIN
    require(actor, Action.VIEW_AUDIT, Scope.region() if admin else _own(actor))
    with uow:
        school_ids = None if admin else _school_ids(uow, actor)
        entries = uow.audit.recent(school_ids=school_ids, limit=limit)
        names: dict[int, str] = {}
        return [_line(uow, entry, names) for entry in entries]


def _own(actor: Actor) -> Scope:
    return Scope(school_id=actor.school_id, board_id=actor.board_id)


def _school_ids(uow: OkidocWork, actor: Actor) -> list[int]:
    if actor.role is Role.BOARD_CONTACT:
        return [school.id for school in uow.schools.list(board_id=actor.board_id)]
    return [actor.school_id] if actor.school_id is not None else []


def _line(uow: OkidocWork, entry: AuditEntry, names: dict[int, str]) -> AuditLine:
    helper = entry.impersonator_id
    return AuditLine(
        at=entry.at,
        actor_name=entry.actor_name,
        impersonator_name=None if helper is None else _name(uow, helper, names),
        action=entry.action.replace("_", " "),
        subject=entry.subject_type
        if entry.subject_id is None
        else f"{entry.subject_type} {entry.subject_id}",
        changes="; ".join(f"{c.path}: {c.old or '–'} → {c.new or '–'}" for c in entry.changes),
        detail=entry.detail,
    )


def _name(uow: OkidocWork, user_id: int, names: dict[int, str]) -> str:
    if user_id not in names:
        try:
            names[user_id] = uow.users.get(user_id).display_name
        except NotFound:
            names[user_id] = f"gebruiker {user_id}"
    return names[user_id]
