"""Repositories of pupils and what hangs off them: Oki-docs, notes, registrations, the overview."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from elk_domain.model.okidoc import OkiDoc
from elk_domain.model.organisation import School
from elk_domain.model.overview import GroupChoice, OverviewPage, OverviewQuery, StatusCounts
from elk_domain.model.pupil import Pupil
from elk_domain.model.values import Bsn
from elk_domain.notes import Note
from elk_domain.registration import Registration


class PupilRepository(Protocol):
    """Pupils."""

    def get(self, pupil_id: int) -> Pupil:
        """Raises NotFound."""
        ...

    def by_bsn(self, school_id: int, bsn: Bsn) -> Pupil | None:
        """The school's pupil with this BSN."""
        ...

    def list(self, school_id: int, *, group_ids: Iterable[int] | None = None) -> Sequence[Pupil]:
        """The school's pupils (optionally of some groups only), by name."""
        ...

    def add(self, pupil: Pupil) -> Pupil:
        """Store a new pupil and return it with its id (the ELK number is given)."""
        ...

    def update(self, pupil: Pupil) -> Pupil:
        """Save changes; raises Conflict on a stale version. Returns the new version."""
        ...

    def next_elk_number(self) -> int:
        """A fresh ELK number, unique in the region."""
        ...


class OkiDocRepository(Protocol):
    """Oki-docs, one per pupil."""

    def for_pupil(self, pupil_id: int) -> OkiDoc:
        """Raises NotFound."""
        ...

    def add(self, okidoc: OkiDoc) -> OkiDoc:
        """Store a new Oki-doc and return it with its id."""
        ...

    def update(self, okidoc: OkiDoc) -> OkiDoc:
        """Save all content; raises Conflict when ``okidoc.version`` is stale."""
        ...


class NoteRepository(Protocol):
    """Notes on pupils (R-LL-3)."""

    def get(self, note_id: int) -> Note:
        """Raises NotFound."""
        ...

    def for_pupil(self, pupil_id: int) -> Sequence[Note]:
        """The pupil's notes, oldest first."""
        ...

    def add(self, note: Note) -> Note:
        """Store a new note and return it with its id."""
        ...


class RegistrationRepository(Protocol):
    """Registrations by parents, one per pupil and procedure (R-AAN)."""

    def for_pupil(self, pupil_id: int, procedure: str) -> Registration | None:
        """The pupil's registration in that procedure, if any."""
        ...

    def at_school(self, school_id: int) -> Sequence[Registration]:
        """Registrations the VO school sees: definitive ones with it as first choice."""
        ...

    def add(self, registration: Registration) -> Registration:
        """Store a new registration and return it with its id."""
        ...

    def update(self, registration: Registration) -> Registration:
        """Save changes; raises Conflict on a stale version. Returns the new version."""
        ...


class PupilOverviewQuery(Protocol):
    """The read model behind the Leerlingen overview and the status overviews (R-LL-1, R-LL-4).

    Each call costs a fixed number of database queries, whatever the page size.
    """

    def page(self, query: OverviewQuery) -> OverviewPage:
        """One page of the school's pupils matching the filters, sorted, with the total."""
        ...

    def school_groups(self, school_id: int) -> tuple[School, Sequence[GroupChoice]]:
        """The school and its groups by name, for the page's heading and filter; NotFound."""
        ...

    def status_counts(self, school_ids: Iterable[int]) -> Sequence[StatusCounts]:
        """Per school (by name): pupils per Oki-doc status and per registration status."""
        ...
