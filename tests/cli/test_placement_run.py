"""``elk placement commit | run | publish`` on a SQLite instance (issue 16): the operator's
steps end in files anyone can check with ``elk placement verify``."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, migrate
from elk_cli.main import cli
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.organisation.model import Board, School
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.pupils.model import Pupil

NOW = dt.datetime.now(dt.UTC)


def url(instance: Path) -> str:
    return f"sqlite:///{instance / 'elk.sqlite3'}"


def _school(board_id: int, kind: OrgKind, name: str, brin: str, places: int = 0) -> School:
    levels = {Level.HAVO: places} if kind is OrgKind.VO else {}
    return School(
        id=0, board_id=board_id, kind=kind, official_name=name, name=name, school_type="x",
        location=SchoolLocation.parse(brin), levels=frozenset(levels), capacity=levels,
        address=Address.create(street="Laan", house_number="1", postcode="1181AB",
                               city="Amstelveen"),
    )  # fmt: skip


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """Four children with a havo advice who all want Het Lyceum (two places) first."""
    path = tmp_path / "instance"
    path.mkdir()
    migrate(url(path))
    engine = make_engine(url(path))
    hand = Provenance(Source.HAND, NOW, "juf")
    with SqlAlchemyUnitOfWork(engine) as uow:
        board = uow.boards.add(Board(0, "Bestuur"))
        po = uow.schools.add(_school(board.id, OrgKind.PO, "De Regenboog", "12AB"))
        lyceum = uow.schools.add(_school(board.id, OrgKind.VO, "Het Lyceum", "34CD", 2))
        keizer = uow.schools.add(_school(board.id, OrgKind.VO, "Keizer College", "35CD", 9))
        for n in range(4):
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=po.id, name=PersonName(f"Kind{n}", "Geheimnaam"))
            )  # fmt: skip
            advice = {fields.ADVICE_DEFINITIVE: FieldValue("havo", hand)}
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, fields=advice))
            listed = PreferenceList(school_ids=(lyceum.id, keizer.id))
            uow.registrations.add(
                Registration(id=0, pupil_id=pupil.id, procedure="amstelland",
                             preferences=listed, definitive=listed, updated_at=NOW)
            )  # fmt: skip
            uow.parent_accounts.add(
                ParentAccount(id=0, pupil_id=pupil.id, email=f"ouder{n}@example.nl")
            )
        uow.commit()
    engine.dispose()
    return path


def elk(instance: Path, *args: str) -> Result:
    env = {"ELK_ENV": "test", "ELK_SECRET_KEY": "test", "ELK_INSTANCE_PATH": str(instance),
           "ELK_BASE_URL": "https://elk.example.nl"}  # fmt: skip
    return CliRunner(env=env).invoke(cli, ["placement", *args], catch_exceptions=False)


def test_commit_run_publish_and_verify(instance: Path, tmp_path: Path) -> None:
    seed = tmp_path / "zaad.txt"
    committed = elk(instance, "commit", "--seed-file", str(seed))
    assert committed.exit_code == 0, committed.output
    assert stat.S_IMODE(seed.stat().st_mode) == 0o600
    secret = seed.read_text(encoding="utf-8").strip()
    assert len(secret) >= 32
    assert secret not in committed.output  # only the SHA-256 is shown

    ran = elk(instance, "run", "--seed-file", str(seed))
    assert ran.exit_code == 0, ran.output
    assert "keuze 1" in ran.output
    assert "4 leerlingen in de plaatsing" in ran.output

    out = tmp_path / "publiek"
    published = elk(instance, "publish", "--out", str(out))
    assert published.exit_code == 0, published.output
    assert secret in published.output  # revealed now
    assert "4 e-mails" in published.output
    document = (out / "instance.json").read_text(encoding="utf-8")
    assert "Geheimnaam" not in document
    assert "Kind0" not in document
    assert json.loads(document)["seed"] == secret
    assert (
        elk(instance, "verify", str(out / "instance.json"), str(out / "result.json")).exit_code == 0
    )

    engine = make_engine(url(instance))
    with SqlAlchemyUnitOfWork(engine) as uow:
        mails = [q.mail for q in uow.mail_queue.unsent()]
    engine.dispose()
    assert len(mails) == 4
    assert all("https://elk.example.nl/ouders/plaatsing" in m.body for m in mails)

    again = elk(instance, "publish", "--out", str(out))
    assert again.exit_code == 6  # conflict: published already


def test_run_refuses_a_seed_that_was_not_committed(instance: Path, tmp_path: Path) -> None:
    seed = tmp_path / "zaad.txt"
    assert elk(instance, "commit", "--seed-file", str(seed)).exit_code == 0
    other = tmp_path / "ander.txt"
    other.write_text("x" * 40, encoding="utf-8")
    refused = elk(instance, "run", "--seed-file", str(other))
    assert refused.exit_code == 3
    assert "SHA-256" in refused.output


def test_commit_keeps_the_administrators_own_seed(instance: Path, tmp_path: Path) -> None:
    seed = tmp_path / "eigen.txt"
    seed.write_text("dobbelsteen" * 4 + "\n", encoding="utf-8")
    result = elk(instance, "commit", "--seed-file", str(seed))
    assert result.exit_code == 0, result.output
    assert seed.read_text(encoding="utf-8") == "dobbelsteen" * 4 + "\n"
    assert elk(instance, "run", "--seed-file", str(seed)).exit_code == 0
