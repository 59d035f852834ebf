"""Which VO schools a child can choose (R-AAN-1, R-AAN-6) and how long the list is (R-AAN-2):
the schools offering a level of the definitive advice, a praktijkschool or tussenvoorziening
only from its orientation list where the procedure says so, and no longer a list than there are
such schools."""

from __future__ import annotations

from collections.abc import Iterable

from elk_domain.kernel.advice import Advice
from elk_domain.kernel.people import OrgKind
from elk_domain.organisation.model import School
from elk_domain.organisation.procedure import RegionalProcedure


def schools_fitting(
    advice: Advice,
    schools: Iterable[School],
    procedure: RegionalProcedure | None = None,
    placeable_at: frozenset[int] = frozenset(),
) -> list[School]:
    """The invulhulp (R-AAN-1): VO schools offering at least one level of the advice, by name;
    a school that takes pupils from its orientation list only where the child is placeable."""
    wanted = set(advice.levels())
    return sorted(
        (s for s in schools if s.kind is OrgKind.VO and wanted & s.levels
         and open_to(s, procedure, placeable_at)),
        key=lambda s: s.name.lower(),
    )  # fmt: skip


def open_to(
    school: School, procedure: RegionalProcedure | None, placeable_at: frozenset[int]
) -> bool:
    """R-AAN-6: True unless the procedure lets the child choose this school only from its
    orientation list and the child is not on it as placeable."""
    if procedure is None or not procedure.needs_orientation(school.school_type):
        return True
    return school.id in placeable_at


def list_length(
    procedure: RegionalProcedure,
    advice: Advice,
    schools: Iterable[School],
    placeable_at: frozenset[int] = frozenset(),
) -> int:
    """How many schools the list holds (or at least holds): the procedure's length for the
    advice, or fewer when fewer schools fit the advice (a parent cannot choose what is not
    there; decision 0049)."""
    fitting = len(schools_fitting(advice, schools, procedure, placeable_at))
    return min(procedure.required_length(advice), fitting)
