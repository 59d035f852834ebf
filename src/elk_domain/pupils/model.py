"""A group-8 pupil as ELK knows them: identity, school, group and parent-login progress.

Notes on a pupil (R-LL-3): shared within the own organisation, or also with VO.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import VO_ROLES
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName


class ParentLoginStatus(enum.Enum):
    """R-OUD-2: not sent → sent → activated → registration started (AG) → completed (AV)."""

    NOT_SENT = "niet_verstuurd"
    SENT = "verstuurd"
    ACTIVATED = "geactiveerd"
    REGISTRATION_STARTED = "aanmelding_gestart"
    REGISTRATION_COMPLETED = "aanmelding_voltooid"


class ReasonNotPlaced(enum.Enum):
    """R-LL-3: why a pupil will not be placed in VO through ELK."""

    UITGESCHREVEN = "uitgeschreven"
    VERHUISD = "verhuisd"
    DOUBLEERDER = "groep-8-doubleerder"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"uitgeschreven": "Uitgeschreven", "verhuisd": "Verhuisd"}.get(
            self.value, "Groep-8-doubleerder"
        )


@attrs.frozen(kw_only=True)
class Pupil:
    """Identity and administrative state of a pupil; the content lives in their Oki-doc."""

    id: int
    elk_number: ElkNumber
    school_id: int
    name: PersonName
    bsn: Bsn | None = None
    birth_date: dt.date | None = None
    group_id: int | None = None
    parent_login: ParentLoginStatus = ParentLoginStatus.NOT_SENT
    parent_login_amsterdam: ParentLoginStatus = ParentLoginStatus.NOT_SENT
    reason_not_placed: ReasonNotPlaced | None = None
    version: int = 1


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
    return note.visibility is NoteVisibility.ALSO_VO and actor.role in VO_ROLES


def visible_notes(notes: Iterable[Note], actor: Actor) -> list[Note]:
    """The notes ``actor`` may read, in the given order (call after VIEW_NOTES is allowed)."""
    return [note for note in notes if can_read(note, actor)]
