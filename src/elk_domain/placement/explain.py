"""Why a pupil was placed where they were: per programme ranked higher, the reason in Dutch.

For the parent portal and the letter (issue 16, item 5): for each programme above the
placement, whether it had no places, was full with priority pupils or with pupils of an earlier
round, left a multiple birth out for want of room for all, or drew its last place at lottery rank
N against the child's own M; and the child's position on each reserve list. Compiled once per
run (``Explainer``), then cheap per pupil.
"""

from __future__ import annotations

import enum

import attrs

from elk_domain.errors import NotFound
from elk_domain.placement.audit import holders
from elk_domain.placement.mechanisms import CLASS_LABELS
from elk_domain.placement.model import Instance, Programme
from elk_domain.placement.result import Result
from elk_domain.placement.run import prepare
from elk_domain.placement.withdrawals import positions_of


class Why(enum.Enum):
    """Why a higher-ranked programme did not place the pupil."""

    NO_PLACES = "geen_plaatsen"
    FULL_WITH_PRIORITY = "vol_met_voorrang"
    FULL_EARLIER = "vol_eerdere_ronde"
    MULTIPLE_BIRTH = "meerling"
    LOTTERY = "loting"
    ROOM_LEFT = "plaats_over"  # only in a result that is not stable; the audit counts it


@attrs.frozen(kw_only=True)
class Reason:
    """One programme ranked above the placement, and why it did not place the pupil."""

    programme: str
    why: Why
    message: str
    last_rank: int | None = None  # the cut-off: the lottery rank of the last pupil placed
    own_rank: int | None = None
    reserve_position: int | None = None  # 1 = first on the reserve list


@attrs.frozen(kw_only=True)
class Explanation:
    """Where the pupil is placed (None: nowhere) and the reasons for each programme above it."""

    pupil: str
    placed: str | None
    lottery_rank: int
    reasons: tuple[Reason, ...]


class Explainer:
    """The explanations of one run: compile once, then ``explain`` each pupil."""

    def __init__(self, instance: Instance, result: Result) -> None:
        self._compiled = prepare(instance)
        self._position = positions_of(self._compiled, result)
        self._held = holders(self._compiled.problem, self._position)
        self._index = {pupil.id: p for p, pupil in enumerate(instance.pupils)}
        self._labels = CLASS_LABELS[instance.procedure]
        self._result = result

    def explain(self, pupil_id: str) -> Explanation:
        """The explanation for one pupil; NotFound for an ELK number not in the run."""
        p = self._index.get(pupil_id)
        if p is None:
            raise NotFound(f"Leerling {pupil_id} doet niet mee aan deze plaatsing.")
        problem, programmes = self._compiled.problem, self._compiled.instance.programmes
        index = self._position[p]
        above = len(problem.lists[p]) if index < 0 else index
        reasons = tuple(
            self._reason(p, i, programmes[problem.lists[p][i]], pupil_id) for i in range(above)
        )
        return Explanation(
            pupil=pupil_id,
            placed=self._result.placements.get(pupil_id),
            lottery_rank=problem.ranks[p],
            reasons=reasons,
        )

    def _reason(self, p: int, i: int, programme: Programme, pupil_id: str) -> Reason:
        problem = self._compiled.problem
        held = self._held[problem.lists[p][i]]
        waiting = self._result.reserve.get(programme.id, ())
        position = waiting.index(pupil_id) + 1 if pupil_id in waiting else None
        own = problem.standing(p, i)
        why, last = _why(problem.capacity[problem.lists[p][i]], held, own, problem.stride)
        if why is Why.ROOM_LEFT and i == 0 and problem.group_of[p] >= 0:
            why = Why.MULTIPLE_BIRTH  # room for one or some, not for all of them
        last_rank = None if last is None else last % problem.stride
        label = None if last is None else self._labels[last // problem.stride]
        name = f"{programme.school} ({programme.level})"
        return Reason(
            programme=programme.id,
            why=why,
            message=_message(why, name, label, last_rank, own % problem.stride),
            last_rank=last_rank,
            own_rank=own % problem.stride,
            reserve_position=position,
        )


def _why(capacity: int, held: list[int], own: int, stride: int) -> tuple[Why, int | None]:
    """The reason from the standings held there (ascending) and the pupil's own."""
    if capacity == 0:
        return Why.NO_PLACES, None
    if len(held) < capacity or held[-1] > own:
        return Why.ROOM_LEFT, held[-1] if held else None
    last = held[-1]
    if last // stride == own // stride:
        return Why.LOTTERY, last
    return (Why.FULL_WITH_PRIORITY if last // stride == 0 else Why.FULL_EARLIER), last


def _message(why: Why, name: str, label: str | None, last: int | None, own: int) -> str:
    """The reason as a parent reads it."""
    if why is Why.NO_PLACES:
        return f"{name} had geen plaatsen."
    if why is Why.FULL_WITH_PRIORITY:
        return f"{name} was vol met leerlingen met voorrang."
    if why is Why.FULL_EARLIER:
        return f"{name} was vol met leerlingen die voorgingen ({label})."
    if why is Why.MULTIPLE_BIRTH:
        return f"Bij {name} was geen plaats voor alle kinderen van de meerling samen."
    if why is Why.LOTTERY:
        return f"Bij {name} kreeg lotnummer {last} de laatste plaats; uw kind had lotnummer {own}."
    return f"Bij {name} was nog plaats: deze plaatsing klopt niet (zie de controle)."
