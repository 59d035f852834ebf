"""Placement runs in SQL: one bulk read of the registrations, bulk writes of the outcomes.

A run of 175,000 pupils writes 175,000 outcome rows and the reserve lists: SQLite gets one
``executemany`` on the driver's cursor, PostgreSQL a ``COPY`` (decision 0055). The instance and
the result are stored as the JSON text of the published files.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_adapters.placement_files import instance_to_json
from elk_adapters.placement_results import result_from_json, result_to_json
from elk_domain.errors import NotFound
from elk_domain.kernel.advice import Advice, Level, readable_advice
from elk_domain.kernel.values import SchoolYear
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.registration import RegistrationStatus
from elk_domain.placement.intake import Candidate
from elk_domain.placement.model import Instance, Programme, Pupil
from elk_domain.placement.ports import PlacementRun, PupilOutcome, ReserveEntry, RunRecord
from elk_domain.placement.result import Result

_r, _p, _o = t.registrations, t.pupils, t.okidocs
_runs, _out, _res = t.placement_runs, t.placement_outcomes, t.placement_reserve

_CANDIDATES = (
    sa.select(
        _r.c.pupil_id,
        _p.c.elk_number,
        _p.c.school_id,
        _p.c.last_name,
        _p.c.birth_date,
        _o.c.definitive_advice,
        sa.type_coerce(_r.c.definitive, sa.Text),  # parsed here; PostgreSQL hands a dict
        _r.c.priority_granted,
    )
    .join(_p, _p.c.id == _r.c.pupil_id)
    .outerjoin(_o, _o.c.pupil_id == _r.c.pupil_id)
    .where(_r.c.procedure == sa.bindparam("b_procedure"))
    .where(_r.c.status == RegistrationStatus.DEFINITIVE.value)
    .where(_r.c.definitive.is_not(None))
)


@functools.lru_cache(maxsize=64)
def _advice(code: str | None) -> Advice | None:
    """The stored definitive advice; None when absent or unreadable (few distinct texts)."""
    return readable_advice(code)


def _candidate(row: Any) -> Candidate:
    pupil_id, elk_number, school_id, last_name, born, advice, listed, granted = row
    if isinstance(listed, str):  # SQLite: the JSON text, read without SQLAlchemy's processing
        listed = json.loads(listed)
    return Candidate(
        pupil_id,
        elk_number,
        school_id,
        last_name,
        born,
        _advice(advice),
        tuple(listed.get("school_ids", ())),
        bool(listed.get("equivalent_level", False)),
        bool(listed.get("multiple_birth", False)),
        granted,
    )


def _run_from_row(row: Row[Any]) -> PlacementRun:
    return PlacementRun(
        id=row.id,
        procedure=row.procedure,
        school_year=SchoolYear(row.school_year),
        commitment=row.commitment,
        committed_at=row.committed_at,
        run_at=row.run_at,
        published_at=row.published_at,
        oversubscribed_school_ids=frozenset(row.oversubscribed or ()),
    )


_HEADER = [c for c in _runs.c if c.name not in ("instance", "result")]


def _outcome(row: Row[Any]) -> PupilOutcome:
    level = None if row.level is None else Level(row.level)
    return PupilOutcome(row.pupil_id, row.school_id, level, row.choice, row.lottery_rank)


class SqlAlchemyPlacementRunRepository(SqlRepository):
    """Placement runs, their outcomes and reserve lists."""

    label = "Plaatsing"

    def candidates(self, procedure: str) -> Sequence[Candidate]:
        """Every definitive registration of the procedure, in one query."""
        with database_errors():
            rows = self._connection.execute(_CANDIDATES, {"b_procedure": procedure})
            # ``all()`` fetches in one call; iterating fetches row by row (seconds at 175,000).
            return [_candidate(row) for row in rows.all()]

    def _runs(self, *conditions: sa.ColumnElement[bool]) -> list[PlacementRun]:
        query = sa.select(*_HEADER).where(*conditions).order_by(_runs.c.id.desc())
        return [_run_from_row(row) for row in self._execute(query)]

    def current(self, procedure: str, school_year: SchoolYear) -> PlacementRun | None:
        """The newest run of that procedure and school year."""
        runs = self._runs(_runs.c.procedure == procedure, _runs.c.school_year == school_year.start)
        return runs[0] if runs else None

    def add(self, run: PlacementRun) -> PlacementRun:
        """Store a new commitment."""
        values = {
            "procedure": run.procedure,
            "school_year": run.school_year.start,
            "commitment": run.commitment,
            "committed_at": run.committed_at,
        }
        return _with_id(run, self._insert(_runs, values))

    def record(self, run: PlacementRun, record: RunRecord) -> PlacementRun:
        """Store the computed run; outcomes and reserve lists replace earlier ones."""
        values = {
            "run_at": run.run_at,
            "oversubscribed": sorted(run.oversubscribed_school_ids),
            "instance": _packed(instance_to_json(record.instance)),
            "result": _packed(result_to_json(record.result)),
        }
        self._execute(sa.update(_runs).where(_runs.c.id == run.id).values(**values))
        self._execute(sa.delete(_out).where(_out.c.run_id == run.id))
        self._execute(sa.delete(_res).where(_res.c.run_id == run.id))
        outcomes = (
            (run.id, pupil, school, None if level is None else level.value, choice, rank)
            for pupil, school, level, choice, rank in record.outcomes
        )
        with database_errors():
            _bulk(self._connection, _out, outcomes)
        reserve = [
            {"run_id": run.id, "school_id": r.school_id, "level": r.level.value,
             "pupil_ids": list(r.pupil_ids)}
            for r in record.reserve
        ]  # fmt: skip
        if reserve:
            with database_errors():
                self._connection.execute(sa.insert(_res), reserve)
        return run

    def publish(self, run: PlacementRun) -> PlacementRun:
        """Mark the run published."""
        update = sa.update(_runs).where(_runs.c.id == run.id)
        self._execute(update.values(published_at=run.published_at))
        return run

    def latest_published(self, procedure: str) -> PlacementRun | None:
        """The newest published run of the procedure."""
        runs = self._runs(_runs.c.procedure == procedure, _runs.c.published_at.is_not(None))
        return runs[0] if runs else None

    def contents(self, run_id: int) -> tuple[Instance, Result]:
        """The stored instance and result (read as the trusted text they were written as)."""
        query = sa.select(_runs.c.instance, _runs.c.result).where(_runs.c.id == run_id)
        row = self._execute(query).first()
        if row is None or row.instance is None:
            raise NotFound(f"Plaatsing {run_id} is niet uitgevoerd.")
        return _stored_instance(_unpacked(row.instance)), result_from_json(_unpacked(row.result))

    def outcome(self, run_id: int, pupil_id: int) -> PupilOutcome | None:
        """The pupil's outcome in the run."""
        query = sa.select(_out).where(_out.c.run_id == run_id, _out.c.pupil_id == pupil_id)
        row = self._execute(query).first()
        return None if row is None else _outcome(row)

    def outcomes(self, run_id: int) -> Sequence[PupilOutcome]:
        """Every outcome of the run, by pupil id."""
        query = sa.select(_out).where(_out.c.run_id == run_id).order_by(_out.c.pupil_id)
        return [_outcome(row) for row in self._execute(query).all()]

    def placed_at(self, run_id: int, school_id: int) -> Sequence[PupilOutcome]:
        """The pupils placed at the school."""
        query = sa.select(_out).where(_out.c.run_id == run_id, _out.c.school_id == school_id)
        return [_outcome(row) for row in self._execute(query.order_by(_out.c.pupil_id))]

    def reserve_at(self, run_id: int, school_id: int) -> Sequence[ReserveEntry]:
        """The school's reserve lists, per level in order; pupils deleted since are left out."""
        query = sa.select(_res).where(_res.c.run_id == run_id, _res.c.school_id == school_id)
        lists = sorted(
            ((Level(row.level), list(row.pupil_ids)) for row in self._execute(query)),
            key=lambda pair: pair[0].rank,
        )
        wanted = {pupil for _, ids in lists for pupil in ids}
        known = set(self._execute(sa.select(_p.c.id).where(_p.c.id.in_(wanted))).scalars())
        return [
            ReserveEntry(school_id=school_id, level=level, position=n, pupil_id=pupil)
            for level, ids in lists
            for n, pupil in enumerate((i for i in ids if i in known), start=1)
        ]

    def mail_addresses(self, run_id: int, portal: ParentPortal) -> Mapping[int, str]:
        """Pupil id → the parent account's address for that portal, in one query."""
        accounts = t.parent_accounts
        query = (
            sa.select(accounts.c.pupil_id, accounts.c.email)
            .join(_out, _out.c.pupil_id == accounts.c.pupil_id)
            .where(_out.c.run_id == run_id, accounts.c.portal == portal.value)
        )
        return {row.pupil_id: row.email for row in self._execute(query).all()}

    def over_subscribed_schools(self, procedure: str) -> frozenset[int]:
        """The schools with a reserve list in the newest published run."""
        run = self.latest_published(procedure)
        return frozenset() if run is None else run.oversubscribed_school_ids


