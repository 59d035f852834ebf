"""The registration page's buttons: each change is saved at once, in one unit of work."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.domain.parents_world import S, World

from elk_domain.errors import Conflict, NotFound, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.parents import editing
from elk_domain.parents.editing import (
    DiscardChange,
    EditRegistration,
    ListAction,
    MakeDefinitive,
)
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PriorityClaim,
    PriorityKind,
    Registration,
    RegistrationStatus,
)

IN_WEEK = dt.datetime(2025, 3, 25, 10, tzinfo=dt.UTC)
AFTER = dt.datetime(2025, 5, 1, 10, tzinfo=dt.UTC)
SIBLING = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Ada", "1b"))


def _edit(
    world: World, parent: Actor, action: ListAction, school: str = "", **kw: object
) -> Registration:
    command = EditRegistration(
        pupil_id=world.ids["pupil"], procedure="amstelland", action=action,
        school_id=world.ids[school] if school else 0, **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    return editing.edit_registration(world.uow(), world.clock, parent, command)


def _definitive(world: World, parent: Actor) -> Registration:
    command = MakeDefinitive(pupil_id=world.ids["pupil"], procedure="amstelland")
    return editing.make_definitive(
        world.uow(), world.clock, parent, command, login_url="https://elk.test/ouders/inloggen"
    )


def _stored(world: World) -> Registration:
    with world.uow() as uow:
        found = uow.registrations.for_pupil(world.ids["pupil"], "amstelland")
    assert found is not None
    return found


def _five(world: World, parent: Actor) -> None:
    for n in range(5):
        _edit(world, parent, ListAction.ADD, f"vo{n}")


class TestEditing:
    def test_every_button_saves_at_once(self, world: World) -> None:
        parent = world.activate()
        _edit(world, parent, ListAction.ADD, "vo0")
        _edit(world, parent, ListAction.ADD, "vo1")
        assert _stored(world).preferences.school_ids == (world.ids["vo0"], world.ids["vo1"])
        assert world.pupil().parent_login is S.REGISTRATION_STARTED
        _edit(world, parent, ListAction.KEEP, options=SIBLING)
        _edit(world, parent, ListAction.DOWN, "vo1")  # already last: stays
        _edit(world, parent, ListAction.UP, "vo1")
        stored = _stored(world)
        assert stored.preferences.school_ids == (world.ids["vo1"], world.ids["vo0"])
        assert stored.preferences.first_choice == FirstChoiceOptions()  # they were vo0's
        _edit(world, parent, ListAction.REMOVE, "vo0")
        assert _stored(world).preferences.school_ids == (world.ids["vo1"],)
        assert world.audit_actions().count("aanmelding_opgeslagen") == 6

    def test_dragging_gives_a_new_order_of_the_same_schools(self, world: World) -> None:
        parent = world.activate()
        _five(world, parent)
        order = tuple(world.ids[f"vo{n}"] for n in (4, 3, 2, 1, 0))
        assert _edit(world, parent, ListAction.ORDER, order=order).preferences.school_ids == order
        with pytest.raises(Conflict, match="intussen veranderd"):
            _edit(world, parent, ListAction.ORDER, order=(*order[:4], world.ids["vo5"]))
        assert _stored(world).preferences.school_ids == order

    def test_a_sixth_school_is_refused_and_the_five_stay(self, world: World) -> None:
        parent = world.activate()
        _five(world, parent)
        with pytest.raises(Rejected) as caught:
            _edit(world, parent, ListAction.ADD, "vo5")
        assert "kiest u 5 scholen; u heeft er 6 gekozen" in caught.value.violations[0].message
        assert len(_stored(world).preferences.school_ids) == 5

    def test_definitive_only_with_a_complete_list(self, world: World) -> None:
        parent = world.activate()
        with pytest.raises(Rejected, match="Kies eerst"):
            _definitive(world, parent)
        _edit(world, parent, ListAction.ADD, "vo0")
        with pytest.raises(Rejected):
            _definitive(world, parent)
        for n in range(1, 5):
            _edit(world, parent, ListAction.ADD, f"vo{n}")
        assert _definitive(world, parent).status is RegistrationStatus.DEFINITIVE
        assert world.pupil().parent_login is S.REGISTRATION_COMPLETED
        assert "https://elk.test/ouders/inloggen" in world.sent()[-1].body

    def test_registering_again_and_going_back_to_the_definitive_list(self, world: World) -> None:
        parent = world.activate()
        _five(world, parent)
        first = _definitive(world, parent).definitive
        with pytest.raises(Rejected) as caught:
            _edit(world, parent, ListAction.UP, "vo4")
        assert "alleen in de aanmeldweek" in caught.value.violations[0].message
        world.clock.set(IN_WEEK)
        changed = _edit(world, parent, ListAction.UP, "vo4")
        assert changed.has_pending_change
        assert changed.definitive == first
        command = DiscardChange(pupil_id=world.ids["pupil"], procedure="amstelland")
        back = editing.discard_change(world.uow(), world.clock, parent, command)
        assert (back.preferences, back.has_pending_change) == (first, False)
        assert world.audit_actions()[-1] == "aanmelding_wijziging_ingetrokken"
        world.clock.set(AFTER)
        with pytest.raises(Rejected) as caught:
            _edit(world, parent, ListAction.UP, "vo4")
        assert "alleen in de aanmeldweek" in caught.value.violations[0].message
        assert _stored(world).definitive == first

    def test_going_back_needs_a_definitive_list(self, world: World) -> None:
        parent = world.activate()
        _edit(world, parent, ListAction.ADD, "vo0")
        command = DiscardChange(pupil_id=world.ids["pupil"], procedure="amstelland")
        with pytest.raises(Conflict, match="geen definitieve aanmelding"):
            editing.discard_change(world.uow(), world.clock, parent, command)

    def test_another_parent_cannot_touch_the_list(self, world: World) -> None:
        world.activate()
        stranger = Actor(user_id=99, name="Ouder", role=Role.PARENT, pupil_id=999)
        with pytest.raises(NotFound):
            _edit(world, stranger, ListAction.ADD, "vo0")


class TestNothingHalfStored:
    @settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        steps=st.lists(
            st.tuples(st.sampled_from(list(ListAction)), st.integers(0, 6), st.booleans()),
            max_size=10,
        )
    )
    def test_a_refused_change_leaves_the_stored_list_as_it_was(
        self, steps: list[tuple[ListAction, int, bool]]
    ) -> None:
        world = World().setup()
        parent = world.activate()
        for action, n, claim in steps:
            before = _stored(world) if world.pupil().parent_login is not S.ACTIVATED else None
            school = f"vo{n}" if n < 6 else ""
            options = SIBLING if claim else None
            order = tuple(reversed(before.preferences.school_ids)) if before else ()
            try:
                _edit(world, parent, action, school, options=options, order=order)
            except (Rejected, Conflict):
                after = _stored(world) if before is not None else None
                assert after == before
            else:
                ids = _stored(world).preferences.school_ids
                assert len(ids) == len(set(ids)) <= 5
