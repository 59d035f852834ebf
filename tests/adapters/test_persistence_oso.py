"""Repository contract for OSO: delivery points and notifications.

Runs on the in-memory fake, SQLite and PostgreSQL alike (``uow_factory`` and ``world`` come
from tests/adapters/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from elk_domain.errors import Conflict
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.delivery_point import (
    DeliveryPoint,
    NotificationKind,
    OsoNotification,
    StoredNotification,
)
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
World = Any  # tests/adapters/conftest.py World
NOW = dt.datetime(2026, 1, 12, 9, 30, tzinfo=dt.UTC)
AMSTERDAM = dt.timezone(dt.timedelta(hours=1))


def point(world: World, **changes: Any) -> DeliveryPoint:
    """The PO school's delivery point with every field set."""
    base = DeliveryPoint(
        school_id=world.po.id,
        location=world.po.location,
        number="4711",
        key="geheime-sleutel",
        registered=True,
        may_request=True,
        routing_key="0000000700012AB0012345",
        last_ping_at=NOW,
        last_error="",
    )
    return attrs.evolve(base, **changes)


def message(world: World, key: str, minute: int, **changes: Any) -> StoredNotification:
    """A stored notification for the PO school."""
    note = OsoNotification(
        location=world.po.location,
        key=key,
        kind=NotificationKind.DOSSIER_READY,
        at=NOW + dt.timedelta(minutes=minute),
        text=f"Dossier {key} staat klaar.",
        bsn=Bsn("111222333"),
    )
    return StoredNotification(
        id=0,
        school_id=world.po.id,
        notification=attrs.evolve(note, **changes),
        received_at=NOW + dt.timedelta(hours=1),
    )


class TestDeliveryPoints:
    def test_a_school_without_a_point_has_none(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            assert uow.delivery_points.for_school(world.po.id) is None
            assert list(uow.delivery_points.list([world.po.id, world.vo.id])) == []

    def test_saved_point_reads_back_field_for_field(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            stored = uow.delivery_points.save(
                point(world, last_ping_at=dt.datetime(2026, 1, 12, 10, 30, tzinfo=AMSTERDAM))
            )
            uow.commit()
        assert stored.version == 1
        with uow_factory() as uow:
            found = uow.delivery_points.for_school(world.po.id)
        assert found == stored
        assert found is not None
        assert found.key == "geheime-sleutel"
        assert found.last_ping_at == dt.datetime(2026, 1, 12, 9, 30, tzinfo=dt.UTC)

    def test_update_bumps_the_version_and_refuses_a_stale_one(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            first = uow.delivery_points.save(point(world))
            uow.commit()
        with uow_factory() as uow:
            second = uow.delivery_points.save(
                attrs.evolve(
                    first, may_request=False, last_error="Uitgeschakeld", last_ping_at=None
                )
            )
            uow.commit()
        assert second.version == 2
        with uow_factory() as uow:
            with pytest.raises(Conflict):
                uow.delivery_points.save(attrs.evolve(first, number="9999"))
            assert uow.delivery_points.for_school(world.po.id) == second

    def test_a_second_first_save_is_a_conflict(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            uow.delivery_points.save(point(world))
            uow.commit()
        with uow_factory() as uow, pytest.raises(Conflict):
            uow.delivery_points.save(point(world, number="1234"))

    def test_list_gives_only_the_asked_schools_by_id(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            vo_point = uow.delivery_points.save(
                point(world, school_id=world.vo.id, location=world.vo.location)
            )
            po_point = uow.delivery_points.save(point(world))
            uow.commit()
        with uow_factory() as uow:
            both = list(uow.delivery_points.list([world.vo.id, world.po.id]))
            only = list(uow.delivery_points.list(iter([world.vo.id])))
        assert both == sorted([po_point, vo_point], key=lambda p: p.school_id)
        assert only == [vo_point]

    def test_without_commit_nothing_is_kept(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            uow.delivery_points.save(point(world))
        with uow_factory() as uow:
            assert uow.delivery_points.for_school(world.po.id) is None


class TestOsoNotifications:
    def test_new_keys_are_stored_and_repeats_refused(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            assert uow.oso_notifications.add(message(world, "a", 0)) is True
            assert uow.oso_notifications.add(message(world, "a", 5)) is False
            assert uow.oso_notifications.add(message(world, "b", 1)) is True
            uow.commit()
        with uow_factory() as uow:
            assert uow.oso_notifications.add(message(world, "b", 1)) is False
            assert uow.oso_notifications.add(message(world, "c", 2)) is True
            uow.commit()
        with uow_factory() as uow:
            keys = [n.notification.key for n in uow.oso_notifications.for_school(world.po.id)]
        assert keys == ["c", "b", "a"]

    def test_the_same_key_at_another_school_is_another_notification(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        elsewhere = attrs.evolve(message(world, "a", 0), school_id=world.vo.id)
        with uow_factory() as uow:
            assert uow.oso_notifications.add(message(world, "a", 0))
            assert uow.oso_notifications.add(elsewhere)
            uow.commit()
        with uow_factory() as uow:
            assert len(uow.oso_notifications.for_school(world.po.id)) == 1
            assert len(uow.oso_notifications.for_school(world.vo.id)) == 1

    def test_reads_back_field_for_field_newest_first_with_limit(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        off = message(
            world,
            "uit",
            10,
            kind=NotificationKind.SWITCHED_OFF,
            bsn=None,
            location=SchoolLocation("12AB", "01"),
        )
        with uow_factory() as uow:
            for each in (message(world, "x", 0), off, message(world, "y", 10)):
                uow.oso_notifications.add(each)
            uow.commit()
        with uow_factory() as uow:
            found = list(uow.oso_notifications.for_school(world.po.id))
            newest = list(uow.oso_notifications.for_school(world.po.id, limit=1))
        # Same time: the later arrival first.
        assert [n.notification.key for n in found] == ["y", "uit", "x"]
        assert newest == found[:1]
        assert found[1].notification == off.notification
        assert found[1].school_id == world.po.id
        assert found[1].received_at == off.received_at
        assert found[1].id > 0

    @pytest.mark.parametrize("kind", list(NotificationKind))
    def test_every_kind_reads_back_also_elks_own_fix_in_las(
        self, uow_factory: UowFactory, world: World, kind: NotificationKind
    ) -> None:
        # FIX_IN_LAS carries the official rules' messages, often long (decision 0044).
        long_text = "Herstel dit in het LAS. " + "Melding: een lange officiële tekst. " * 40
        note = message(world, "k", 0, kind=kind, text=long_text)
        with uow_factory() as uow:
            uow.oso_notifications.add(note)
            uow.commit()
        with uow_factory() as uow:
            [found] = uow.oso_notifications.for_school(world.po.id)
        assert found.notification == note.notification
