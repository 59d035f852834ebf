"""Permission before input: may the actor take this action on this target? (decision 0036)

A view that receives a form calls ``authorize`` first, with the target its URL (or the form's
target field, such as the chosen school) names, and only then reads and parses the input and
calls the use case. A principal who may not act therefore gets 403 or 404 whatever they
posted, never a list of what is wrong with their input; the use case checks the same rule
again in its own transaction, so a change in between is still caught.

The decision is the one policy of ``permissions`` (reach before role): a target out of reach
is not found, a role that may not act is forbidden.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.ports import PupilsWork


class TargetKind(enum.Enum):
    """What a request acts on."""

    PUPILS = "pupils"
    SCHOOL = "school"
    GROUP = "group"
    USER = "user"
    OWN = "own"  # the actor's own school, board or (functional administrator) region
    REGION = "region"


@attrs.frozen
class Target:
    """The record(s) a request names, before anything else of it is read."""

    kind: TargetKind
    ids: tuple[int, ...] = ()

    @classmethod
    def pupil(cls, pupil_id: int) -> Target:
        """One pupil (their Oki-doc, notes, attachments, parent login)."""
        return cls(TargetKind.PUPILS, (pupil_id,))

    @classmethod
    def pupils(cls, pupil_ids: Iterable[int]) -> Target:
        """Several pupils, e.g. a bulk action: the actor must reach every one of them."""
        return cls(TargetKind.PUPILS, tuple(pupil_ids))

    @classmethod
    def school(cls, school_id: int) -> Target:
        """A school and what it owns (its data, groups, preferences, delivery point)."""
        return cls(TargetKind.SCHOOL, (school_id,))

    @classmethod
    def school_or_own(cls, school_id: int | None) -> Target:
        """The school a form chose, or the actor's own organisation when it chose none."""
        return cls.own() if school_id is None else cls.school(school_id)

    @classmethod
    def group(cls, group_id: int) -> Target:
        """A group: a contact person reaches only their own groups (R-AUTH-4)."""
        return cls(TargetKind.GROUP, (group_id,))

    @classmethod
    def user(cls, user_id: int) -> Target:
        """A staff user, to change, invite or act as."""
        return cls(TargetKind.USER, (user_id,))

    @classmethod
    def own(cls) -> Target:
        """The actor's own part of the region, for actions whose target is still to be chosen."""
        return cls(TargetKind.OWN)

    @classmethod
    def region(cls) -> Target:
        """The whole region: boards, schools, the timeline, news."""
        return cls(TargetKind.REGION)


def own_scope(actor: Actor) -> Scope:
    """The actor's own part of the region: everything for the functional administrator."""
    if actor.role is Role.FUNCTIONAL_ADMIN:
        return Scope.region()
    return Scope(school_id=actor.school_id, board_id=actor.board_id)


def authorize(uow: PupilsWork, actor: Actor, action: Action, target: Target) -> None:
    """Raise NotFound (out of reach) or Forbidden (the role may not) unless the actor may."""
    if target.kind is TargetKind.REGION:
        require(actor, action, Scope.region())
    elif target.kind is TargetKind.OWN:
        require(actor, action, own_scope(actor))
    else:
        with uow:
            for target_id in target.ids:
                _require_on(uow, actor, action, target.kind, target_id)


def _require_on(
    uow: PupilsWork, actor: Actor, action: Action, kind: TargetKind, target_id: int
) -> None:
    if kind is TargetKind.PUPILS:
        load_pupil(uow, actor, action, target_id)
    elif kind is TargetKind.SCHOOL:
        require(actor, action, Scope.for_school(uow.schools.get(target_id)))
    elif kind is TargetKind.GROUP:
        group = uow.groups.get(target_id)
        require(actor, action, Scope.for_group(group, uow.schools.get(group.school_id)))
    else:
        require(actor, action, Scope.for_user(uow.users.get(target_id)))
