"""What the registration page shows: the list, the invulhulp with filters, earlier lists."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.parents_world import World

from elk_domain.errors import NotFound
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc import fields
from elk_domain.parents import editing
from elk_domain.parents.claims import PriorityState
from elk_domain.parents.editing import EditRegistration, ListAction, MakeDefinitive
from elk_domain.parents.page import (
    RegistrationPage,
    RegistrationQuery,
    SchoolFilter,
    registration_page,
)
from elk_domain.parents.risk import RiskKind
from elk_domain.parents.window import WindowState
from elk_domain.placement.ports import PlacementRun

EVERY = SchoolFilter()


def _page(world: World, parent: Actor, shown: SchoolFilter = EVERY) -> RegistrationPage:
    query = RegistrationQuery(pupil_id=world.ids["pupil"], procedure="amstelland", shown=shown)
    return registration_page(world.uow(), world.clock, parent, query)


def _add(world: World, parent: Actor, n: int) -> None:
    command = EditRegistration(pupil_id=world.ids["pupil"], procedure="amstelland",
                               action=ListAction.ADD, school_id=world.ids[f"vo{n}"])  # fmt: skip
    editing.edit_registration(world.uow(), world.clock, parent, command)


class TestRegistrationPage:
    def test_a_new_page_lists_every_fitting_school(self, world: World) -> None:
        page = _page(world, world.activate())
        assert (page.need, page.complete, page.room_left, page.chosen) == (5, False, True, ())
        assert len(page.fitting) == 6
        assert page.window.state is WindowState.OPEN
        assert page.claim.state is PriorityState.NONE
        assert page.cities == ("Amstelveen",)

    def test_chosen_schools_leave_the_invulhulp_and_filters_narrow_it(self, world: World) -> None:
        parent = world.activate()
        for n in range(5):
            _add(world, parent, n)
        page = _page(world, parent)
        assert [s.id for s in page.chosen] == [world.ids[f"vo{n}"] for n in range(5)]
        assert [s.name for s in page.fitting] == ["VO 5"]
        assert (page.complete, page.room_left) == (True, False)
        assert _page(world, parent, SchoolFilter(text="nergens")).fitting == ()
        assert len(_page(world, parent, SchoolFilter(text="vo 5", city="Amstelveen")).fitting) == 1
        assert _page(world, parent, SchoolFilter(city="Uithoorn")).fitting == ()
        assert len(_page(world, parent, SchoolFilter(level=Level.HAVO)).fitting) == 1

    def test_earlier_lists_and_the_own_first_choice_not_counted_as_competition(
        self, world: World
    ) -> None:
        parent = world.activate()
        for n in range(5):
            _add(world, parent, n)
        command = MakeDefinitive(pupil_id=world.ids["pupil"], procedure="amstelland")
        editing.make_definitive(world.uow(), world.clock, parent, command, login_url="x")
        with world.uow() as uow:
            school = uow.schools.get(world.ids["vo0"])
            uow.schools.update(attrs.evolve(school, capacity={Level.HAVO: 1}))
            uow.commit()
        assert _page(world, parent).risks == ()  # the only first choice there is the child's own
        world.clock.set(dt.datetime(2025, 3, 25, 10, tzinfo=dt.UTC))
        down = EditRegistration(pupil_id=world.ids["pupil"], procedure="amstelland",
                                action=ListAction.DOWN, school_id=world.ids["vo0"])  # fmt: skip
        editing.edit_registration(world.uow(), world.clock, parent, down)
        editing.make_definitive(world.uow(), world.clock, parent, command, login_url="x")
        page = _page(world, parent)
        assert len(page.earlier) == 1
        assert page.earlier[0].schools[0].id == world.ids["vo0"]
        assert page.counting == page.chosen
        first = page.chosen[0].id
        drop = attrs.evolve(down, action=ListAction.REMOVE, school_id=first)
        editing.edit_registration(world.uow(), world.clock, parent, drop)
        pending = _page(world, parent)  # the definitive first choice is off the new list
        assert first not in [s.id for s in pending.chosen]
        assert pending.counting[0].id == first

    def test_without_a_definitive_advice_the_page_says_so(self, world: World) -> None:
        parent = world.activate()
        with world.uow() as uow:
            doc = uow.okidocs.for_pupil(world.ids["pupil"])
            kept = {p: v for p, v in doc.fields.items() if p != fields.ADVICE_DEFINITIVE}
            uow.okidocs.update(attrs.evolve(doc, fields=kept))
            uow.commit()
        page = _page(world, parent)
        assert (page.advice, page.need, page.complete, page.fitting) == (None, 0, False, ())

    def test_another_child_is_not_found(self, world: World) -> None:
        world.activate()
        stranger = Actor(user_id=5, name="Ouder", role=Role.PARENT, pupil_id=999)
        with pytest.raises(NotFound):
            _page(world, stranger)

    def test_schools_full_in_the_last_published_run_warn(self, world: World) -> None:
        parent = world.activate()
        for n in range(5):
            _add(world, parent, n)
        assert _page(world, parent).risks == ()
        last_year = PlacementRun(
            id=0, procedure="amstelland", school_year=SchoolYear(2024), commitment="0" * 64,
            committed_at=world.clock.now(), run_at=world.clock.now(),
            published_at=world.clock.now(),
            oversubscribed_school_ids=frozenset(world.ids[f"vo{n}"] for n in range(6)),
        )  # fmt: skip
        with world.uow() as uow:
            uow.placement_runs.add(last_year)
            uow.commit()
        assert [r.kind for r in _page(world, parent).risks] == [RiskKind.ALL_FULL]
