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
    pupils = instance.pupils
    stride = len(pupils) + 1
    by_rank = [0] * stride
    for p, rank in enumerate(ranks):
        by_rank[rank] = p
    lists = [[number[c] for c in pupil.choices] for pupil in pupils]
    if instance.procedure == "amstelland":
        offsets, starts = _amstelland_offsets(pupils, lists, number, stride)
        groups = _groups(pupils)
    else:
        offsets, starts, groups = _amsterdam_offsets(pupils, lists, stride), [0] * len(lists), []
    group_of = [-1] * len(pupils)
    for g, members in enumerate(groups):
        for p in members:
            group_of[p] = g
    problem = Problem(
        capacity=[programme.capacity for programme in instance.programmes],
        lists=lists,
        offsets=offsets,
        ranks=list(ranks),
        stride=stride,
        by_rank=by_rank,
        groups=groups,
        group_of=group_of,
    )
    return problem, starts


def _amsterdam_offsets(
    pupils: Sequence[Pupil], lists: list[list[int]], stride: int
) -> list[tuple[int, ...]]:
    """Class 0 at the first choice for granted priority, class 1 everywhere else."""
    longest = max(map(len, lists), default=0)
    plain = [(stride,) * k for k in range(longest + 1)]
    first = [(0,) + (stride,) * (k - 1) if k else () for k in range(longest + 1)]
    return [
        (first if pupil.priority else plain)[len(choices)]
        for pupil, choices in zip(pupils, lists, strict=True)
    ]


def _amstelland_offsets(
    pupils: Sequence[Pupil], lists: list[list[int]], number: Mapping[str, int], stride: int
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Classes on the effective list [first, equivalent level?, choices 2–5]; lists edited in place.

    The equivalent level is put second, and taken out of choices 2–5 if it is there too.
    """
    shared: dict[tuple[bool, bool, int], tuple[int, ...]] = {}
    offsets: list[tuple[int, ...]] = []
    starts: list[int] = []
    for pupil, choices in zip(pupils, lists, strict=True):
        stay = pupil.stay_equivalent is not None and bool(choices)
        if stay:
            equivalent = number[str(pupil.stay_equivalent)]
            choices[1:] = [equivalent, *(c for c in choices[1:] if c != equivalent)]
        key = (pupil.priority, stay, len(choices))
        if key not in shared:
            head = (0 if pupil.priority else stride,) + ((2 * stride,) if stay else ())
            shared[key] = (head + (3 * stride,) * len(choices))[: len(choices)]
        offsets.append(shared[key])
        starts.append(2 if stay else 1 if choices else 0)
    return offsets, starts


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
