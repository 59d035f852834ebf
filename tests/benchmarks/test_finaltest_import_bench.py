"""Benchmark: import a doorstroomtoets result ZIP of 10,000 pupils into SQLite (issue 17).

A fresh, migrated SQLite database holds one school with N pupils (no BSN in ELK, so every line
is matched on birth date + name, the harder path) and an empty Oki-doc each. The file is a ZIP
with one CSV of N rows, names written with the variations providers use (upper case, the
prefix glued to the surname, no accents).

- ms: ``import_results`` end to end: read and check the ZIP, parse, match against the school's
  pupils, parse each line's values, save every Oki-doc through the edit path with its audit row,
  one commit.
- bare_ms: ``ZipResultFileReader.read`` of the same bytes only (the bare parse).

Prints exactly one ``BENCH finaltest_import`` line; target ms <= 3000.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

from elk_adapters.imports.result_files import ZipResultFileReader
from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, migrate
from elk_domain.finaltest.result_import import ImportResults, import_results
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock

N = 10_000
FIRSTS = [
    base + end
    for base in ("Zoë", "Jan", "Daan", "Noor", "Sem", "Lotte", "Ömer", "Anne-Fleur", "Mila", "Finn")
    for end in ("", "a", "o", "tje", "ke")
]
SURNAMES = [("van der", f"Berg{i}") for i in range(100)] + [("", f"Jansen{i}") for i in range(100)]
OUTCOMES = ["vmbo-b", "vmbo-k", "vmbo-gl/tl", "havo", "havo/vwo", "vwo"]


def person(n: int) -> tuple[str, str, str, dt.date]:
    first = FIRSTS[n % len(FIRSTS)]
    tv, last = SURNAMES[(n // len(FIRSTS)) % len(SURNAMES)]
    return first, tv, last, dt.date(2013, 1, 1) + dt.timedelta(days=n // 2000)


def seed(url: str) -> None:
    migrate(url)
    engine = make_engine(url)
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
        for n in range(N):
            first, tv, last, born = person(n)
            pupil = uow.pupils.add(
                Pupil(
                    id=0, elk_number=ElkNumber(100000 + n), school_id=school.id,
                    name=PersonName(first, last, tv), birth_date=born,
                )
            )  # fmt: skip
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    engine.dispose()


def result_zip() -> bytes:
    rows = ["BRIN;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Toets;Afnamedatum;Uitslag"]
    for n in range(N):
        first, tv, last, born = person(n)
        if n % 3 == 1:
            first, tv, last = first.upper(), "", f"{tv} {last}".strip().upper()
        rows.append(
            f"12AB00;{first};{tv};{last};{born:%d-%m-%Y};Route 8;11-02-2026;{OUTCOMES[n % 6]}"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("uitslagen.csv", "\n".join(rows).encode())
    return buffer.getvalue()


def test_finaltest_import_benchmark(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elk.sqlite3'}"
    seed(url)
    data = result_zip()
    reader = ZipResultFileReader()
    started = time.perf_counter()
    assert len(reader.read(data).lines) == N
    bare_ms = (time.perf_counter() - started) * 1000
    engine = make_engine(url)
    clock = FixedClock(dt.datetime(2026, 3, 14, 9, tzinfo=dt.UTC))
    actor = Actor.system("bench")
    started = time.perf_counter()
    report = import_results(
        SqlAlchemyUnitOfWork(engine), clock, reader, actor, ImportResults(brin="12AB00", data=data)
    )
    ms = (time.perf_counter() - started) * 1000
    engine.dispose()
    assert (report.changed, report.unchanged) == (N, 0)
    line = (
        f"BENCH finaltest_import n={N} ms={ms:.0f} bare_ms={bare_ms:.0f} ratio={ms / bare_ms:.1f}"
    )
    print(line)  # noqa: T201  (the one line `make bench` reports)
