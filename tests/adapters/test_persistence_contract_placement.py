"""Repository contract: placement runs, on the in-memory fake, SQLite and PostgreSQL alike.

A run is stored once committed, then with what it computed (outcomes, reserve lists, the
instance and result), then published; the bulk read gives every definitive registration with
the pupil's definitive advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from elk_domain.errors import NotFound
from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.values import ElkNumber, PersonName, SchoolYear
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.overview.model import OverviewQuery
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import FirstChoiceOptions, PreferenceList, Registration
from elk_domain.placement.intake import build_instance
from elk_domain.placement.ports import PlacementRun, RunRecord
from elk_domain.placement.records import outcomes_of, reserve_of
from elk_domain.placement.run import solve
from elk_domain.pupils.model import Pupil
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
World = Any
NOW = dt.datetime(2027, 4, 20, 9, 0, tzinfo=dt.UTC)
YEAR = SchoolYear(2026)


def _registered(uow: UnitOfWork, world: World, n: int, advice: str | None, **kw: Any) -> int:
    pupil = uow.pupils.add(
        Pupil(
            id=0,
            elk_number=ElkNumber(200000 + n),
            school_id=world.po.id,
            name=PersonName(f"Kind{n}", "Jansen"),
            birth_date=dt.date(2014, 1, 2),
        )
    )
    values = {} if advice is None else {fields.ADVICE_DEFINITIVE: advice}
    hand = Provenance(Source.HAND, NOW, "juf")
    uow.okidocs.add(
        OkiDoc(
            id=0,
            pupil_id=pupil.id,
            status=OkiStatus.DEFINITIEF,
            fields={k: FieldValue(v, hand) for k, v in values.items()},
        )
    )
    listed = PreferenceList(
        school_ids=(world.vo.id,),
        first_choice=FirstChoiceOptions(
            equivalent_level=kw.get("equivalent", False), multiple_birth=kw.get("twin", False)
        ),
    )
    uow.registrations.add(
        Registration(
            id=0,
            pupil_id=pupil.id,
            procedure=kw.get("procedure", "amstelland"),
            preferences=listed,
            definitive=None if kw.get("started") else listed,
            updated_at=NOW,
            definitive_at=NOW,
            priority_granted=kw.get("priority"),
        )
    )
    return pupil.id


def _committed(uow: UnitOfWork) -> PlacementRun:
    return uow.placement_runs.add(
        PlacementRun(
            id=0, procedure="amstelland", school_year=YEAR, commitment="ab" * 32, committed_at=NOW
        )
    )


class TestCandidates:
    def test_definitive_registrations_of_the_procedure_with_their_advice(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            a = _registered(uow, world, 1, "havo/vwo", equivalent=True, priority=True)
            b = _registered(uow, world, 2, None, twin=True)
            _registered(uow, world, 3, "havo", started=True)
            _registered(uow, world, 4, "havo", procedure="amsterdam")
            c = _registered(uow, world, 5, "onzin")
            uow.commit()
        with uow_factory() as uow:
            found = {c.pupil_id: c for c in uow.placement_runs.candidates("amstelland")}
        assert set(found) == {a, b, c}
        assert found[a].advice == Advice(Level.HAVO, Level.VWO)
        assert (found[a].equivalent_level, found[a].priority_granted) == (True, True)
        assert found[a].school_ids == (world.vo.id,)
        assert (found[a].last_name, found[a].birth_date) == ("Jansen", dt.date(2014, 1, 2))
        assert found[a].primary_school_id == world.po.id
        assert found[a].elk_number == 200001
        assert (found[b].advice, found[b].multiple_birth) == (None, True)
        assert found[c].advice is None


class TestRuns:
    def test_a_commitment_then_a_run_then_publication(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            pupils = [_registered(uow, world, n, "havo") for n in range(3)]
            run = _committed(uow)
            uow.commit()
        with uow_factory() as uow:
            assert uow.placement_runs.current("amstelland", YEAR) == run
            assert uow.placement_runs.current("amstelland", SchoolYear(2025)) is None
            assert uow.placement_runs.latest_published("amstelland") is None
            assert uow.placement_runs.over_subscribed_schools("amstelland") == frozenset()
            schools = [attrs.evolve(world.vo, capacity={Level.HAVO: 2, Level.VWO: 0})]
            intake = build_instance(
                "amstelland", "zaad", schools, uow.placement_runs.candidates("amstelland")
            )
            result = solve(intake.instance)
            ran = attrs.evolve(run, run_at=NOW, oversubscribed_school_ids=frozenset({world.vo.id}))
            record = RunRecord(
                instance=intake.instance,
                result=result,
                outcomes=outcomes_of(intake, result),
                reserve=reserve_of(intake, result),
            )
            uow.placement_runs.record(ran, record)
            uow.placement_runs.record(ran, record)  # again: replaces, does not add
            uow.commit()
        with uow_factory() as uow:
            runs = uow.placement_runs
            assert runs.current("amstelland", YEAR) == ran
            assert runs.contents(run.id) == (intake.instance, result)
            assert sorted(o.pupil_id for o in runs.outcomes(run.id)) == sorted(pupils)
            placed = runs.placed_at(run.id, world.vo.id)
            assert len(placed) == 2
            assert {o.level for o in placed} == {Level.HAVO}
            assert {o.choice for o in placed} == {1}
            waiting = runs.reserve_at(run.id, world.vo.id)
            assert [(e.level, e.position) for e in waiting] == [(Level.HAVO, 1)]
            unplaced = runs.outcome(run.id, waiting[0].pupil_id)
            assert unplaced is not None
            assert unplaced.school_id is None
            assert runs.outcome(run.id, 10**6) is None
            assert runs.mail_addresses(run.id, ParentPortal.ELK) == {}
            uow.parent_accounts.add(ParentAccount(id=0, pupil_id=pupils[0], email="o@x.nl"))
            amsterdam = ParentAccount(
                id=0, pupil_id=pupils[1], email="a@x.nl", portal=ParentPortal.AMSTERDAM
            )
            uow.parent_accounts.add(amsterdam)
            assert runs.mail_addresses(run.id, ParentPortal.ELK) == {pupils[0]: "o@x.nl"}
            published = runs.publish(attrs.evolve(ran, published_at=NOW))
            uow.commit()
        with uow_factory() as uow:
            assert uow.placement_runs.latest_published("amstelland") == published
            assert uow.placement_runs.over_subscribed_schools("amstelland") == {world.vo.id}
            rows = uow.overview.page(OverviewQuery(school_id=world.po.id)).rows
        placed = {row.pupil_id: row.placed_at for row in rows}
        at_vo = "Amstelveen College (havo)"
        assert sorted(placed.values(), key=str) == [at_vo, at_vo, None, None]
        assert placed[world.pupil.id] is None  # not in the run

    def test_a_run_not_computed_has_no_contents(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            run = _committed(uow)
            with pytest.raises(NotFound):
                uow.placement_runs.contents(run.id)
