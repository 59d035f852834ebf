"""``access.authorize``: permission on a request's target, before its input is read (0036)."""

from __future__ import annotations

import attrs
import pytest

from elk_domain.access.authorize import Target, TargetKind, authorize, own_scope
from elk_domain.errors import Forbidden, NotFound
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.permissions import Action, Scope
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.organisation.model import Board, Group, School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import InMemoryStore, InMemoryUnitOfWork

ADMIN = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN, second_factor=True)
BOARD = Actor(user_id=2, name="Bert", role=Role.BOARD_CONTACT, board_id=1, second_factor=True)
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1,
                group_ids=frozenset({1}))  # fmt: skip
COLLEAGUE = Actor(user_id=5, name="Bram", role=Role.END_USER, board_id=1, school_id=1)
VO_USER = Actor(user_id=6, name="Victor", role=Role.VO_USER, board_id=1, school_id=2)
FAR = Actor(user_id=7, name="Lies", role=Role.END_USER, board_id=2, school_id=3)


@attrs.frozen
class Ids:
    in_8a: int
    in_8b: int
    group_8a: int
    group_8b: int
    colleague: int


def _school(board_id: int, kind: OrgKind, brin: str) -> School:
    return School(
        id=0, board_id=board_id, kind=kind, official_name=brin, name=brin, school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(brin),
    )  # fmt: skip


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def ids(store: InMemoryStore) -> Ids:
    """Board 1: PO school 1 (groups 8a, 8b) and VO school 2; board 2: PO school 3."""
    uow = InMemoryUnitOfWork(store)
    near, far = uow.boards.add(Board(0, "Amstelland")), uow.boards.add(Board(0, "Elders"))
    po = uow.schools.add(_school(near.id, OrgKind.PO, "12AB"))
    uow.schools.add(_school(near.id, OrgKind.VO, "34CD"))
    uow.schools.add(_school(far.id, OrgKind.PO, "56EF"))
    group_a = uow.groups.add(Group(0, po.id, "8a", frozenset({TEACHER.user_id})))
    group_b = uow.groups.add(Group(0, po.id, "8b"))

    def pupil(number: int, group_id: int) -> int:
        name = PersonName("Sam", "Bos")
        return uow.pupils.add(
            Pupil(id=0, elk_number=ElkNumber(number), school_id=po.id, name=name, group_id=group_id)
        ).id

    colleague = uow.users.add(
        User(id=0, email="bram@school.test", display_name="Bram", role=Role.END_USER,
             org_kind=OrgKind.PO, board_id=near.id, school_id=po.id)
    )  # fmt: skip
    ids = Ids(pupil(100001, group_a.id), pupil(100002, group_b.id), group_a.id, group_b.id,
              colleague.id)  # fmt: skip
    uow.commit()
    return ids


def check(store: InMemoryStore, actor: Actor, action: Action, target: Target) -> None:
    authorize(InMemoryUnitOfWork(store), actor, action, target)


class TestTargets:
    def test_each_constructor_names_its_kind_and_ids(self) -> None:
        assert Target.pupil(3) == Target(TargetKind.PUPILS, (3,))
        assert Target.pupils(iter([3, 4])) == Target(TargetKind.PUPILS, (3, 4))
        assert Target.school(5) == Target(TargetKind.SCHOOL, (5,))
        assert Target.group(6) == Target(TargetKind.GROUP, (6,))
        assert Target.user(7) == Target(TargetKind.USER, (7,))
        assert Target.own() == Target(TargetKind.OWN)
        assert Target.region() == Target(TargetKind.REGION)

    def test_a_form_that_chose_no_school_means_the_own_organisation(self) -> None:
        assert Target.school_or_own(None) == Target.own()
        assert Target.school_or_own(5) == Target.school(5)

    def test_the_own_scope_is_the_region_only_for_the_functional_administrator(self) -> None:
        assert own_scope(ADMIN) == Scope.region()
        assert own_scope(BOARD) == Scope(board_id=1)
        assert own_scope(TEACHER) == Scope(school_id=1, board_id=1)