def _packed(document: dict[str, Any]) -> bytes:
    """Compact JSON, zlib level 1: a national run's 35 MB of text in 7 MB, in 0.3 s."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    return zlib.compress(text.encode("utf-8"), 1)


def _unpacked(data: bytes) -> Any:
    return json.loads(zlib.decompress(data))


def _with_id(run: PlacementRun, new_id: int) -> PlacementRun:
    return attrs.evolve(run, id=new_id)


def _bulk(connection: sa.Connection, table: sa.Table, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert many rows at once: COPY on PostgreSQL, the driver's executemany elsewhere."""
    names = [c.name for c in table.c]
    driver: Any = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        # Table and column names come from the schema, never from input.
        statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    statement = str(sa.insert(table).compile(dialect=connection.dialect))
    cursor = driver.cursor()
    try:
        cursor.executemany(statement, rows)
    finally:
        cursor.close()


def _stored_instance(document: dict[str, Any]) -> Instance:
    """The instance as stored by ``record`` (written by ELK itself, so not checked again)."""
    return Instance(
        procedure=document["procedure"],
        seed=document["seed"],
        seed_commitment=document.get("seed_commitment"),
        programmes=tuple(
            Programme(id=p["id"], school=p["school"], level=p["level"], capacity=p["capacity"])
            for p in document["programmes"]
        ),
        pupils=tuple(
            Pupil(
                id=p["id"],
                choices=tuple(p["choices"]),
                priority=p["priority"],
                stay_equivalent=p["stay_equivalent"],
                multiple_birth_group=p["multiple_birth_group"],
            )
            for p in document["pupils"]
        ),
    )
