"""The region's view of the VO registrations (issue 15 item 7): per VO school and level, the
definitive first choices against the capacity, which schools are over-subscribed, and the pupils
without a definitive registration with their primary school.

ELK beheer sees every school; a board contact the schools of their board. Both overviews read
the region's read model (``VoRegionQuery``): a fixed number of queries, whatever the number of
schools.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import attrs

from elk_domain.kernel.advice import Advice, Level, readable_advice
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.organisation.model import School
from elk_domain.vo.model import (
    AdviceCount,
    LevelCount,
    UnregisteredPupil,
    level_at,
    level_counts,
)
from elk_domain.vo.ports import VoWork


@attrs.frozen
class SchoolRegistrations:
    """One VO school: registrations per level against its capacity."""

    school: School
    counts: tuple[LevelCount, ...]
    total: int
    unplaceable: int

    @property
    def over(self) -> bool:
        """True when a level has more first choices than places (a lottery will be needed)."""
        return any(count.over for count in self.counts)


def _schools_in_reach(uow: VoWork, actor: Actor, kind: OrgKind) -> list[School]:
    """The schools of this kind the actor sees the region of (inside an open unit of work)."""
    if actor.role is Role.FUNCTIONAL_ADMIN:
        schools = uow.schools.list()
    else:
        schools = uow.schools.list(board_id=actor.board_id)
    return [s for s in schools if s.kind is kind]


def _require_region(actor: Actor) -> None:
    region = actor.role is Role.FUNCTIONAL_ADMIN
    scope = Scope.region() if region else Scope(board_id=actor.board_id)
    require(actor, Action.VIEW_REGION_REGISTRATIONS, scope)


def region_registrations(uow: VoWork, actor: Actor) -> list[SchoolRegistrations]:
    """Per VO school within the actor's reach (by name): its first choices per level."""
    _require_region(actor)
    with uow:
        schools = _schools_in_reach(uow, actor, OrgKind.VO)
        counts = uow.vo_region.advice_counts(s.id for s in schools)
    return _per_school(schools, counts)


def _per_school(schools: list[School], counts: Sequence[AdviceCount]) -> list[SchoolRegistrations]:
    advices: dict[str | None, Advice | None] = {}
    levels: dict[int, Counter[Level | None]] = {s.id: Counter() for s in schools}
    by_id = {s.id: s for s in schools}
    for count in counts:
        if count.advice not in advices:
            advices[count.advice] = readable_advice(count.advice)
        level = level_at(advices[count.advice], by_id[count.school_id])
        levels[count.school_id][level] += count.registered
    return [
        SchoolRegistrations(
            school=school,
            counts=tuple(level_counts(levels[school.id], school)),
            total=levels[school.id].total(),
            unplaceable=levels[school.id][None],
        )
        for school in schools
    ]


def pupils_without_registration(uow: VoWork, actor: Actor) -> list[UnregisteredPupil]:
    """The pupils of the primary schools within the actor's reach who have no definitive
    registration yet, by primary school and name."""
    _require_region(actor)
    with uow:
        schools = _schools_in_reach(uow, actor, OrgKind.PO)
        return list(uow.vo_region.unregistered(s.id for s in schools))
