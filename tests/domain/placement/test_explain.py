"""The explanation per pupil: for each programme ranked higher, why not (issue 16, item 5)."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from tests.domain.placement_world import effective_list, instances

from elk_domain.errors import NotFound
from elk_domain.placement.explain import Explainer, Why
from elk_domain.placement.lottery import lottery_ranks
from elk_domain.placement.model import Instance, Programme, Pupil
from elk_domain.placement.run import solve


def drawn(procedure: str, pupils: tuple[Pupil, ...], **capacity: int) -> Instance:
    """The instance with a seed that draws the pupils in the order given (rank 1 first)."""
    programmes = tuple(
        Programme(id=pid, school=f"School {pid}", level="havo", capacity=places)
        for pid, places in capacity.items()
    )
    seed = next(
        f"z{n}"
        for n in range(10_000)
        if lottery_ranks(f"z{n}", pupils) == list(range(1, len(pupils) + 1))
    )
    return Instance(procedure=procedure, seed=seed, programmes=programmes, pupils=pupils)


def reasons(instance: Instance, pupil: str) -> list[tuple[str, Why, int | None, int | None]]:
    explanation = Explainer(instance, solve(instance)).explain(pupil)
    return [(r.programme, r.why, r.last_rank, r.own_rank) for r in explanation.reasons]


class TestReasons:
    def test_full_with_priority_pupils(self) -> None:
        run = drawn(
            "amstelland",
            (Pupil(id="a", choices=("A", "B")), Pupil(id="p", choices=("A",), priority=True)),
            A=1,
            B=1,
        )
        assert reasons(run, "a") == [("A", Why.FULL_WITH_PRIORITY, 2, 1)]

    def test_lottery_cut_off_against_the_own_number(self) -> None:
        run = drawn(
            "amsterdam",
            (Pupil(id="a", choices=("A",)), Pupil(id="b", choices=("A", "B"))),
            A=1,
            B=1,
        )
        explanation = Explainer(run, solve(run)).explain("b")
        (reason,) = explanation.reasons
        assert (reason.why, reason.last_rank, reason.own_rank) == (Why.LOTTERY, 1, 2)
        assert reason.message == (
            "Bij School A (havo) kreeg lotnummer 1 de laatste plaats; uw kind had lotnummer 2."
        )
        assert reason.reserve_position == 1
        assert (explanation.placed, explanation.lottery_rank) == ("B", 2)

    def test_full_with_first_choices_before_round_two(self) -> None:
        run = drawn(
            "amstelland",
            (Pupil(id="a", choices=("C", "B")), Pupil(id="b", choices=("B",))),
            B=1,
            C=0,
        )
        got = Explainer(run, solve(run)).explain("a")
        assert [(r.programme, r.why) for r in got.reasons] == [
            ("C", Why.NO_PLACES),
            ("B", Why.FULL_EARLIER),
        ]
        assert (
            got.reasons[1].message
            == "School B (havo) was vol met leerlingen die voorgingen (eerste keuze)."
        )
        assert got.reasons[0].message == "School C (havo) had geen plaatsen."
        assert got.placed is None

    def test_a_multiple_birth_without_room_for_all(self) -> None:
        run = drawn(
            "amstelland",
            (
                Pupil(id="x", choices=("A", "B")),
                Pupil(id="t1", choices=("A", "B"), multiple_birth_group="m"),
                Pupil(id="t2", choices=("A", "B"), multiple_birth_group="m"),
                Pupil(id="z", choices=("A", "B")),
            ),
            A=2,
            B=4,
        )
        got = Explainer(run, solve(run)).explain("t2")
        assert [r.why for r in got.reasons] == [Why.MULTIPLE_BIRTH]
        assert "meerling" in got.reasons[0].message

    def test_room_left_shows_only_in_a_result_that_is_not_stable(self) -> None:
        run = drawn("amsterdam", (Pupil(id="a", choices=("A", "B")),), A=1, B=1)
        wrong = attrs.evolve(solve(run), placements={"a": "B"})
        got = Explainer(run, wrong).explain("a")
        assert [r.why for r in got.reasons] == [Why.ROOM_LEFT]
        assert "klopt niet" in got.reasons[0].message

    def test_an_unknown_pupil_is_not_found(self) -> None:
        run = drawn("amsterdam", (Pupil(id="a", choices=("A",)),), A=1)
        with pytest.raises(NotFound):
            Explainer(run, solve(run)).explain("zz")


@given(instances())
@settings(max_examples=100, deadline=None)
def test_every_programme_above_the_placement_gets_a_reason_that_fits(run: Instance) -> None:
    result = solve(run)
    explainer = Explainer(run, result)
    for pupil in run.pupils:
        got = explainer.explain(pupil.id)
        wanted = effective_list(run.procedure, pupil)
        above = wanted[: wanted.index(got.placed)] if got.placed else wanted
        assert [r.programme for r in got.reasons] == above
        for reason in got.reasons:
            assert reason.why is not Why.ROOM_LEFT
            if reason.why is Why.LOTTERY:
                assert reason.last_rank is not None
                assert reason.own_rank is not None
                assert reason.last_rank < reason.own_rank
            assert (
                reason.reserve_position
                == list(result.reserve[reason.programme]).index(pupil.id) + 1
            )
