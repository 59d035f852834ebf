"""The audit log in the database: triggers refuse UPDATE and DELETE; the hash chain finds tampering.

Tampering is done as an attacker with database access would: drop the trigger, then change or
remove a row with plain SQL (decision 0057).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from elk_adapters.persistence.database import (
    SqlAlchemyUnitOfWork,
    downgrade,
    migrate,
    write_lock_for,
)
from elk_domain.errors import ElkError
from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.kernel.audit_chain import GENESIS, ChainReport, link_hash
from elk_domain.logbooks.chain import verify_audit_chain

#: The migration that makes the log append-only and chains it, and the one before it.
BEFORE, THIS = "0014", "0015"
NOON = dt.datetime(2026, 12, 3, 12, 0, 0, 123456, tzinfo=dt.UTC)

TRIGGERS = {
    "sqlite": "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
    " AND tbl_name = 'audit_log' AND name LIKE 'audit_log_no_%'",
    "postgresql": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
    " WHERE tgrelid = 'audit_log'::regclass AND tgname = 'audit_log_append_only'",
}
DROP = {"sqlite": "DROP TRIGGER {}", "postgresql": "DROP TRIGGER {} ON audit_log"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, engine_for: Callable[[str], sa.Engine]) -> sa.Engine:
    """A migrated database (SQLite file or PostgreSQL)."""
    fixture = "sqlite_url" if request.param == "sqlite" else "migrated_postgres_url"
    return engine_for(request.getfixturevalue(fixture))


def entry(n: int, **fields: object) -> AuditEntry:
    """A recognisable entry; ``n`` goes into the detail and the moment."""
    values: dict[str, object] = {
        "at": NOON + dt.timedelta(seconds=n),
        "actor_id": 7,
        "actor_name": "Juf Ans",
        "action": "okidoc_bewerkt",
        "subject_type": "okidoc",
        "subject_id": n,
        "school_id": 3,
        "changes": (FieldChange("advies", "havo", f"vwo {n}"), FieldChange("ë", None, "é")),
        "detail": f"regel {n}",
    } | fields
    return AuditEntry(**values)  # type: ignore[arg-type]


def record(engine: sa.Engine, *entries: AuditEntry) -> None:
    """Append the entries in one unit of work."""
    with SqlAlchemyUnitOfWork(engine) as uow:
        for one in entries:
            uow.audit.record(one)
        uow.commit()


def verify(engine: sa.Engine) -> ChainReport:
    """``elk audit verify``'s use case on this database."""
    return verify_audit_chain(SqlAlchemyUnitOfWork(engine, read_only=True))


def tamper(engine: sa.Engine, statement: str) -> None:
    """As an attacker with access would: drop the refusing trigger, run ``statement``, and put
    the trigger back (the shared test database keeps it too)."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        triggers = connection.exec_driver_sql(TRIGGERS[dialect]).all()
        assert triggers
        for name, _ in triggers:
            connection.exec_driver_sql(DROP[dialect].format(name))
        connection.exec_driver_sql(statement)
        for _, definition in triggers:
            connection.exec_driver_sql(definition)


def ids(engine: sa.Engine) -> list[int]:
    """The audit row ids in order."""
    with engine.connect() as connection:
        return list(connection.exec_driver_sql("SELECT id FROM audit_log ORDER BY id").scalars())


class TestAppendOnly:
    @pytest.mark.parametrize(
        "statement",
        ["UPDATE audit_log SET actor_name = 'Niemand'", "DELETE FROM audit_log"],
    )
    def test_the_database_refuses_changing_or_removing_an_entry(
        self, engine: sa.Engine, statement: str
    ) -> None:
        record(engine, entry(1))

        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as c:
            c.exec_driver_sql(statement)

        assert len(ids(engine)) == 1
        assert verify(engine).intact

    @pytest.mark.postgres
    def test_postgres_refuses_truncate(self, migrated_postgres_url: str) -> None:
        engine = sa.create_engine(migrated_postgres_url, poolclass=sa.NullPool)
        record(engine, entry(1))

        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as c:
            c.exec_driver_sql("TRUNCATE audit_log")
        assert len(ids(engine)) == 1


class TestChain:
    def test_entries_are_linked_each_to_the_one_before(self, engine: sa.Engine) -> None:
        record(engine, entry(1), entry(2))
        record(engine, entry(3, impersonator_id=9, subject_id=None, school_id=None))

        with SqlAlchemyUnitOfWork(engine, read_only=True) as uow:
            links = list(uow.audit.chain())

        assert [link.entry for link in links] == [
            entry(1),
            entry(2),
            entry(3, impersonator_id=9, subject_id=None, school_id=None),
        ]
        assert links[0].prev_hash == GENESIS
        assert [b.prev_hash for b in links[1:]] == [a.row_hash for a in links[:-1]]
        report = verify(engine)
        assert (report.intact, report.checked, report.last_id) == (True, 3, links[-1].id)
        assert report.head_hash == links[-1].row_hash

    def test_a_rolled_back_entry_leaves_no_gap_in_the_chain(self, engine: sa.Engine) -> None:
        record(engine, entry(1))
        with SqlAlchemyUnitOfWork(engine) as uow:
            uow.audit.record(entry(2))  # not committed
        record(engine, entry(3))

        assert verify(engine).intact
        assert verify(engine).checked == 2

    def test_verify_names_the_changed_entry(self, engine: sa.Engine) -> None:
        record(engine, entry(1), entry(2), entry(3))
        second = ids(engine)[1]

        tamper(engine, f"UPDATE audit_log SET detail = 'niets gebeurd' WHERE id = {second}")

        report = verify(engine)
        assert report.broken is not None
        assert report.broken.id == second
        assert "gewijzigd" in report.broken.reason
        assert report.checked == 1

    def test_verify_finds_the_gap_of_a_removed_entry(self, engine: sa.Engine) -> None:
        record(engine, entry(1), entry(2), entry(3))
        first, second, third = ids(engine)

        tamper(engine, f"DELETE FROM audit_log WHERE id = {second}")

        report = verify(engine)
        assert report.broken is not None
        assert report.broken.id == third
        assert f"auditregel {first}" in report.broken.reason
        assert "verwijderd" in report.broken.reason

    def test_verify_finds_an_entry_rehashed_after_a_change(self, engine: sa.Engine) -> None:
        """An attacker who also re-computes the changed entry's own hash breaks the next link."""
        record(engine, entry(1), entry(2))
        first, second = ids(engine)
        forged = link_hash(first, entry(1, detail="niets gebeurd"), GENESIS)

        tamper(
            engine,
            f"UPDATE audit_log SET detail = 'niets gebeurd', row_hash = '{forged}'"
            f" WHERE id = {first}",
        )

        report = verify(engine)
        assert report.broken is not None
        assert report.broken.id == second
        assert f"auditregel {first}" in report.broken.reason
        assert report.checked == 1


