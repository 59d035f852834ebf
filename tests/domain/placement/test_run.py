"""A run's checks, audit and continuation after withdrawals."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.domain.placement_world import blocking_pairs, effective_list, instances

from elk_domain.errors import Rejected
from elk_domain.placement.audit import blocking_pairs as blocking_pairs_of
from elk_domain.placement.audit import holders, swap_pupils
from elk_domain.placement.engine import UNPLACED, WITHDRAWN
from elk_domain.placement.lottery import lottery_ranks
from elk_domain.placement.mechanisms import MECHANISMS, compile_problem
from elk_domain.placement.model import Instance, Programme, Pupil
from elk_domain.placement.run import continue_run, replay, solve
from elk_domain.placement.withdrawals import hand_down


def programme(pid: str, capacity: int, school: str | None = None) -> Programme:
    return Programme(id=pid, school=school or pid, level="havo", capacity=capacity)


def instance(*pupils: Pupil, procedure: str = "amsterdam", **capacity: int) -> Instance:
    programmes = tuple(programme(pid, places) for pid, places in capacity.items())
    return Instance(procedure=procedure, seed="zaad", programmes=programmes, pupils=pupils)


def reasons(bad: Instance) -> list[tuple[str, str]]:
    with pytest.raises(Rejected) as refused:
        solve(bad)
    return [(v.path, v.message) for v in refused.value.violations]


class TestTheInstanceIsRefused:
    def test_with_every_reason_at_once(self) -> None:
        bad = Instance(
            procedure="utrecht",
            seed="",
            programmes=(programme("A", -1), programme("A", 1)),
            pupils=(
                Pupil(id="1", choices=("A", "A", "X")),
                Pupil(id="1", choices=(), priority=True),
            ),
        )
        paths = [path for path, _ in reasons(bad)]
        assert paths == [
            "procedure",
            "seed",
            "programmes[0].capacity",
            "programmes[1].id",
            "pupils[1].id",
            "pupils[0].choices[2]",
            "pupils[0].choices",
            "pupils[1]",
        ]

    def test_when_an_amstelland_list_is_longer_than_five(self) -> None:
        pupil = Pupil(id="1", choices=tuple("ABCDEF"))
        bad = instance(pupil, procedure="amstelland", **dict.fromkeys("ABCDEF", 1))
        assert reasons(bad) == [
            ("pupils[0].choices", "In Amstelland telt een lijst hoogstens vijf.")
        ]
        assert solve(instance(pupil, **dict.fromkeys("ABCDEF", 1))).placements == {"1": "A"}

    @pytest.mark.parametrize("stay", ["X", "A", "B"])
    def test_when_the_equivalent_level_is_unknown_the_same_or_elsewhere(self, stay: str) -> None:
        pupil = Pupil(id="1", choices=("A",), stay_equivalent=stay)
        assert [path for path, _ in reasons(instance(pupil, A=1, B=1))] == [
            "pupils[0].stay_equivalent"
        ]

    def test_when_a_multiple_birth_has_priority_for_one_only(self) -> None:
        twins = (
            Pupil(id="1", choices=("A",), priority=True, multiple_birth_group="m"),
            Pupil(id="2", choices=("A",), multiple_birth_group="m"),
            Pupil(id="3", choices=(), multiple_birth_group="m"),
        )
        assert [path for path, _ in reasons(instance(*twins, A=2))] == ["pupils[1].priority"]

    def test_when_the_seed_is_not_the_one_committed_to(self) -> None:
        base = instance(Pupil(id="1", choices=("A",)), A=1)
        right = hashlib.sha256(b"zaad").hexdigest()
        wrong = Instance(**{**_fields(base), "seed_commitment": "00" * 32})
        assert [path for path, _ in reasons(wrong)] == ["seed_commitment"]
        committed = Instance(**{**_fields(base), "seed_commitment": right.upper()})
        assert solve(committed).seed_commitment == right


def _fields(base: Instance) -> dict[str, object]:
    return {
        "procedure": base.procedure,
        "seed": base.seed,
        "programmes": base.programmes,
        "pupils": base.pupils,
    }


class TestTheAudit:
    def test_counts_choices_equivalent_levels_unplaced_and_cut_offs(self) -> None:
        run = instance(
            Pupil(id="1", choices=("A", "C")),
            Pupil(id="2", choices=("A", "C")),
            Pupil(id="3", choices=("A",), stay_equivalent="B"),
            Pupil(id="4", choices=("C",)),
            procedure="amstelland",
            A=1,
            B=1,
            C=1,
        )
        run = Instance(**{**_fields(run), "programmes": (programme("A", 1, "S"),
                       programme("B", 1, "S"), programme("C", 1))})  # fmt: skip
        result = solve(run)
        audit = result.audit
        assert sum(audit.placed_by_choice) + audit.placed_equivalent + audit.unplaced == 4
        assert audit.placed_equivalent == (1 if result.placements["3"] == "B" else 0)
        cut = {c.programme: c for c in audit.oversubscribed}
        winner = next(p for p, at in result.placements.items() if at == "A")
        assert cut["A"].last_rank == result.lottery[winner]
        assert cut["A"].last_class == "eerste keuze"
        assert cut["A"].reserve == len(result.reserve["A"]) == 2
        assert list(result.reserve["A"]) == sorted(result.reserve["A"], key=result.lottery.get)

    def test_names_a_full_programme_with_no_places_without_a_last_rank(self) -> None:
        result = solve(instance(Pupil(id="1", choices=("A",)), A=0))
        (cut,) = result.audit.oversubscribed
        assert (cut.placed, cut.last_rank, cut.last_class) == (0, None, None)
        assert result.audit.unplaced == 1

    @given(instances(twins=False))
    @settings(max_examples=150, deadline=None)
    def test_counts_the_pupils_who_could_swap_as_a_slow_count_does(self, run: Instance) -> None:
        result = solve(run)
        want = {}
        for pupil in run.pupils:
            wanted = effective_list(run.procedure, pupil)
            placed = result.placements[pupil.id]
            if placed is not None:
                want[pupil.id] = (placed, set(wanted[: wanted.index(placed)]))
        swappers = {
            p
            for p, (here, better) in want.items()
            for q, (there, theirs) in want.items()
            if there in better and here in theirs
        }
        assert result.audit.swap_pupils == len(swappers)


class TestContinuingAfterWithdrawals:
    @given(instances(twins=False), st.data())
    @settings(max_examples=200, deadline=None)
    def test_moves_nobody_down_and_stays_stable(self, run: Instance, data: st.DataObject) -> None:
        before = solve(run)
        ids = sorted(before.placements)
        gone = data.draw(st.lists(st.sampled_from(ids), max_size=4)) if ids else []
        after = continue_run(run, before, gone)
        assert blocking_pairs(run, after) == []
        assert after.audit.blocking_pairs == 0
        for pupil in run.pupils:
            if pupil.id in gone:
                assert after.placements[pupil.id] is None
                continue
            wanted = effective_list(run.procedure, pupil)
            was, now = before.placements[pupil.id], after.placements[pupil.id]
            if was is not None:
                assert now is not None
                assert wanted.index(now) <= wanted.index(was)
        assert after.audit.withdrawn == len(set(gone))
        assert replay(run, after.withdrawn) == after

    def test_hands_a_freed_place_down_a_chain(self) -> None:
        pupils = (
            Pupil(id="a", choices=("A",)),
            Pupil(id="b", choices=("A", "B")),
            Pupil(id="c", choices=("A", "B")),
        )
        programmes = (programme("A", 1), programme("B", 1))
        run = next(  # a seed that draws a, b, c in that order
            candidate
            for seed in (f"z{n}" for n in range(1000))
            if lottery_ranks(seed, pupils) == [1, 2, 3]
            for candidate in [Instance(procedure="amsterdam", seed=seed, programmes=programmes,
                                       pupils=pupils)]
        )  # fmt: skip
        before = solve(run)
        assert before.placements == {"a": "A", "b": "B", "c": None}
        after = continue_run(run, before, ["a"])
        assert after.placements == {"a": None, "b": "A", "c": "B"}
        assert after.withdrawn == (("a",),)
        assert after.reserve == {"A": ("c",), "B": ()}

    def test_a_pupil_who_moved_up_in_the_same_round_is_passed_over_lower_down(self) -> None:
        pupils = (Pupil(id="a", choices=("A",)), Pupil(id="b", choices=("B",)),
                  Pupil(id="x", choices=("A", "B", "C")))  # fmt: skip
        programmes = (programme("B", 1), programme("A", 1), programme("C", 1))
        run = next(  # a seed that draws x last
            candidate
            for seed in (f"z{n}" for n in range(1000))
            if lottery_ranks(seed, pupils)[2] == 3
            for candidate in [Instance(procedure="amsterdam", seed=seed, programmes=programmes,
                                       pupils=pupils)]
        )  # fmt: skip
        assert solve(run).placements == {"a": "A", "b": "B", "x": "C"}
        after = continue_run(run, solve(run), ["a", "b"])  # A and B free at once
        assert after.placements == {"a": None, "b": None, "x": "A"}  # B's list skips x

    def test_a_withdrawn_pupil_waiting_for_a_place_does_not_get_it(self) -> None:
        pupils = (Pupil(id="a", choices=("A",)), Pupil(id="b", choices=("A", "B")),
                  Pupil(id="c", choices=("A",)))  # fmt: skip
        programmes = (programme("A", 1), programme("B", 1))
        run = next(  # a seed that draws a, b, c in that order
            candidate
            for seed in (f"z{n}" for n in range(1000))
            if lottery_ranks(seed, pupils) == [1, 2, 3]
            for candidate in [Instance(procedure="amsterdam", seed=seed, programmes=programmes,
                                       pupils=pupils)]
        )  # fmt: skip
        before = solve(run)
        assert before.placements == {"a": "A", "b": "B", "c": None}
        after = continue_run(run, before, ["a", "b"])  # b waited for A: skipped, c moves in
        assert after.placements == {"a": None, "b": None, "c": "A"}

    @given(instances(procedure="amstelland"), st.data())
    @settings(max_examples=150, deadline=None)
    def test_moves_a_multiple_birth_to_its_first_choice_only_together(
        self, run: Instance, data: st.DataObject
    ) -> None:
        before = solve(run)
        gone = data.draw(st.lists(st.sampled_from(sorted(before.placements) or ["-"]), max_size=3))
        gone = [g for g in gone if g in before.placements]
        after = continue_run(run, before, gone)
        groups: dict[tuple[str, str], set[bool]] = {}
        for pupil in run.pupils:
            if pupil.multiple_birth_group and pupil.choices and pupil.id not in gone:
                key = (pupil.multiple_birth_group, pupil.choices[0])
                moved = after.placements[pupil.id] == pupil.choices[0]
                groups.setdefault(key, set()).add(
                    moved or before.placements[pupil.id] == pupil.choices[0]
                )
        assert all(len(states) == 1 for states in groups.values())

    def test_refuses_an_unknown_pupil_or_a_result_that_does_not_fit(self) -> None:
        run = instance(Pupil(id="a", choices=("A",)), Pupil(id="b", choices=("B",)), A=1, B=1)
        before = solve(run)
        with pytest.raises(Rejected, match="Onbekende leerlingen"):
            continue_run(run, before, ["zz"])
        outside = type(before)(**{**_result_fields(before), "placements": {"a": "B", "b": "B"}})
        with pytest.raises(Rejected, match="buiten de lijst"):
            continue_run(run, outside, [])
        missing = type(before)(**{**_result_fields(before), "placements": {"a": "A"}})
        with pytest.raises(Rejected, match="noemt leerling b niet"):
            continue_run(run, missing, [])


def _result_fields(result: object) -> dict[str, object]:
    import attrs

    return attrs.asdict(result, recurse=False)  # type: ignore[arg-type]


class TestTheAuditCatchesAWrongRun:
    """The audit is computed from the positions, so a broken run shows in its count."""

    def test_counts_a_pupil_passed_over_for_a_worse_one(self) -> None:
        run = instance(Pupil(id="a", choices=("A",)), Pupil(id="b", choices=("A",)), A=1)
        problem, _ = compile_problem(run, [1, 2])
        position = [UNPLACED, 0]  # b (rank 2) holds the place a (rank 1) wanted
        assert blocking_pairs_of(problem, position, holders(problem, position)) == 1
        empty = [UNPLACED, UNPLACED]  # a free place nobody got
        assert blocking_pairs_of(problem, empty, holders(problem, empty)) == 2

    def test_counts_a_multiple_birth_left_out_though_all_of_them_fit(self) -> None:
        twins = (
            Pupil(id="t1", choices=("A",), multiple_birth_group="m"),
            Pupil(id="t2", choices=("A",), multiple_birth_group="m"),
            Pupil(id="x", choices=("A",)),
        )
        problem, _ = compile_problem(instance(*twins, procedure="amstelland", A=2), [1, 2, 3])
        wrong = [UNPLACED, UNPLACED, 0]
        assert blocking_pairs_of(problem, wrong, holders(problem, wrong)) == 2
        right = [0, 0, UNPLACED]
        assert blocking_pairs_of(problem, right, holders(problem, right)) == 0


class TestTwoBatchesOfWithdrawals:
    def test_are_replayed_in_order(self) -> None:
        pupils = tuple(Pupil(id=str(n), choices=("A", "B")) for n in range(6))
        run = instance(*pupils, A=2, B=2)
        first = continue_run(run, solve(run), ["0", "1"])
        second = continue_run(run, first, ["2"])
        assert second.withdrawn == (("0", "1"), ("2",))
        assert replay(run, second.withdrawn) == second
        assert second.audit.withdrawn == 3
        assert sum(1 for p in second.placements.values() if p) == 3


def birth_case() -> tuple[Instance, list[int]]:
    """Twins (ranks 2, 3) at A with one place left after x (rank 1): z (rank 4) gets it."""
    pupils = (
        Pupil(id="x", choices=("A", "B")),
        Pupil(id="t1", choices=("A", "B"), multiple_birth_group="m"),
        Pupil(id="t2", choices=("A", "B"), multiple_birth_group="m"),
        Pupil(id="z", choices=("A", "B")),
    )
    return instance(*pupils, procedure="amstelland", A=2, B=4), [1, 2, 3, 4]


class TestAMultipleBirthAfterWithdrawals:
    def test_waits_for_room_for_all_and_is_offered_first_when_it_comes(self) -> None:
        run, ranks = birth_case()
        problem, starts = compile_problem(run, ranks)
        position = MECHANISMS["amstelland"](problem, starts)
        assert position == [0, 1, 1, 0]  # x and z at A, the twins at B
        hand_down(problem, position, [3])  # z leaves: one place, two twins
        assert position == [0, 1, 1, WITHDRAWN]
        hand_down(problem, position, [0])  # x leaves too: now both fit
        assert position == [WITHDRAWN, 0, 0, WITHDRAWN]

    def test_moves_in_when_room_for_all_frees_up_at_once(self) -> None:
        run, ranks = birth_case()
        problem, starts = compile_problem(run, ranks)
        position = MECHANISMS["amstelland"](problem, starts)
        hand_down(problem, position, [0, 3])
        assert position == [WITHDRAWN, 0, 0, WITHDRAWN]
        assert blocking_pairs_of(problem, position, holders(problem, position)) == 0

    def test_gets_the_place_a_chain_frees_later_in_the_same_batch(self) -> None:
        pupils = (
            Pupil(id="x", choices=("A", "B")),
            Pupil(id="t1", choices=("A", "B"), multiple_birth_group="m"),
            Pupil(id="t2", choices=("A", "B"), multiple_birth_group="m"),
            Pupil(id="w", choices=("C",)),
            Pupil(id="y", choices=("C", "A")),
        )
        run = instance(*pupils, procedure="amstelland", C=1, A=2, B=4)
        problem, starts = compile_problem(run, [1, 2, 3, 4, 5])
        position = MECHANISMS["amstelland"](problem, starts)
        assert position == [0, 1, 1, 0, 1]  # x and y at A, the twins at B, w at C
        hand_down(problem, position, [0, 3])  # A frees one place, then y's move to C another
        assert position == [WITHDRAWN, 0, 0, WITHDRAWN, 0]
        assert blocking_pairs_of(problem, position, holders(problem, position)) == 0


class TestSwaps:
    def test_counts_twins_and_the_pupil_at_their_first_choice_who_wants_their_school(
        self,
    ) -> None:
        pupils = (
            Pupil(id="t1", choices=("A", "B"), multiple_birth_group="m"),
            Pupil(id="t2", choices=("A", "B"), multiple_birth_group="m"),
            Pupil(id="y", choices=("C", "B", "A")),
        )
        run = instance(*pupils, procedure="amstelland", A=1, B=2, C=0)
        problem, starts = compile_problem(run, [1, 2, 3])
        position = MECHANISMS["amstelland"](problem, starts)
        assert position == [1, 1, 2]  # the twins at B, y at A
        assert swap_pupils(problem, position) == 3
        assert blocking_pairs_of(problem, position, holders(problem, position)) == 0
