"""Voorkeursinstellingen: a school's LWOO/PrO defaults, who may set them, and the pre-fill."""

from __future__ import annotations

import attrs
import pytest

from elk_domain.errors import Conflict, Forbidden, NotFound, Rejected
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import edit as okidoc_edit
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.okidoc.page import okidoc_page
from elk_domain.okidoc.preferences import PO_ONLY, SetPreferences, get_preferences, set_preferences
from elk_domain.okidoc.school_preferences import SchoolPreferences
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryStore, InMemoryUnitOfWork

PO, VO, FAR = 1, 2, 3
ADMIN = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN)
BOARD = Actor(user_id=2, name="Bert", role=Role.BOARD_CONTACT, board_id=1)
FAR_BOARD = Actor(user_id=3, name="Els", role=Role.BOARD_CONTACT, board_id=2)
SCHOOL_ADMIN = Actor(user_id=4, name="Sanne", role=Role.SCHOOL_ADMIN, board_id=1, school_id=PO)
TEACHER = Actor(user_id=5, name="Eva", role=Role.END_USER, board_id=1, school_id=PO)
VO_USER = Actor(user_id=6, name="Victor", role=Role.VO_USER, board_id=1, school_id=VO)
FORM = {
    f.LWOO_LAT: "ja",
    f.LWOO_CAP: "nee",
    f.LWOO_SEM: "",
    f.LWOO_INSTITUTION: " Bureau West ",
    f.LWOO_RESEARCHER: "",
}


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


@attrs.define
class World:
    store: InMemoryStore
    clock: FixedClock
    pupil_id: int

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def save(self, actor: Actor, school_id: int = PO, version: int = 0, **form: str) -> object:
        command = SetPreferences(
            school_id=school_id, expected_version=version, values={**FORM, **form}
        )
        return set_preferences(self.uow(), self.clock, actor, command)


@pytest.fixture
def world() -> World:
    store = InMemoryStore()
    uow = InMemoryUnitOfWork(store)
    board = uow.boards.add(Board(0, "Amstelland"))
    far_board = uow.boards.add(Board(0, "Elders"))
    uow.schools.add(_school(board.id, OrgKind.PO, "Regenboog", "12AB"))
    uow.schools.add(_school(board.id, OrgKind.VO, "Lyceum", "34CD"))
    uow.schools.add(_school(far_board.id, OrgKind.PO, "Linde", "56EF"))
    pupil = uow.pupils.add(
        Pupil(id=0, elk_number=ElkNumber(100001), school_id=PO, name=PersonName("Sam", "Bos"))
    )
    uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
    uow.commit()
    return World(store, FixedClock(), pupil.id)


