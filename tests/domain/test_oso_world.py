"""The in-memory OSO (gateway fake and repositories), and the world the OSO use-case tests share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs
import pytest

from elk_domain.errors import Conflict, Rejected, Unavailable
from elk_domain.memory import FixedClock, InMemoryFileStore, InMemoryStore, InMemoryUnitOfWork
from elk_domain.memory_oso import InlineOsoBatch, InMemoryOsoGateway
from elk_domain.model import fields as f
from elk_domain.model.delivery_point import DeliveryPoint, StoredNotification
from elk_domain.model.dossier import DossierAttachment, OsoDossier
from elk_domain.model.okidoc import OkiDoc, Scalar
from elk_domain.model.okidoc import TestResult as Result
from elk_domain.model.organisation import Board, Group, OrgKind, School
from elk_domain.model.oso_transport import NotificationKind, OsoNotification
from elk_domain.model.people import Actor, Role
from elk_domain.model.pupil import Pupil
from elk_domain.model.values import Address, Bsn, ElkNumber, PersonName, SchoolLocation, SchoolYear

NOW = dt.datetime(2025, 3, 17, 9, tzinfo=dt.UTC)
HERE = SchoolLocation.parse("12AB00")
ELSEWHERE = SchoolLocation.parse("34CD00")
VO_LOCATION = SchoolLocation.parse("56EF00")
NUMBER, KEY = "4711", "sleutel-uit-mijn-oso"
SCHOOL, OTHER_SCHOOL, VO_SCHOOL = 1, 2, 3
BSN_A, BSN_B, BSN_C = Bsn.parse("123456782"), Bsn.parse("111222333"), Bsn.parse("010000008")

ADMIN = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN)
BOARD = Actor(user_id=2, name="Bert", role=Role.BOARD_CONTACT, board_id=1)
OTHER_BOARD = Actor(user_id=3, name="Olga", role=Role.BOARD_CONTACT, board_id=2)
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=SCHOOL)
STRANGER = Actor(user_id=5, name="Piet", role=Role.END_USER, board_id=2, school_id=OTHER_SCHOOL)
ADDRESS = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")
PDF = DossierAttachment.from_bytes(
    kind="Rapport", filename="rapport.pdf", content_type="application/pdf", data=b"%PDF-1"
)


def result(day: dt.date, subject: str = "Rekenen", score: str = "A") -> Result:
    return Result(
        school_year=SchoolYear.of(day), taken_on=day, test_name="Cito", subject=subject, score=score
    )


def dossier(
    bsn: Bsn,
    *,
    sender: SchoolLocation = HERE,
    first: str = "Sam",
    values: Mapping[str, Scalar] | None = None,
    **kwargs: object,
) -> OsoDossier:
    fields: dict[str, Scalar] = {
        f.PUPIL_FIRST_NAME: first,
        f.PUPIL_LAST_NAME: "Jansen",
        f.PUPIL_BIRTH_DATE: dt.date(2013, 5, 14),
    }
    base: dict[str, object] = {
        "sender": sender,
        "sender_name": "De Regenboog",
        "bsn": bsn,
        "dossier_date": NOW - dt.timedelta(days=1),
        "fields": fields | dict(values or {}),
    }
    return OsoDossier(**(base | kwargs))  # type: ignore[arg-type]


def _school(name: str, board_id: int, kind: OrgKind, location: SchoolLocation) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=kind,
        official_name=name,
        name=name,
        school_type="Basisschool",
        address=ADDRESS,
        location=location,
    )


@attrs.define
class World:
    """A region with a PO school on board 1 (12AB00), one on board 2 and a VO school."""

    store: InMemoryStore = attrs.Factory(InMemoryStore)
    gateway: InMemoryOsoGateway = attrs.Factory(InMemoryOsoGateway)
    files: InMemoryFileStore = attrs.Factory(InMemoryFileStore)
    clock: FixedClock = attrs.Factory(lambda: FixedClock(NOW))

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    @property
    def batch(self) -> InlineOsoBatch:
        """The batch engine's fake: one job after another, all with ``gateway``."""
        return InlineOsoBatch(self.gateway)

    def seed(self) -> World:
        with self.uow() as uow:
            uow.boards.add(Board(0, "Bestuur Een"))
            uow.boards.add(Board(0, "Bestuur Twee"))
            uow.schools.add(_school("Regenboog", 1, OrgKind.PO, HERE))
            uow.schools.add(_school("Zonnebloem", 2, OrgKind.PO, ELSEWHERE))
            uow.schools.add(_school("Lyceum", 1, OrgKind.VO, VO_LOCATION))
            uow.commit()
        self.gateway.create_delivery_point(HERE, NUMBER, KEY)
        return self

    def registered(self) -> World:
        """The delivery point of 12AB00 is registered in ELK and at OSO."""
        self.gateway.register_delivery_point(HERE, NUMBER, KEY)
        with self.uow() as uow:
            point = DeliveryPoint(
                school_id=SCHOOL, location=HERE, number=NUMBER, key=KEY, registered=True
            )
            uow.delivery_points.save(attrs.evolve(point, may_request=True))
            uow.commit()
        return self

    def add_pupil(
        self, bsn: Bsn | None, *, school_id: int = SCHOOL, group_id: int | None = None
    ) -> int:
        with self.uow() as uow:
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=school_id,
                    name=PersonName("Sam", "Jansen"),
                    bsn=bsn,
                    group_id=group_id,
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
            uow.commit()
            return pupil.id

    def add_group(self, name: str, school_id: int = SCHOOL) -> int:
        with self.uow() as uow:
            group = uow.groups.add(Group(0, school_id, name))
            uow.commit()
            return group.id

    def ready(self, *dossiers: OsoDossier, at: SchoolLocation = HERE) -> None:
        for each in dossiers:
            self.gateway.put_dossier(each, at=at)

    def okidoc(self, pupil_id: int) -> OkiDoc:
        with self.uow() as uow:
            return uow.okidocs.for_pupil(pupil_id)

    def pupils(self, school_id: int = SCHOOL) -> list[Pupil]:
        with self.uow() as uow:
            return list(uow.pupils.list(school_id))

    def actions(self) -> list[str]:
        return [e.action for e in self.store.audit]

    def point(self, school_id: int = SCHOOL) -> DeliveryPoint | None:
        with self.uow() as uow:
            return uow.delivery_points.for_school(school_id)


def notice(
    key: str, at: dt.datetime, kind: NotificationKind = NotificationKind.OTHER
) -> OsoNotification:
    return OsoNotification(location=HERE, key=key, kind=kind, at=at, text=f"melding {key}")


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


def stored(key: str, at: dt.datetime, school_id: int = SCHOOL) -> StoredNotification:
    return StoredNotification(
        id=0, school_id=school_id, notification=notice(key, at), received_at=at
    )


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


def changed_paths(entries: Iterable[object]) -> set[str]:
    return {c.path for e in entries for c in getattr(e, "changes", ())}
