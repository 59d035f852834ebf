"""The placement engine on plain ints: lists, heaps, no objects in the inner loop.

A compiled ``Problem`` gives each pupil an effective list of programme numbers and, per entry,
the pupil's standing there (lower wins): ``class * stride + lottery rank``, so the standing
also names the pupil (``by_rank[standing % stride]``). The ``class * stride`` parts come as
tuples shared by every pupil with the same pattern, so compiling allocates little.
``position[p]`` is the index in the pupil's list where they are placed, ``UNPLACED`` when
nowhere.
"""

from __future__ import annotations

from heapq import heappush, heapreplace

import attrs

UNPLACED = -1
WITHDRAWN = -2


@attrs.define(kw_only=True, slots=True)
class Problem:
    """An instance as ints: what the mechanisms and the audit work on."""

    capacity: list[int]
    lists: list[list[int]]  # per pupil: programme numbers, best first
    offsets: list[tuple[int, ...]]  # per pupil and entry: class * stride (shared tuples)
    ranks: list[int]  # per pupil: the lottery rank, 1 = best
    stride: int  # larger than every lottery rank
    by_rank: list[int]  # lottery rank → pupil number
    groups: list[list[int]]  # multiple births sharing a first choice (Amstelland's round 1)
    group_of: list[int]  # pupil → index in groups, or -1

    def standing(self, pupil: int, index: int) -> int:
        """The pupil's standing at entry ``index`` of their list; lower wins."""
        return self.offsets[pupil][index] + self.ranks[pupil]


def deferred_acceptance(
    problem: Problem, room: list[int], start: list[int], proposers: list[int]
) -> list[int]:
    """Student-proposing deferred acceptance from ``start[p]`` on, on ``room`` places.

    Returns the position (index in the pupil's list) of each proposer; others stay UNPLACED.
    """
    lists, offsets, ranks = problem.lists, problem.offsets, problem.ranks
    stride, by_rank = problem.stride, problem.by_rank
    position = [UNPLACED] * len(lists)
    following = list(start)
    room = list(room)
    held: list[list[int]] = [[] for _ in room]
    waiting = proposers[::-1]
    while waiting:
        pupil = waiting.pop()
        choices, classes, index, rank = lists[pupil], offsets[pupil], following[pupil], ranks[pupil]
        end = len(choices)
        while index < end:
            programme, standing = choices[index], classes[index] + rank
            index += 1
            heap = held[programme]
            if room[programme]:
                room[programme] -= 1
                heappush(heap, -standing)
            elif heap and -heap[0] > standing:
                loser = by_rank[-heapreplace(heap, -standing) % stride]
                position[loser] = UNPLACED
                waiting.append(loser)
            else:
                continue
            position[pupil] = index - 1
            break
        following[pupil] = index
    return position


def first_choice_round(problem: Problem, room: list[int]) -> list[int]:
    """Amstelland's round 1: at each first choice, by standing, multiple births as one unit.

    ``room`` is updated in place; returns the pupils placed (position 0).
    """
    lists, groups, standing = problem.lists, problem.groups, problem.standing
    units = [(standing(p, 0), p) for p in range(len(lists)) if lists[p] and problem.group_of[p] < 0]
    for number, members in enumerate(groups):
        units.append((max(standing(p, 0) for p in members), -1 - number))
    units.sort()
    placed: list[int] = []
    for _, unit in units:
        members = [unit] if unit >= 0 else groups[-1 - unit]
        programme = lists[members[0]][0]
        if room[programme] >= len(members):
            room[programme] -= len(members)
            placed.extend(members)
    return placed


def equivalent_level_round(
    problem: Problem, room: list[int], candidates: list[int], position: list[int]
) -> None:
    """Place each candidate at entry 1 (their equivalent level) while there is room, no new draw."""
    for pupil in sorted(candidates, key=lambda p: problem.standing(p, 1)):
        programme = problem.lists[pupil][1]
        if room[programme]:
            room[programme] -= 1
            position[pupil] = 1
