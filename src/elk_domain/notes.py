"""Notes on a pupil (R-LL-3): shared within the own organisation, or also with VO."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from elk_domain.model.people import Actor, Role


class NoteVisibility(enum.Enum):
    """Who may read a note besides its own organisation."""

    OWN_ORGANISATION = "eigen_organisatie"
    ALSO_VO = "ook_vo"

    @property
    def label(self) -> str:
        """Dutch label for the choice on the form."""
        if self is NoteVisibility.ALSO_VO:
            return "Eigen organisatie en VO"
        return "Alleen eigen organisatie"


@attrs.frozen(kw_only=True)
class Note:
    """A remark by a staff member about a pupil."""

    id: int
    pupil_id: int
    author_id: int
    author_name: str
    organisation: int  # the school (PO or VO) of the author
    text: str
    visibility: NoteVisibility = NoteVisibility.OWN_ORGANISATION
    created_at: dt.datetime


def can_read(note: Note, actor: Actor) -> bool:
    """The author's organisation reads all its notes; VO users also read notes shared with VO."""
    if actor.school_id is not None and note.organisation == actor.school_id:
        return True
    return note.visibility is NoteVisibility.ALSO_VO and actor.role is Role.VO_USER


def visible_notes(notes: Iterable[Note], actor: Actor) -> list[Note]:
    """The notes ``actor`` may read, in the given order (call after VIEW_NOTES is allowed)."""
    return [note for note in notes if can_read(note, actor)]