class TestMigration:
    @pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
    def empty(
        self, request: pytest.FixtureRequest, engine_for: Callable[[str], sa.Engine]
    ) -> sa.Engine:
        """An empty database."""
        if request.param == "sqlite":
            tmp = request.getfixturevalue("tmp_path")
            return engine_for(f"sqlite:///{tmp}/elk.sqlite3")
        return engine_for(request.getfixturevalue("postgres_url"))

    def test_existing_entries_are_chained_in_id_order(self, empty: sa.Engine) -> None:
        migrate(empty, BEFORE)
        with empty.begin() as connection:
            for n in (1, 2, 3):
                connection.execute(
                    sa.text(
                        "INSERT INTO audit_log (at, actor_id, actor_name, action, subject_type,"
                        " changes, detail) VALUES (:at, 0, 'systeem', 'x', 'y', :ch, :d)"
                    ),
                    {
                        "at": NOON.replace(tzinfo=None),
                        "ch": '[{"path": "p", "old": null, "new": "n"}]',
                        "d": f"oud {n}",
                    },
                )

        migrate(empty, THIS)
        record(empty, entry(4))

        report = verify(empty)
        assert (report.intact, report.checked) == (True, 4)

    def test_downgrade_removes_the_triggers(self, empty: sa.Engine) -> None:
        migrate(empty, THIS)
        record(empty, entry(1))

        downgrade(empty, BEFORE)

        with empty.begin() as connection:
            connection.exec_driver_sql("UPDATE audit_log SET actor_name = 'Niemand'")
            connection.exec_driver_sql("DELETE FROM audit_log")
        assert ids(empty) == []
        migrate(empty)  # and up again


@pytest.mark.postgres
def test_concurrent_writers_on_postgres_keep_one_linear_chain(migrated_postgres_url: str) -> None:
    """Eight threads append 25 entries each, in separate transactions, at the same time."""
    engine = sa.create_engine(migrated_postgres_url, pool_size=8, max_overflow=0)
    assert write_lock_for(engine) is None  # nothing in the process orders them
    start, failures = threading.Barrier(8), list[BaseException]()

    def writer(worker: int) -> None:
        try:
            start.wait()
            for n in range(25):
                with SqlAlchemyUnitOfWork(engine) as uow:
                    uow.audit.record(entry(worker * 100 + n))
                    uow.audit.record(
                        entry(worker * 100 + n, detail="tweede in dezelfde transactie")
                    )
                    uow.commit()
        except (ElkError, sa.exc.SQLAlchemyError) as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == []
        report = verify(engine)
        assert (report.intact, report.checked) == (True, 400)
        with engine.connect() as connection:
            prevs = connection.exec_driver_sql("SELECT prev_hash FROM audit_log").scalars().all()
        assert len(set(prevs)) == 400  # no two entries claim the same predecessor: no fork
    finally:
        engine.dispose()
