"""The world the OSO use-case tests share: fixed ids, sample dossiers and an in-memory ELK
(store, OSO gateway fake, file store) with a school registered at OSO. A fixtures module, not a
test module: ``test_oso_*`` modules import their builders from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, Bsn, ElkNumber, PersonName, SchoolLocation, SchoolYear
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc, Scalar
from elk_domain.okidoc.model import TestResult as Result
from elk_domain.organisation.model import Board, Group, School
from elk_domain.oso.batch import BatchPorts
from elk_domain.oso.delivery_point import (
    DeliveryPoint,
    NotificationKind,
    OsoNotification,
    StoredNotification,
)
from elk_domain.oso.dossiers.dossier import DossierAttachment, OsoDossier
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.pupils.model import Pupil
from elk_domain.testing import (
    FixedClock,
    InlineOsoBatch,
    InMemoryFileStore,
    InMemoryOsoGateway,
    InMemoryStore,
    InMemoryUnitOfWork,
)

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
FILL = MergeOptions(mode=MergeMode.FILL)  # a sync's, and "Aanvragen overdracht"'s, default
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

    @property
    def ports(self) -> BatchPorts:
        """What the batch use cases run on: this world's units of work, ``batch``, files, clock."""
        return BatchPorts(self.uow, self.batch, self.files, self.clock)

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


def stored(key: str, at: dt.datetime, school_id: int = SCHOOL) -> StoredNotification:
    return StoredNotification(
        id=0, school_id=school_id, notification=notice(key, at), received_at=at
    )


def changed_paths(entries: Iterable[object]) -> set[str]:
    return {c.path for e in entries for c in getattr(e, "changes", ())}
