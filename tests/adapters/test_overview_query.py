"""The overview read model: SQLite and PostgreSQL must answer as the memory reference does.

Runs against every ``uow_factory`` (memory, SQLite, PostgreSQL), so the SQL with bound
parameters and positional rows gives exactly the rows, order and totals of the fake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest

from elk_domain.errors import NotFound
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.organisation.model import Board, Group, School
from elk_domain.overview.model import OverviewQuery, OverviewSort
from elk_domain.parents.claims import PriorityState
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
    RegistrationStatus,
)
from elk_domain.pupils.model import ParentLoginStatus, Pupil, ReasonNotPlaced
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
NOW = dt.datetime(2025, 3, 17, 9, tzinfo=dt.UTC)
SENT = ParentLoginStatus.SENT
LOGINS = (SENT, ParentLoginStatus.NOT_SENT, ParentLoginStatus.ACTIVATED, ParentLoginStatus.NOT_SENT)
NAMES = [("Sam", "Jansen", ""), ("Ali", "Bakker", ""), ("Noor", "Visser", "de"), ("Eva", "Bos", "")]


def _school(board_id: int, kind: OrgKind, name: str, brin: str) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=kind,
        official_name=name,
        name=name,
        school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(brin),
    )


def _seed(uow_factory: UowFactory) -> dict[str, int]:
    with uow_factory() as uow:
        board = uow.boards.add(Board(0, "Amstelwijs"))
        po = uow.schools.add(_school(board.id, OrgKind.PO, "Regenboog", "12AB"))
        vo = uow.schools.add(_school(board.id, OrgKind.VO, "Lyceum", "34CD"))
        b = uow.groups.add(Group(0, po.id, "8b"))
        a = uow.groups.add(Group(0, po.id, "8a", frozenset()))
        for index, (first, last, tussen) in enumerate(NAMES):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(200001 + index),
                    school_id=po.id,
                    name=PersonName(first, last, tussen),
                    group_id=a.id if index % 2 == 0 else b.id,
                    parent_login=LOGINS[index],
                    reason_not_placed=ReasonNotPlaced.VERHUISD if index == 3 else None,
                )
            )
            status = OkiStatus.VOLLEDIG if index == 1 else OkiStatus.ONVOLLEDIG
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, status=status))
            if index in (1, 2):
                uow.registrations.add(
                    Registration(
                        id=0,
                        pupil_id=pupil.id,
                        procedure="amstelland",
                        preferences=PreferenceList(school_ids=(vo.id,)),
                        definitive=PreferenceList(school_ids=(vo.id,)) if index == 1 else None,
                        updated_at=NOW,
                    )
                )
        uow.commit()
    return {"po": po.id, "vo": vo.id, "a": a.id, "b": b.id}


class TestOverviewQuery:
    def test_pages_sort_filter_and_search_like_the_reference(self, uow_factory: UowFactory) -> None:
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            page = uow.overview.page(OverviewQuery(school_id=ids["po"]))
            assert [r.name.last for r in page.rows] == ["Bakker", "Bos", "Jansen", "Visser"]
            assert page.total == 4
            first = page.rows[2]
            assert (first.parent_login, first.group_name) == (ParentLoginStatus.SENT, "8a")
            visser = page.rows[3]
            assert visser.name == PersonName("Noor", "Visser", "de")
            # a list that is not definitive yet links the pupil to no school (R-AAN-4)
            assert (visser.registered_at, visser.registration_status) == (
                None,
                RegistrationStatus.STARTED,
            )
            assert page.rows[0].registered_at == "Lyceum"
            assert page.rows[1].reason_not_placed is ReasonNotPlaced.VERHUISD
            status = uow.overview.page(
                OverviewQuery(school_id=ids["po"], sort=OverviewSort.STATUS, descending=True)
            )
            assert status.rows[0].okidoc_status is OkiStatus.VOLLEDIG
            found = uow.overview.page(OverviewQuery(school_id=ids["po"], search="noor DE"))
            assert [r.name.first for r in found.rows] == ["Noor"]
            only_b = uow.overview.page(
                OverviewQuery(school_id=ids["po"], group_ids=frozenset({ids["b"]}))
            )
            assert [r.name.last for r in only_b.rows] == ["Bakker", "Bos"]
            # One statement per number of groups up to 8, one expanding IN above: same answers.
            both = frozenset({ids["a"], ids["b"]})
            for group_ids in (both, both | set(range(90001, 90008)), frozenset()):
                chosen = uow.overview.page(OverviewQuery(school_id=ids["po"], group_ids=group_ids))
                assert chosen.total == (0 if not group_ids else 4)
                past = OverviewQuery(school_id=ids["po"], group_ids=group_ids, page=9)
                assert uow.overview.page(past).total == chosen.total  # the separate count
            beyond = uow.overview.page(OverviewQuery(school_id=ids["po"], page=3, page_size=2))
            assert (beyond.rows, beyond.total) == ((), 4)
            literal = uow.overview.page(OverviewQuery(school_id=ids["po"], search="%_"))
            assert literal.total == 0  # LIKE wildcards in a search are plain characters

    def test_the_priority_claim_s_state_and_reason_like_the_reference(
        self, uow_factory: UowFactory
    ) -> None:
        """R-AAN-5: the claim on the definitive list, judged or not; a draft's claim is none."""
        ids = _seed(uow_factory)
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Tim", "1b"))
        listed = PreferenceList(school_ids=(ids["vo"],), first_choice=claim)
        with uow_factory() as uow:
            seeded = uow.overview.page(OverviewQuery(school_id=ids["po"])).rows
            pupil_ids = {r.name.last: r.pupil_id for r in seeded}
            bakker = uow.registrations.for_pupil(pupil_ids["Bakker"], "amstelland")
            visser = uow.registrations.for_pupil(pupil_ids["Visser"], "amstelland")
            assert bakker is not None
            assert visser is not None
            uow.registrations.update(
                attrs.evolve(bakker, preferences=listed, definitive=listed,
                             priority_granted=False, priority_reason="Geen broer of zus")
            )  # fmt: skip
            uow.registrations.update(attrs.evolve(visser, preferences=listed))  # a draft's claim
            uow.commit()
        with uow_factory() as uow:
            rows = {r.name.last: r for r in uow.overview.page(OverviewQuery(school_id=ids["po"]))
                    .rows}  # fmt: skip
        assert (rows["Bakker"].priority, rows["Bakker"].priority_reason) == (
            PriorityState.REFUSED,
            "Geen broer of zus",
        )
        assert rows["Visser"].priority is PriorityState.NONE
        assert rows["Jansen"].priority is PriorityState.NONE  # no registration
        for granted, state in ((None, PriorityState.TO_JUDGE), (True, PriorityState.GRANTED)):
            with uow_factory() as uow:
                current = uow.registrations.for_pupil(bakker.pupil_id, "amstelland")
                assert current is not None
                uow.registrations.update(attrs.evolve(current, priority_granted=granted))
                uow.commit()
            with uow_factory() as uow:
                page = uow.overview.page(OverviewQuery(school_id=ids["po"], search="bakker"))
            assert page.rows[0].priority is state

    def test_status_counts_per_school(self, uow_factory: UowFactory) -> None:
        """R-LL-4, with the parent logins: sent (blue) and activated or further (green)."""
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            (counts,) = uow.overview.status_counts([ids["po"], ids["vo"]])
        assert (counts.pupils, counts.onvolledig, counts.volledig, counts.definitief) == (
            4,
            3,
            1,
            0,
        )
        assert (counts.login_sent, counts.login_activated) == (1, 1)
        assert (counts.not_registered, counts.registration_started) == (2, 1)
        assert (counts.registration_definitive, counts.not_placed) == (1, 1)

    def test_school_and_groups_in_one_answer(self, uow_factory: UowFactory) -> None:
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            school, groups = uow.overview.school_groups(ids["po"])
            assert school.name == "Regenboog"
            assert [(g.id, g.name) for g in groups] == [(ids["a"], "8a"), (ids["b"], "8b")]
            vo, none = uow.overview.school_groups(ids["vo"])
            assert (vo.kind, list(none)) == (OrgKind.VO, [])
            with pytest.raises(NotFound):
                uow.overview.school_groups(9999)

    def test_contact_group_ids_of_a_user(self, uow_factory: UowFactory) -> None:
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            group = uow.groups.get(ids["b"])
            user = uow.users.add(
                User(id=0, email="juf@school.test", display_name="Juf", role=Role.END_USER,
                     school_id=ids["po"])
            )  # fmt: skip
            uow.groups.update(Group(group.id, group.school_id, group.name, frozenset({user.id})))
            uow.commit()
        with uow_factory() as uow:
            assert uow.groups.contact_group_ids(ids["po"], user.id) == frozenset({ids["b"]})
            assert uow.groups.contact_group_ids(ids["vo"], user.id) == frozenset()

    def test_a_user_with_their_contact_groups_in_one_read(self, uow_factory: UowFactory) -> None:
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            a, b = uow.groups.get(ids["a"]), uow.groups.get(ids["b"])
            juf = uow.users.add(
                User(id=0, email="juf@school.test", display_name="Juf", role=Role.END_USER,
                     school_id=ids["po"])
            )  # fmt: skip
            plain = uow.users.add(
                User(id=0, email="ib@school.test", display_name="IB", role=Role.END_USER,
                     school_id=ids["po"])
            )  # fmt: skip
            board = uow.users.add(
                User(id=0, email="bestuur@school.test", display_name="Bestuur",
                     role=Role.BOARD_CONTACT, board_id=uow.schools.get(ids["po"]).board_id)
            )  # fmt: skip
            for group in (a, b):
                uow.groups.update(Group(group.id, group.school_id, group.name, frozenset({juf.id})))
            other = uow.groups.add(Group(0, ids["vo"], "1a", frozenset({juf.id})))  # not her school
            uow.commit()
        with uow_factory() as uow:
            assert uow.users.with_contact_groups(juf.id) == (juf, frozenset({ids["a"], ids["b"]}))
            assert other.id not in uow.users.with_contact_groups(juf.id)[1]
            assert uow.users.with_contact_groups(plain.id) == (plain, frozenset())
            assert uow.users.with_contact_groups(board.id) == (board, frozenset())
            with pytest.raises(NotFound):
                uow.users.with_contact_groups(9999)
