"""Helpers shared by the pupil-centred use cases: load with a permission check, audit."""

from __future__ import annotations

import attrs

from elk_domain.model.audit import AuditEntry, FieldChange
from elk_domain.model.organisation import School
from elk_domain.model.people import Actor, Role
from elk_domain.model.pupil import Pupil
from elk_domain.permissions import Action, Scope, require
from elk_domain.ports import Clock, UnitOfWork
from elk_domain.procedure import PROCEDURES


def pupil_scope(uow: UnitOfWork, pupil: Pupil, school: School | None = None) -> Scope:
    """The pupil's scope, including the VO schools that see them through a registration.

    ``school`` is the pupil's school when the caller already has it (saves a read).
    """
    vo_school_ids: frozenset[int] = frozenset()
    for name in PROCEDURES:
        registration = uow.registrations.for_pupil(pupil.id, name)
        if registration is not None:
            vo_school_ids |= registration.registered_at()
    school = school if school is not None else uow.schools.get(pupil.school_id)
    return Scope.for_pupil(pupil, school, vo_school_ids=vo_school_ids)


def load_pupil_with_school(
    uow: UnitOfWork,
    actor: Actor,
    action: Action,
    pupil_id: int,
    *,
    known_school: School | None = None,
) -> tuple[Pupil, School]:
    """The pupil and their school, after checking the actor may take ``action`` on them.

    The one access rule for a pupil and everything about them (the Oki-doc too). Which VO
    schools see the pupil (a read per procedure) matters only to a VO user: for every other
    role the permission decision does not look at ``vo_school_ids`` (``permissions._reaches``),
    so their registrations are not read. ``known_school``: the school the caller read moments
    ago; it saves a read while the pupil is still at that school.
    """
    pupil = uow.pupils.get(pupil_id)
    if known_school is not None and known_school.id == pupil.school_id:
        school = known_school
    else:
        school = uow.schools.get(pupil.school_id)
    if actor.role is Role.VO_USER:
        scope = pupil_scope(uow, pupil, school)
    else:
        scope = Scope.for_pupil(pupil, school)
    require(actor, action, scope)
    return pupil, school


def load_pupil(uow: UnitOfWork, actor: Actor, action: Action, pupil_id: int) -> Pupil:
    """The pupil, after checking the actor may take ``action`` on them (hidden ones: NotFound)."""
    return load_pupil_with_school(uow, actor, action, pupil_id)[0]


@attrs.frozen(kw_only=True)
class Subject:
    """What an audit entry is about."""

    type: str
    id: int | None = None
    school_id: int | None = None


def audit(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    action: str,
    subject: Subject,
    *changes: FieldChange,
    detail: str = "",
) -> None:
    """Record one audited change in the current unit of work, as the (impersonated) actor."""
    uow.audit.record(
        AuditEntry(
            at=clock.now(),
            actor_id=actor.user_id,
            actor_name=actor.name,
            action=action,
            subject_type=subject.type,
            subject_id=subject.id,
            school_id=subject.school_id,
            impersonator_id=actor.impersonator_id,
            changes=changes,
            detail=detail,
        )
    )


def pupil_subject(pupil: Pupil) -> Subject:
    """The audit subject for a pupil."""
    return Subject(type="pupil", id=pupil.id, school_id=pupil.school_id)
