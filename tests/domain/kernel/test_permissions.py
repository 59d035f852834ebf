"""The access policy: every role × action × scope kind, plus the special cases around it."""

from __future__ import annotations

import attrs
import pytest

from elk_domain.errors import Forbidden, NotFound
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.permissions import (
    MANAGEABLE_ROLES,
    ROLE_ACTIONS,
    SECOND_FACTOR_ROLES,
    Action,
    Decision,
    Scope,
    allowed,
    decide,
    require,
    second_factor_required,
)
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.organisation.model import Group, School
from elk_domain.pupils.model import Pupil

A = Action
ALLOWED, FORBIDDEN, HIDDEN = Decision.ALLOWED, Decision.FORBIDDEN, Decision.HIDDEN


def school(school_id: int, board_id: int, kind: OrgKind = OrgKind.PO) -> School:
    return School(
        id=school_id,
        board_id=board_id,
        kind=kind,
        official_name=f"School {school_id}",
        name=f"School {school_id}",
        school_type="Basisschool",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(f"{school_id:02d}AB"),
    )


def pupil(pupil_id: int, school_id: int, group_id: int) -> Pupil:
    return Pupil(
        id=pupil_id,
        elk_number=ElkNumber(pupil_id),
        school_id=school_id,
        name=PersonName("Sam", "Jansen"),
        group_id=group_id,
    )


VO_SCHOOL = 30
SCOPES = {
    "own": Scope.for_pupil(pupil(1, 10, 100), school(10, 1), vo_school_ids=frozenset({30})),
    "other_group": Scope.for_pupil(pupil(2, 10, 101), school(10, 1)),
    "other_school": Scope.for_pupil(pupil(3, 11, 110), school(11, 1)),
    "other_board": Scope.for_pupil(pupil(4, 20, 200), school(20, 2)),
    "region": Scope.region(),
}

ACTORS = {  # the roles that must use 2FA have it (without it, see TestSecondFactor)
    Role.FUNCTIONAL_ADMIN: Actor(
        user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN, second_factor=True
    ),
    Role.BOARD_CONTACT: Actor(
        user_id=2, name="Bas", role=Role.BOARD_CONTACT, board_id=1, second_factor=True
    ),
    Role.SCHOOL_ADMIN: Actor(
        user_id=3,
        name="Sara",
        role=Role.SCHOOL_ADMIN,
        board_id=1,
        school_id=10,
        second_factor=True,
    ),
    Role.END_USER: Actor(
        user_id=4,
        name="Eva",
        role=Role.END_USER,
        board_id=1,
        school_id=10,
        group_ids=frozenset({100}),
    ),
    Role.VO_USER: Actor(user_id=5, name="Vera", role=Role.VO_USER, board_id=3, school_id=30),
    Role.VO_ADMIN: Actor(
        user_id=7, name="Vince", role=Role.VO_ADMIN, board_id=3, school_id=30, second_factor=True
    ),
    Role.PARENT: Actor(user_id=6, name="Ouder", role=Role.PARENT, pupil_id=1),
}

# Which scope kinds each role can see at all; the rest are HIDDEN, except the region (FORBIDDEN).
REACH = {
    Role.FUNCTIONAL_ADMIN: {"own", "other_group", "other_school", "other_board", "region"},
    Role.BOARD_CONTACT: {"own", "other_group", "other_school"},
    Role.SCHOOL_ADMIN: {"own", "other_group"},
    Role.END_USER: {"own"},
    Role.VO_USER: {"own"},
    Role.VO_ADMIN: {"own"},
    Role.PARENT: {"own"},
}

