"""What only the SQL adapter does: SQLite locking, database constraints and error translation."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine
from elk_adapters.persistence.tables import boards
from elk_domain.errors import Conflict, Rejected, Unavailable
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.organisation.model import Board, Group, NewsItem
from elk_domain.pupils.model import Pupil

World = Any  # tests/adapters/conftest.py World


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def uow_factory(
    request: pytest.FixtureRequest, engine_for: Callable[[str], sa.Engine]
) -> Callable[[], SqlAlchemyUnitOfWork]:
    """Overrides the conftest one (and so feeds ``world``): SQL backends only."""
    fixture = "sqlite_url" if request.param == "sqlite" else "migrated_postgres_url"
    engine = engine_for(request.getfixturevalue(fixture))
    return lambda: SqlAlchemyUnitOfWork(engine)


class TestConstraints:
    def test_duplicate_bsn_at_a_school_is_rejected_and_the_work_goes_on(
        self, uow_factory: Callable[[], SqlAlchemyUnitOfWork], world: World
    ) -> None:
        twin = attrs.evolve(world.pupil, id=0, elk_number=ElkNumber(100999))
        with uow_factory() as uow:
            with pytest.raises(Rejected, match="BSN"):
                uow.pupils.add(twin)
            kept = uow.boards.add(Board(0, "Na de fout"))  # the savepoint kept the rest usable
            uow.commit()
        with uow_factory() as uow:
            assert uow.boards.get(kept.id) == kept

    def test_reference_to_a_missing_school_is_rejected(
        self, uow_factory: Callable[[], SqlAlchemyUnitOfWork]
    ) -> None:
        lost = Pupil(id=0, elk_number=ElkNumber(100001), school_id=999, name=PersonName("A", "B"))
        with uow_factory() as uow, pytest.raises(Rejected, match="bestaat"):
            uow.pupils.add(lost)

    def test_duplicate_email_in_another_case_is_rejected(
        self, uow_factory: Callable[[], SqlAlchemyUnitOfWork], world: World
    ) -> None:
        other = attrs.evolve(world.teacher, id=0, email="JUF@regenboog.nl")
        with uow_factory() as uow, pytest.raises(Rejected, match="e-mailadres"):
            uow.users.add(other)

    def test_duplicate_group_name_is_rejected(
        self, uow_factory: Callable[[], SqlAlchemyUnitOfWork], world: World
    ) -> None:
        with uow_factory() as uow, pytest.raises(Rejected, match="groep"):
            uow.groups.add(Group(0, world.po.id, "8a"))

    def test_naive_datetimes_are_refused(
        self, uow_factory: Callable[[], SqlAlchemyUnitOfWork]
    ) -> None:
        naive = NewsItem(id=0, title="T", body="B", published_at=dt.datetime(2026, 1, 1))
        with uow_factory() as uow, pytest.raises(sa.exc.StatementError, match="naive"):
            uow.news.add(naive)

    def test_unit_of_work_outside_with_is_refused(
        self, uow_factory: Callable[[], SqlAlchemyUnitOfWork]
    ) -> None:
        with pytest.raises(Conflict):
            uow_factory().commit()


def test_unreachable_database_is_unavailable(engine_for: Callable[[str], sa.Engine]) -> None:
    engine = engine_for("postgresql://nobody@127.0.0.1:1/elk?connect_timeout=1")
    with pytest.raises(Unavailable), SqlAlchemyUnitOfWork(engine) as uow:
        uow.boards.list()


def test_plain_postgresql_urls_get_the_psycopg_driver() -> None:
    engine = make_engine("postgres://elk@localhost/elk")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def _slow_write(engine: sa.Engine, name: str, errors: list[BaseException]) -> None:
    """Read, dawdle, then write: the pattern that fails with a deferred BEGIN."""
    try:
        with SqlAlchemyUnitOfWork(engine) as uow:
            count = len(uow.boards.list())
            time.sleep(0.2)
            uow.boards.add(Board(0, f"{name} zag {count}"))
            uow.commit()
    except BaseException as error:  # the test reports it
        errors.append(error)


class TestSqliteConcurrency:
    def test_two_read_then_write_transactions_both_succeed(
        self, sqlite_url: str, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        engine = engine_for(sqlite_url)
        errors: list[BaseException] = []
        threads = [
            threading.Thread(target=_slow_write, args=(engine, name, errors))
            for name in ("een", "twee")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with SqlAlchemyUnitOfWork(engine) as uow:
            names = sorted(board.name for board in uow.boards.list())
        # BEGIN IMMEDIATE serialised them: the second saw the first's board.
        assert [name.split(" zag ")[1] for name in names] in (["0", "1"], ["1", "0"])

    def test_without_begin_immediate_the_same_pattern_fails(self, sqlite_url: str) -> None:
        # Control: a plain engine (deferred BEGIN) shows what the recipe prevents.
        engine = sa.create_engine(sqlite_url, connect_args={"timeout": 5})
        barrier = threading.Barrier(2)
        failures: list[str] = []

        def read_then_write(name: str) -> None:
            with engine.connect() as connection:
                connection.exec_driver_sql("BEGIN")
                connection.execute(sa.select(boards)).all()
                barrier.wait()
                try:
                    connection.execute(sa.insert(boards).values(name=name))
                    connection.exec_driver_sql("COMMIT")
                except sa.exc.OperationalError as error:
                    failures.append(str(error.orig))
                    connection.exec_driver_sql("ROLLBACK")

        threads = [threading.Thread(target=read_then_write, args=(n,)) for n in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        engine.dispose()
        assert failures == ["database is locked"]

    def test_read_only_unit_of_work_does_not_wait_for_a_writer(
        self, sqlite_url: str, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        engine = engine_for(sqlite_url)
        with SqlAlchemyUnitOfWork(engine) as writer:
            writer.boards.add(Board(0, "Nog niet vastgelegd"))
            started = time.perf_counter()
            with SqlAlchemyUnitOfWork(engine, read_only=True) as reader:
                assert reader.boards.list() == []
            assert time.perf_counter() - started < 1


def test_a_write_lock_not_free_in_time_is_unavailable(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # BEGIN IMMEDIATE goes straight to the driver; its "database is locked" must still arrive
    # as the domain's Unavailable (a 503 with a Dutch message), not as a raw sqlite3 error.
    monkeypatch.setattr("elk_adapters.persistence.database.SQLITE_BUSY_TIMEOUT_MS", 50)
    engine = make_engine(sqlite_url)
    holder = sa.create_engine(sqlite_url).raw_connection()
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        with pytest.raises(Unavailable), SqlAlchemyUnitOfWork(engine) as uow:
            uow.boards.list()
        holder.rollback()
        with SqlAlchemyUnitOfWork(engine) as uow:  # the pool's connections are fine afterwards
            uow.boards.add(Board(0, "Na het wachten"))
            uow.commit()
        with SqlAlchemyUnitOfWork(engine, read_only=True) as uow:
            assert [b.name for b in uow.boards.list()] == ["Na het wachten"]
    finally:
        holder.close()
        engine.dispose()
