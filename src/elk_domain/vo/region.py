"""The region's view of the VO registrations (issue 15 item 7): per VO school and level, the
definitive first choices against the capacity, and which schools are over-subscribed.

ELK beheer sees every VO school; a board contact the VO schools of their board.
"""

from __future__ import annotations

import attrs

from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.organisation.model import School
from elk_domain.vo.model import LevelCount, counts_per_level
from elk_domain.vo.ports import VoWork
from elk_domain.vo.registrations import registration_lines


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


def region_registrations(uow: VoWork, actor: Actor) -> list[SchoolRegistrations]:
    """Per VO school within the actor's reach (by name): the counts of its registrations list."""
    region = actor.role is Role.FUNCTIONAL_ADMIN
    scope = Scope.region() if region else Scope(board_id=actor.board_id)
    require(actor, Action.VIEW_REGION_REGISTRATIONS, scope)
    with uow:
        schools = uow.schools.list() if region else uow.schools.list(board_id=actor.board_id)
        found = []
        for school in (s for s in schools if s.kind is OrgKind.VO):
            lines = registration_lines(uow, school)
            found.append(
                SchoolRegistrations(
                    school=school,
                    counts=tuple(counts_per_level(lines, school)),
                    total=len(lines),
                    unplaceable=sum(1 for line in lines if line.level is None),
                )
            )
    return found