PUPIL_WORK = {
    A.VIEW_PUPIL, A.EDIT_OKIDOC, A.FINALIZE_OKIDOC, A.SYNC_OSO, A.IMPORT_FINAL_TEST,
    A.SEND_PARENT_LOGIN, A.SET_REASON_NOT_PLACED, A.ADD_NOTE, A.VIEW_NOTES, A.VIEW_OVERVIEWS,
}  # fmt: skip
ADMIN = {
    A.REOPEN_OKIDOC, A.MANAGE_GROUPS, A.FILL_GROUPS, A.MANAGE_USERS, A.EDIT_SCHOOL,
    A.SET_PREFERENCES, A.VIEW_AUDIT,
}  # fmt: skip
VO_WORK = {
    A.VIEW_PUPIL, A.VIEW_NOTES, A.JUDGE_PRIORITY, A.MARK_TAFELMIDDAG_VO, A.VIEW_REGISTRATIONS,
}  # fmt: skip
MAY = {
    Role.FUNCTIONAL_ADMIN: ADMIN
    | {A.VIEW_PUPIL, A.SYNC_OSO, A.IMPORT_FINAL_TEST, A.CONFIGURE_OSO, A.MANAGE_REGION,
       A.IMPERSONATE, A.VIEW_OUTBOX, A.VIEW_OVERVIEWS, A.VIEW_REGION_REGISTRATIONS,
       A.RUN_PLACEMENT},
    Role.BOARD_CONTACT: ADMIN
    | {A.VIEW_PUPIL, A.SYNC_OSO, A.CONFIGURE_OSO, A.IMPERSONATE, A.VIEW_OVERVIEWS,
       A.VIEW_REGION_REGISTRATIONS},
    Role.SCHOOL_ADMIN: PUPIL_WORK | ADMIN,
    Role.END_USER: PUPIL_WORK | {A.FILL_GROUPS},
    Role.VO_USER: VO_WORK,
    Role.VO_ADMIN: VO_WORK | {A.MANAGE_USERS, A.EDIT_SCHOOL},
    Role.PARENT: {A.VIEW_PUPIL, A.REGISTER, A.REQUEST_CORRECTION},
}  # fmt: skip


def expected(role: Role, action: Action, kind: str) -> Decision:
    if kind not in REACH[role]:
        return FORBIDDEN if kind == "region" else HIDDEN
    return ALLOWED if action in MAY[role] else FORBIDDEN


CASES = [(role, action, kind) for role in Role for action in Action for kind in SCOPES]


class TestDecideTable:
    @pytest.mark.parametrize(("role", "action", "kind"), CASES)
    def test_role_action_scope(self, role: Role, action: Action, kind: str) -> None:
        assert decide(ACTORS[role], action, SCOPES[kind]) is expected(role, action, kind)


