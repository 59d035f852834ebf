"""OSO → Configureren and OSO notificaties (R-OSO-1/2/7)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.domain.oso_world import (
    ADMIN,
    BOARD,
    ELSEWHERE,
    HERE,
    KEY,
    NOW,
    NUMBER,
    OTHER_BOARD,
    OTHER_SCHOOL,
    SCHOOL,
    STRANGER,
    TEACHER,
    VO_SCHOOL,
    World,
    notice,
)

from elk_domain.errors import Forbidden, NotFound, Rejected, Unavailable
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import SchoolLocation
from elk_domain.oso.config import (
    delivery_points_for,
    list_notifications,
    ping_delivery_point,
    register_delivery_point,
    store_notifications,
)
from elk_domain.oso.delivery_point import DeliveryPoint, DeliveryPointStatus, NotificationKind
from elk_domain.testing import InMemoryOsoGateway


@pytest.fixture
def world() -> World:
    return World().seed()


def register(world: World, number: str = NUMBER, key: str = KEY) -> DeliveryPoint:
    return register_delivery_point(
        world.uow(), world.gateway, world.clock, BOARD, SCHOOL, number, key
    )


class TestRegisterDeliveryPoint:
    def test_success_turns_oso_and_may_request_on(self, world: World) -> None:
        point = register(world, f" {NUMBER} ", f" {KEY} ")
        assert (point.number, point.key, point.registered, point.may_request) == (
            NUMBER,
            KEY,
            True,
            True,
        )
        assert point.usable
        assert point.last_error == ""
        assert world.point() == point

    def test_the_audit_names_the_number_and_never_the_key(self, world: World) -> None:
        register(world)
        [entry] = world.store.audit
        assert entry.action == "oso.aanleverpunt_registreren"
        assert (entry.subject_type, entry.school_id, entry.detail) == ("school", SCHOOL, "geslaagd")
        assert [(c.path, c.old, c.new) for c in entry.changes] == [
            ("aanleverpuntnummer", None, NUMBER),
            ("OSO", "nee", "ja"),
            ("mag overdracht aanvragen", "nee", "ja"),
            ("aanleverpuntsleutel", None, "gewijzigd"),
        ]
        assert KEY not in repr(world.store.audit)

    def test_a_wrong_key_asks_to_check_number_key_brin_and_location(self, world: World) -> None:
        with pytest.raises(Rejected) as caught:
            register(world, key="verkeerd")
        message = caught.value.message
        assert all(word in message for word in ("aanleverpuntnummer", "sleutel", "BRIN", "12AB00"))
        point = world.point()
        assert point is not None
        assert (point.number, point.registered, point.may_request) == (NUMBER, False, False)
        assert point.last_error == message
        assert world.store.audit[-1].detail == (
            "mislukt: OSO kent dit aanleverpunt niet bij deze BRIN en vestiging."
        )

    def test_an_answer_without_registration_is_a_failure_too(self, world: World) -> None:
        class Lukewarm(InMemoryOsoGateway):
            def register_delivery_point(
                self, location: SchoolLocation, number: str, key: str
            ) -> DeliveryPointStatus:
                return DeliveryPointStatus(location=location, registered=False, may_request=True)

        world.gateway = Lukewarm()
        with pytest.raises(Rejected, match="mislukt"):
            register(world)
        point = world.point()
        assert point is not None
        assert not point.may_request
        assert world.store.audit[-1].detail == "mislukt"

    def test_registering_again_after_a_failure_works(self, world: World) -> None:
        with pytest.raises(Rejected):
            register(world, key="verkeerd")
        point = register(world)
        assert point.usable
        assert point.version == 2
        assert [c.path for c in world.store.audit[-1].changes] == [
            "OSO",
            "mag overdracht aanvragen",
            "aanleverpuntsleutel",
        ]

    def test_registering_again_after_a_switch_off_turns_requests_back_on(
        self, world: World
    ) -> None:
        register(world)
        world.gateway.switch_off(HERE)
        assert not ping(world).may_request
        point = register(world)
        assert point.usable
        assert [(c.path, c.new) for c in world.store.audit[-1].changes] == [
            ("mag overdracht aanvragen", "ja")
        ]

    def test_number_and_key_are_checked_first(self, world: World) -> None:
        with pytest.raises(Rejected) as caught:
            register(world, number="0", key=" ")
        assert [v.path for v in caught.value.violations] == [
            "aanleverpuntnummer",
            "aanleverpuntsleutel",
        ]
        assert world.point() is None

    def test_oso_down_stores_nothing(self, world: World) -> None:
        world.gateway.offline = True
        with pytest.raises(Unavailable):
            register(world)
        assert world.point() is None
        assert world.store.audit == []

    @pytest.mark.parametrize(
        ("actor", "error"), [(TEACHER, Forbidden), (OTHER_BOARD, NotFound), (STRANGER, NotFound)]
    )
    def test_only_the_board_or_the_region_configures(
        self, world: World, actor: Actor, error: type[Exception]
    ) -> None:
        with pytest.raises(error):
            register_delivery_point(
                world.uow(), world.gateway, world.clock, actor, SCHOOL, NUMBER, KEY
            )
        with pytest.raises(error):  # reach and role come before the input is judged
            register_delivery_point(world.uow(), world.gateway, world.clock, actor, SCHOOL, "", "")

    def test_a_vo_school_has_no_delivery_point(self, world: World) -> None:
        with pytest.raises(Rejected, match="basisscholen"):
            register_delivery_point(
                world.uow(), world.gateway, world.clock, ADMIN, VO_SCHOOL, NUMBER, KEY
            )


def ping(world: World, actor: Actor = BOARD) -> DeliveryPoint:
    return ping_delivery_point(world.uow(), world.gateway, world.clock, actor, SCHOOL)


class TestPingDeliveryPoint:
    def test_shows_that_the_traffic_center_switched_requests_off(self, world: World) -> None:
        register(world)
        world.gateway.switch_off(HERE)
        point = ping(world)
        assert (point.registered, point.may_request, point.last_ping_at) == (True, False, NOW)
        entry = world.store.audit[-1]
        assert entry.action == "oso.aanleverpunt_ping"
        assert [(c.path, c.old, c.new) for c in entry.changes] == [
            ("mag overdracht aanvragen", "ja", "nee")
        ]

    def test_an_unchanged_point_is_not_audited(self, world: World) -> None:
        register(world)
        world.clock.advance(dt.timedelta(hours=1))
        point = ping(world)
        assert point.usable
        assert point.last_ping_at == NOW + dt.timedelta(hours=1)
        assert world.actions() == ["oso.aanleverpunt_registreren"]

    def test_no_answer_is_recorded_not_raised(self, world: World) -> None:
        register(world)
        world.gateway.offline = True
        point = ping(world)
        assert point.usable
        assert "geen antwoord" in point.last_error
        assert world.store.audit[-1].detail == point.last_error

    def test_a_point_never_entered_cannot_be_pinged(self, world: World) -> None:
        with pytest.raises(Rejected, match="Registreer eerst"):
            ping(world)

    def test_a_teacher_may_not_ping(self, world: World) -> None:
        register(world)
        with pytest.raises(Forbidden):
            ping(world, TEACHER)


class TestDeliveryPointsFor:
    def test_a_board_sees_its_primary_schools_with_blank_points(self, world: World) -> None:
        register(world)
        rows = delivery_points_for(world.uow(), BOARD, board_id=1)
        assert [(r.school.id, r.point.usable) for r in rows] == [(SCHOOL, True)]

    def test_one_school_and_the_whole_region(self, world: World) -> None:
        [row] = delivery_points_for(world.uow(), ADMIN, school_id=OTHER_SCHOOL)
        assert (row.point.location, row.point.registered, row.point.version) == (
            ELSEWHERE,
            False,
            0,
        )
        rows = delivery_points_for(world.uow(), ADMIN)
        assert [r.school.id for r in rows] == [SCHOOL, OTHER_SCHOOL]

    def test_another_board_is_hidden_and_the_region_forbidden(self, world: World) -> None:
        with pytest.raises(NotFound):
            delivery_points_for(world.uow(), OTHER_BOARD, board_id=1)
        with pytest.raises(Forbidden):
            delivery_points_for(world.uow(), BOARD)


def fetch(world: World, actor: Actor = TEACHER) -> int:
    return store_notifications(world.uow(), world.gateway, world.clock, actor, SCHOOL)


class TestNotifications:
    def test_new_messages_are_stored_once_and_listed_newest_first(self, world: World) -> None:
        world.gateway.notify(notice("a", NOW - dt.timedelta(days=2)))
        world.gateway.notify(notice("b", NOW - dt.timedelta(days=1), NotificationKind.REJECTED))
        assert fetch(world) == 2
        assert fetch(world) == 0
        listed = list_notifications(world.uow(), TEACHER, SCHOOL)
        assert [n.notification.key for n in listed] == ["b", "a"]
        assert listed[0].received_at == NOW
        assert listed[0].notification.kind.label == "Afgekeurd"
        assert world.actions() == ["oso.notificaties_ophalen"]
        assert world.store.audit[0].detail == "2 nieuwe melding(en)"

    def test_a_switched_off_message_turns_requests_off(self, world: World) -> None:
        register(world)
        world.gateway.switch_off(HERE, NOW)
        assert fetch(world) == 1
        point = world.point()
        assert point is not None
        assert point.registered
        assert not point.may_request
        assert [(c.path, c.new) for c in world.store.audit[-1].changes] == [
            ("mag overdracht aanvragen", "nee")
        ]

    def test_a_switched_off_message_without_a_point_is_only_stored(self, world: World) -> None:
        world.gateway.notify(notice("uit", NOW, NotificationKind.SWITCHED_OFF))
        assert fetch(world) == 1
        assert world.point() is None

    def test_another_school_sees_nothing(self, world: World) -> None:
        with pytest.raises(NotFound):
            fetch(world, STRANGER)
        with pytest.raises(NotFound):
            list_notifications(world.uow(), STRANGER, SCHOOL)
        assert list_notifications(world.uow(), STRANGER, OTHER_SCHOOL) == []
