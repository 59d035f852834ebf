"""Continuing a run after withdrawals: freed places go down the reserve lists, in standing order.

Each freed place goes to the best-standing pupil on that programme's reserve list who still ranks
it above their current place; the place that pupil leaves is handed down in turn. Pupils only
move up, so nobody ends at a worse school, and a stable run stays stable. A multiple birth at its
first choice moves only when there is room for all of them at once; until then the place passes
to the next on the list, and the birth is offered again first whenever a place frees up there
(decision 0050).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from elk_domain.errors import Rejected
from elk_domain.placement.engine import UNPLACED, WITHDRAWN, Problem

#: A reserve-list entry: (standing at the programme, pupil, index in the pupil's list).
Entry = tuple[int, int, int]

if TYPE_CHECKING:
    from elk_domain.placement.compiled import Compiled
    from elk_domain.placement.result import Result


def positions_of(compiled: Compiled, previous: Result) -> list[int]:
    """The previous result as positions in the compiled lists; Rejected when it does not fit."""
    instance, lists = compiled.instance, compiled.problem.lists
    number = {programme.id: s for s, programme in enumerate(instance.programmes)}
    gone = {pupil_id for batch in previous.withdrawn for pupil_id in batch}
    position = [UNPLACED] * len(lists)
    for p, pupil in enumerate(instance.pupils):
        if pupil.id in gone:
            position[p] = WITHDRAWN
            continue
        if pupil.id not in previous.placements:
            raise Rejected(f"Het vorige resultaat noemt leerling {pupil.id} niet.")
        placed = previous.placements[pupil.id]
        if placed is None:
            continue
        if number.get(placed) not in lists[p]:
            message = f"Leerling {pupil.id} is in het vorige resultaat buiten de lijst geplaatst."
            raise Rejected(message)
        position[p] = lists[p].index(number[placed])
    return position


def hand_down(problem: Problem, position: list[int], withdrawn: list[int]) -> None:
    """Withdraw the pupils and fill the places freed, in place; each pupil only moves up."""
    free = list(problem.capacity)
    for p, index in enumerate(position):
        if index >= 0:
            free[problem.lists[p][index]] -= 1
    for p in withdrawn:
        if position[p] >= 0:
            free[problem.lists[p][position[p]]] += 1
        position[p] = WITHDRAWN
    chain = _Chain(problem, position, free)
    while chain.waiting:
        chain.fill(chain.waiting.pop())


class _Chain:
    """The vacancy chain: per programme the reserve list, how far it was read, who was passed."""

    def __init__(self, problem: Problem, position: list[int], free: list[int]) -> None:
        self.problem, self.position, self.free = problem, position, free
        self.wanted = _wanted(problem, position)
        self.following = [0] * len(free)
        self.passed: list[list[Entry]] = [[] for _ in free]  # births that did not fit yet
        self.waiting = [s for s, room in enumerate(free) if room > 0]

    def fill(self, s: int) -> None:
        """Offer the free places of programme ``s``: births passed over first, then the list."""
        for entry in list(self.passed[s]):
            if self.free[s] and self.offer(s, entry) is not None:
                self.passed[s].remove(entry)
        row = self.wanted[s]
        while self.free[s] and self.following[s] < len(row):
            entry = row[self.following[s]]
            self.following[s] += 1
            if self.offer(s, entry) is None:
                self.passed[s].append(entry)

    def offer(self, s: int, entry: Entry) -> bool | None:
        """Move the pupil (or birth) up: True; no longer wanted: False; no room for all: None."""
        _, pupil, index = entry
        current = self.position[pupil]
        if current == WITHDRAWN or UNPLACED < current <= index:
            return False
        movers = _movers(self.problem, self.position, pupil, index)
        if len(movers) > self.free[s]:
            return None
        for mover in movers:
            if self.position[mover] >= 0:
                left = self.problem.lists[mover][self.position[mover]]
                self.free[left] += 1
                self.waiting.append(left)
            self.position[mover] = index
            self.free[s] -= 1
        return True


def _movers(problem: Problem, position: list[int], pupil: int, index: int) -> list[int]:
    """Who moves together: the pupil, or at the first choice their whole multiple birth."""
    group = problem.group_of[pupil]
    if index != 0 or group < 0:
        return [pupil]
    return [p for p in problem.groups[group] if position[p] not in (0, WITHDRAWN)]


def _wanted(problem: Problem, position: list[int]) -> list[list[Entry]]:
    """Per programme: (standing, pupil, list index) of those who rank it above their place."""
    wanted: list[list[Entry]] = [[] for _ in problem.capacity]
    for p, current in enumerate(position):
        if current == WITHDRAWN:
            continue
        choices = problem.lists[p]
        for i in range(len(choices) if current == UNPLACED else current):
            wanted[choices[i]].append((problem.standing(p, i), p, i))
    for row in wanted:
        row.sort()
    return wanted
