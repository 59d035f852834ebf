"""Pupils, their Oki-docs and notes in SQL."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import codecs
from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.errors import Conflict, NotFound, Rejected
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.overview.model import okidoc_facts
from elk_domain.pupils.model import Note, NoteVisibility, ParentLoginStatus, Pupil, ReasonNotPlaced

DUPLICATE_PUPIL = "Er is al een leerling met dit BSN op deze school, of met dit ELK-nummer."


def _pupil_values(pupil: Pupil) -> Mapping[str, Any]:
    return {
        "elk_number": pupil.elk_number.value,
        "school_id": pupil.school_id,
        "first_name": pupil.name.first,
        "tussenvoegsel": pupil.name.tussenvoegsel,
        "last_name": pupil.name.last,
        "bsn": None if pupil.bsn is None else pupil.bsn.value,
        "birth_date": pupil.birth_date,
        "group_id": pupil.group_id,
        "parent_login": pupil.parent_login.value,
        "parent_login_amsterdam": pupil.parent_login_amsterdam.value,
        "reason_not_placed": None
        if pupil.reason_not_placed is None
        else pupil.reason_not_placed.value,
    }


def _pupil_from_row(row: Row[Any]) -> Pupil:
    return Pupil(
        id=row.id,
        elk_number=ElkNumber(row.elk_number),
        school_id=row.school_id,
        name=PersonName(row.first_name, row.last_name, row.tussenvoegsel),
        bsn=None if row.bsn is None else Bsn(row.bsn),
        birth_date=row.birth_date,
        group_id=row.group_id,
        parent_login=ParentLoginStatus(row.parent_login),
        parent_login_amsterdam=ParentLoginStatus(row.parent_login_amsterdam),
        reason_not_placed=None
        if row.reason_not_placed is None
        else ReasonNotPlaced(row.reason_not_placed),
        version=row.version,
    )


class SqlAlchemyPupilRepository(SqlRepository):
    """Pupils; the ELK number comes from a counter row, so it is never handed out twice."""

    label = "Leerling"

    def get(self, pupil_id: int) -> Pupil:
        """Raises NotFound."""
        return _pupil_from_row(self._row(t.pupils, pupil_id))

    def by_bsn(self, school_id: int, bsn: Bsn) -> Pupil | None:
        """The school's pupil with this BSN."""
        query = sa.select(t.pupils).where(
            t.pupils.c.school_id == school_id, t.pupils.c.bsn == bsn.value
        )
        row = self._execute(query).first()
        return None if row is None else _pupil_from_row(row)

    def by_elk_number(self, elk_number: int) -> Pupil | None:
        """The pupil with this ELK number."""
        row = self._execute(sa.select(t.pupils).where(t.pupils.c.elk_number == elk_number)).first()
        return None if row is None else _pupil_from_row(row)

    def list(self, school_id: int, *, group_ids: Iterable[int] | None = None) -> Sequence[Pupil]:
        """The school's pupils (optionally of some groups only), by name."""
        query = sa.select(t.pupils).where(t.pupils.c.school_id == school_id)
        if group_ids is not None:
            query = query.where(t.pupils.c.group_id.in_(list(group_ids)))
        pupils = map(_pupil_from_row, self._execute(query.order_by(t.pupils.c.id)))
        return sorted(pupils, key=lambda p: p.name.sort_key().lower())

    def add(self, pupil: Pupil) -> Pupil:
        """Store a new pupil and return it with its id (the ELK number is given)."""
        return self._add_versioned(t.pupils, pupil, _pupil_values(pupil), duplicate=DUPLICATE_PUPIL)

    def update(self, pupil: Pupil) -> Pupil:
        """Save changes; Conflict on a stale version. Returns the new version."""
        values = _pupil_values(pupil)
        return self._save_versioned(t.pupils, pupil, values, duplicate=DUPLICATE_PUPIL)

    def next_elk_number(self) -> int:
        """A fresh ELK number: the counter row is locked until the unit of work ends."""
        counter = t.counters.c
        statement = (
            sa.update(t.counters)
            .where(counter.name == "elk_number")
            .values(value=counter.value + 1)
            .returning(counter.value)
        )
        rows = self._write(statement).rows
        if not rows:  # a database created without the migration's seed row
            self._write(sa.insert(t.counters).values(name="elk_number", value=t.FIRST_ELK_NUMBER))
            return t.FIRST_ELK_NUMBER
        return int(rows[0][0])


def _okidoc_values(okidoc: OkiDoc) -> Mapping[str, Any]:
    return {
        "pupil_id": okidoc.pupil_id,
        "status": okidoc.status.value,
        "fields": codecs.fields_to_json(okidoc.fields),
        "test_results": codecs.test_results_to_json(okidoc.test_results),
        "career": codecs.career_to_json(okidoc.career),
        "attachments": codecs.attachments_to_json(okidoc.attachments),
        "withheld": " ".join(sorted(okidoc.withheld)),
        **_overview_values(okidoc),
    }