class TestScopeRules:
    def test_end_user_without_groups_sees_every_pupil_of_the_school(self) -> None:
        teacher = Actor(user_id=9, name="Ib", role=Role.END_USER, board_id=1, school_id=10)
        assert decide(teacher, A.EDIT_OKIDOC, SCOPES["other_group"]) is ALLOWED
        assert decide(teacher, A.EDIT_OKIDOC, SCOPES["other_school"]) is HIDDEN

    def test_group_contact_still_sees_school_wide_pages(self) -> None:
        actor = ACTORS[Role.END_USER]
        assert decide(actor, A.VIEW_OVERVIEWS, Scope.for_school(school(10, 1))) is ALLOWED
        assert decide(actor, A.MANAGE_GROUPS, Scope.for_school(school(10, 1))) is FORBIDDEN

    def test_group_contact_fills_only_own_groups(self) -> None:
        actor, po = ACTORS[Role.END_USER], school(10, 1)
        own, other = Group(100, 10, "8a"), Group(101, 10, "8b")
        assert decide(actor, A.FILL_GROUPS, Scope.for_group(own, po)) is ALLOWED
        assert decide(actor, A.FILL_GROUPS, Scope.for_group(other, po)) is HIDDEN
        assert decide(actor, A.FILL_GROUPS, Scope.for_school(po)) is ALLOWED
        assert decide(actor, A.MANAGE_GROUPS, Scope.for_group(own, po)) is FORBIDDEN

    def test_end_user_without_groups_fills_every_group_of_the_school(self) -> None:
        teacher = Actor(user_id=9, name="Ib", role=Role.END_USER, board_id=1, school_id=10)
        other = Scope.for_group(Group(101, 10, "8b"), school(10, 1))
        assert decide(teacher, A.FILL_GROUPS, other) is ALLOWED
        far = Scope.for_group(Group(200, 20, "8"), school(20, 2))
        assert decide(teacher, A.FILL_GROUPS, far) is HIDDEN

    def test_vo_user_sees_own_school_but_not_another(self) -> None:
        actor = ACTORS[Role.VO_USER]
        own = Scope.for_school(school(30, 3, OrgKind.VO))
        assert decide(actor, A.JUDGE_PRIORITY, own) is ALLOWED
        assert decide(actor, A.JUDGE_PRIORITY, Scope.for_school(school(31, 3))) is HIDDEN

    def test_vo_admin_manages_the_own_school_s_vo_users_only(self) -> None:
        actor = ACTORS[Role.VO_ADMIN]
        own = staff(Role.VO_USER, board_id=3, school_id=30)
        assert decide(actor, A.MANAGE_USERS, Scope.for_user(own)) is ALLOWED
        peer = staff(Role.VO_ADMIN, board_id=3, school_id=30)
        assert decide(actor, A.MANAGE_USERS, Scope.for_user(peer)) is FORBIDDEN
        far = staff(Role.VO_USER, board_id=3, school_id=31)
        assert decide(actor, A.MANAGE_USERS, Scope.for_user(far)) is HIDDEN

    def test_vo_staff_see_registrations_of_their_own_school_only(self) -> None:
        for role in (Role.VO_USER, Role.VO_ADMIN):
            own = Scope.for_school(school(30, 3, OrgKind.VO))
            assert decide(ACTORS[role], A.VIEW_REGISTRATIONS, own) is ALLOWED
            other = Scope.for_school(school(31, 3, OrgKind.VO))
            assert decide(ACTORS[role], A.VIEW_REGISTRATIONS, other) is HIDDEN

    def test_staff_without_school_reaches_nothing(self) -> None:
        actor = Actor(user_id=9, name="Los", role=Role.END_USER)
        assert decide(actor, A.VIEW_PUPIL, SCOPES["own"]) is HIDDEN

    def test_board_contact_without_board_reaches_nothing(self) -> None:
        actor = Actor(user_id=9, name="Los", role=Role.BOARD_CONTACT)
        assert decide(actor, A.VIEW_PUPIL, Scope.for_board(1)) is HIDDEN

    def test_board_contact_sees_own_board_scope(self) -> None:
        actor = ACTORS[Role.BOARD_CONTACT]
        assert decide(actor, A.VIEW_OVERVIEWS, Scope.for_board(1)) is ALLOWED
        assert decide(actor, A.VIEW_OVERVIEWS, Scope.for_board(2)) is HIDDEN

    def test_parent_without_child_reaches_nothing(self) -> None:
        actor = Actor(user_id=9, name="Ouder", role=Role.PARENT)
        assert decide(actor, A.REGISTER, Scope.for_school(school(10, 1))) is HIDDEN


def staff(role: Role, board_id: int = 1, school_id: int | None = 10) -> User:
    return User(id=50, email="x@x.nl", display_name="X", role=role, board_id=board_id,
                school_id=school_id)  # fmt: skip


