"""Benchmark: ``elk audit verify``'s walk over 100,000 audit entries, SQLite and PostgreSQL.

The entries are written through ``SqlAlchemyAuditLog.record`` (lock, head, id, hash, insert),
1,000 per unit of work, so the write figure is the chain's cost per audited change too. The walk
is the use case ``elk audit verify`` runs, through a reading unit of work; its Python memory
peak (tracemalloc, a second walk) shows that the rows are streamed, not held. Prints one
``BENCH audit_verify`` line.
"""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from typing import Any

import pytest
import sqlalchemy as sa

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, migrate
from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.logbooks.chain import verify_audit_chain

ENTRIES, PER_UOW = 100_000, 1_000
NOON = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)


def _entry(n: int) -> AuditEntry:
    return AuditEntry(
        at=NOON + dt.timedelta(seconds=n), actor_id=n % 500, actor_name=f"Gebruiker {n % 500}",
        action="okidoc_bewerkt", subject_type="okidoc", subject_id=n, school_id=n % 40,
        changes=(FieldChange("advies", "havo", "havo/vwo"), FieldChange("toelichting", None, "…")),
    )  # fmt: skip


def _measure(engine: sa.Engine) -> dict[str, float]:
    started = time.perf_counter()
    for first in range(0, ENTRIES, PER_UOW):
        with SqlAlchemyUnitOfWork(engine) as uow:
            for n in range(first, first + PER_UOW):
                uow.audit.record(_entry(n))
            uow.commit()
    written = time.perf_counter() - started
    started = time.perf_counter()
    report = verify_audit_chain(SqlAlchemyUnitOfWork(engine, read_only=True))
    walked = time.perf_counter() - started
    assert (report.intact, report.checked) == (True, ENTRIES)
    tracemalloc.start()
    verify_audit_chain(SqlAlchemyUnitOfWork(engine, read_only=True))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"write_per_s": ENTRIES / written, "verify_s": walked, "peak_mb": peak / 2**20}


def test_audit_verify_benchmark(tmp_path: Any, request: pytest.FixtureRequest) -> None:
    results: dict[str, dict[str, float]] = {}
    engine = make_engine(f"sqlite:///{tmp_path}/elk.sqlite3")
    migrate(engine)
    results["sqlite"] = _measure(engine)
    engine.dispose()
    server = request.getfixturevalue("postgres_server")
    url = server.url(server.create_database(prefix="elk_bench"))
    migrate(url)
    engine = make_engine(url)
    results["postgres"] = _measure(engine)
    engine.dispose()
    figures = " ".join(
        f"{db}_{key}={value:.0f}" if key == "write_per_s" else f"{db}_{key}={value:.2f}"
        for db, found in results.items()
        for key, value in found.items()
    )
    print(f"BENCH audit_verify entries={ENTRIES} {figures}")  # noqa: T201  (the one line)
