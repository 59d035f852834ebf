"""The registration page's buttons (R-AAN-2..4): add, remove and move schools, the first-choice
options, "Definitief maken", and going back to the definitive list after starting a new one.

Every change is applied to the stored list inside one unit of work and saved at once, so a
parent on a phone can stop at any moment; the rules are those of ``save_registration``.
"""

from __future__ import annotations

import enum

import attrs

from elk_domain.errors import Conflict, Message, Rejected
from elk_domain.kernel.people import Actor
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import audit
from elk_domain.parents.ports import ParentsWork
from elk_domain.parents.register import RegistrationSave, changed_ids
from elk_domain.parents.registration import FirstChoiceOptions, PreferenceList, Registration

LIST_CHANGED = "De lijst is intussen veranderd. Bekijk hem opnieuw en probeer het nog eens."


class ListAction(enum.Enum):
    """What a button on the registration page does to the list (R-AAN-2)."""

    KEEP = "opslaan"  # only the first-choice options change
    ADD = "toevoegen"
    REMOVE = "verwijderen"
    UP = "omhoog"
    DOWN = "omlaag"
    ORDER = "volgorde"  # a new order, from dragging


@attrs.frozen(kw_only=True)
class EditRegistration:
    """One change to the list being worked on; ``options`` None leaves them as they are."""

    pupil_id: int
    procedure: str
    action: ListAction = ListAction.KEEP
    school_id: int = 0
    order: tuple[int, ...] = ()
    options: FirstChoiceOptions | None = None


def edit_registration(
    uow: ParentsWork, clock: Clock, actor: Actor, command: EditRegistration
) -> Registration:
    """Apply one change to the stored list and save it (nothing is made definitive); every
    step is saved, so a parent can stop at any moment and go on later."""
    with uow:
        saving = RegistrationSave.load(uow, clock, actor, command.pupil_id, command.procedure)
        current = PreferenceList() if saving.previous is None else saving.previous.preferences
        if command.options is not None:
            current = attrs.evolve(current, first_choice=command.options)
        stored = saving.save(_edited(current, command), definitive=False, login_url="")
        uow.commit()
        return stored


def _edited(current: PreferenceList, command: EditRegistration) -> PreferenceList:
    action, school = command.action, command.school_id
    if action is ListAction.ADD:
        return current.added(school)
    if action is ListAction.REMOVE:
        return current.removed(school)
    if action in (ListAction.UP, ListAction.DOWN):
        return current.moved(school, -1 if action is ListAction.UP else 1)
    if action is ListAction.ORDER:
        if sorted(command.order) != sorted(current.school_ids):
            raise Conflict(
                Message(
                    "De lijst is intussen veranderd. Bekijk hem opnieuw en probeer het nog eens."
                )
            )
        return current.with_schools(command.order)
    return current


@attrs.frozen(kw_only=True)
class MakeDefinitive:
    """The "Definitief maken" button: the list being worked on becomes the one that counts."""

    pupil_id: int
    procedure: str


def make_definitive(
    uow: ParentsWork, clock: Clock, actor: Actor, command: MakeDefinitive, *, login_url: str
) -> Registration:
    """R-AAN-4: only with a complete list; links the pupil to the first choice and mails."""
    with uow:
        saving = RegistrationSave.load(uow, clock, actor, command.pupil_id, command.procedure)
        if saving.previous is None:
            raise Rejected(Message("Kies eerst de scholen voor de voorkeurslijst."))
        stored = saving.save(saving.previous.preferences, definitive=True, login_url=login_url)
        uow.commit()
        return stored


@attrs.frozen(kw_only=True)
class DiscardChange:
    """The "Nieuwe lijst weggooien" button: back to the definitive list."""

    pupil_id: int
    procedure: str


def discard_change(
    uow: ParentsWork, clock: Clock, actor: Actor, command: DiscardChange
) -> Registration:
    """Throw away the new list a parent started next to a definitive one; that one stays."""
    with uow:
        saving = RegistrationSave.load(uow, clock, actor, command.pupil_id, command.procedure)
        previous = saving.previous
        if previous is None or previous.definitive is None:
            raise Conflict(Message("Er is geen definitieve aanmelding om naar terug te gaan."))
        stored = uow.registrations.update(
            attrs.evolve(previous, preferences=previous.definitive, updated_at=clock.now())
        )
        change = changed_ids(previous, stored)
        audit(uow, clock, actor, "aanmelding_wijziging_ingetrokken", saving.subject(stored), change)
        uow.commit()
        return stored
