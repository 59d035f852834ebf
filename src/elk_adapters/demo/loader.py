"""Writes the demo region through the UnitOfWork port: ``load_demo(services, pupils, seed)``."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import attrs

from elk_adapters.demo.accounts import DEMO_ACCOUNTS, DemoAccount, demo_news, demo_timeline
from elk_adapters.demo.finaltests import plan_final_test
from elk_adapters.demo.okidocs import okidoc_for
from elk_adapters.demo.pupils import PupilPlan, plan_pupil
from elk_adapters.demo.ready import make_ready_for_parent_login
from elk_adapters.demo.region import SchoolPlan, plan_boards, plan_schools
from elk_domain.accounts.signin import user_subject
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor, OrgKind, User
from elk_domain.kernel.support import audit
from elk_domain.kernel.values import ElkNumber, SchoolYear
from elk_domain.organisation.model import Board, Group, School
from elk_domain.pupils.model import Pupil
from elk_domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from elk_adapters.bootstrap import Services

DEFAULT_SEED = 2026
DEMO_BOARD = "Stichting Amstelwijs"  # the board whose first school the school accounts work at
#: Who made the demo accounts in the audit log (decision 0057): the command, not a person.
DEMO_LOADER = Actor.system("elk demo load")
CHUNK = 250  # pupils per transaction: short write transactions keep SQLite responsive


@attrs.frozen(kw_only=True)
class DemoSummary:
    """What ``load_demo`` did; ``loaded`` is False when the database already held data."""

    loaded: bool
    message: str
    boards: int = 0
    po_schools: int = 0
    vo_schools: int = 0
    groups: int = 0
    pupils: int = 0
    test_results: int = 0
    users: int = 0
    news: int = 0
    seconds: float = 0.0
    accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS


@attrs.frozen
class _Ids:
    """Ids handed out while writing the organisation, needed for the pupils."""

    schools: list[School]
    groups: dict[tuple[int, str], int]  # (school id, group name) -> group id


def load_demo(services: Services, pupils: int = 1500, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Fill an empty database with the fictional demo region; a no-op when data exists."""
    started = time.perf_counter()
    with services.uow() as uow:
        if uow.boards.list() or uow.users.list():
            return DemoSummary(
                loaded=False,
                message="De database bevat al gegevens; de demoregio is niet (opnieuw) geladen.",
            )
    now = services.clock.now()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    school_plans = plan_schools(rng)
    with services.uow() as uow:
        ids = _write_organisation(uow, services, school_plans, now)
        uow.commit()
    results = _write_pupils(services, rng, ids, pupils, now)
    with services.uow() as uow:
        po = demo_schools(ids.schools, _demo_board(uow))[0]
        make_ready_for_parent_login(uow, po.id, ids.groups[(po.id, "8a")], now)
        uow.commit()
    return DemoSummary(
        loaded=True,
        message=f"Demoregio geladen: {pupils} leerlingen (seed {seed}).",
        boards=len(plan_boards()),
        po_schools=sum(1 for s in school_plans if s.kind is OrgKind.PO),
        vo_schools=sum(1 for s in school_plans if s.kind is OrgKind.VO),
        groups=len(ids.groups),
        pupils=pupils,
        test_results=results,
        users=len(DEMO_ACCOUNTS),
        news=len(demo_news(now)),
        seconds=time.perf_counter() - started,
    )


def _write_organisation(
    uow: UnitOfWork, services: Services, plans: Sequence[SchoolPlan], now: dt.datetime
) -> _Ids:
    boards = [
        uow.boards.add(Board(0, b.name, b.contact_name, b.contact_email)) for b in plan_boards()
    ]
    schools = [uow.schools.add(_school(plan, boards[plan.board_index].id)) for plan in plans]
    demo_board = next(b.id for b in boards if b.name == DEMO_BOARD)
    users = _write_accounts(uow, services, demo_schools(schools, demo_board))
    groups: dict[tuple[int, str], int] = {}
    for school in (s for s in schools if s.kind is OrgKind.PO):
        for name in ("8a", "8b"):
            contacts = frozenset(
                u.id for a, u in users if a.group == name and u.school_id == school.id
            )
            group = uow.groups.add(Group(0, school.id, name, contacts))
            groups[(school.id, name)] = group.id
    for item in demo_news(now):
        uow.news.add(item)
    uow.settings.save_timeline(demo_timeline(now.date()))
    return _Ids(schools, groups)


