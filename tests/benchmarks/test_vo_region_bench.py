"""Benchmark: the region's VO registrations (``/vo/regio``, issue 15 item 7) on a full region.

A fresh SQLite database gets 40 VO schools with 200 definitive first-choice registrations each
(8,000 pupils of 20 primary schools, each with an Oki-doc holding a definitive advice) and 500
pupils without a definitive registration. Then ``region_registrations`` runs as ELK beheer,
through the same reader unit of work the page uses; the median of a few rounds is reported with
the number of statements one call sends (BEGIN included). Prints exactly one
``BENCH vo_region`` line.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.organisation.model import Board, School
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.pupils.model import Pupil
from elk_domain.testing import InMemoryFileStore, InMemoryMailer, InsecurePlainHasher
from elk_domain.vo.region import region_registrations

VO_SCHOOLS, PER_SCHOOL, PO_SCHOOLS, UNREGISTERED = 40, 200, 20, 500
ROUNDS = 5
NOW = dt.datetime(2025, 3, 25, 9, tzinfo=dt.UTC)
ADVICES = ("havo", "havo/vwo", "vwo", "vmbo-gl/tl", "vmbo-k")


def _school(board_id: int, kind: OrgKind, n: int, **extra: Any) -> School:
    return School(
        id=0, board_id=board_id, kind=kind, official_name=f"{kind.value} {n}",
        name=f"{kind.value} {n}", school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(f"{n:02d}{'VO' if kind is OrgKind.VO else 'PO'}"), **extra,
    )  # fmt: skip


def _seed(services: Services) -> None:
    at = Provenance(Source.HAND, NOW, "bench")
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Regio"))
        levels = frozenset(Level)
        vo = [uow.schools.add(_school(board.id, OrgKind.VO, n, levels=levels,
                                      capacity={Level.HAVO: 60, Level.VWO: 60})).id
              for n in range(VO_SCHOOLS)]  # fmt: skip
        po = [uow.schools.add(_school(board.id, OrgKind.PO, n)).id for n in range(PO_SCHOOLS)]
        for n in range(VO_SCHOOLS * PER_SCHOOL + UNREGISTERED):
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(100000 + n), school_id=po[n % PO_SCHOOLS],
                      name=PersonName(f"Kind{n}", "Bench"))
            )  # fmt: skip
            advice = FieldValue(ADVICES[n % len(ADVICES)], at)
            uow.okidocs.add(
                OkiDoc(id=0, pupil_id=pupil.id, fields={fields.ADVICE_DEFINITIVE: advice})
            )
            if n >= VO_SCHOOLS * PER_SCHOOL:
                continue
            chosen = PreferenceList(school_ids=(vo[n % VO_SCHOOLS],))
            uow.registrations.add(
                Registration(id=0, pupil_id=pupil.id, procedure="amstelland",
                             preferences=chosen, definitive=chosen, updated_at=NOW,
                             definitive_at=NOW)
            )  # fmt: skip
        uow.commit()


def test_vo_region_benchmark(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    settings = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="bench-secret-key-0123456789",
        log_format="json",
    )
    upgrade_database(settings)
    services = bootstrap(
        settings, mailer=InMemoryMailer(), files=InMemoryFileStore(), hasher=InsecurePlainHasher()
    )
    _seed(services)
    admin = Actor(user_id=1, name="Beheer", role=Role.FUNCTIONAL_ADMIN)
    statements: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_a: object) -> None:
        statements.append(statement)

    def count_begin(_connection: object) -> None:
        statements.append("BEGIN")

    region_registrations(services.reader(), admin)  # warm-up
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    sa.event.listen(sa.engine.Engine, "begin", count_begin)
    found = region_registrations(services.reader(), admin)
    sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    sa.event.remove(sa.engine.Engine, "begin", count_begin)
    assert len(found) == VO_SCHOOLS
    assert sum(s.total for s in found) == VO_SCHOOLS * PER_SCHOOL
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        region_registrations(services.reader(), admin)
        times.append(time.perf_counter() - started)
    print(  # noqa: T201  (the one line `make bench` reports)
        f"BENCH vo_region schools={VO_SCHOOLS} registrations={VO_SCHOOLS * PER_SCHOOL} "
        f"median_ms={statistics.median(times) * 1000:.0f} queries={len(statements)}"
    )
