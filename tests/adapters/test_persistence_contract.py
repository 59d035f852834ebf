"""The repository contract: one suite, run identically on the in-memory fake, SQLite and PostgreSQL.

Every test gets ``uow_factory`` (parametrized over the three backends) and a small ``world``
(both from tests/adapters/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from elk_domain.errors import Conflict, NotFound
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Role, User
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName, SchoolLocation, SchoolYear
from elk_domain.okidoc import model as oki
from elk_domain.okidoc.model import (
    Attachment,
    CareerEntry,
    FieldValue,
    OkiDoc,
    OkiStatus,
    Provenance,
    Source,
)
from elk_domain.organisation.model import Board, Group
from elk_domain.pupils.model import ParentLoginStatus, Pupil, ReasonNotPlaced
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
World = Any  # tests/adapters/conftest.py World
NOW = dt.datetime(2026, 1, 12, 9, 30, tzinfo=dt.UTC)
AMSTERDAM = dt.timezone(dt.timedelta(hours=1))


def pupil(school_id: int, elk: int, last: str, *, bsn: str | None = None, **kw: Any) -> Pupil:
    """A pupil; keyword arguments override fields."""
    base = Pupil(
        id=0,
        elk_number=ElkNumber(elk),
        school_id=school_id,
        name=PersonName("Anna", last, "van der"),
        bsn=None if bsn is None else Bsn.parse(bsn),
        birth_date=dt.date(2013, 5, 1),
    )
    return attrs.evolve(base, **kw)


class TestUnitOfWork:
    def test_leaving_without_commit_rolls_back(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow:
            uow.boards.add(Board(0, "Weg"))
        with uow_factory() as uow:
            assert uow.boards.list() == []

    def test_commit_makes_work_visible_to_the_next_unit_of_work(
        self, uow_factory: UowFactory
    ) -> None:
        with uow_factory() as uow:
            board = uow.boards.add(Board(0, "Blijft", "Piet", "piet@example.nl"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.boards.get(board.id) == board

    def test_rollback_discards_work_since_the_last_commit(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow:
            kept = uow.boards.add(Board(0, "Eerste"))
            uow.commit()
            uow.boards.add(Board(0, "Tweede"))
            uow.rollback()
            assert uow.boards.list() == [kept]

    def test_saving_a_copy_someone_else_changed_meanwhile_conflicts(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:  # request 1: the form is loaded
            mine = uow.pupils.get(world.pupil.id)
        with uow_factory() as uow:  # request 2: a colleague saves first
            theirs = uow.pupils.get(world.pupil.id)
            uow.pupils.update(attrs.evolve(theirs, birth_date=dt.date(2013, 6, 1)))
            uow.commit()
        with uow_factory() as uow, pytest.raises(Conflict):  # request 3: the form is saved
            uow.pupils.update(attrs.evolve(mine, birth_date=dt.date(2013, 7, 1)))


class TestBoardsAndSchools:
    def test_boards_are_listed_by_name(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow:
            zuid, noord = uow.boards.add(Board(0, "Zuid")), uow.boards.add(Board(0, "noord"))
            assert uow.boards.list() == [noord, zuid]

    def test_missing_board_is_not_found(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow, pytest.raises(NotFound):
            uow.boards.get(999)

    def test_school_round_trips_with_levels_and_capacity(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            assert uow.schools.get(world.vo.id) == world.vo
            assert uow.schools.by_location(SchoolLocation("34CD", "00")) == world.vo
            assert uow.schools.by_location(SchoolLocation("99ZZ", "00")) is None
            assert uow.schools.list(board_id=world.board.id) == [world.vo, world.po]
            assert uow.schools.list(board_id=world.board.id + 1) == []

    def test_school_update_bumps_version_and_refuses_a_stale_one(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            changed = uow.schools.update(attrs.evolve(world.vo, capacity={Level.VWO: 10}))
            assert changed.version == world.vo.version + 1
            assert uow.schools.get(world.vo.id) == changed
            with pytest.raises(Conflict):
                uow.schools.update(attrs.evolve(world.vo, name="Oud"))


class TestGroupsAndUsers:
    def test_group_keeps_its_contact_persons(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            assert uow.groups.get(world.group.id) == world.group
            other = uow.groups.add(Group(0, world.po.id, "8B"))
            assert uow.groups.list(world.po.id) == [world.group, other]

    def test_group_update_replaces_name_and_contacts(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            uow.groups.update(attrs.evolve(world.group, name="8c", contact_user_ids=frozenset()))
            uow.commit()
        with uow_factory() as uow:
            assert uow.groups.get(world.group.id) == Group(world.group.id, world.po.id, "8c")
            with pytest.raises(NotFound):
                uow.groups.update(Group(999, world.po.id, "8z"))

    def test_user_is_found_by_email_regardless_of_case(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            assert uow.users.by_email("juf@regenboog.NL") == world.teacher
            assert uow.users.by_email("meester@regenboog.nl") is None
            assert uow.users.get(world.teacher.id) == world.teacher

    def test_users_are_listed_per_scope(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            admin = uow.users.add(
                User(id=0, email="a@b.nl", display_name="Admin", role=Role.FUNCTIONAL_ADMIN)
            )
            assert uow.users.list() == [admin, world.teacher]
            assert uow.users.list(school_id=world.po.id) == [world.teacher]
            assert uow.users.list(board_id=world.board.id, school_id=world.vo.id) == []

    def test_user_update_refuses_a_stale_version(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            saved = uow.users.update(attrs.evolve(world.teacher, totp_secret="ABC", active=False))
            assert uow.users.get(world.teacher.id) == saved
            with pytest.raises(Conflict):
                uow.users.update(world.teacher)


class TestPupils:
    def test_pupil_round_trips(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            assert uow.pupils.get(world.pupil.id) == world.pupil
            assert uow.pupils.by_bsn(world.po.id, Bsn("111222333")) == world.pupil
            assert uow.pupils.by_bsn(world.vo.id, Bsn("111222333")) is None

    def test_pupils_are_listed_by_last_name_and_filtered_by_group(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            alders = uow.pupils.add(pupil(world.po.id, 100501, "Alders"))
            zwart = uow.pupils.add(pupil(world.po.id, 100502, "Zwart", group_id=world.group.id))
            assert uow.pupils.list(world.po.id) == [alders, world.pupil, zwart]
            assert uow.pupils.list(world.po.id, group_ids=[world.group.id]) == [world.pupil, zwart]
            assert uow.pupils.list(world.vo.id) == []

    def test_pupil_update_saves_state_and_refuses_a_stale_version(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        changed = attrs.evolve(
            world.pupil,
            parent_login=ParentLoginStatus.SENT,
            reason_not_placed=ReasonNotPlaced.VERHUISD,
            group_id=None,
        )
        with uow_factory() as uow:
            saved = uow.pupils.update(changed)
            assert saved == attrs.evolve(changed, version=world.pupil.version + 1)
            assert uow.pupils.get(world.pupil.id) == saved
            with pytest.raises(Conflict):
                uow.pupils.update(changed)
            with pytest.raises(NotFound):
                uow.pupils.update(attrs.evolve(saved, id=999))

    def test_elk_numbers_are_never_handed_out_twice(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow:
            first, second = uow.pupils.next_elk_number(), uow.pupils.next_elk_number()
            uow.commit()
        with uow_factory() as uow:
            third = uow.pupils.next_elk_number()
        assert 0 < first < second < third

    def test_missing_pupil_is_not_found(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow, pytest.raises(NotFound):
            uow.pupils.get(999)


def full_okidoc(pupil_id: int) -> OkiDoc:
    """An Oki-doc with every kind of content."""
    by_hand = Provenance(Source.HAND, NOW.astimezone(AMSTERDAM), "Juf Ans")
    from_oso = Provenance(Source.OSO, NOW - dt.timedelta(days=3), "De Regenboog (ParnasSys)")
    return OkiDoc(
        id=0,
        pupil_id=pupil_id,
        status=OkiStatus.VOLLEDIG,
        fields={
            "leerling.roepnaam": FieldValue("Anna", from_oso),
            "leerling.geboortedatum": FieldValue(dt.date(2013, 5, 1), from_oso),
            "advies.schooladvies": FieldValue("havo/vwo", by_hand),
            # Inferred from an OSO advice code the region trusts (decision 0005).
            "advies.definitief": FieldValue("havo", attrs.evolve(from_oso, inferred_from="50")),
            "ondersteuning.lwoo": FieldValue(False, by_hand),
            "ouders.0.aantal_kinderen": FieldValue(3, by_hand),
        },
        test_results=(
            oki.TestResult(
                school_year=SchoolYear(2024),
                taken_on=dt.date(2025, 1, 20),
                test_name="Cito LVS",
                subject="Rekenen",
                score="A",
                dle=42,
                dl=50,
                level="1F",
            ),
            oki.TestResult(
                school_year=SchoolYear(2025),
                taken_on=dt.date(2026, 2, 3),
                test_name="Doorstroomtoets",
                subject="Taal",
                source=Source.HAND,
            ),
        ),
        career=(CareerEntry(school_name="De Regenboog", start=dt.date(2017, 8, 21), group="8a"),),
        withheld=frozenset({"oudersverzorgers", "verzuim"}),  # OSO categories (decision 0044)
        attachments=(
            Attachment(
                kind="verslag",
                filename="rapport.pdf",
                content_type="application/pdf",
                size=1234,
                sha256="ab" * 32,
                storage_key="cd" * 32,
                added_at=NOW,
                added_by="Juf Ans",
            ),
        ),
    )


class TestOkiDocs:
    def test_okidoc_round_trips_with_provenance_results_and_attachments(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            stored = uow.okidocs.add(full_okidoc(world.pupil.id))
            uow.commit()
        with uow_factory() as uow:
            loaded = uow.okidocs.for_pupil(world.pupil.id)
        assert loaded == stored
        assert loaded.value("ondersteuning.lwoo") is False
        assert loaded.value("ouders.0.aantal_kinderen") == 3

    def test_okidocs_of_many_pupils_are_read_at_once(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            stored = uow.okidocs.add(full_okidoc(world.pupil.id))
            uow.commit()
        with uow_factory() as uow:
            assert uow.okidocs.for_pupils([world.pupil.id, world.pupil.id + 999]) == {
                world.pupil.id: stored
            }
            assert uow.okidocs.for_pupils([]) == {}

    def test_okidoc_update_saves_all_content_and_bumps_version(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            stored = uow.okidocs.add(OkiDoc(id=0, pupil_id=world.pupil.id))
            full = attrs.evolve(full_okidoc(world.pupil.id), id=stored.id, version=stored.version)
            saved = uow.okidocs.update(full)
            assert saved.version == stored.version + 1
            assert uow.okidocs.for_pupil(world.pupil.id) == saved

    def test_okidoc_update_with_a_stale_version_conflicts(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            stored = uow.okidocs.add(OkiDoc(id=0, pupil_id=world.pupil.id))
            uow.okidocs.update(attrs.evolve(stored, status=OkiStatus.DEFINITIEF))
            with pytest.raises(Conflict):
                uow.okidocs.update(attrs.evolve(stored, status=OkiStatus.VOLLEDIG))

    def test_second_okidoc_for_a_pupil_conflicts(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            uow.okidocs.add(OkiDoc(id=0, pupil_id=world.pupil.id))
            with pytest.raises(Conflict):
                uow.okidocs.add(OkiDoc(id=0, pupil_id=world.pupil.id))

    def test_pupil_without_okidoc_is_not_found(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow, pytest.raises(NotFound):
            uow.okidocs.for_pupil(world.pupil.id)
