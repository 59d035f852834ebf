"""Adapter fixtures: migrated databases and a unit-of-work factory per backend.

``postgres_server`` is the session's PostgresServer from tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from elk_adapters.persistence.database import (
    SqlAlchemyUnitOfWork,
    make_engine,
    migrate,
)
from elk_adapters.persistence.tables import FIRST_ELK_NUMBER, counters, metadata
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, Bsn, ElkNumber, PersonName, SchoolLocation
from elk_domain.organisation.model import Board, Group, School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import InMemoryStore, InMemoryUnitOfWork
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session; tests get copies."""
    path = tmp_path_factory.mktemp("sqlite-template") / "elk.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite database file of this test's own."""
    path = tmp_path / "elk.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgres_database(postgres_server: Any) -> str:
    """One PostgreSQL database migrated to head for the session; tests empty it afterwards."""
    name: str = postgres_server.create_database(prefix="elk_contract")
    migrate(postgres_server.url(name))
    return name


@pytest.fixture
def migrated_postgres_url(postgres_server: Any, postgres_database: str) -> Iterator[str]:
    """A migrated PostgreSQL database, emptied again when the test ends.

    Emptying (DELETE; TRUNCATE is slower on tiny tables) takes milliseconds where a fresh
    CREATE DATABASE takes a third of a second; the test's connections are ended first so
    nothing left open can make it wait.
    """
    url = postgres_server.url(postgres_database)
    yield url
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        # The audit log refuses DELETE (decision 0057): a test database is emptied as its
        # owner would, with user triggers off for this transaction only.
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for table in reversed(metadata.sorted_tables):
            connection.execute(sa.delete(table))
        connection.execute(
            sa.insert(counters).values(name="elk_number", value=FIRST_ELK_NUMBER - 1)
        )
    engine.dispose()


@pytest.fixture
def engine_for(request: pytest.FixtureRequest) -> Iterator[Callable[[str], sa.Engine]]:
    """Make engines that are disposed of when the test ends."""
    engines: list[sa.Engine] = []

    def make(url: str) -> sa.Engine:
        engines.append(make_engine(url))
        return engines[-1]

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def uow_factory(
    request: pytest.FixtureRequest, engine_for: Callable[[str], sa.Engine]
) -> UowFactory:
    """New units of work on one shared, migrated store: in memory, SQLite or PostgreSQL."""
    if request.param == "memory":
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store)
    fixture = "sqlite_url" if request.param == "sqlite" else "migrated_postgres_url"
    engine = engine_for(request.getfixturevalue(fixture))
    return lambda: SqlAlchemyUnitOfWork(engine)


def school(board_id: int, brin: str, name: str, kind: OrgKind = OrgKind.PO) -> School:
    """A school with every field set to something recognisable."""
    return School(
        id=0,
        board_id=board_id,
        kind=kind,
        official_name=f"Stichting {name}",
        name=name,
        school_type="bo" if kind is OrgKind.PO else "vo",
        address=Address.create(
            street="Dorpsstraat", house_number="1a", postcode="1181AB", city="Amstelveen"
        ),
        location=SchoolLocation(brin, "00"),
        director="J. Jansen",
        levels=frozenset({Level.HAVO, Level.VWO}) if kind is OrgKind.VO else frozenset(),
        capacity={Level.HAVO: 60, Level.VWO: 90} if kind is OrgKind.VO else {},
        offers_priority=kind is OrgKind.VO,
    )


@attrs.frozen
class World:
    """What most tests start from: a board, a PO and a VO school, a group, a user, a pupil."""

    board: Board
    po: School
    vo: School
    group: Group
    teacher: User
    pupil: Pupil


@pytest.fixture
def world(uow_factory: UowFactory) -> World:
    """Store a small world through ``uow_factory`` and return it with its ids."""
    with uow_factory() as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        po = uow.schools.add(school(board.id, "12AB", "De Regenboog"))
        vo = uow.schools.add(school(board.id, "34CD", "Amstelveen College", OrgKind.VO))
        teacher = uow.users.add(
            User(
                id=0,
                email="Juf@Regenboog.nl",
                display_name="Juf Ans",
                role=Role.END_USER,
                org_kind=OrgKind.PO,
                board_id=board.id,
                school_id=po.id,
            )
        )
        group = uow.groups.add(Group(0, po.id, "8a", frozenset({teacher.id})))
        child = uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(100500),
                school_id=po.id,
                group_id=group.id,
                name=PersonName("Anna", "Berg", "van der"),
                bsn=Bsn("111222333"),
                birth_date=dt.date(2013, 5, 1),
            )
        )
        uow.commit()
    return World(board, po, vo, group, teacher, child)
