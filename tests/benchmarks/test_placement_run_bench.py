"""Benchmark: ``elk placement run`` with the database (issue 16): load, solve, store, audit.

A region of ``size`` pupils, written straight into a migrated database (setup, not timed):
700 VO schools with havo and vwo (places for 105% of the pupils, a few popular schools), 100
primary schools, pupils with a havo, vwo or havo/vwo advice, each with a definitive list of 1
to 6 schools, 4% with a granted priority, some twins. Then the use case the command calls,
``run_placement`` (after ``commit_seed``), timed once end to end in one transaction: the bulk
read of the registrations, the instance, the mechanism and audit, the outcomes and reserve
lists written in bulk (executemany on SQLite, COPY on PostgreSQL), the audit entry and the
commit. Prints one ``BENCH placement_run`` line per size and database; targets: under 1 s at
10,000 pupils and under 5 s at 175,000, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, migrate
from elk_domain.kernel.people import Actor
from elk_domain.placement.operations import CommitSeed, RunPlacement, commit_seed, run_placement
from elk_domain.testing import FixedClock, SeededRandom

VO_SCHOOLS = 700
PO_SCHOOLS = 100
NOW = dt.datetime(2027, 4, 20, 9, 0, tzinfo=dt.UTC)
ADVICES = ("havo", "vwo", "havo/vwo")
CHUNK = 20_000


def _schools(size: int, rng: random.Random) -> list[dict[str, Any]]:
    address = {"street": "Laan", "house_number": "1", "postcode": "1181AB", "city": "A",
               "country": "NL"}  # fmt: skip
    rows = []
    for n in range(PO_SCHOOLS + VO_SCHOOLS):
        vo = n >= PO_SCHOOLS
        places = {lv: max(1, int(size * 1.05 / VO_SCHOOLS / 2 * rng.uniform(0.5, 1.5)))
                  for lv in ("havo", "vwo")}  # fmt: skip
        rows.append({
            "id": n + 1, "board_id": 1, "kind": "vo" if vo else "po", "official_name": f"S{n}",
            "name": f"School {n}", "school_type": "x", "brin": f"{n:04d}", "vestiging": "00",
            **address,
            "levels": sorted(places) if vo else [], "capacity": places if vo else {},
        })  # fmt: skip
    return rows


def _region(url: str, size: int) -> None:
    """The schools, pupils, Oki-docs (advice only) and definitive registrations."""
    rng = random.Random(size)
    engine = make_engine(url)
    schools = _schools(size, rng)
    columns = {c.name for c in t.schools.c}
    vo_ids = [s["id"] for s in schools if s["kind"] == "vo"]
    weights = [1 / (1 + i % 100) for i in range(len(vo_ids))]
    with engine.begin() as connection:
        connection.execute(sa.insert(t.boards), [{"id": 1, "name": "Bestuur"}])
        connection.execute(
            sa.insert(t.schools), [{k: v for k, v in s.items() if k in columns} for s in schools]
        )
        for start in range(0, size, CHUNK):
            _pupils(connection, range(start, min(size, start + CHUNK)), rng, vo_ids, weights)
    engine.dispose()


def _pupils(
    connection: sa.Connection, numbers: range, rng: random.Random, vo_ids: list[int],
    weights: list[float],
) -> None:  # fmt: skip
    pupils, okidocs, registrations = [], [], []
    for n in numbers:
        pupil_id = n + 1
        twin = n % 150 in (0, 1)
        pupils.append({
            "id": pupil_id, "elk_number": 200_000 + n, "school_id": 1 + n % PO_SCHOOLS,
            "first_name": f"K{n}", "last_name": f"L{n // 2 if twin else n}",
            "birth_date": dt.date(2014, 1, 1), "parent_login": "niet_verstuurd",
            "parent_login_amsterdam": "niet_verstuurd",
        })  # fmt: skip
        okidocs.append({
            "pupil_id": pupil_id, "status": "definitief", "fields": {}, "test_results": [],
            "career": [], "attachments": [], "definitive_advice": rng.choice(ADVICES),
        })  # fmt: skip
        chosen = list(dict.fromkeys(rng.choices(vo_ids, weights, k=rng.randint(1, 6))))
        listed = {"school_ids": chosen, "priority_claim": None,
                  "equivalent_level": rng.random() < 0.3, "multiple_birth": twin}  # fmt: skip
        registrations.append({
            "pupil_id": pupil_id, "procedure": "amstelland", "status": "AV",
            "preferences": listed, "definitive": listed, "first_choice_school_id": chosen[0],
            "updated_at": NOW, "definitive_at": NOW,
            "priority_granted": True if rng.random() < 0.04 and not twin else None,
        })  # fmt: skip
    connection.execute(sa.insert(t.pupils), pupils)
    connection.execute(sa.insert(t.okidocs), okidocs)
    connection.execute(sa.insert(t.registrations), registrations)


def _full_run(url: str, size: int) -> tuple[float, Any, dict[str, float]]:
    """Seed, commit, then time the run as ``elk placement run`` does it."""
    migrate(url)
    _region(url, size)
    engine = make_engine(url)
    clock, actor = FixedClock(NOW), Actor.system("bench")

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(engine)

    command = CommitSeed(procedure="amstelland")
    committed = commit_seed(uow(), clock, SeededRandom(size), actor, command)
    run = RunPlacement(procedure="amstelland", seed=committed.seed)
    gc.collect()
    marks: dict[str, float] = {}
    started = time.perf_counter()
    report = run_placement(
        uow(), clock, actor, run, lambda step: marks.setdefault(step, time.perf_counter())
    )
    ended = time.perf_counter()
    elapsed = (ended - started) * 1000
    phases = {
        "read_ms": marks["plaatsen"] - started,  # the registrations and schools, the instance
        "solve_ms": marks["opslaan"] - marks["plaatsen"],  # mechanism, result and audit
        "store_ms": ended - marks["opslaan"],  # JSON documents, bulk rows, audit entry, commit
    }
    with engine.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(t.placement_outcomes))
        assert stored.scalar_one() == report.pupils
    engine.dispose()
    return elapsed, report, {k: v * 1000 for k, v in phases.items()}


def _line(database: str, size: int, elapsed: float, report: Any, phases: dict[str, float]) -> None:
    audit = report.result.audit
    assert audit.blocking_pairs == 0
    assert report.pupils > size * 0.9  # nearly everyone fits: a school without the level drops
    print(  # noqa: T201  (the one line per size and database `make bench` reports)
        f"BENCH placement_run db={database} n={size} full_run_ms={elapsed:.0f} "
        + "".join(f"{k}={v:.0f} " for k, v in phases.items())
        + f"pupils={report.pupils} unplaced={audit.unplaced} "
        f"reserve={sum(c.reserve for c in audit.oversubscribed)}"
    )


SIZES = [10_000, 175_000]


@pytest.mark.parametrize("size", SIZES)
def test_placement_run_sqlite(size: int, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elk.sqlite3'}"
    _line("sqlite", size, *_full_run(url, size))


@pytest.mark.parametrize("size", SIZES)
def test_placement_run_postgres(size: int, postgres_url: str) -> None:
    _line("postgresql", size, *_full_run(postgres_url, size))
