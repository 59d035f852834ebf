"""Alembic migrations: they run both ways and build exactly the schema that tables.py declares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, downgrade, migrate
from elk_adapters.persistence.tables import metadata
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """An empty database: a new SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{request.getfixturevalue('tmp_path')}/elk.sqlite3"
    url: str = request.getfixturevalue("postgres_url")
    return url


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def _schema_diffs(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


class TestMigrations:
    def test_upgrade_downgrade_upgrade_round_trips(
        self, empty_url: str, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        engine = engine_for(empty_url)
        migrate(engine)
        assert _tables(engine) == set(metadata.tables)
        downgrade(engine, "base")
        assert _tables(engine) == set()
        migrate(empty_url)  # a URL works as well as an engine
        assert _tables(engine) == set(metadata.tables)

    def test_migrated_schema_matches_the_tables_module(
        self, empty_url: str, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        engine = engine_for(empty_url)
        migrate(engine)
        assert _schema_diffs(engine) == []

    def test_migration_seeds_the_elk_number_counter(
        self, empty_url: str, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        engine = engine_for(empty_url)
        migrate(engine)
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT name, value FROM counters")).all()
        assert [tuple(row) for row in rows] == [("elk_number", 100000)]

    def test_sqlite_foreign_keys_are_back_on_after_migrating(
        self, tmp_path: object, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        engine = engine_for(f"sqlite:///{tmp_path}/elk.sqlite3")
        migrate(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1

    def test_the_beheerder_of_a_vo_school_becomes_a_vo_administrator(
        self, tmp_path: object, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        """Decision 0046: before it, a VO school's "Beheerder" was stored as a PO school admin."""
        engine = engine_for(f"sqlite:///{tmp_path}/elk.sqlite3")
        migrate(engine, "0007")
        with engine.begin() as connection:
            for n, (role, kind) in enumerate((("beheerder", "vo"), ("beheerder", "po"))):
                connection.execute(
                    sa.text(
                        "INSERT INTO users (email, email_key, display_name, role, org_kind,"
                        " active, recovery_codes, session_version, version)"
                        " VALUES (:e, :e, 'X', :role, :kind, 1, '[]', 1, 1)"
                    ),
                    {"e": f"u{n}@x.test", "role": role, "kind": kind},
                )
        migrate(engine, "0008")
        with engine.connect() as connection:
            roles = connection.execute(sa.text("SELECT role FROM users ORDER BY id")).scalars()
            assert list(roles) == ["vo_beheerder", "beheerder"]
        downgrade(engine, "0007")
        with engine.connect() as connection:
            roles = connection.execute(sa.text("SELECT role FROM users ORDER BY id")).scalars()
            assert list(roles) == ["beheerder", "beheerder"]

    def test_a_motivation_alone_no_longer_counts_as_motivated(
        self, tmp_path: object, engine_for: Callable[[str], sa.Engine]
    ) -> None:
        """Issue 17 (R-DT-4): the overview's copy now also needs the parents' date."""
        engine = engine_for(f"sqlite:///{tmp_path}/elk.sqlite3")
        migrate(engine, "0011")
        with SqlAlchemyUnitOfWork(engine) as uow:
            board = uow.boards.add(Board(0, "Stichting"))
            school = uow.schools.add(
                School(id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                       name="De Regenboog", school_type="bo",
                       location=SchoolLocation.parse("12AB"),
                       address=Address.create(street="Laan", house_number="1",
                                              postcode="1181AB", city="Amstelveen"))
            )  # fmt: skip
            for n, motivation in enumerate(("Besproken.", None), start=1):
                pupil = uow.pupils.add(
                    Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                          school_id=school.id, name=PersonName(f"Kind{n}", "Jansen"))
                )  # fmt: skip
                fields = {}
                if motivation:
                    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
                    fields[f.ADVICE_DEVIATION_MOTIVATION] = FieldValue(
                        motivation, Provenance(Source.HAND, at, "juf")
                    )
                uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, fields=fields))
            uow.commit()
        with engine.begin() as connection:  # as 0003 and the repository before issue 17 kept it
            connection.execute(
                sa.text("UPDATE okidocs SET deviation_motivated = (pupil_id = :first)"),
                {"first": 1},
            )
        migrate(engine, "0012")
        query = sa.text("SELECT deviation_motivated FROM okidocs ORDER BY id")
        with engine.connect() as connection:
            assert list(connection.execute(query).scalars()) == [False, False]
        downgrade(engine, "0011")
        with engine.connect() as connection:
            assert list(connection.execute(query).scalars()) == [True, False]
