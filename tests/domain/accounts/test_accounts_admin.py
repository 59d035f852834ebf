"""Managing users, groups, schools and boards; impersonation and the audit page (in memory)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from elk_domain.accounts.auth import actor_of
from elk_domain.accounts.impersonation import (
    end_impersonation,
    impersonated_actor,
    start_impersonation,
)
from elk_domain.accounts.passwords import AccountLinks
from elk_domain.accounts.users import (
    CreateUser,
    RoleChoice,
    UpdateUser,
    choice_of,
    create_user,
    get_user,
    list_users,
    resend_invite,
    reset_second_factor,
    role_choices,
    role_for,
    update_user,
    user_form_options,
)
from elk_domain.errors import Forbidden, NotFound, Rejected
from elk_domain.kernel.advice import Level
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.permissions import second_factor_required
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.logbooks.audit import audit_lines
from elk_domain.organisation.model import Board, Group, School, Timeline
from elk_domain.organisation.schools import (
    AddBoard,
    SchoolForm,
    add_board,
    add_school,
    get_school,
    list_boards,
    list_schools,
    school_from_form,
    update_school,
)
from elk_domain.pupils.groups import (
    CreateGroup,
    FillGroup,
    UpdateGroup,
    create_group,
    fill_group,
    group_form,
    list_groups,
    update_group,
)
from elk_domain.pupils.model import Pupil
from elk_domain.testing import (
    FixedClock,
    InMemoryMailer,
    InMemoryStore,
    InMemoryUnitOfWork,
    SeededRandom,
)

LINKS = AccountLinks(login_url="https://elk.test/", set_password_url="https://elk.test/w/{token}")


def _school(board_id: int, kind: OrgKind, name: str, brin: str) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=kind,
        official_name=name,
        name=name,
        school_type="Basis",
        address=Address.create(
            street="Straat", house_number="1", postcode="1181 AB", city="Amstelveen"
        ),
        location=SchoolLocation.parse(brin),
    )


@attrs.define
class World:
    store: InMemoryStore
    clock: FixedClock
    mailer: InMemoryMailer
    random: SeededRandom
    ids: dict[str, int]
    users: dict[str, User]

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def actor(self, name: str) -> Actor:
        return actor_of(self.uow(), self.uow().users.get(self.users[name].id))

    def create(self, by: str, **fields: object) -> User:
        command = CreateUser(**fields)  # type: ignore[arg-type]
        return create_user(self.uow(), self.clock, self.random, self.actor(by), command, LINKS)

    def sent(self) -> list[OutgoingMail]:
        """The mail sent after a delivery round of the outbox."""
        deliver_pending_mail(self.uow(), self.clock, self.mailer)
        return self.mailer.sent


@pytest.fixture
def world() -> World:
    store = InMemoryStore()
    uow = InMemoryUnitOfWork(store)
    board = uow.boards.add(Board(0, "Amstelland"))
    far_board = uow.boards.add(Board(0, "Elders"))
    po = uow.schools.add(_school(board.id, OrgKind.PO, "Regenboog", "12AB"))
    vo = uow.schools.add(_school(board.id, OrgKind.VO, "Lyceum", "34CD"))
    far = uow.schools.add(_school(far_board.id, OrgKind.PO, "Linde", "56EF"))

    def user(key: str, role: Role, school: School | None, board_id: int | None = None) -> User:
        return uow.users.add(
            User(
                id=0,
                email=f"{key}@elk.test",
                display_name=key.title(),
                role=role,
                org_kind=None if school is None else school.kind,
                board_id=board_id if school is None else school.board_id,
                school_id=None if school is None else school.id,
                # Managing users needs a second factor (decision 0033).
                totp_secret="JBSWY3DPEHPK3PXP" if second_factor_required(role) else None,
            )
        )

    users = {
        "admin": user("admin", Role.FUNCTIONAL_ADMIN, None),
        "contact": user("contact", Role.BOARD_CONTACT, None, board.id),
        "schooladmin": user("schooladmin", Role.SCHOOL_ADMIN, po),
        "teacher": user("teacher", Role.END_USER, po),
        "colleague": user("colleague", Role.END_USER, po),
        "vo": user("vo", Role.VO_USER, vo),
        "far": user("far", Role.END_USER, far),
    }
    group = uow.groups.add(Group(0, po.id, "8a"))
    pupils = [
        uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(100 + n),
                school_id=po.id,
                name=PersonName(first, "Jansen"),
            )
        )
        for n, first in enumerate(("Anna", "Bas"))
    ]
    uow.commit()
    ids = {
        "board": board.id,
        "far_board": far_board.id,
        "po": po.id,
        "vo": vo.id,
        "far": far.id,
        "group": group.id,
        "anna": pupils[0].id,
        "bas": pupils[1].id,
    }
    return World(store, FixedClock(), InMemoryMailer(), SeededRandom(3), ids, users)


class TestCreateUser:
    def test_a_school_admin_creates_an_end_user_and_the_invite_goes_out(self, world: World) -> None:
        user = world.create(
            "schooladmin",
            email="Noor@Regenboog.TEST",
            display_name=" Noor  N ",
            choice=RoleChoice.INVOEREN,
            org_kind=OrgKind.PO,
            school_id=world.ids["po"],
        )
        assert (user.email, user.display_name, user.role) == (
            "Noor@regenboog.test",
            "Noor N",
            Role.END_USER,
        )
        assert user.board_id == world.ids["board"]
        assert world.sent()[-1].to == "Noor@regenboog.test"
        assert world.store.audit[-1].action == "gebruiker_aangemaakt"

    def test_vo_and_invoeren_means_a_vo_user(self, world: World) -> None:
        user = world.create(
            "contact",
            email="m@lyceum.test",
            display_name="M",
            choice=RoleChoice.INVOEREN,
            org_kind=OrgKind.VO,
            school_id=world.ids["vo"],
        )
        assert user.role is Role.VO_USER

    def test_vo_and_beheerder_means_a_vo_admin_who_invites_vo_users(self, world: World) -> None:
        vo_admin = world.create(
            "contact",
            email="beheer@lyceum.test",
            display_name="B",
            choice=RoleChoice.BEHEERDER,
            org_kind=OrgKind.VO,
            school_id=world.ids["vo"],
        )
        assert vo_admin.role is Role.VO_ADMIN
        assert second_factor_required(Role.VO_ADMIN)
        with world.uow() as uow:  # the invite is accepted and 2FA set up
            uow.users.update(attrs.evolve(vo_admin, totp_secret="JBSWY3DPEHPK3PXP"))
            uow.commit()
        world.users["vo_admin"] = vo_admin
        assert role_choices(world.actor("vo_admin")) == [RoleChoice.INVOEREN]
        mentor = world.create(
            "vo_admin",
            email="mentor@lyceum.test",
            display_name="Mentor",
            choice=RoleChoice.INVOEREN,
            org_kind=OrgKind.VO,
            school_id=world.ids["vo"],
        )
        assert (mentor.role, world.sent()[-1].to) == (Role.VO_USER, "mentor@lyceum.test")
        with pytest.raises(NotFound):  # a PO school is out of the VO administrator's reach
            world.create(
                "vo_admin",
                email="x@regenboog.test",
                display_name="X",
                choice=RoleChoice.INVOEREN,
                org_kind=OrgKind.PO,
                school_id=world.ids["po"],
            )
        assert choice_of(Role.VO_ADMIN) is RoleChoice.BEHEERDER

    def test_the_admin_creates_board_contacts_and_other_admins(self, world: World) -> None:
        contact = world.create(
            "admin",
            email="b@elk.test",
            display_name="B",
            choice=RoleChoice.BESTUUR,
            board_id=world.ids["far_board"],
        )
        assert (contact.role, contact.board_id) == (Role.BOARD_CONTACT, world.ids["far_board"])
        admin = world.create(
            "admin", email="f@elk.test", display_name="F", choice=RoleChoice.FUNCTIONEEL
        )
        assert admin.role is Role.FUNCTIONAL_ADMIN

    def test_every_problem_is_named_at_once(self, world: World) -> None:
        with pytest.raises(Rejected) as refused:
            world.create(
                "schooladmin",
                email="teacher@elk.test",
                display_name=" ",
                choice=RoleChoice.INVOEREN,
                org_kind=OrgKind.VO,
                school_id=world.ids["po"],
            )
        assert {v.path for v in refused.value.violations} == {"email", "naam", "organisatie"}
        with pytest.raises(Rejected) as refused:
            world.create("admin", email="geen adres", display_name="X", choice=RoleChoice.BESTUUR)
        assert {v.path for v in refused.value.violations} == {"email", "bestuur"}
        with pytest.raises(Rejected) as refused:
            world.create("admin", email="x@elk.test", display_name="X", choice=RoleChoice.INVOEREN)
        assert {v.path for v in refused.value.violations} == {"school"}

    def test_nobody_creates_users_above_their_role_or_outside_their_reach(
        self, world: World
    ) -> None:
        with pytest.raises(Forbidden):
            world.create(
                "schooladmin",
                email="x@elk.test",
                display_name="X",
                choice=RoleChoice.BEHEERDER,
                org_kind=OrgKind.PO,
                school_id=world.ids["po"],
            )
        with pytest.raises(NotFound):
            world.create(
                "contact",
                email="x@elk.test",
                display_name="X",
                choice=RoleChoice.INVOEREN,
                org_kind=OrgKind.PO,
                school_id=world.ids["far"],
            )
        with pytest.raises(Forbidden):
            world.create(
                "teacher",
                email="x@elk.test",
                display_name="X",
                choice=RoleChoice.INVOEREN,
                org_kind=OrgKind.PO,
                school_id=world.ids["po"],
            )

    def test_who_may_place_whom_is_decided_before_the_input_is_judged(self, world: World) -> None:
        bad = {"email": "geen adres", "display_name": " "}
        with pytest.raises(Forbidden):  # an end user manages no users at all
            world.create("teacher", choice=RoleChoice.INVOEREN, **bad)
        with pytest.raises(NotFound):  # a school outside the board contact's reach
            world.create(
                "contact", choice=RoleChoice.INVOEREN, org_kind=OrgKind.PO,
                school_id=world.ids["far"], **bad,
            )  # fmt: skip
        with pytest.raises(Forbidden):  # a role above the school administrator's
            world.create(
                "schooladmin", choice=RoleChoice.BEHEERDER, org_kind=OrgKind.PO,
                school_id=world.ids["po"], **bad,
            )  # fmt: skip


class TestListAndEditUsers:
    def test_each_manager_sees_the_users_they_manage(self, world: World) -> None:
        def names(who: str) -> set[str]:
            return {u.display_name for u in list_users(world.uow(), world.actor(who))}

        assert names("schooladmin") == {"Teacher", "Colleague"}
        assert names("contact") == {"Schooladmin", "Teacher", "Colleague", "Vo"}
        assert "Far" in names("admin")
        with pytest.raises(Forbidden):
            names("teacher")

    def test_form_options_follow_the_role(self, world: World) -> None:
        assert role_choices(world.actor("schooladmin")) == [RoleChoice.INVOEREN]
        assert role_choices(world.actor("contact")) == [RoleChoice.BEHEERDER, RoleChoice.INVOEREN]
        assert len(role_choices(world.actor("admin"))) == 4
        options = user_form_options(world.uow(), world.actor("contact"))
        assert {s.name for s in options.schools} == {"Regenboog", "Lyceum"}
        assert options.boards == []
        assert len(user_form_options(world.uow(), world.actor("admin")).boards) == 2
        assert [
            s.name for s in user_form_options(world.uow(), world.actor("schooladmin")).schools
        ] == ["Regenboog"]
        assert role_for(RoleChoice.INVOEREN, None) is Role.END_USER
        assert choice_of(Role.VO_USER) is RoleChoice.INVOEREN

    def test_disabling_or_a_new_role_ends_sessions_a_rename_does_not(self, world: World) -> None:
        teacher = world.users["teacher"]

        def update(**changes: object) -> User:
            current = world.uow().users.get(teacher.id)
            fields = {
                "user_id": teacher.id,
                "version": current.version,
                "display_name": current.display_name,
                "choice": choice_of(current.role),
                "active": current.active,
                **changes,
            }
            return update_user(
                world.uow(), world.clock, world.actor("contact"), UpdateUser(**fields)
            )  # type: ignore[arg-type]

        assert update(display_name="Juf T").session_version == 1
        assert update(display_name="Juf T").version == 2  # nothing changed: not saved
        assert update(choice=RoleChoice.BEHEERDER).session_version == 2
        assert update(active=False).session_version == 3
        assert [c.path for c in world.store.audit[-1].changes] == ["actief"]
        with pytest.raises(Rejected):
            update(display_name=" ")

    def test_a_school_admin_cannot_promote(self, world: World) -> None:
        teacher = world.users["teacher"]
        command = UpdateUser(
            user_id=teacher.id,
            version=1,
            display_name="T",
            choice=RoleChoice.BEHEERDER,
            active=True,
        )
        with pytest.raises(Forbidden):
            update_user(world.uow(), world.clock, world.actor("schooladmin"), command)

    def test_get_user_hides_users_of_other_schools(self, world: World) -> None:
        assert get_user(world.uow(), world.actor("schooladmin"), world.users["teacher"].id).id
        with pytest.raises(NotFound):
            get_user(world.uow(), world.actor("schooladmin"), world.users["far"].id)

    def test_resend_invite_and_reset_2fa(self, world: World) -> None:
        manager, teacher = world.actor("schooladmin"), world.users["teacher"]
        resend_invite(world.uow(), world.clock, world.random, manager, teacher.id, LINKS)
        assert world.sent()[-1].to == teacher.email
        uow = world.uow()
        uow.users.update(attrs.evolve(teacher, totp_secret="X", active=False))
        uow.commit()
        stored = reset_second_factor(world.uow(), world.clock, manager, teacher.id, LINKS)
        assert stored.totp_secret is None
        assert stored.session_version == 2
        notice = world.sent()[-1]
        assert (notice.to, notice.subject) == (
            teacher.email,
            "Uw tweestapsverificatie is uitgezet door een beheerder",
        )
        assert "koppelt u opnieuw" in notice.body
        assert "X" not in notice.body.split()
        with pytest.raises(Rejected):
            resend_invite(world.uow(), world.clock, world.random, manager, teacher.id, LINKS)


class TestGroups:
    def test_create_fill_and_link_a_group(self, world: World) -> None:
        manager = world.actor("schooladmin")
        group = create_group(
            world.uow(), world.clock, manager, CreateGroup(world.ids["po"], " 8b ")
        )
        assert group.name == "8b"
        command = UpdateGroup(
            group_id=group.id,
            name="8B",
            pupil_ids=frozenset({world.ids["anna"]}),
            contact_user_ids=frozenset({world.users["teacher"].id}),
        )
        update_group(world.uow(), world.clock, manager, command)
        assert world.uow().pupils.get(world.ids["anna"]).group_id == group.id
        assert world.actor("teacher").group_ids == {group.id}
        form = group_form(world.uow(), manager, group.id)
        assert {u.display_name for u in form.end_users} == {"Teacher", "Colleague"}
        emptied = attrs.evolve(command, pupil_ids=frozenset())
        update_group(world.uow(), world.clock, manager, emptied)
        assert world.uow().pupils.get(world.ids["anna"]).group_id is None
        assert [e.action for e in world.store.audit] == [
            "groep_aangemaakt",
            "groep_gewijzigd",
            "groep_gewijzigd",
        ]
        update_group(world.uow(), world.clock, manager, emptied)  # no change: no audit
        assert len(world.store.audit) == 3
        school, groups = list_groups(world.uow(), manager, world.ids["po"])
        assert (school.name, [g.name for g in groups]) == ("Regenboog", ["8a", "8B"])

    @pytest.mark.parametrize(
        ("name", "pupils", "contacts", "path"),
        [
            ("", (), (), "naam"),
            ("8A", (), (), "naam"),
            ("8c", ("far-pupil",), (), "leerlingen"),
            ("8c", (), ("vo",), "contactpersonen"),
        ],
    )
    def test_bad_input_is_refused(
        self, world: World, name: str, pupils: tuple[str, ...], contacts: tuple[str, ...], path: str
    ) -> None:
        manager = world.actor("schooladmin")
        group = create_group(world.uow(), world.clock, manager, CreateGroup(world.ids["po"], "8c"))
        command = UpdateGroup(
            group_id=group.id,
            name=name,
            pupil_ids=frozenset(999 for _ in pupils),
            contact_user_ids=frozenset(world.users[c].id for c in contacts),
        )
        with pytest.raises(Rejected) as refused:
            update_group(world.uow(), world.clock, manager, command)
        assert refused.value.violations[0].path == path

    def test_only_managers_of_the_school_manage_groups(self, world: World) -> None:
        with pytest.raises(Forbidden):
            create_group(
                world.uow(), world.clock, world.actor("teacher"), CreateGroup(world.ids["po"], "8x")
            )
        with pytest.raises(NotFound):
            list_groups(world.uow(), world.actor("contact"), world.ids["far"])
        with pytest.raises(NotFound):
            list_groups(world.uow(), world.actor("vo"), world.ids["po"])


def _link(world: World, group_id: int, pupils: set[str], contacts: set[str]) -> None:
    """The school administrator fills a group and links contact persons."""
    command = UpdateGroup(
        group_id=group_id,
        name=world.uow().groups.get(group_id).name,
        pupil_ids=frozenset(world.ids[p] for p in pupils),
        contact_user_ids=frozenset(world.users[c].id for c in contacts),
    )
    update_group(world.uow(), world.clock, world.actor("schooladmin"), command)


def _fill(world: World, by: str, group_id: int, wanted: set[str], shown: set[str]) -> None:
    command = FillGroup(
        group_id=group_id,
        pupil_ids=frozenset(world.ids[p] for p in wanted),
        shown=frozenset(world.ids[p] for p in shown),
    )
    fill_group(world.uow(), world.clock, world.actor(by), command)


class TestFillGroups:
    def test_an_end_user_fills_a_group_but_does_not_manage_it(self, world: World) -> None:
        colleague, group_id = world.actor("colleague"), world.ids["group"]
        _, groups = list_groups(world.uow(), colleague, world.ids["po"])
        assert [g.name for g in groups] == ["8a"]
        form = group_form(world.uow(), colleague, group_id)
        assert (form.may_manage, list(form.end_users)) == (False, [])
        assert {p.name.first for p in form.pupils} == {"Anna", "Bas"}
        _fill(world, "colleague", group_id, {"anna"}, {"anna", "bas"})
        assert world.uow().pupils.get(world.ids["anna"]).group_id == group_id
        entry = world.store.audit[-1]
        assert (entry.action, entry.actor_name) == ("groep_gewijzigd", "Colleague")
        assert entry.changes[0].new == "1 toegevoegd, 0 verwijderd"
        rename = UpdateGroup(
            group_id=group_id, name="8z", pupil_ids=frozenset(), contact_user_ids=frozenset()
        )
        with pytest.raises(Forbidden):
            update_group(world.uow(), world.clock, colleague, rename)

    def test_pupils_not_shown_on_the_form_are_left_alone(self, world: World) -> None:
        group_id = world.ids["group"]
        _link(world, group_id, {"anna", "bas"}, set())
        entries = len(world.store.audit)
        _fill(world, "colleague", group_id, {"anna"}, {"anna"})  # Bas was not on the form
        assert world.uow().pupils.get(world.ids["bas"]).group_id == group_id
        assert len(world.store.audit) == entries  # nothing changed: nothing audited

    def test_a_contact_person_fills_only_own_groups_with_pupils_they_see(
        self, world: World
    ) -> None:
        manager = world.actor("schooladmin")
        other = create_group(world.uow(), world.clock, manager, CreateGroup(world.ids["po"], "8b"))
        _link(world, world.ids["group"], {"anna"}, {"teacher"})
        teacher = world.actor("teacher")
        _, groups = list_groups(world.uow(), teacher, world.ids["po"])
        assert [g.name for g in groups] == ["8a"]
        form = group_form(world.uow(), teacher, world.ids["group"])
        assert [p.name.first for p in form.pupils] == ["Anna"]  # Bas has no group: hidden
        with pytest.raises(NotFound):
            group_form(world.uow(), teacher, other.id)
        with pytest.raises(NotFound):
            _fill(world, "teacher", other.id, set(), set())
        with pytest.raises(Rejected) as refused:
            _fill(world, "teacher", world.ids["group"], {"bas"}, {"bas"})
        assert refused.value.violations[0].path == "leerlingen"
        rename = UpdateGroup(
            group_id=other.id, name="8z", pupil_ids=frozenset(), contact_user_ids=frozenset()
        )
        with pytest.raises(NotFound):  # another group stays hidden, also when renaming
            update_group(world.uow(), world.clock, teacher, rename)
        _fill(world, "teacher", world.ids["group"], set(), {"anna"})
        assert world.uow().pupils.get(world.ids["anna"]).group_id is None


def _form(**changes: object) -> SchoolForm:
    base = SchoolForm(
        board_id=1,
        kind=OrgKind.VO,
        official_name="Nieuw College",
        name="Nieuw",
        school_type="VO",
        street="Laan",
        house_number="3",
        postcode="1181ab",
        city="Amstelveen",
        brin="78GH",
        vestiging="01",
        levels=frozenset({Level.HAVO, Level.VWO}),
        capacity={Level.HAVO: 60, Level.VWO: 30, Level.PRO: 5},
    )
    return attrs.evolve(base, **changes)  # type: ignore[misc]


class TestSchools:
    def test_the_form_names_every_missing_field(self) -> None:
        with pytest.raises(Rejected) as refused:
            school_from_form(_form(official_name="", street=" ", brin="", city=""))
        assert [v.path for v in refused.value.violations] == [
            "official_name",
            "street",
            "city",
            "brin",
        ]

    def test_wrong_postcode_brin_and_capacity_are_named(self) -> None:
        with pytest.raises(Rejected) as refused:
            school_from_form(_form(postcode="123", brin="XX", capacity={Level.HAVO: -1}))
        assert [v.path for v in refused.value.violations] == ["postcode", "brin", "capaciteit.havo"]

    def test_vo_keeps_levels_and_capacity_po_does_not(self) -> None:
        vo = school_from_form(_form())
        assert vo.capacity == {Level.HAVO: 60, Level.VWO: 30}
        assert vo.location == SchoolLocation("78GH", "01")
        po = school_from_form(_form(kind=OrgKind.PO))
        assert (po.levels, po.capacity) == (frozenset(), {})

    def test_the_admin_adds_schools_and_boards(self, world: World) -> None:
        admin = world.actor("admin")
        school = add_school(world.uow(), world.clock, admin, _form(board_id=world.ids["board"]))
        assert school.id
        with pytest.raises(Rejected):  # same BRIN + vestiging
            add_school(world.uow(), world.clock, admin, _form(board_id=world.ids["board"]))
        board = add_board(
            world.uow(), world.clock, admin, AddBoard(" Nieuw  Bestuur ", "Ria", "RIA@X.NL")
        )
        assert (board.name, board.contact_email) == ("Nieuw Bestuur", "RIA@x.nl")
        assert len(list_boards(world.uow(), admin)) == 3
        with pytest.raises(Rejected):
            add_board(world.uow(), world.clock, admin, AddBoard("", contact_email="geen"))
        with pytest.raises(Forbidden):
            add_school(world.uow(), world.clock, world.actor("contact"), _form())

    def test_board_contacts_and_school_admins_edit_within_reach(self, world: World) -> None:
        contact, schooladmin = world.actor("contact"), world.actor("schooladmin")
        assert {s.name for s in list_schools(world.uow(), contact)} == {"Regenboog", "Lyceum"}
        assert [s.name for s in list_schools(world.uow(), schooladmin)] == ["Regenboog"]
        assert len(list_schools(world.uow(), world.actor("admin"))) == 3
        with pytest.raises(Forbidden):
            list_schools(world.uow(), world.actor("teacher"))
        school = get_school(world.uow(), schooladmin, world.ids["po"])
        form = _form(
            board_id=school.board_id,
            kind=OrgKind.PO,
            brin="12AB",
            vestiging="00",
            official_name=school.official_name,
            name=school.name,
            director="Dirk",
        )
        stored = update_school(world.uow(), world.clock, schooladmin, school.id, form)
        assert stored.director == "Dirk"
        assert {c.path for c in world.store.audit[-1].changes} >= {"director", "address"}
        same = attrs.evolve(form, version=stored.version)
        assert update_school(world.uow(), world.clock, schooladmin, school.id, same) == stored
        with pytest.raises(Forbidden):  # BRIN changes stay with ELK beheer
            update_school(
                world.uow(), world.clock, contact, school.id, attrs.evolve(same, brin="99ZZ")
            )
        with pytest.raises(NotFound):
            get_school(world.uow(), contact, world.ids["far"])

    def test_after_the_capacity_deadline_only_elk_beheer_changes_a_capacity(
        self, world: World
    ) -> None:
        def deadline(days: int) -> None:
            with world.uow() as uow:
                day = world.clock.now().date() + dt.timedelta(days=days)
                uow.settings.save_timeline(Timeline(capacity_deadline=day))
                uow.commit()

        contact, admin = world.actor("contact"), world.actor("admin")
        vo = world.ids["vo"]
        form = _form(board_id=world.ids["board"], brin="34CD", vestiging="00", name="Lyceum",
                     official_name="Lyceum", kind=OrgKind.VO)  # fmt: skip
        deadline(0)  # the last day: still open
        saved = update_school(world.uow(), world.clock, contact, vo, form)
        assert saved.capacity[Level.HAVO] == 60
        deadline(-1)
        fewer = attrs.evolve(form, capacity={Level.HAVO: 50}, version=saved.version)
        with pytest.raises(Rejected) as refused:
            update_school(world.uow(), world.clock, contact, vo, fewer)
        assert refused.value.violations[0].message.startswith("De capaciteit staat vast sinds")
        renamed = attrs.evolve(form, director="Dirk", version=saved.version)  # same seats
        saved = update_school(world.uow(), world.clock, contact, vo, renamed)
        fewer = attrs.evolve(fewer, version=saved.version)
        assert update_school(world.uow(), world.clock, admin, vo, fewer).capacity[Level.HAVO] == 50

    def test_the_admin_may_move_a_school_but_not_onto_a_taken_location(self, world: World) -> None:
        admin = world.actor("admin")
        school = world.uow().schools.get(world.ids["po"])
        form = _form(board_id=school.board_id, kind=OrgKind.PO, brin="56EF", vestiging="00")
        with pytest.raises(Rejected):
            update_school(world.uow(), world.clock, admin, school.id, form)
        moved = update_school(
            world.uow(), world.clock, admin, school.id, attrs.evolve(form, brin="11AA")
        )
        assert moved.location.brin == "11AA"


class TestImpersonation:
    def test_a_board_contact_acts_as_a_user_and_ends_by_logging_out(self, world: World) -> None:
        contact = world.actor("contact")
        started = start_impersonation(world.uow(), world.clock, contact, world.users["teacher"].id)
        helped = started.actor
        assert (helped.user_id, helped.impersonator_id) == (
            world.users["teacher"].id,
            contact.user_id,
        )
        args = (
            helped.user_id,
            started.session_version,
            contact.user_id,
            started.impersonator_version,
        )
        assert impersonated_actor(world.uow(), *args) == helped
        end_impersonation(world.uow(), world.clock, helped)
        assert impersonated_actor(world.uow(), *args) is None  # the helper's version moved on
        assert [e.action for e in world.store.audit] == [
            "inloggen_als_gestart",
            "inloggen_als_beeindigd",
        ]
        assert world.store.audit[-1].impersonator_id == contact.user_id
        lines = audit_lines(world.uow(), world.actor("schooladmin"))
        assert lines[0].impersonator_name == "Contact"
        assert lines[0].action == "inloggen als beeindigd"

    def test_impersonation_stops_when_rights_or_accounts_change(self, world: World) -> None:
        contact = world.actor("contact")
        started = start_impersonation(world.uow(), world.clock, contact, world.users["teacher"].id)
        args = [
            started.actor.user_id,
            started.session_version,
            contact.user_id,
            started.impersonator_version,
        ]
        assert impersonated_actor(world.uow(), 999, *args[1:]) is None
        uow = world.uow()
        uow.users.update(
            attrs.evolve(
                uow.users.get(contact.user_id), school_id=None, board_id=world.ids["far_board"]
            )
        )
        uow.commit()
        assert impersonated_actor(world.uow(), *args) is None  # moved to another board

    def test_limits(self, world: World) -> None:
        contact = world.actor("contact")
        with pytest.raises(Forbidden):  # no school administrator impersonates
            start_impersonation(
                world.uow(), world.clock, world.actor("schooladmin"), world.users["teacher"].id
            )
        with pytest.raises(NotFound):
            start_impersonation(world.uow(), world.clock, contact, world.users["far"].id)
        uow = world.uow()
        uow.users.update(attrs.evolve(world.users["teacher"], active=False))
        uow.commit()
        with pytest.raises(Rejected):
            start_impersonation(world.uow(), world.clock, contact, world.users["teacher"].id)
        end_impersonation(world.uow(), world.clock, contact)  # not impersonating: nothing
        ghost = attrs.evolve(world.actor("teacher"), impersonator_id=999)
        end_impersonation(world.uow(), world.clock, ghost)  # helper gone: nothing
        assert world.store.audit == []


class TestAuditPage:
    def test_each_reader_sees_their_part(self, world: World) -> None:
        add_board(world.uow(), world.clock, world.actor("admin"), AddBoard("B"))
        world.clock.advance(dt.timedelta(minutes=1))
        create_group(
            world.uow(), world.clock, world.actor("schooladmin"), CreateGroup(world.ids["po"], "8z")
        )
        assert [line.action for line in audit_lines(world.uow(), world.actor("admin"))] == [
            "groep aangemaakt",
            "bestuur aangemaakt",
        ]
        assert [line.subject for line in audit_lines(world.uow(), world.actor("contact"))] == [
            "group 2"
        ]
        assert len(audit_lines(world.uow(), world.actor("schooladmin"))) == 1
        with pytest.raises(Forbidden):
            audit_lines(world.uow(), world.actor("teacher"))


def test_role_choices_have_dutch_labels() -> None:
    assert [c.label for c in RoleChoice][:2] == ["Beheerder", "Invoeren en accorderen"]


def test_vo_changes_are_audited_in_words(world: World) -> None:
    admin = world.actor("admin")
    school = world.uow().schools.get(world.ids["vo"])
    form = _form(board_id=school.board_id, brin="34CD", vestiging="00", kind=OrgKind.VO)
    update_school(world.uow(), world.clock, admin, school.id, form)
    changes = {c.path: c.new for c in world.store.audit[-1].changes}
    assert changes["levels"] == "havo, vwo"
    assert changes["capacity"] == "havo: 60, vwo: 30"
    options = attrs.evolve(form, offers_priority=True, offers_equivalent_level=False, version=2)
    stored = update_school(world.uow(), world.clock, admin, school.id, options)
    assert (stored.offers_priority, stored.offers_equivalent_level) == (True, False)
    changes = {c.path: (c.old, c.new) for c in world.store.audit[-1].changes}
    assert changes == {"offers_priority": ("nee", "ja"), "offers_equivalent_level": ("ja", "nee")}
    as_po = attrs.evolve(form, kind=OrgKind.PO, version=3, offers_priority=True)
    stored = update_school(world.uow(), world.clock, admin, school.id, as_po)
    assert not stored.offers_priority  # a PO school offers no first-choice options
    assert {c.path: c.new for c in world.store.audit[-1].changes}["kind"] == "po"


def test_the_audit_page_names_a_helper_once_even_when_gone(world: World) -> None:
    from elk_domain.kernel.audit import AuditEntry

    uow = world.uow()
    for _ in range(2):
        uow.audit.record(
            AuditEntry(at=world.clock.now(), actor_id=1, actor_name="X", action="iets",
                       subject_type="pupil", subject_id=1, school_id=world.ids["po"],
                       impersonator_id=999)
        )  # fmt: skip
    uow.commit()
    lines = audit_lines(world.uow(), world.actor("admin"))
    assert [line.impersonator_name for line in lines] == ["gebruiker 999"] * 2
