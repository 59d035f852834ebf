"""The audit of a run on the compiled problem: blocking pairs, outcomes, cut-offs, swaps."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from elk_domain.placement.engine import UNPLACED, WITHDRAWN, Problem


def holders(problem: Problem, position: Sequence[int]) -> list[list[int]]:
    """Per programme: the standings of the pupils placed there, ascending."""
    held: list[list[int]] = [[] for _ in problem.capacity]
    for p, index in enumerate(position):
        if index >= 0:
            held[problem.lists[p][index]].append(problem.standing(p, index))
    for standings in held:
        standings.sort()
    return held


def reserve_lists(problem: Problem, position: Sequence[int]) -> list[list[int]]:
    """Per programme: the pupils who rank it above their placement, by standing there."""
    waiting: list[list[int]] = [[] for _ in problem.capacity]
    lists, offsets, ranks = problem.lists, problem.offsets, problem.ranks
    for p, index in enumerate(position):
        if index == WITHDRAWN:
            continue
        choices, classes, rank = lists[p], offsets[p], ranks[p]
        for i in range(len(choices) if index == UNPLACED else index):
            waiting[choices[i]].append(classes[i] + rank)
    for standings in waiting:
        standings.sort()
    return [[problem.by_rank[s % problem.stride] for s in row] for row in waiting]


def blocking_pairs(problem: Problem, position: Sequence[int], held: list[list[int]]) -> int:
    """Pairs (pupil, programme ranked above the placement) where the pupil should have won."""
    capacity, lists, group_of = problem.capacity, problem.lists, problem.group_of
    offsets, ranks = problem.offsets, problem.ranks
    free = [capacity[s] - len(row) for s, row in enumerate(held)]
    worst = [row[-1] if row else -1 for row in held]
    pairs = 0
    for p, index in enumerate(position):
        if index == WITHDRAWN:
            continue
        choices, classes, rank = lists[p], offsets[p], ranks[p]
        for i in range(len(choices) if index == UNPLACED else index):
            if i == 0 and group_of[p] >= 0:
                continue  # a multiple birth is judged as one unit below
            s = choices[i]
            if free[s] > 0 or worst[s] > classes[i] + rank:
                pairs += 1
    return pairs + _group_blocking_pairs(problem, position, held, free)


def _group_blocking_pairs(
    problem: Problem, position: Sequence[int], held: list[list[int]], free: list[int]
) -> int:
    """Members of a multiple birth left out of a first choice that had room for all of them."""
    pairs = 0
    for members in problem.groups:
        out = [p for p in members if position[p] not in (0, WITHDRAWN)]
        if not out:
            continue
        unit = max(problem.standing(p, 0) for p in out)
        programme = problem.lists[out[0]][0]
        weaker = len(held[programme]) - bisect_right(held[programme], unit)
        if free[programme] + weaker >= len(out):
            pairs += len(out)
    return pairs


def swap_pupils(problem: Problem, position: Sequence[int]) -> int:
    """Placed pupils who could swap with another placed pupil so that both are better off."""
    wants: dict[tuple[int, int], list[int]] = {}
    for p, index in enumerate(position):
        if index > 0:
            here = problem.lists[p][index]
            for better in problem.lists[p][:index]:
                wants.setdefault((here, better), []).append(p)
    involved: set[int] = set()
    for (here, better), pupils in wants.items():
        if (better, here) in wants:
            involved.update(pupils)
    return len(involved)
