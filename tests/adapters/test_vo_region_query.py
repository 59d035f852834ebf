"""The region's VO read model: SQLite and PostgreSQL answer as the memory reference does.

Runs against every ``uow_factory`` (memory, SQLite, PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.organisation.model import Board, School
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.pupils.model import Pupil, ReasonNotPlaced
from elk_domain.unit_of_work import UnitOfWork
from elk_domain.vo.model import AdviceCount

UowFactory = Callable[[], UnitOfWork]
NOW = dt.datetime(2025, 3, 25, 9, tzinfo=dt.UTC)
AT = Provenance(Source.HAND, NOW, "test")


def _school(board_id: int, kind: OrgKind, name: str, brin: str) -> School:
    return School(
        id=0, board_id=board_id, kind=kind, official_name=name, name=name, school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(brin),
    )  # fmt: skip


def _seed(uow_factory: UowFactory) -> dict[str, int]:
    """Two PO schools, two VO schools; pupils definitive at either, started, or nowhere."""
    with uow_factory() as uow:
        board = uow.boards.add(Board(0, "Amstelwijs"))
        zon = uow.schools.add(_school(board.id, OrgKind.PO, "De Zon", "12AB"))
        maan = uow.schools.add(_school(board.id, OrgKind.PO, "De Maan", "13AB"))
        lyceum = uow.schools.add(_school(board.id, OrgKind.VO, "Lyceum", "34CD"))
        gym = uow.schools.add(_school(board.id, OrgKind.VO, "Gymnasium", "35CD"))
        pupils = (  # first, last, school, advice, registration: (first choice, definitive)
            ("Sam", "Jansen", zon, "havo", (lyceum, True)),
            ("Ali", "bakker", zon, "havo", (lyceum, True)),
            ("Noor", "Visser", zon, "", (lyceum, True)),
            ("Eva", "Bos", maan, "vwo", (gym, True)),
            ("Bo", "Berg", maan, "vwo", (gym, False)),
            ("Ize", "Dam", zon, "havo", None),
            ("Kim", "Aal", maan, "havo", None),
        )
        for first, last, school, advice, registered in pupils:
            reason = ReasonNotPlaced.VERHUISD if first == "Kim" else None
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()), school_id=school.id,
                      name=PersonName(first, last), reason_not_placed=reason)
            )  # fmt: skip
            values = {fields.ADVICE_DEFINITIVE: FieldValue(advice, AT)} if advice else {}
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, fields=values))
            if registered is None:
                continue
            chosen = PreferenceList(school_ids=(registered[0].id,))
            uow.registrations.add(
                Registration(id=0, pupil_id=pupil.id, procedure="amstelland", preferences=chosen,
                             definitive=chosen if registered[1] else None, updated_at=NOW)
            )  # fmt: skip
        uow.commit()
    return {"zon": zon.id, "maan": maan.id, "lyceum": lyceum.id, "gym": gym.id}


class TestVoRegionQuery:
    def test_definitive_first_choices_per_school_and_advice(self, uow_factory: UowFactory) -> None:
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            counts = uow.vo_region.advice_counts([ids["lyceum"], ids["gym"]])
            assert uow.vo_region.advice_counts([]) == []
            only_gym = uow.vo_region.advice_counts([ids["gym"]])
        assert sorted(counts, key=lambda c: (c.school_id, c.advice or "")) == [
            AdviceCount(ids["lyceum"], None, 1),
            AdviceCount(ids["lyceum"], "havo", 2),
            AdviceCount(ids["gym"], "vwo", 1),
        ]
        assert list(only_gym) == [AdviceCount(ids["gym"], "vwo", 1)]

    def test_pupils_without_a_definitive_registration_by_school_and_name(
        self, uow_factory: UowFactory
    ) -> None:
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            found = uow.vo_region.unregistered([ids["zon"], ids["maan"]])
            only_zon = uow.vo_region.unregistered([ids["zon"]])
            assert uow.vo_region.unregistered([]) == []
        assert [(p.school_name, p.name.first, p.started) for p in found] == [
            ("De Maan", "Kim", False),
            ("De Maan", "Bo", True),
            ("De Zon", "Ize", False),
        ]
        assert found[0].reason_not_placed is ReasonNotPlaced.VERHUISD
        assert found[0].school_id == ids["maan"]
        assert [p.name.first for p in only_zon] == ["Ize"]

    def test_a_definitive_list_under_change_still_counts(self, uow_factory: UowFactory) -> None:
        ids = _seed(uow_factory)
        with uow_factory() as uow:
            (ize,) = [p for p in uow.vo_region.unregistered([ids["zon"]]) if p.name.first == "Ize"]
            registration = Registration(
                id=0, pupil_id=ize.pupil_id, procedure="amstelland",
                preferences=PreferenceList(school_ids=(ids["gym"],)),
                definitive=PreferenceList(school_ids=(ids["lyceum"],)), updated_at=NOW,
            )  # fmt: skip
            uow.registrations.add(registration)
            uow.commit()
        with uow_factory() as uow:
            assert uow.vo_region.unregistered([ids["zon"]]) == []
            counts = uow.vo_region.advice_counts([ids["lyceum"]])
        assert AdviceCount(ids["lyceum"], "havo", 3) in counts
