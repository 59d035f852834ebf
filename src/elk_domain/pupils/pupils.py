"""Use cases on a pupil's administrative data: look them up, record why they won't be placed."""

from __future__ import annotations

import attrs

from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import audit
from elk_domain.pupils.access import load_pupil, pupil_subject
from elk_domain.pupils.model import Pupil, ReasonNotPlaced
from elk_domain.pupils.ports import PupilsWork


def get_pupil(uow: PupilsWork, actor: Actor, pupil_id: int) -> Pupil:
    """The pupil, when the actor may see them; NotFound otherwise (also for hidden pupils)."""
    with uow:
        return load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)


@attrs.frozen
class SetReasonNotPlaced:
    """R-LL-3: uitgeschreven, verhuisd, groep-8-doubleerder; None clears the reason."""

    pupil_id: int
    reason: ReasonNotPlaced | None


def set_reason_not_placed(
    uow: PupilsWork, clock: Clock, actor: Actor, command: SetReasonNotPlaced
) -> Pupil:
    """Record (or clear) why the pupil will not be placed in VO through ELK."""
    with uow:
        pupil = load_pupil(uow, actor, Action.SET_REASON_NOT_PLACED, command.pupil_id)
        if pupil.reason_not_placed is command.reason:
            return pupil
        stored = uow.pupils.update(attrs.evolve(pupil, reason_not_placed=command.reason))
        change = FieldChange(
            "reden_niet_plaatsen", _label(pupil.reason_not_placed), _label(command.reason)
        )
        audit(uow, clock, actor, "reden_niet_plaatsen", pupil_subject(pupil), change)
        uow.commit()
        return stored


def _label(reason: ReasonNotPlaced | None) -> str | None:
    return None if reason is None else reason.label