class TestPupils:
    def test_a_contact_person_may_edit_a_pupil_of_their_group(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        check(store, TEACHER, Action.EDIT_OKIDOC, Target.pupil(ids.in_8a))

    def test_a_pupil_of_another_group_is_not_found_for_a_contact_person(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        with pytest.raises(NotFound):
            check(store, TEACHER, Action.EDIT_OKIDOC, Target.pupil(ids.in_8b))

    def test_a_role_without_the_action_is_forbidden_on_a_pupil_it_sees(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        check(store, BOARD, Action.VIEW_PUPIL, Target.pupil(ids.in_8a))
        with pytest.raises(Forbidden):
            check(store, BOARD, Action.FINALIZE_OKIDOC, Target.pupil(ids.in_8a))

    def test_every_pupil_of_a_bulk_action_must_be_within_reach(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        check(store, COLLEAGUE, Action.SYNC_OSO, Target.pupils([ids.in_8a, ids.in_8b]))
        with pytest.raises(NotFound):
            check(store, TEACHER, Action.SYNC_OSO, Target.pupils([ids.in_8a, ids.in_8b]))

    def test_a_pupil_that_does_not_exist_is_not_found(self, store: InMemoryStore, ids: Ids) -> None:
        with pytest.raises(NotFound):
            check(store, ADMIN, Action.VIEW_PUPIL, Target.pupil(ids.in_8b + 99))

    def test_a_vo_user_does_not_see_a_pupil_not_registered_at_their_school(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        with pytest.raises(NotFound):
            check(store, VO_USER, Action.VIEW_PUPIL, Target.pupil(ids.in_8a))


class TestSchoolsGroupsUsers:
    def test_reach_comes_before_role_on_a_school(self, store: InMemoryStore, ids: Ids) -> None:
        check(store, BOARD, Action.SET_PREFERENCES, Target.school(1))
        with pytest.raises(Forbidden):
            check(store, COLLEAGUE, Action.SET_PREFERENCES, Target.school(1))
        with pytest.raises(NotFound):
            check(store, COLLEAGUE, Action.SET_PREFERENCES, Target.school(3))

    def test_a_group_is_reached_through_its_school_and_the_contact_persons(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        check(store, TEACHER, Action.FILL_GROUPS, Target.group(ids.group_8a))
        with pytest.raises(Forbidden):
            check(store, TEACHER, Action.MANAGE_GROUPS, Target.group(ids.group_8a))
        with pytest.raises(NotFound):
            check(store, TEACHER, Action.FILL_GROUPS, Target.group(ids.group_8b))

    def test_a_user_is_reached_through_their_school(self, store: InMemoryStore, ids: Ids) -> None:
        check(store, BOARD, Action.MANAGE_USERS, Target.user(ids.colleague))
        with pytest.raises(Forbidden):
            check(store, COLLEAGUE, Action.MANAGE_USERS, Target.user(ids.colleague))
        with pytest.raises(NotFound):
            check(store, FAR, Action.MANAGE_USERS, Target.user(ids.colleague))

    def test_the_policy_decides_all_of_it_also_the_second_factor_rule(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        password_only = attrs.evolve(BOARD, second_factor=False)
        with pytest.raises(Forbidden):
            check(store, password_only, Action.MANAGE_USERS, Target.user(ids.colleague))


class TestOwnAndRegion:
    def test_the_own_organisation_decides_by_role(self, store: InMemoryStore, ids: Ids) -> None:
        check(store, COLLEAGUE, Action.SYNC_OSO, Target.own())
        check(store, ADMIN, Action.MANAGE_USERS, Target.own())
        with pytest.raises(Forbidden):
            check(store, VO_USER, Action.SYNC_OSO, Target.own())

    def test_only_the_functional_administrator_acts_on_the_region(
        self, store: InMemoryStore, ids: Ids
    ) -> None:
        check(store, ADMIN, Action.MANAGE_REGION, Target.region())
        with pytest.raises(Forbidden):
            check(store, BOARD, Action.MANAGE_REGION, Target.region())
