"""Amstelland's rounds on small cases, every lottery order written out (decision 0050)."""

from __future__ import annotations

import itertools

from tests.domain.placement_world import place

from elk_domain.placement.model import Instance, Programme, Pupil


def region(*pupils: Pupil, capacity: dict[str, int]) -> Instance:
    """School A with havo and vwo, school B with havo; places as given."""
    programmes = tuple(
        Programme(id=pid, school=pid[0], level=pid[1:], capacity=capacity.get(pid, 0))
        for pid in ("Ahavo", "Avwo", "Bhavo")
    )
    return Instance(procedure="amstelland", seed="z", programmes=programmes, pupils=pupils)


def orders(instance: Instance) -> list[dict[str, int]]:
    """Every lottery order of the instance's pupils: id → rank."""
    ids = [p.id for p in instance.pupils]
    return [dict(zip(ids, o, strict=True)) for o in itertools.permutations(range(1, len(ids) + 1))]


class TestPriority:
    def test_a_granted_priority_goes_before_every_lottery_number(self) -> None:
        instance = region(
            Pupil(id="p", choices=("Avwo", "Bhavo"), priority=True),
            Pupil(id="q", choices=("Avwo", "Bhavo")),
            Pupil(id="r", choices=("Avwo", "Bhavo")),
            capacity={"Avwo": 1, "Bhavo": 2},
        )
        for ranks in orders(instance):
            assert place(instance, ranks) == {"p": "Avwo", "q": "Bhavo", "r": "Bhavo"}

    def test_between_two_priorities_the_lottery_decides(self) -> None:
        instance = region(
            Pupil(id="p", choices=("Avwo", "Bhavo"), priority=True),
            Pupil(id="q", choices=("Avwo", "Bhavo"), priority=True),
            Pupil(id="r", choices=("Avwo",)),
            capacity={"Avwo": 1, "Bhavo": 1},
        )
        for ranks in orders(instance):
            winner, loser = ("p", "q") if ranks["p"] < ranks["q"] else ("q", "p")
            assert place(instance, ranks) == {winner: "Avwo", loser: "Bhavo", "r": None}


class TestRoundTwo:
    def test_a_first_choice_beats_a_better_lottery_number_from_round_two(self) -> None:
        instance = region(
            Pupil(id="p", choices=("Avwo", "Bhavo")),
            Pupil(id="q", choices=("Avwo", "Bhavo")),
            Pupil(id="r", choices=("Bhavo",)),
            capacity={"Avwo": 1, "Bhavo": 1},
        )
        for ranks in orders(instance):
            winner, loser = ("p", "q") if ranks["p"] < ranks["q"] else ("q", "p")
            assert place(instance, ranks) == {winner: "Avwo", "r": "Bhavo", loser: None}

    def test_choices_two_to_five_compete_by_lottery_alone(self) -> None:
        instance = region(
            Pupil(id="p", choices=("Avwo", "Bhavo")),
            Pupil(id="q", choices=("Avwo", "Bhavo")),
            Pupil(id="r", choices=("Avwo", "Bhavo")),
            capacity={"Avwo": 1, "Bhavo": 1},
        )
        for ranks in orders(instance):
            first, second, third = sorted(ranks, key=ranks.__getitem__)
            assert place(instance, ranks) == {first: "Avwo", second: "Bhavo", third: None}


class TestEquivalentLevel:
    def test_a_refused_pupil_stays_at_the_school_if_there_is_room_without_a_new_draw(
        self,
    ) -> None:
        instance = region(
            Pupil(id="p", choices=("Avwo", "Bhavo"), stay_equivalent="Ahavo"),
            Pupil(id="q", choices=("Avwo", "Bhavo"), stay_equivalent="Ahavo"),
            Pupil(id="r", choices=("Bhavo", "Ahavo")),  # Ahavo as a second choice only
            capacity={"Avwo": 1, "Ahavo": 1, "Bhavo": 1},
        )
        for ranks in orders(instance):
            winner, loser = ("p", "q") if ranks["p"] < ranks["q"] else ("q", "p")
            assert place(instance, ranks) == {winner: "Avwo", loser: "Ahavo", "r": "Bhavo"}

    def test_the_equivalent_level_goes_to_its_own_first_choices_before(self) -> None:
        instance = region(
            Pupil(id="p", choices=("Avwo", "Bhavo"), stay_equivalent="Ahavo"),
            Pupil(id="q", choices=("Avwo",)),
            Pupil(id="s", choices=("Ahavo",)),
            capacity={"Avwo": 1, "Ahavo": 1, "Bhavo": 1},
        )
        for ranks in orders(instance):
            placed = place(instance, ranks)
            assert placed["s"] == "Ahavo"
            assert placed["p"] == ("Avwo" if ranks["p"] < ranks["q"] else "Bhavo")

    def test_the_equivalent_level_comes_before_choices_two_to_five_of_others(self) -> None:
        instance = region(
            Pupil(id="p", choices=("Avwo", "Bhavo"), stay_equivalent="Ahavo"),
            Pupil(id="q", choices=("Avwo", "Ahavo")),
            capacity={"Avwo": 0, "Ahavo": 1, "Bhavo": 0},
        )
        for ranks in orders(instance):
            assert place(instance, ranks) == {"p": "Ahavo", "q": None}


class TestMultipleBirths:
    def test_twins_are_placed_together_or_the_place_passes_on(self) -> None:
        instance = region(
            Pupil(id="t1", choices=("Avwo", "Bhavo"), multiple_birth_group="m"),
            Pupil(id="t2", choices=("Avwo", "Bhavo"), multiple_birth_group="m"),
            Pupil(id="x", choices=("Avwo", "Bhavo")),
            capacity={"Avwo": 2, "Bhavo": 2},
        )
        for ranks in orders(instance):
            if abs(ranks["t1"] - ranks["t2"]) != 1:
                continue  # a multiple birth draws once: their ranks are consecutive
            placed = place(instance, ranks)
            if ranks["x"] < ranks["t1"]:  # one place left for two: both go to round 2
                assert placed == {"x": "Avwo", "t1": "Bhavo", "t2": "Bhavo"}
            else:
                assert placed == {"t1": "Avwo", "t2": "Avwo", "x": "Bhavo"}

    def test_twins_with_different_first_choices_draw_apart(self) -> None:
        instance = region(
            Pupil(id="t1", choices=("Avwo",), multiple_birth_group="m"),
            Pupil(id="t2", choices=("Bhavo",), multiple_birth_group="m"),
            capacity={"Avwo": 1, "Bhavo": 1},
        )
        for ranks in orders(instance):
            assert place(instance, ranks) == {"t1": "Avwo", "t2": "Bhavo"}
