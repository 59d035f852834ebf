"""Repositories of pupils and notes, and what the access rule reads of registrations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from elk_domain.accounts.ports import AccountsWork
from elk_domain.kernel.values import Bsn
from elk_domain.pupils.model import Note, Pupil


class PupilRepository(Protocol):
    """Pupils."""

    def get(self, pupil_id: int) -> Pupil:
        """Raises NotFound."""
        ...

    def by_bsn(self, school_id: int, bsn: Bsn) -> Pupil | None:
        """The school's pupil with this BSN."""
        ...

    def by_elk_number(self, elk_number: int) -> Pupil | None:
        """The pupil with this ELK number, if any."""
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


class RegisteredSchools(Protocol):
    """Of a registration, only what the access rule needs: the VO schools it was sent to."""

    def registered_at(self) -> frozenset[int]:
        """Ids of the VO schools the pupil is registered at (they may see the pupil)."""
        ...


class RegistrationLookup(Protocol):
    """Read-only: a pupil's registration per procedure (the parents area owns the full port)."""

    def for_pupil(self, pupil_id: int, procedure: str) -> RegisteredSchools | None:
        """The pupil's registration in that procedure, if any."""
        ...


class PupilRepositories(Protocol):
    """The pupils' repositories."""

    pupils: PupilRepository
    notes: NoteRepository


class PupilsWork(PupilRepositories, AccountsWork, Protocol):
    """The unit of work of the pupils' use cases.

    A VO user reaches a pupil through a registration (R-AUTH-4), so the one access rule for a
    pupil (``pupils.access``) reads which VO schools a registration names, and nothing else.
    """

    @property
    def registrations(self) -> RegistrationLookup:
        """The registrations, read-only and narrowed to the access rule's need."""
        ...
