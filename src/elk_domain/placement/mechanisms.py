"""The two mechanisms, chosen by the procedure's name (decision 0050), and the compiling step.

Standing classes, lower wins; within a class the lottery rank decides:

- Amstelland: 0 granted priority at the first choice, 1 first choice, 2 the equivalent level
  (only after the first choice refused the pupil), 3 choices 2–5 (Centrale Plaatsing en Loting).
- Amsterdam: 0 granted priority at the first choice, 1 everyone else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from elk_domain.placement.engine import (
    UNPLACED,
    Problem,
    deferred_acceptance,
    equivalent_level_round,
    first_choice_round,
)
from elk_domain.placement.model import Instance, Pupil

#: What each standing class is called in the audit and in explanations, per procedure.
CLASS_LABELS: Mapping[str, tuple[str, ...]] = {
    "amstelland": ("voorrang", "eerste keuze", "gelijkwaardig niveau", "centrale plaatsing"),
    "amsterdam": ("voorrang", "loting"),
}


def compile_problem(instance: Instance, ranks: Sequence[int]) -> tuple[Problem, list[int]]:
    """The instance as ints, and per pupil the list index where Amstelland's round 2 starts."""
    number = {programme.id: i for i, programme in enumerate(instance.programmes)}
    stride = len(instance.pupils) + 1
    by_rank = [0] * stride
    lists: list[list[int]] = []
    keys: list[list[int]] = []
    starts: list[int] = []
    amstelland = instance.procedure == "amstelland"
    for p, pupil in enumerate(instance.pupils):
        rank = ranks[p]
        by_rank[rank] = p
        choices = [number[c] for c in pupil.choices]
        if amstelland:
            standings, start = _amstelland_entry(pupil, choices, number, stride, rank)
        else:
            standings, start = [stride + rank] * len(choices), 0
            if pupil.priority and choices:
                standings[0] = rank
        lists.append(choices)
        keys.append(standings)
        starts.append(start)
    groups = _groups(instance.pupils) if amstelland else []
    group_of = [-1] * len(instance.pupils)
    for g, members in enumerate(groups):
        for p in members:
            group_of[p] = g
    problem = Problem(
        capacity=[programme.capacity for programme in instance.programmes],
        lists=lists,
        keys=keys,
        stride=stride,
        by_rank=by_rank,
        groups=groups,
        group_of=group_of,
    )
    return problem, starts


def _amstelland_entry(
    pupil: Pupil, choices: list[int], number: Mapping[str, int], stride: int, rank: int
) -> tuple[list[int], int]:
    """The standings on the effective list [first, equivalent level?, choices 2–5] (in place)."""
    if not choices:
        return [], 0
    standings = [(0 if pupil.priority else stride) + rank] + [3 * stride + rank] * (
        len(choices) - 1
    )
    if pupil.stay_equivalent is None:
        return standings, 1
    stay = number[pupil.stay_equivalent]
    later = [c for c in choices[1:] if c != stay]
    choices[1:] = [stay, *later]
    return [standings[0], 2 * stride + rank] + [3 * stride + rank] * len(later), 2


def _groups(pupils: Sequence[Pupil]) -> list[list[int]]:
    """Multiple births registered together at the same first choice (two or more members)."""
    together: dict[tuple[str, str], list[int]] = {}
    for p, pupil in enumerate(pupils):
        if pupil.multiple_birth_group is not None and pupil.choices:
            together.setdefault((pupil.multiple_birth_group, pupil.choices[0]), []).append(p)
    return [members for members in together.values() if len(members) > 1]


def amstelland(problem: Problem, starts: list[int]) -> list[int]:
    """Round 1 at the first choice, the equivalent level without a new draw, then DA on 2–5."""
    room = list(problem.capacity)
    position = [UNPLACED] * len(problem.lists)
    for pupil in first_choice_round(problem, room):
        position[pupil] = 0
    refused = [p for p, start in enumerate(starts) if start == 2 and position[p] == UNPLACED]
    equivalent_level_round(problem, room, refused, position)
    rest = [p for p in range(len(position)) if position[p] == UNPLACED]
    later = deferred_acceptance(problem, room, starts, rest)
    for pupil in rest:
        position[pupil] = later[pupil]
    return position


def amsterdam(problem: Problem, starts: list[int]) -> list[int]:
    """Deferred acceptance with single tie-breaking over the whole list, priority as a class."""
    return deferred_acceptance(problem, problem.capacity, starts, list(range(len(starts))))


#: The mechanism per procedure name: data, not code paths in views.
MECHANISMS: Mapping[str, Callable[[Problem, list[int]], list[int]]] = {
    "amstelland": amstelland,
    "amsterdam": amsterdam,
}
