"""A small region for the database placement's use cases: one primary school, two VO schools
with one havo place each, three pupils with a havo advice who all want the first school."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Board, School, Timeline
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import FirstChoiceOptions, PreferenceList, Registration
from elk_domain.placement import operations
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryStore, InMemoryUnitOfWork, SeededRandom

NOW = dt.datetime(2027, 4, 20, 9, 0, tzinfo=dt.UTC)
HAND = Provenance(Source.HAND, NOW, "juf")
ADDRESS = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")


def _school(name: str, kind: OrgKind, brin: str, **kw: object) -> School:
    return School(
        id=0,
        board_id=1,
        kind=kind,
        official_name=name,
        name=name,
        school_type="x",
        address=ADDRESS,
        location=SchoolLocation.parse(brin),
        **kw,  # type: ignore[arg-type]
    )


@attrs.define
class PlacementWorld:
    store: InMemoryStore = attrs.Factory(InMemoryStore)
    clock: FixedClock = attrs.Factory(lambda: FixedClock(NOW))
    random: SeededRandom = attrs.Factory(lambda: SeededRandom(7))
    ids: dict[str, int] = attrs.Factory(dict)
    pupils: list[int] = attrs.Factory(list)

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def setup(self, *, advice: str = "havo") -> PlacementWorld:
        places = {"levels": frozenset({Level.HAVO}), "capacity": {Level.HAVO: 1}}
        with self.uow() as uow:
            board = uow.boards.add(Board(0, "Bestuur"))
            po = uow.schools.add(_school("De Linde", OrgKind.PO, "12AB"))
            first = uow.schools.add(_school("Keizer College", OrgKind.VO, "20VO", **places))
            second = uow.schools.add(_school("Amstel Lyceum", OrgKind.VO, "21VO", **places))
            for n in range(3):
                pupil = uow.pupils.add(
                    Pupil(
                        id=0,
                        elk_number=ElkNumber(78018 + n),
                        school_id=po.id,
                        name=PersonName(f"Kind{n}", f"Achter{n}"),
                    )
                )
                uow.okidocs.add(
                    OkiDoc(
                        id=0,
                        pupil_id=pupil.id,
                        status=OkiStatus.DEFINITIEF,
                        fields={fields.ADVICE_DEFINITIVE: FieldValue(advice, HAND)},
                    )
                )
                listed = PreferenceList(
                    school_ids=(first.id, second.id), first_choice=FirstChoiceOptions()
                )
                uow.registrations.add(
                    Registration(
                        id=0,
                        pupil_id=pupil.id,
                        procedure="amstelland",
                        preferences=listed,
                        definitive=listed,
                        updated_at=NOW,
                        definitive_at=NOW,
                    )
                )
                if n < 2:
                    uow.parent_accounts.add(
                        ParentAccount(id=0, pupil_id=pupil.id, email=f"ouder{n}@example.nl")
                    )
                self.pupils.append(pupil.id)
            uow.settings.save_timeline(Timeline(capacity_deadline=dt.date(2027, 4, 1)))
            uow.commit()
        self.ids = {"board": board.id, "po": po.id, "first": first.id, "second": second.id}
        return self

    def admin(self) -> Actor:
        return Actor(user_id=1, name="Beheer", role=Role.FUNCTIONAL_ADMIN)

    def parent(self, n: int) -> Actor:
        return Actor(user_id=0, name="Ouder", role=Role.PARENT, pupil_id=self.pupils[n])

    def vo_user(self, school: str = "first") -> Actor:
        return Actor(user_id=20, name="VO", role=Role.VO_USER, school_id=self.ids[school])

    def commit(self) -> operations.Committed:
        command = operations.CommitSeed(procedure="amstelland")
        return operations.commit_seed(self.uow(), self.clock, self.random, self.admin(), command)

    def run(self, seed: str) -> operations.RunReport:
        command = operations.RunPlacement(procedure="amstelland", seed=seed)
        return operations.run_placement(self.uow(), self.clock, self.admin(), command)

    def publish(self) -> operations.Published:
        command = operations.PublishRun(procedure="amstelland", portal_url="https://elk.test/p")
        return operations.publish_run(self.uow(), self.clock, self.admin(), command)

    def queued(self) -> list[str]:
        with self.uow() as uow:
            return [q.mail.to for q in uow.mail_queue.unsent()]
