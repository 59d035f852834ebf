"""The database placement's use cases on the in-memory fakes: commit, run, publish, views."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.placement_db_world import PlacementWorld

from elk_domain.errors import Conflict, Forbidden, NotFound, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.okidoc import fields as f
from elk_domain.organisation.model import Timeline
from elk_domain.overview.model import OverviewQuery
from elk_domain.placement import operations, views
from elk_domain.placement.explain import Why
from elk_domain.placement.lottery import commitment


@pytest.fixture
def world() -> PlacementWorld:
    return PlacementWorld().setup()


def _run(world: PlacementWorld) -> operations.RunReport:
    return world.run(world.commit().seed)


class TestCommit:
    def test_stores_only_the_sha256_and_hands_back_the_seed(self, world: PlacementWorld) -> None:
        committed = world.commit()
        assert committed.run.commitment == commitment(committed.seed)
        assert committed.seed not in repr(world.store.tables["placement_runs"])
        assert "plaatsing_zaad_vastgelegd" in [e.action for e in world.store.audit]

    def test_the_administrators_own_seed_when_long_enough(self, world: PlacementWorld) -> None:
        own = "d" * 40
        command = operations.CommitSeed(procedure="amstelland", seed=f" {own}\n")
        committed = operations.commit_seed(
            world.uow(), world.clock, world.random, world.admin(), command
        )
        assert committed.seed == own
        assert committed.run.commitment == commitment(own)
        short = operations.CommitSeed(procedure="amstelland", seed="kort")
        with pytest.raises(Rejected, match="te kort"):
            operations.commit_seed(world.uow(), world.clock, world.random, world.admin(), short)

    def test_operators_only(self, world: PlacementWorld) -> None:
        with pytest.raises(Forbidden):
            operations.commit_seed(
                world.uow(),
                world.clock,
                world.random,
                world.vo_user(),
                operations.CommitSeed(procedure="amstelland"),
            )

    def test_no_new_commitment_after_publication(self, world: PlacementWorld) -> None:
        _run(world)
        world.publish()
        with pytest.raises(Conflict):
            world.commit()


class TestRun:
    def test_places_from_the_definitive_registrations(self, world: PlacementWorld) -> None:
        report = _run(world)
        assert report.pupils == 3
        assert report.result.audit.placed_by_choice == (1, 1)
        assert report.result.audit.unplaced == 1
        with world.uow() as uow:
            outcomes = uow.placement_runs.outcomes(report.run.id)
        assert sorted(o.school_id or 0 for o in outcomes) == sorted(
            [0, world.ids["first"], world.ids["second"]]
        )
        assert report.run.oversubscribed_school_ids == {world.ids["first"], world.ids["second"]}

    def test_refuses_without_a_commitment(self, world: PlacementWorld) -> None:
        with pytest.raises(Conflict, match="elk placement commit"):
            world.run("zaad")

    def test_refuses_a_seed_that_does_not_fit_the_commitment(self, world: PlacementWorld) -> None:
        world.commit()
        with pytest.raises(Rejected, match="SHA-256"):
            world.run("een ander zaad")

    def test_refuses_while_the_capacity_may_still_change(self, world: PlacementWorld) -> None:
        with world.uow() as uow:
            uow.settings.save_timeline(Timeline(capacity_deadline=dt.date(2027, 4, 20)))
            uow.commit()
        with pytest.raises(Conflict, match="capaciteit"):
            _run(world)

    def test_running_twice_with_the_same_seed_gives_the_same_result(
        self, world: PlacementWorld
    ) -> None:
        seed = world.commit().seed
        first, again = world.run(seed), world.run(seed)
        assert first.result == again.result
        with world.uow() as uow:
            assert len(uow.placement_runs.outcomes(again.run.id)) == 3

    def test_refuses_after_publication(self, world: PlacementWorld) -> None:
        seed = world.commit().seed
        world.run(seed)
        world.publish()
        with pytest.raises(Conflict, match="gepubliceerd"):
            world.run(seed)

    def test_reports_progress(self, world: PlacementWorld) -> None:
        steps: list[str] = []
        command = operations.RunPlacement(procedure="amstelland", seed=world.commit().seed)
        operations.run_placement(world.uow(), world.clock, world.admin(), command, steps.append)
        assert steps == ["lezen", "plaatsen", "opslaan"]


class TestPublish:
    def test_mails_every_parent_with_a_login_and_reveals_the_seed(
        self, world: PlacementWorld
    ) -> None:
        seed = world.commit().seed
        world.run(seed)
        published = world.publish()
        assert published.mailed == 2
        assert sorted(world.queued()) == ["ouder0@example.nl", "ouder1@example.nl"]
        assert published.instance.seed == seed
        assert published.run.is_published
        with world.uow() as uow:
            assert uow.placement_runs.over_subscribed_schools("amstelland") == {
                world.ids["first"],
                world.ids["second"],
            }

    def test_the_mail_says_where_and_links_to_the_portal(self) -> None:
        placed = operations.placement_mail("o@example.nl", "Keizer College", "https://x/p")
        assert "geplaatst op Keizer College" in placed.body
        assert "https://x/p" in placed.body
        nowhere = operations.placement_mail("o@example.nl", None, "https://x/p")
        assert "op geen van de gekozen scholen" in nowhere.body

    def test_refuses_before_the_run_and_twice(self, world: PlacementWorld) -> None:
        world.commit()
        with pytest.raises(NotFound):
            world.publish()
        _run(world)
        world.publish()
        with pytest.raises(Conflict):
            world.publish()


class TestParentView:
    def test_nothing_before_publication(self, world: PlacementWorld) -> None:
        _run(world)
        assert views.parent_placement(world.uow(), world.parent(0), "amstelland") is None

    def test_placement_and_the_reason_for_each_school_above(self, world: PlacementWorld) -> None:
        _run(world)
        world.publish()
        seen = [
            views.parent_placement(world.uow(), world.parent(n), "amstelland") for n in range(3)
        ]
        placed_first = [v for v in seen if v is not None and v.school == "Keizer College"]
        assert len(placed_first) == 1
        assert placed_first[0].reasons == ()
        others = [v for v in seen if v is not None and v.school != "Keizer College"]
        assert len(others) == 2
        for view in others:
            assert view.reasons[0].school == "Keizer College"
            assert view.reasons[0].why is Why.LOTTERY
            assert view.reasons[0].reserve_position in (1, 2)
            assert view.reasons[0].own_rank == view.lottery_rank

    def test_a_child_outside_the_run_sees_nothing(self, world: PlacementWorld) -> None:
        _run(world)
        world.publish()
        with world.uow() as uow:
            registration = uow.registrations.for_pupil(world.pupils[0], "amstelland")
            assert registration is not None
        # A pupil who registered later is not in the published run.
        world.store.tables["placement_records"][1] = attrs.evolve(
            world.store.tables["placement_records"][1],
            outcomes=[
                o
                for o in world.store.tables["placement_records"][1].outcomes
                if o.pupil_id != world.pupils[0]
            ],
        )
        assert views.parent_placement(world.uow(), world.parent(0), "amstelland") is None

    def test_another_child_is_hidden(self, world: PlacementWorld) -> None:
        other = Actor(user_id=0, name="O", role=Role.PARENT, pupil_id=999)
        with pytest.raises(NotFound):
            views.parent_placement(world.uow(), other, "amstelland")


class TestSchoolView:
    def test_placed_list_and_reserve_list(self, world: PlacementWorld) -> None:
        _run(world)
        world.publish()
        listing = views.school_placement(world.uow(), world.vo_user(), "amstelland")
        assert len(listing.placed) == 1
        assert listing.placed[0].choice == 1
        assert [line.position for line in listing.reserve] == [1, 2]
        assert listing.placed[0].primary_school == "De Linde"

    def test_empty_before_publication(self, world: PlacementWorld) -> None:
        _run(world)
        listing = views.school_placement(world.uow(), world.vo_user(), "amstelland")
        assert listing.run is None
        assert listing.placed == ()

    def test_vo_staff_only(self, world: PlacementWorld) -> None:
        with pytest.raises(Forbidden):
            views.school_placement(world.uow(), world.parent(0), "amstelland")
        primary = Actor(
            user_id=3, name="PO", role=Role.VO_USER, school_id=world.ids["po"], board_id=None
        )
        with pytest.raises(NotFound):
            views.school_placement(world.uow(), primary, "amstelland")


class TestTheStoreBehindTheRun:
    """The in-memory runs and overview answer as the SQL ones for the odd cases too."""

    def test_only_definitive_registrations_of_the_procedure_and_a_readable_advice(
        self, world: PlacementWorld
    ) -> None:
        with world.uow() as uow:
            first, second, third = (uow.registrations.for_pupil(p, "amstelland")
                                    for p in world.pupils)  # fmt: skip
            assert first is not None
            assert second is not None
            assert third is not None
            uow.registrations.update(attrs.evolve(first, definitive=None))
            uow.registrations.update(attrs.evolve(second, procedure="amsterdam"))
            doc = uow.okidocs.for_pupil(third.pupil_id)
            garbled = {**doc.fields, f.ADVICE_DEFINITIVE: attrs.evolve(
                doc.fields[f.ADVICE_DEFINITIVE], value="geen advies")}  # fmt: skip
            uow.okidocs.update(attrs.evolve(doc, fields=garbled))
            uow.commit()
        with world.uow() as uow:
            found = uow.placement_runs.candidates("amstelland")
            assert [(c.pupil_id, c.advice) for c in found] == [(third.pupil_id, None)]
            doc = uow.okidocs.for_pupil(third.pupil_id)
            uow.okidocs.update(attrs.evolve(doc, fields={}))
            uow.commit()
        with world.uow() as uow:
            assert uow.placement_runs.candidates("amstelland")[0].advice is None

    def test_a_run_not_run_has_no_contents(self, world: PlacementWorld) -> None:
        committed = world.commit()
        with world.uow() as uow, pytest.raises(NotFound):
            uow.placement_runs.contents(committed.run.id)

    def test_the_overview_shows_where_the_pupil_is_placed_once_published(
        self, world: PlacementWorld
    ) -> None:
        def placed() -> list[str | None]:
            with world.uow() as uow:
                page = uow.overview.page(OverviewQuery(school_id=world.ids["po"]))
            return sorted((r.placed_at or "-") for r in page.rows)

        assert placed() == ["-", "-", "-"]
        _run(world)
        assert placed() == ["-", "-", "-"]  # run, not published yet
        world.publish()
        assert placed() == ["-", "Amstel Lyceum (havo)", "Keizer College (havo)"]
