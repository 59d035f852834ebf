"""The one access rule for a pupil and everything about them: load after the permission check."""

from __future__ import annotations

from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import VO_ROLES, Action, Scope, require
from elk_domain.kernel.support import Subject
from elk_domain.organisation.model import School
from elk_domain.organisation.procedure import PROCEDURES
from elk_domain.pupils.model import Pupil
from elk_domain.pupils.ports import PupilsWork


def pupil_scope(uow: PupilsWork, pupil: Pupil, school: School | None = None) -> Scope:
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
    uow: PupilsWork,
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
    if actor.role in VO_ROLES:
        scope = pupil_scope(uow, pupil, school)
    else:
        scope = Scope.for_pupil(pupil, school)
    require(actor, action, scope)
    return pupil, school


def load_pupil(uow: PupilsWork, actor: Actor, action: Action, pupil_id: int) -> Pupil:
    """The pupil, after checking the actor may take ``action`` on them (hidden ones: NotFound)."""
    return load_pupil_with_school(uow, actor, action, pupil_id)[0]


def pupil_subject(pupil: Pupil) -> Subject:
    """The audit subject for a pupil."""
    return Subject(type="pupil", id=pupil.id, school_id=pupil.school_id)
