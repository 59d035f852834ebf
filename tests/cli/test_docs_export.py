"""``elk docs export``: real worker processes rendering PDFs from a temporary SQLite database."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from elk_adapters.bootstrap import bootstrap
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_cli.errors import EXIT_CODES
from elk_cli.main import cli
from elk_domain.errors import ErrorKind
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil

NOW = dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC)


def _school(board_id: int, brin: str) -> School:
    address = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")
    return School(
        id=0,
        board_id=board_id,
        kind=OrgKind.PO,
        official_name=f"School {brin}",
        name=f"School {brin}",
        school_type="Basisschool",
        address=address,
        location=SchoolLocation.parse(brin),
    )


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """A migrated instance: school 12AB with two pupils, school 34CD whose pupil has no Oki-doc."""
    instance = tmp_path / "instance"
    settings = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="test-secret-key-0123456789",
    )
    upgrade_database(settings)
    services = bootstrap(settings)
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting"))
        good = uow.schools.add(_school(board.id, "12AB"))
        broken = uow.schools.add(_school(board.id, "34CD"))
        for number, (first, last) in enumerate((("Łukasz", "Çelik"), ("Anh", "Nguyễn")), 1):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(200000 + number),
                    school_id=good.id,
                    name=PersonName(first, last),
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, fields=complete_fields(NOW)))
        uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(200009),
                school_id=broken.id,
                name=PersonName("Zoë", "Ørsted"),
            )
        )
        uow.commit()
    return instance


@pytest.fixture
def runner(instance: Path) -> CliRunner:
    return CliRunner(
        env={
            "ELK_ENV": "test",
            "ELK_INSTANCE_PATH": str(instance),
            "ELK_SECRET_KEY": "test-secret-key-0123456789",
        }
    )


def _export(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["docs", "export", *args], catch_exceptions=False)


def _text(path: Path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


class TestDocsExport:
    def test_writes_one_pdf_per_pupil_in_parallel_and_is_safe_to_run_again(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        out = tmp_path / "pdf"

        first = _export(runner, "--school", "12AB", "--kind", "okidoc", "--out", str(out),
                        "--workers", "2")  # fmt: skip
        again = _export(runner, "--school", "12ab00", "--kind", "aanmelding", "--out", str(out),
                        "--workers", "1")  # fmt: skip

        assert first.exit_code == 0, first.output
        assert again.exit_code == 0, again.output
        assert sorted(p.name for p in out.iterdir()) == [
            "aanmeldformulier_200001.pdf",
            "aanmeldformulier_200002.pdf",
            "oki-doc_200001.pdf",
            "oki-doc_200002.pdf",
        ]
        assert "Łukasz Çelik" in _text(out / "oki-doc_200001.pdf")
        assert "Er is nog geen aanmelding" in _text(out / "aanmeldformulier_200002.pdf")
        assert "2/2" in first.output  # the progress bar's count
        assert "geschreven │ 2" in first.output
        assert "mislukt    │ 0" in first.output

    def test_a_failed_document_is_listed_and_the_exit_code_says_so(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        result = _export(runner, "--school", "34CD", "--kind", "okidoc", "--out",
                         str(tmp_path / "pdf"))  # fmt: skip

        assert result.exit_code == EXIT_CODES[ErrorKind.NOT_FOUND]
        assert "mislukt    │ 1" in result.output
        assert "oki-doc_200009.pdf" in result.output
        assert not list((tmp_path / "pdf").iterdir())

    def test_unknown_school_is_not_found(self, runner: CliRunner, tmp_path: Path) -> None:
        result = _export(runner, "--school", "99ZZ", "--kind", "okidoc", "--out", str(tmp_path))

        assert result.exit_code == EXIT_CODES[ErrorKind.NOT_FOUND]
        assert "99ZZ00" in result.output

    def test_bad_brin_and_kind_are_usage_errors(self, runner: CliRunner, tmp_path: Path) -> None:
        assert _export(runner, "--school", "x", "--kind", "okidoc", "--out", "o").exit_code == 2
        assert _export(runner, "--school", "12AB", "--kind", "brief", "--out", "o").exit_code == 2
