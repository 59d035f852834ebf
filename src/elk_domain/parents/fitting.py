"""Which VO schools a child can choose (R-AAN-1, R-AAN-6) and how long the list is (R-AAN-2):
the schools offering a level of the definitive advice, a praktijkschool or tussenvoorziening
only from its orientation list where the procedure says so, and no longer a list than there are
such schools."""

from __future__ import annotations

from collections.abc import Iterable

from elk_domain.errors import Message, Violation
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


def length_violations(
    have: int, advice: Advice, procedure: RegionalProcedure, definitive: bool, need: int
) -> list[Violation]:
    """R-AAN-2: too many schools for a procedure of exact lengths; too few to be definitive."""
    if procedure.exact_length and have > need:
        return [Violation("voorkeuren", _length_message(advice, need, have, at_least=False))]
    if definitive and have < need:
        at_least = not procedure.exact_length
        return [Violation("voorkeuren", _length_message(advice, need, have, at_least=at_least))]
    return []


def _length_message(advice: Advice, need: int, have: int, *, at_least: bool) -> Message:
    """Whole sentences (one school or more, exactly or at least), so each language can say them."""
    n = {"advice": str(advice), "need": need, "have": have}
    if at_least and need == 1:
        return Message(
            "Bij advies {advice} kiest u minimaal {need} school; u heeft er {have} gekozen.", **n
        )
    if at_least:
        return Message(
            "Bij advies {advice} kiest u minimaal {need} scholen; u heeft er {have} gekozen.", **n
        )
    if need == 1:
        return Message("Bij advies {advice} kiest u {need} school; u heeft er {have} gekozen.", **n)
    return Message("Bij advies {advice} kiest u {need} scholen; u heeft er {have} gekozen.", **n)
