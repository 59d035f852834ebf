"""Use cases for notes on a pupil (R-LL-3): add one, read the ones the actor may see."""

from __future__ import annotations

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.model import Note, NoteVisibility, visible_notes
from elk_domain.pupils.ports import PupilsWork

MAX_NOTE_LENGTH = 4000


@attrs.frozen
class AddNote:
    """A new note; visible to the own organisation, or also to the VO schools."""

    pupil_id: int
    text: str
    visibility: NoteVisibility = NoteVisibility.OWN_ORGANISATION


def add_note(uow: PupilsWork, clock: Clock, actor: Actor, command: AddNote) -> Note:
    """Store a note by the actor on behalf of their school (permission first, then the text)."""
    with uow:
        pupil = load_pupil(uow, actor, Action.ADD_NOTE, command.pupil_id)
        text = _checked(command.text)
        note = uow.notes.add(
            Note(
                id=0,
                pupil_id=pupil.id,
                author_id=actor.user_id,
                author_name=actor.name,
                organisation=actor.school_id or pupil.school_id,
                text=text,
                visibility=command.visibility,
                created_at=clock.now(),
            )
        )
        subject = Subject(type="note", id=note.id, school_id=pupil.school_id)
        audit(
            uow,
            clock,
            actor,
            "notitie_toegevoegd",
            subject,
            detail=f"leerling {pupil.id}, {command.visibility.label}",
        )
        uow.commit()
        return note


def _checked(text: str) -> str:
    text = text.strip()
    if not text:
        raise Rejected("De notitie is leeg.", violations=[Violation("tekst", "Vul een tekst in.")])
    if len(text) > MAX_NOTE_LENGTH:
        message = f"Een notitie is hoogstens {MAX_NOTE_LENGTH} tekens lang."
        raise Rejected(message, violations=[Violation("tekst", message)])
    return text


def list_notes(uow: PupilsWork, actor: Actor, pupil_id: int) -> list[Note]:
    """The pupil's notes the actor may read, oldest first."""
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_NOTES, pupil_id)
        return visible_notes(uow.notes.for_pupil(pupil.id), actor)