def _overview_values(okidoc: OkiDoc) -> Mapping[str, Any]:
    """The overview's copies of Oki-doc facts (docs/decisions/0030)."""
    facts = okidoc_facts(okidoc)
    return {
        "extra_support": facts.extra_support,
        "tafelmiddag_po": facts.tafelmiddag_po,
        "tafelmiddag_vo": facts.tafelmiddag_vo,
        "final_test_outcome": _clip(facts.final_test_outcome),
        "definitive_advice": _clip(facts.definitive_advice),
        "deviation_motivated": facts.deviation_motivated,
    }


def _clip(text: str | None) -> str | None:
    return None if text is None else text[:40]


def _okidoc_from_row(row: Row[Any]) -> OkiDoc:
    return OkiDoc(
        id=row.id,
        pupil_id=row.pupil_id,
        status=OkiStatus(row.status),
        fields=codecs.fields_from_json(row.fields),
        test_results=codecs.test_results_from_json(row.test_results),
        career=codecs.career_from_json(row.career),
        attachments=codecs.attachments_from_json(row.attachments),
        version=row.version,
        withheld=frozenset(row.withheld.split()),
    )


_CHUNK = 500  # ids per IN (...): far below every database's limit on bound parameters
_OKIDOC_FOR_PUPIL = sa.select(t.okidocs).where(t.okidocs.c.pupil_id == sa.bindparam("b_pupil"))


class SqlAlchemyOkiDocRepository(SqlRepository):
    """Oki-docs: one row each, content in JSON columns, saved whole in one UPDATE."""

    label = "Oki-doc"

    def for_pupil(self, pupil_id: int) -> OkiDoc:
        """Raises NotFound."""
        with database_errors():
            row = self._connection.execute(_OKIDOC_FOR_PUPIL, {"b_pupil": pupil_id}).first()
        if row is None:
            raise NotFound(f"Leerling {pupil_id} heeft geen Oki-doc.")
        return _okidoc_from_row(row)

    def for_pupils(self, pupil_ids: Collection[int]) -> Mapping[int, OkiDoc]:
        """The Oki-docs of these pupils by pupil id, in chunks of ``_CHUNK`` ids per SELECT."""
        ids = sorted(set(pupil_ids))
        found: dict[int, OkiDoc] = {}
        with database_errors():
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                query = sa.select(t.okidocs).where(t.okidocs.c.pupil_id.in_(chunk))
                for row in self._connection.execute(query):
                    found[row.pupil_id] = _okidoc_from_row(row)
        return found

    def add(self, okidoc: OkiDoc) -> OkiDoc:
        """Store a new Oki-doc; Conflict when the pupil already has one."""
        values = {**_okidoc_values(okidoc), "version": okidoc.version}
        try:
            new_id = self._insert(t.okidocs, values)
        except Rejected as error:
            if self._execute(
                sa.select(t.okidocs.c.id).where(t.okidocs.c.pupil_id == okidoc.pupil_id)
            ).first():
                raise Conflict(f"Leerling {okidoc.pupil_id} heeft al een Oki-doc.") from error
            raise
        return attrs.evolve(okidoc, id=new_id)

    def update(self, okidoc: OkiDoc) -> OkiDoc:
        """Save all content; Conflict when ``okidoc.version`` is stale."""
        # No savepoint: the row is found by id and the pupil never changes, so no unique key
        # can refuse it (a stale version is a Conflict found without an error).
        return self._save_versioned(t.okidocs, okidoc, _okidoc_values(okidoc), savepoint=False)


def _note_from_row(row: Row[Any]) -> Note:
    return Note(
        id=row.id,
        pupil_id=row.pupil_id,
        author_id=row.author_id,
        author_name=row.author_name,
        organisation=row.organisation,
        text=row.text,
        visibility=NoteVisibility(row.visibility),
        created_at=row.created_at,
    )


class SqlAlchemyNoteRepository(SqlRepository):
    """Notes on pupils."""

    label = "Notitie"

    def get(self, note_id: int) -> Note:
        """Raises NotFound."""
        return _note_from_row(self._row(t.notes, note_id))

    def for_pupil(self, pupil_id: int) -> Sequence[Note]:
        """The pupil's notes, oldest first."""
        query = (
            sa.select(t.notes)
            .where(t.notes.c.pupil_id == pupil_id)
            .order_by(t.notes.c.created_at, t.notes.c.id)
        )
        return [_note_from_row(row) for row in self._execute(query)]

    def add(self, note: Note) -> Note:
        """Store a new note and return it with its id."""
        values = attrs.asdict(note, recurse=False, filter=lambda a, _: a.name != "id")
        values["visibility"] = note.visibility.value
        return attrs.evolve(note, id=self._insert(t.notes, values))