class TestSetPreferences:
    def test_a_school_without_preferences_shows_blank_ones(self, world: World) -> None:
        form = get_preferences(world.uow(), SCHOOL_ADMIN, PO)
        assert form.school.name == "Regenboog"
        assert form.preferences == SchoolPreferences(school_id=PO)
        assert form.preferences.defaults() == {}

    def test_the_school_administrator_saves_defaults_and_the_change_is_audited(
        self, world: World
    ) -> None:
        stored = world.save(SCHOOL_ADMIN)
        assert stored == SchoolPreferences(
            school_id=PO, lat=True, cap=False, sem=None, institution="Bureau West", version=1
        )
        (entry,) = world.store.audit
        assert entry.action == "voorkeursinstellingen_gewijzigd"
        assert [(c.path, c.old, c.new) for c in entry.changes] == [
            (f.LWOO_LAT, None, "ja"),
            (f.LWOO_CAP, None, "nee"),
            (f.LWOO_INSTITUTION, None, "Bureau West"),
        ]
        world.save(SCHOOL_ADMIN, version=1)  # the same again: nothing to audit
        assert len(world.store.audit) == 1

    def test_every_wrong_answer_is_named_at_once(self, world: World) -> None:
        with pytest.raises(Rejected) as refused:
            world.save(SCHOOL_ADMIN, **{f.LWOO_LAT: "misschien", f.LWOO_RESEARCHER: "x" * 201})
        assert [v.path for v in refused.value.violations] == [f.LWOO_LAT, f.LWOO_RESEARCHER]

    def test_a_stale_form_is_a_conflict(self, world: World) -> None:
        world.save(SCHOOL_ADMIN)
        with pytest.raises(Conflict):
            world.save(BOARD, **{f.LWOO_SEM: "ja"})

    def test_board_contact_and_functional_administrator_may_set_them(self, world: World) -> None:
        world.save(BOARD)
        world.save(ADMIN, version=1, **{f.LWOO_SEM: "ja"})
        assert get_preferences(world.uow(), BOARD, PO).preferences.sem is True

    @pytest.mark.parametrize(
        ("actor", "school_id", "error"),
        [
            (TEACHER, PO, Forbidden),
            (VO_USER, PO, NotFound),
            (FAR_BOARD, PO, NotFound),
            (SCHOOL_ADMIN, FAR, NotFound),
            (VO_USER, VO, Forbidden),
        ],
    )
    def test_others_may_not(
        self, world: World, actor: Actor, school_id: int, error: type[Exception]
    ) -> None:
        with pytest.raises(error):
            get_preferences(world.uow(), actor, school_id)
        with pytest.raises(error):
            world.save(actor, school_id, **{f.LWOO_LAT: "onzin"})  # permission before the form

    def test_a_vo_school_has_no_preferences(self, world: World) -> None:
        with pytest.raises(Rejected, match=PO_ONLY):
            world.save(ADMIN, VO)


class TestPreFill:
    def test_an_empty_field_suggests_the_school_default_on_the_amsterdam_route(
        self, world: World
    ) -> None:
        world.save(SCHOOL_ADMIN)
        page = okidoc_page(world.uow(), TEACHER, world.pupil_id, procedure="amsterdam")
        assert page.suggested(f.LWOO_LAT) == "ja"
        assert page.suggested(f.LWOO_INSTITUTION) == "Bureau West"
        assert page.suggested(f.LWOO_SEM) == ""  # no default: the teacher chooses
        assert page.okidoc.value(f.LWOO_LAT) is None  # only a pre-fill, nothing stored

    def test_a_stored_value_wins_over_the_default(self, world: World) -> None:
        world.save(SCHOOL_ADMIN)
        okidoc_edit.edit_fields(
            world.uow(), world.clock, TEACHER, world.pupil_id, 1, {f.LWOO_LAT: "nee"},
            uses_lwoo_pro=True,
        )  # fmt: skip
        page = okidoc_page(world.uow(), TEACHER, world.pupil_id, procedure="amsterdam")
        assert (page.text(f.LWOO_LAT), page.suggested(f.LWOO_LAT)) == ("nee", "")
        assert page.suggested(f.LWOO_CAP) == "nee"

    def test_no_pre_fill_in_amstelland_or_for_readers(self, world: World) -> None:
        world.save(SCHOOL_ADMIN)
        page = okidoc_page(world.uow(), TEACHER, world.pupil_id, procedure="amstelland")
        assert page.suggested(f.LWOO_LAT) == ""
        board_view = okidoc_page(world.uow(), BOARD, world.pupil_id, procedure="amsterdam")
        assert board_view.suggested(f.LWOO_LAT) == ""  # may view, not edit
        uow = world.uow()
        with uow:
            doc = uow.okidocs.for_pupil(world.pupil_id)
            uow.okidocs.update(attrs.evolve(doc, status=OkiStatus.DEFINITIEF))
            uow.commit()
        locked = okidoc_page(world.uow(), TEACHER, world.pupil_id, procedure="amsterdam")
        assert locked.suggested(f.LWOO_LAT) == ""