class TestImpersonationAndUserManagement:
    @pytest.mark.parametrize(
        ("target", "decision"),
        [
            (Role.SCHOOL_ADMIN, ALLOWED),
            (Role.END_USER, ALLOWED),
            (Role.VO_USER, ALLOWED),
            (Role.VO_ADMIN, ALLOWED),
            (Role.BOARD_CONTACT, FORBIDDEN),
            (Role.FUNCTIONAL_ADMIN, FORBIDDEN),
        ],
    )
    def test_board_contact_impersonates_only_school_staff(
        self, target: Role, decision: Decision
    ) -> None:
        scope = Scope.for_user(staff(target))
        assert decide(ACTORS[Role.BOARD_CONTACT], A.IMPERSONATE, scope) is decision

    def test_board_contact_cannot_impersonate_other_board(self) -> None:
        scope = Scope.for_user(staff(Role.END_USER, board_id=2, school_id=20))
        assert decide(ACTORS[Role.BOARD_CONTACT], A.IMPERSONATE, scope) is HIDDEN

    def test_no_impersonation_while_impersonating(self) -> None:
        actor = attrs.evolve(ACTORS[Role.BOARD_CONTACT], impersonator_id=2)
        scope = Scope.for_user(staff(Role.END_USER))
        assert decide(actor, A.IMPERSONATE, scope) is FORBIDDEN

    def test_school_admin_manages_end_users_but_not_admins(self) -> None:
        actor = ACTORS[Role.SCHOOL_ADMIN]
        assert decide(actor, A.MANAGE_USERS, Scope.for_user(staff(Role.END_USER))) is ALLOWED
        admin = Scope.for_user(staff(Role.SCHOOL_ADMIN))
        assert decide(actor, A.MANAGE_USERS, admin) is FORBIDDEN

    def test_functional_admin_manages_board_contacts(self) -> None:
        scope = Scope.for_user(staff(Role.BOARD_CONTACT, school_id=None))
        assert decide(ACTORS[Role.FUNCTIONAL_ADMIN], A.MANAGE_USERS, scope) is ALLOWED


class TestSecondFactor:
    def test_whoever_may_impersonate_or_manage_users_must_use_2fa(self) -> None:
        assert {
            Role.FUNCTIONAL_ADMIN,
            Role.BOARD_CONTACT,
            Role.SCHOOL_ADMIN,
            Role.VO_ADMIN,
        } == SECOND_FACTOR_ROLES
        for role, actions in ROLE_ACTIONS.items():
            if A.IMPERSONATE in actions:
                assert second_factor_required(role), role
            if MANAGEABLE_ROLES.get(role, frozenset()) & SECOND_FACTOR_ROLES:
                assert second_factor_required(role), role
        assert not second_factor_required(Role.END_USER)

    @pytest.mark.parametrize("role", [Role.FUNCTIONAL_ADMIN, Role.BOARD_CONTACT])
    @pytest.mark.parametrize("target", [Role.BOARD_CONTACT, Role.SCHOOL_ADMIN, Role.END_USER])
    def test_without_a_second_factor_nobody_impersonates_or_manages_users(
        self, role: Role, target: Role
    ) -> None:
        actor = attrs.evolve(ACTORS[role], second_factor=False)
        scope = Scope.for_user(
            staff(target, school_id=None if target is Role.BOARD_CONTACT else 10)
        )
        for action in (A.IMPERSONATE, A.MANAGE_USERS):
            assert decide(actor, action, scope) is FORBIDDEN, action
        assert decide(actor, A.MANAGE_USERS, SCOPES["own"]) is FORBIDDEN  # the user list
        assert decide(actor, A.VIEW_PUPIL, SCOPES["own"]) is ALLOWED  # other work is unchanged

    def test_out_of_reach_stays_hidden_without_a_second_factor(self) -> None:
        actor = attrs.evolve(ACTORS[Role.BOARD_CONTACT], second_factor=False)
        scope = Scope.for_user(staff(Role.END_USER, board_id=2, school_id=20))
        assert decide(actor, A.IMPERSONATE, scope) is HIDDEN


class TestRequire:
    def test_allowed_passes_silently(self) -> None:
        require(ACTORS[Role.PARENT], A.REGISTER, SCOPES["own"])
        assert allowed(ACTORS[Role.PARENT], A.REGISTER, SCOPES["own"])

    def test_hidden_raises_not_found(self) -> None:
        with pytest.raises(NotFound, match="niet gevonden"):
            require(ACTORS[Role.PARENT], A.VIEW_PUPIL, SCOPES["other_group"])

    def test_forbidden_raises_forbidden_naming_the_action(self) -> None:
        with pytest.raises(Forbidden, match="geen toestemming om het Oki-doc te bewerken"):
            require(ACTORS[Role.VO_USER], A.EDIT_OKIDOC, SCOPES["own"])
