"""In-memory pupils, their Oki-docs and notes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from elk_domain.errors import Conflict, NotFound
from elk_domain.kernel.values import Bsn
from elk_domain.okidoc.model import OkiDoc
from elk_domain.pupils.model import Note, Pupil
from elk_domain.testing.store import Table

__all__ = ["InMemoryNoteRepository", "InMemoryOkiDocRepository", "InMemoryPupilRepository"]


class InMemoryPupilRepository(Table[Pupil]):
    """Pupils."""

    label = "Leerling"
    table = "pupils"

    def by_bsn(self, school_id: int, bsn: Bsn) -> Pupil | None:
        """The school's pupil with this BSN."""
        return next(
            (p for p in self._rows.values() if p.school_id == school_id and p.bsn == bsn), None
        )

    def by_elk_number(self, elk_number: int) -> Pupil | None:
        """The pupil with this ELK number."""
        return next((p for p in self._rows.values() if p.elk_number.value == elk_number), None)

    def list(self, school_id: int, *, group_ids: Iterable[int] | None = None) -> Sequence[Pupil]:
        """The school's pupils, optionally of some groups, by name."""
        wanted = None if group_ids is None else frozenset(group_ids)
        return self._select(
            lambda p: p.school_id == school_id and (wanted is None or p.group_id in wanted),
            lambda p: p.name.sort_key().lower(),
        )

    def next_elk_number(self) -> int:
        """A fresh ELK number."""
        value = self._store.next_elk
        self._store.next_elk += 1
        return value


class InMemoryOkiDocRepository(Table[OkiDoc]):
    """Oki-docs, one per pupil."""

    label = "Oki-doc"
    table = "okidocs"

    def for_pupil(self, pupil_id: int) -> OkiDoc:
        """Raises NotFound."""
        found = next((d for d in self._rows.values() if d.pupil_id == pupil_id), None)
        if found is None:
            raise NotFound(f"Leerling {pupil_id} heeft geen Oki-doc.")
        return found

    def for_pupils(self, pupil_ids: Collection[int]) -> Mapping[int, OkiDoc]:
        """The Oki-docs of these pupils by pupil id."""
        wanted = set(pupil_ids)
        return {d.pupil_id: d for d in self._rows.values() if d.pupil_id in wanted}

    def add(self, entity: OkiDoc) -> OkiDoc:
        """Store; Conflict when the pupil already has one."""
        if any(d.pupil_id == entity.pupil_id for d in self._rows.values()):
            raise Conflict(f"Leerling {entity.pupil_id} heeft al een Oki-doc.")
        return super().add(entity)


class InMemoryNoteRepository(Table[Note]):
    """Notes."""

    label = "Notitie"
    table = "notes"

    def for_pupil(self, pupil_id: int) -> Sequence[Note]:
        """Oldest first."""
        return self._select(lambda n: n.pupil_id == pupil_id, lambda n: (n.created_at, n.id))
