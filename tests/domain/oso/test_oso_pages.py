"""What the OSO pages show around the use cases: school choice, delivery point, pupils' names."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.domain.oso_world import (
    ADMIN,
    BOARD,
    BSN_A,
    BSN_B,
    NOW,
    OTHER_SCHOOL,
    SCHOOL,
    STRANGER,
    TEACHER,
    VO_SCHOOL,
    World,
    dossier,
    notice,
)

from elk_domain.errors import Forbidden, NotFound, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.oso.batch import SyncOutcome
from elk_domain.oso.config import store_notifications
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.pages import notifications_page, oso_school, sync_selected, transfer


@pytest.fixture
def world() -> World:
    return World().seed()


class TestOsoSchool:
    def test_staff_get_their_own_school_and_no_other_choice(self, world: World) -> None:
        page = oso_school(world.uow(), TEACHER)
        assert page.school.id == SCHOOL
        assert [s.id for s in page.choices] == [SCHOOL]
        assert not page.point.registered
        assert page.point.location == page.school.location

    def test_the_stored_point_is_shown(self, world: World) -> None:
        world.registered()
        assert oso_school(world.uow(), TEACHER).point.usable

    def test_a_board_contact_picks_among_the_boards_primary_schools(self, world: World) -> None:
        page = oso_school(world.uow(), BOARD)
        assert page.school.id == SCHOOL
        assert [s.id for s in page.choices] == [SCHOOL]  # the VO school is left out

    def test_the_functional_admin_may_choose_any_primary_school(self, world: World) -> None:
        page = oso_school(world.uow(), ADMIN, OTHER_SCHOOL)
        assert page.school.id == OTHER_SCHOOL
        assert {s.id for s in page.choices} == {SCHOOL, OTHER_SCHOOL}

    def test_another_boards_school_is_hidden(self, world: World) -> None:
        with pytest.raises(NotFound):
            oso_school(world.uow(), STRANGER, SCHOOL)

    def test_a_vo_school_is_refused(self, world: World) -> None:
        with pytest.raises(Rejected):
            oso_school(world.uow(), ADMIN, VO_SCHOOL)

    def test_without_any_primary_school_the_page_says_so(self, world: World) -> None:
        nobody = Actor(user_id=9, name="Leeg", role=Role.BOARD_CONTACT, board_id=99)
        with pytest.raises(Rejected, match="geen basisschool"):
            oso_school(world.uow(), nobody)

    def test_a_vo_user_may_not(self, world: World) -> None:
        vo = Actor(user_id=8, name="Vera", role=Role.VO_USER, board_id=1, school_id=VO_SCHOOL)
        with pytest.raises((Forbidden, NotFound)):
            oso_school(world.uow(), vo)


class TestSyncSelected:
    def test_reports_each_pupil_with_its_name(self, world: World) -> None:
        synced, empty = world.add_pupil(BSN_A), world.add_pupil(BSN_B)
        world.ready(dossier(BSN_A, first="Noor"))
        named = sync_selected(world.ports, TEACHER, [synced, empty], MergeMode.FILL)
        outcomes = [item.outcome for item in named.report.items]
        assert outcomes == [SyncOutcome.SYNCED, SyncOutcome.NO_DOSSIER]
        assert named.names == {synced: "Sam Jansen", empty: "Sam Jansen"}

    def test_a_preview_changes_nothing(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, first="Noor"))
        named = sync_selected(world.ports, TEACHER, [pupil], MergeMode.OVERWRITE, preview=True)
        assert named.report.preview
        assert named.report.items[0].change_count > 0
        assert world.okidoc(pupil).fields == {}

    def test_nothing_selected_is_refused(self, world: World) -> None:
        with pytest.raises(Rejected, match="Selecteer"):
            sync_selected(world.ports, TEACHER, [], MergeMode.FILL)
        with pytest.raises(Rejected, match="bulkactie"):
            sync_selected(world.ports, TEACHER, [], None)

    def test_permission_comes_before_the_form(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        with pytest.raises(NotFound):
            sync_selected(world.ports, STRANGER, [pupil], None)
        with pytest.raises(Rejected, match="bulkactie"):
            sync_selected(world.ports, TEACHER, [pupil], None)
        vo_user = Actor(user_id=8, name="Vera", role=Role.VO_USER, board_id=1, school_id=VO_SCHOOL)
        with pytest.raises(Forbidden):
            sync_selected(world.ports, vo_user, [], None)


class TestTransfer:
    def test_created_pupils_come_back_with_their_names(self, world: World) -> None:
        world.registered()
        world.ready(dossier(BSN_A, first="Noor"))
        named = transfer(world.ports, TEACHER, SCHOOL, f"{BSN_A}\n{BSN_B}\nrommel")
        created, missing = named.report.items
        assert created.outcome is SyncOutcome.CREATED
        assert missing.pupil_id is None
        assert created.pupil_id is not None
        assert named.names == {created.pupil_id: "Noor Jansen"}


class TestNotificationsPage:
    def test_lists_the_chosen_schools_messages(self, world: World) -> None:
        world.gateway.notify(notice("k1", NOW - dt.timedelta(days=1)))
        world.registered()
        store_notifications(world.uow(), world.gateway, world.clock, TEACHER, SCHOOL)
        page = notifications_page(world.uow(), BOARD)
        assert page.school.school.id == SCHOOL
        assert [n.notification.key for n in page.items] == ["k1"]
