"""A region with one primary school, six VO schools and one pupil with a havo advice, for the
use cases of the parents' side (login, registration, priority) and other core services."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.kernel.advice import Level
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Board, Group, Period, School, Timeline
from elk_domain.parents import login as parent_login
from elk_domain.pupils.model import ParentLoginStatus, Pupil
from elk_domain.testing import (
    FixedClock,
    InMemoryMailer,
    InMemoryStore,
    InMemoryUnitOfWork,
    InsecurePlainHasher,
    SeededRandom,
)

S = ParentLoginStatus
NOW = dt.datetime(2025, 3, 18, 10, 0, tzinfo=dt.UTC)
TIMELINE = Timeline(
    parent_login=Period(dt.date(2025, 3, 17), dt.date(2025, 3, 24)),
    registration=Period(dt.date(2025, 3, 17), dt.date(2025, 4, 4)),
    registration_week=Period(dt.date(2025, 3, 24), dt.date(2025, 3, 28)),
    placement_date=dt.date(2025, 4, 15),
)
LINKS = parent_login.PortalLinks(
    login_url="https://elk.test/ouder", set_password_url="https://elk.test/ouder/wachtwoord/{token}"
)
HAND = Provenance(Source.HAND, NOW, "juf")
ADDRESS = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")


def _school(name: str, board_id: int, kind: OrgKind, brin: str, **kw: object) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=kind,
        official_name=name,
        name=name,
        school_type="x",
        address=ADDRESS,
        location=SchoolLocation.parse(brin),
        **kw,
    )


@attrs.define
class World:
    store: InMemoryStore = attrs.Factory(InMemoryStore)
    clock: FixedClock = attrs.Factory(lambda: FixedClock(NOW))
    mailer: InMemoryMailer = attrs.Factory(InMemoryMailer)
    random: SeededRandom = attrs.Factory(lambda: SeededRandom(42))
    ids: dict[str, int] = attrs.Factory(dict)

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def setup(self) -> World:
        with self.uow() as uow:
            board = uow.boards.add(Board(0, "Bestuur"))
            po = uow.schools.add(_school("De Linde", board.id, OrgKind.PO, "12AB"))
            group = uow.groups.add(Group(0, po.id, "8a"))
            vo_ids = [
                uow.schools.add(
                    _school(
                        f"VO {n}",
                        9,
                        OrgKind.VO,
                        f"{20 + n}VO",
                        levels=frozenset(Level),
                        offers_priority=True,
                    )
                ).id
                for n in range(6)
            ]
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(78018),
                    school_id=po.id,
                    name=PersonName("Proef", "Kind"),
                    group_id=group.id,
                )
            )
            values = {
                fields.ADVICE_DEFINITIVE: "havo",
                fields.FINAL_TEST_OUTCOME: "havo",
                fields.PARENT_EMAIL: "ouder@example.nl",
            }
            uow.okidocs.add(
                OkiDoc(
                    id=0,
                    pupil_id=pupil.id,
                    status=OkiStatus.DEFINITIEF,
                    fields={p: FieldValue(v, HAND) for p, v in values.items()},
                )
            )
            uow.settings.save_timeline(TIMELINE)
            uow.commit()
        self.ids = {"board": board.id, "po": po.id, "group": group.id, "pupil": pupil.id}
        self.ids.update({f"vo{n}": i for n, i in enumerate(vo_ids)})
        return self

    def teacher(self) -> Actor:
        return Actor(
            user_id=10,
            name="Juf Ans",
            role=Role.END_USER,
            board_id=self.ids["board"],
            school_id=self.ids["po"],
        )

    def vo_user(self, n: int = 0) -> Actor:
        return Actor(user_id=20, name="Meneer VO", role=Role.VO_USER, school_id=self.ids[f"vo{n}"])

    def admin(self) -> Actor:
        return Actor(user_id=1, name="Beheer", role=Role.FUNCTIONAL_ADMIN)

    def pupil(self) -> Pupil:
        with self.uow() as uow:
            return uow.pupils.get(self.ids["pupil"])

    def audit_actions(self) -> list[str]:
        return [e.action for e in self.store.audit]

    def queued(self) -> list[OutgoingMail]:
        """The mail waiting in the outbox (queued by committed use cases, not yet delivered)."""
        with self.uow() as uow:
            return [queued.mail for queued in uow.mail_queue.unsent()]

    def sent(self) -> list[OutgoingMail]:
        """The mail sent after a delivery round of the outbox (what the worker does)."""
        deliver_pending_mail(self.uow(), self.clock, self.mailer)
        return self.mailer.sent

    def send_login(self) -> str:
        cmd = parent_login.SendParentLogin(self.ids["pupil"])
        parent_login.send_parent_login(
            self.uow(), self.clock, self.random, self.teacher(), cmd, LINKS
        )
        return self.sent()[-1].body.split("/wachtwoord/")[1].split()[0]

    def activate(self) -> Actor:
        token = self.send_login()
        cmd = parent_login.SetParentPassword(token, "geheim1234", "geheim1234")
        return parent_login.set_parent_password(self.uow(), self.clock, InsecurePlainHasher(), cmd)