def _demo_board(uow: UnitOfWork) -> int:
    return next(b.id for b in uow.boards.list() if b.name == DEMO_BOARD)


def _school(plan: SchoolPlan, board_id: int) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=plan.kind,
        official_name=plan.official_name,
        name=plan.name,
        school_type=plan.school_type,
        address=plan.address,
        location=plan.location,
        director=plan.director,
        levels=plan.levels,
        capacity=dict(plan.capacity),
        offers_priority=plan.offers_priority,
    )


def demo_schools(schools: Sequence[School], demo_board_id: int) -> tuple[School, School]:
    """The PO school the school accounts work at and the VO school of the VO account."""
    po = next(s for s in schools if s.kind is OrgKind.PO and s.board_id == demo_board_id)
    vo = next(s for s in schools if s.kind is OrgKind.VO and len(s.levels) > 1)
    return po, vo


def _write_accounts(
    uow: UnitOfWork, services: Services, demo: tuple[School, School]
) -> list[tuple[DemoAccount, User]]:
    po, vo = demo
    written = []
    for account in DEMO_ACCOUNTS:
        school = {"school": po, "vo": vo}.get(account.scope)
        board_id = po.board_id if account.scope in {"board", "school"} else None
        user = User(
            id=0,
            email=account.email,
            display_name=account.name,
            role=account.role,
            org_kind=account.org_kind,
            board_id=vo.board_id if account.scope == "vo" else board_id,
            school_id=None if school is None else school.id,
            password_hash=services.hasher.hash(account.password),
            totp_secret=account.totp_secret or None,
        )
        stored = uow.users.add(user)
        role = FieldChange("rol", None, account.role.label)
        audit(uow, services.clock, DEMO_LOADER, "gebruiker_aangemaakt", user_subject(stored), role)
        written.append((account, stored))
    return written


def _plans(rng: random.Random, ids: _Ids, count: int, now: dt.datetime) -> Iterator[PupilPlan]:
    po = [i for i, s in enumerate(ids.schools) if s.kind is OrgKind.PO]
    weights = [rng.uniform(0.6, 1.4) for _ in po]
    year, today, taken = SchoolYear.of(now.date()), now.date(), set[str]()
    for serial in range(1, count + 1):
        school_index = rng.choices(po, weights=weights)[0]
        yield plan_pupil(rng, serial, school_index, year, today, taken)


def _write_pupils(
    services: Services, rng: random.Random, ids: _Ids, count: int, now: dt.datetime
) -> int:
    results = 0
    plans = _plans(rng, ids, count, now)
    for start in range(0, count, CHUNK):
        with services.uow() as uow:
            for plan in (next(plans) for _ in range(min(CHUNK, count - start))):
                _write_pupil(uow, ids, plan, now)
                results += len(plan.tests)
            uow.commit()
    return results


def _write_pupil(uow: UnitOfWork, ids: _Ids, plan: PupilPlan, now: dt.datetime) -> None:
    school = ids.schools[plan.school_index]
    pupil = uow.pupils.add(
        Pupil(
            id=0,
            elk_number=ElkNumber(uow.pupils.next_elk_number()),
            school_id=school.id,
            name=plan.name,
            bsn=plan.bsn,
            birth_date=plan.birth_date,
            group_id=ids.groups[(school.id, plan.group_name)],
        )
    )
    final_test = plan_final_test(
        pupil.elk_number.value, plan.ability, plan.advice, SchoolYear.of(now.date()), now.date()
    )
    uow.okidocs.add(
        okidoc_for(plan, pupil.id, at=now, las=f"ParnasSys ({school.name})", final_test=final_test)
    )
