"""The in-memory OSO fakes (gateway and repositories) the OSO use-case tests rely on."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.oso_world import (
    BSN_A,
    BSN_B,
    ELSEWHERE,
    HERE,
    KEY,
    NOW,
    NUMBER,
    OTHER_SCHOOL,
    SCHOOL,
    World,
    dossier,
    notice,
    stored,
)

from elk_domain.errors import Conflict, Rejected, Unavailable
from elk_domain.oso.delivery_point import DeliveryPoint, NotificationKind


@pytest.fixture
def world() -> World:
    return World().seed()


class TestInMemoryOsoGateway:
    def test_registering_needs_the_number_and_key_from_mijn_oso(self, world: World) -> None:
        gateway = world.gateway
        assert not gateway.ping(HERE).registered
        with pytest.raises(Rejected):
            gateway.register_delivery_point(HERE, NUMBER, "fout")
        with pytest.raises(Rejected):
            gateway.register_delivery_point(ELSEWHERE, NUMBER, KEY)
        status = gateway.register_delivery_point(HERE, NUMBER, KEY)
        assert (status.registered, status.may_request, status.routing_key) == (
            True,
            True,
            "elk-12AB00",
        )

    def test_requests_need_a_registered_point_that_may_request(self, world: World) -> None:
        gateway = world.gateway
        with pytest.raises(Rejected):
            gateway.request_transfer(HERE, BSN_A)
        gateway.register_delivery_point(HERE, NUMBER, KEY)
        ticket = gateway.request_transfer(HERE, BSN_A)
        assert (ticket.bsn, ticket.session_id) == (BSN_A, "sessie-1")
        gateway.switch_off(HERE, NOW)
        assert not gateway.ping(HERE).may_request
        with pytest.raises(Rejected):
            gateway.request_transfer(HERE, BSN_A)
        [message] = gateway.notifications(HERE)
        assert message.kind is NotificationKind.SWITCHED_OFF

    def test_dossiers_are_ready_per_location_and_bsn(self, world: World) -> None:
        world.ready(dossier(BSN_A))
        assert world.gateway.fetch_dossier(HERE, BSN_A) is not None
        assert world.gateway.fetch_dossier(ELSEWHERE, BSN_A) is None
        assert world.gateway.fetch_dossier(HERE, BSN_B) is None

    def test_faults_are_injected_per_bsn_and_healed(self, world: World) -> None:
        world.gateway.fail(BSN_A, Unavailable("weg"))
        with pytest.raises(Unavailable):
            world.gateway.fetch_dossier(HERE, BSN_A)
        assert world.gateway.fetch_dossier(HERE, BSN_B) is None
        world.gateway.heal(BSN_A)
        assert world.gateway.fetch_dossier(HERE, BSN_A) is None

    def test_offline_means_unavailable_everywhere(self, world: World) -> None:
        world.gateway.offline = True
        with pytest.raises(Unavailable):
            world.gateway.ping(HERE)
        with pytest.raises(Unavailable):
            world.gateway.notifications(HERE)

    def test_notifications_come_oldest_first(self, world: World) -> None:
        world.gateway.switch_off(HERE)
        world.gateway.notify(notice("b", NOW))
        world.gateway.notify(notice("a", NOW - dt.timedelta(hours=1)))
        assert [n.key for n in world.gateway.notifications(HERE)] == ["a", "b"]


class TestInMemoryRepositories:
    def test_a_delivery_point_is_saved_with_a_version_check(self, world: World) -> None:
        with world.uow() as uow:
            first = uow.delivery_points.save(DeliveryPoint(school_id=SCHOOL, location=HERE))
            assert first.version == 1
            with pytest.raises(Conflict):
                uow.delivery_points.save(DeliveryPoint(school_id=SCHOOL, location=HERE))
            second = uow.delivery_points.save(attrs.evolve(first, number="1"))
            uow.delivery_points.save(DeliveryPoint(school_id=OTHER_SCHOOL, location=ELSEWHERE))
            uow.commit()
        assert second.version == 2
        with world.uow() as uow:
            listed = uow.delivery_points.list([OTHER_SCHOOL, SCHOOL, 99])
            assert [p.school_id for p in listed] == [SCHOOL, OTHER_SCHOOL]

    def test_the_key_never_shows_in_a_repr(self) -> None:
        point = DeliveryPoint(school_id=1, location=HERE, number=NUMBER, key=KEY)
        assert KEY not in repr(point)
        assert not point.usable

    def test_a_notification_is_stored_once_per_school(self, world: World) -> None:
        with world.uow() as uow:
            assert uow.oso_notifications.add(stored("a", NOW))
            assert not uow.oso_notifications.add(stored("a", NOW))
            assert uow.oso_notifications.add(stored("a", NOW, school_id=OTHER_SCHOOL))
            assert uow.oso_notifications.add(stored("b", NOW + dt.timedelta(hours=1)))
            uow.commit()
        with world.uow() as uow:
            assert [n.notification.key for n in uow.oso_notifications.for_school(SCHOOL)] == [
                "b",
                "a",
            ]
            assert len(uow.oso_notifications.for_school(SCHOOL, limit=1)) == 1

    def test_uncommitted_work_is_thrown_away(self, world: World) -> None:
        with world.uow() as uow:
            uow.delivery_points.save(DeliveryPoint(school_id=SCHOOL, location=HERE))
            uow.oso_notifications.add(stored("a", NOW))
        assert world.point() is None
        with world.uow() as uow:
            assert list(uow.oso_notifications.for_school(SCHOOL)) == []
