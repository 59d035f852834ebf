"""``elk orientatie import FILE --school BRIN``: a praktijkschool's orientation list on a SQLite
instance (R-AAN-6); each line is reported, a bad file is refused with a Dutch message."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, migrate
from elk_cli.main import cli
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil


def url(instance: Path) -> str:
    return f"sqlite:///{instance / 'elk.sqlite3'}"


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """A praktijkschool (33PR00), a primary school and two pupils, 100001 and 100002."""
    path = tmp_path / "instance"
    path.mkdir()
    migrate(url(path))
    engine = make_engine(url(path))
    address = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amsterdam")
    with SqlAlchemyUnitOfWork(engine) as uow:
        board = uow.boards.add(Board(0, "Stichting"))
        for kind, name, brin, kind_name in ((OrgKind.PO, "De Regenboog", "12AB00", "bo"),
                                            (OrgKind.VO, "De Brug", "33PR00",
                                             "Praktijkonderwijs")):  # fmt: skip
            uow.schools.add(School(id=0, board_id=board.id, kind=kind, official_name=name,
                                   name=name, school_type=kind_name, address=address,
                                   location=SchoolLocation.parse(brin),
                                   levels=frozenset({Level.PRO})))  # fmt: skip
        for first in ("Sam", "Noor"):
            uow.pupils.add(Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                                 school_id=1, name=PersonName(first, "Jansen")))  # fmt: skip
        uow.commit()
    engine.dispose()
    return path


def elk(instance: Path, *args: str) -> Result:
    env = {"ELK_ENV": "test", "ELK_SECRET_KEY": "test", "ELK_INSTANCE_PATH": str(instance)}
    return CliRunner(env=env).invoke(cli, ["orientatie", "import", *args], catch_exceptions=False)


def placeable(instance: Path) -> dict[int, frozenset[int]]:
    engine = make_engine(url(instance))
    with SqlAlchemyUnitOfWork(engine) as uow:
        found = {n: uow.orientation_lists.placeable_schools(n) for n in (1, 2)}
    engine.dispose()
    return found


class TestOrientationImport:
    def test_records_the_list_and_reports_an_unknown_number(
        self, instance: Path, tmp_path: Path
    ) -> None:
        file = tmp_path / "lijst.csv"
        file.write_text("elk_nummer;plaatsbaar\n100001;ja\n100002;nee\n999999;ja\n", "utf-8")
        result = elk(instance, str(file), "--school", "33PR00")
        assert result.exit_code == 0, result.output
        assert "2 leerling(en) op de oriëntatielijst vastgelegd." in result.output
        assert "ELK-nummer '999999' is onbekend." in result.output
        assert placeable(instance) == {1: frozenset({2}), 2: frozenset()}

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"100001;misschien\n", "Regel 1: schrijf 'ja' of 'nee'"),
            (b"\xff\xfe1\x00", "geen UTF-8"),
            (b"1;ja\n" * 500_000, "te groot"),
        ],
    )
    def test_a_bad_file_is_refused_and_nothing_is_stored(
        self, instance: Path, tmp_path: Path, content: bytes, message: str
    ) -> None:
        file = tmp_path / "lijst.csv"
        file.write_bytes(content)
        result = elk(instance, str(file), "--school", "33PR00")
        assert result.exit_code != 0
        assert message in result.output
        assert placeable(instance) == {1: frozenset(), 2: frozenset()}

    def test_a_primary_school_has_no_orientation_list(self, instance: Path, tmp_path: Path) -> None:
        file = tmp_path / "lijst.csv"
        file.write_text("100001;ja\n", "utf-8")
        result = elk(instance, str(file), "--school", "12AB00")
        assert result.exit_code != 0
        assert "12AB00 is geen VO-school in ELK." in result.output
