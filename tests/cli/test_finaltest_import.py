"""``elk finaltest import FILE --school BRIN [--dry-run]`` on a SQLite instance (R-DT-2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, migrate
from elk_cli.main import cli
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, Bsn, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil

SAMPLE = Path(__file__).parents[1] / "fixtures" / "finaltest" / "results_sample.zip"
PUPILS = [  # first, tussenvoegsel, last, born, BSN
    ("Sam", "", "Jansen", dt.date(2013, 5, 4), "111222333"),
    ("Zoë", "van der", "Berg", dt.date(2013, 9, 17), None),
    ("Mila", "", "Visser", dt.date(2013, 3, 3), None),
    ("Lieke", "de", "Boer", dt.date(2013, 6, 30), None),
    ("Lars", "de", "Boer", dt.date(2013, 6, 30), None),
]


def url(instance: Path) -> str:
    return f"sqlite:///{instance / 'elk.sqlite3'}"


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """School 12AB00 with five pupils (twins among them) and empty Oki-docs."""
    path = tmp_path / "instance"
    path.mkdir()
    migrate(url(path))
    engine = make_engine(url(path))
    with SqlAlchemyUnitOfWork(engine) as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        school = uow.schools.add(
            School(
                id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                name="De Regenboog", school_type="bo", location=SchoolLocation.parse("12AB00"),
                address=Address.create(street="Laan", house_number="1", postcode="1181AB",
                                       city="Amstelveen"),
            )
        )  # fmt: skip
        for n, (first, tv, last, born, bsn) in enumerate(PUPILS, start=1):
            pupil = uow.pupils.add(
                Pupil(
                    id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()), school_id=school.id,
                    name=PersonName(first, last, tv), birth_date=born,
                    bsn=Bsn.parse(bsn) if bsn else None,
                )
            )  # fmt: skip
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
            assert pupil.id == n
        uow.commit()
    engine.dispose()
    return path


def elk(instance: Path, *args: str) -> Result:
    env = {"ELK_ENV": "test", "ELK_SECRET_KEY": "test", "ELK_INSTANCE_PATH": str(instance)}
    return CliRunner(env=env).invoke(cli, ["finaltest", "import", *args], catch_exceptions=False)


def outcomes(instance: Path) -> dict[int, str | None]:
    engine = make_engine(url(instance))
    with SqlAlchemyUnitOfWork(engine) as uow:
        found = {
            n: f.text_of(uow.okidocs.for_pupil(n).value(f.FINAL_TEST_OUTCOME))
            for n in range(1, len(PUPILS) + 1)
        }
    engine.dispose()
    return found


class TestImportCommand:
    def test_dry_run_shows_the_preview_and_stores_nothing(self, instance: Path) -> None:
        result = elk(instance, str(SAMPLE), "--school", "12AB00", "--dry-run")
        assert result.exit_code == 1, result.output  # lines are left for the school
        assert "Proefdraai: er is niets opgeslagen." in result.output
        assert "gekoppeld" in result.output
        assert "onzeker" in result.output
        assert "Lars de Boer (100005), Lieke de Boer (100004)" in result.output  # the twins
        assert "niet gevonden" in result.output
        assert set(outcomes(instance).values()) == {None}

    def test_imports_the_certain_lines_and_a_second_run_changes_nothing(
        self, instance: Path
    ) -> None:
        first = elk(instance, str(SAMPLE), "--school", "12AB00")
        assert first.exit_code == 1, first.output
        assert "3 resultaten ingelezen, 0 waren al bijgewerkt." in first.output
        after = outcomes(instance)
        assert after == {1: "havo/vwo", 2: after[2], 3: after[3], 4: None, 5: None}
        assert after[2]
        assert after[3]
        again = elk(instance, str(SAMPLE), "--school", "12AB00")
        assert "Er is niets gewijzigd: deze resultaten stonden al in ELK." in again.output
        assert outcomes(instance) == after

    def test_resolve_attaches_an_uncertain_line_to_the_chosen_candidate(
        self, instance: Path
    ) -> None:
        result = elk(instance, str(SAMPLE), "--school", "12AB00", "--resolve", "4=100005")
        assert "4 resultaten ingelezen" in result.output, result.output
        assert outcomes(instance)[5] == "havo"  # Lars de Boer; his twin Lieke stays empty
        assert outcomes(instance)[4] is None

    @pytest.mark.parametrize("choice", ["4=100001", "1=100002", "9=100005"])
    def test_resolve_to_no_candidate_is_refused_and_nothing_saved(
        self, instance: Path, choice: str
    ) -> None:
        result = elk(instance, str(SAMPLE), "--school", "12AB00", "--resolve", choice)
        assert result.exit_code == 3, result.output
        assert "Regel" in result.output
        assert set(outcomes(instance).values()) == {None}

    def test_resolve_must_be_line_is_number(self, instance: Path) -> None:
        result = elk(instance, str(SAMPLE), "--school", "12AB00", "--resolve", "Lars")
        assert result.exit_code == 2
        assert "REGEL=ELKNUMMER" in result.output

    def test_a_hostile_file_is_refused_with_exit_code_3(
        self, instance: Path, tmp_path: Path
    ) -> None:
        hostile = tmp_path / "uitslagen.zip"
        hostile.write_bytes(b"PK\x03\x04 not really a zip")
        result = elk(instance, str(hostile), "--school", "12AB00")
        assert result.exit_code == 3
        assert "geen (leesbaar) ZIP-bestand" in result.output
        assert set(outcomes(instance).values()) == {None}

    def test_a_huge_file_is_refused_without_reading_it_whole(
        self, instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("elk_cli.finaltest.READ_LIMIT", 1024)
        monkeypatch.setattr("elk_adapters.imports.result_files.MAX_FILE_BYTES", 1024)
        huge = tmp_path / "groot.zip"
        huge.write_bytes(b"\0" * 10_000)
        result = elk(instance, str(huge), "--school", "12AB00")
        assert result.exit_code == 3
        assert "Het bestand is groter dan" in result.output

    def test_an_unknown_school_exits_4(self, instance: Path) -> None:
        result = elk(instance, str(SAMPLE), "--school", "99ZZ00")
        assert result.exit_code == 4
        assert "Er is geen school met BRIN 99ZZ00 in ELK." in result.output

    def test_the_school_is_required(self, instance: Path) -> None:
        assert elk(instance, str(SAMPLE)).exit_code == 2
