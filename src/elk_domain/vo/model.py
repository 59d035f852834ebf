"""The registrations list of a VO school (R-AAN-4): one line per registered pupil, the filters
and the count per level against the school's capacity."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping

import attrs

from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.organisation.model import School
from elk_domain.parents.claims import PriorityState
from elk_domain.parents.registration import PriorityClaim, PriorityKind, RegistrationStatus
from elk_domain.pupils.model import ReasonNotPlaced


def claim_text(claim: PriorityClaim | None) -> str:
    """The claim as the parent gave it: 'broer/zus Tim (1b)', 'kind van medewerker Ria'."""
    if claim is None:
        return ""
    if claim.kind is PriorityKind.SIBLING:
        return f"broer/zus {claim.name} ({claim.class_name})"
    return f"kind van medewerker {claim.name}"


def level_at(advice: Advice | None, school: School) -> Level | None:
    """The level the pupil comes for: the highest level of the advice that the school offers."""
    if advice is None:
        return None
    offered = [level for level in advice.levels() if level in school.levels]
    return max(offered, key=lambda level: level.rank) if offered else None


@attrs.frozen(kw_only=True)
class RegistrationLine:
    """One registered pupil as the VO school sees them."""

    pupil_id: int
    elk_number: ElkNumber
    name: PersonName
    primary_school: str
    advice: Advice | None
    level: Level | None
    claim: PriorityClaim | None
    priority: PriorityState
    priority_reason: str = ""  # the school's reason with its judgement
    equivalent_level: bool
    multiple_birth: bool
    status: RegistrationStatus
    registered_at: dt.datetime | None
    tafelmiddag: bool = False  # R-LL-1: the VO school marked the pupil's Tafelmiddag VO
    pending_change: bool = False  # the parent works on a new list (not shown to the school)

    def matches(self, search: str) -> bool:
        """True when every word of ``search`` is in the name, ELK number or primary school."""
        haystack = f"{self.name.full()} {self.elk_number} {self.primary_school}".lower()
        return all(word in haystack for word in search.lower().split())


@attrs.frozen(kw_only=True)
class RegistrationFilter:
    """The list's filters: a level, a priority state and free-text search (empty: all)."""

    level: Level | None = None
    priority: PriorityState | None = None
    search: str = ""

    def keeps(self, line: RegistrationLine) -> bool:
        """True when the line passes every filter that is set."""
        return (
            (self.level is None or line.level is self.level)
            and (self.priority is None or line.priority is self.priority)
            and line.matches(self.search)
        )


@attrs.frozen
class LevelCount:
    """Registrations for one level against the school's capacity for it (None: not set)."""

    level: Level
    registered: int
    capacity: int | None

    @property
    def over(self) -> bool:
        """True when more pupils registered than the school has places."""
        return self.capacity is not None and self.registered > self.capacity


def counts_per_level(lines: list[RegistrationLine], school: School) -> list[LevelCount]:
    """Per level the school offers (lowest first): the registered pupils and the capacity."""
    return level_counts(Counter(line.level for line in lines), school)


def level_counts(registered: Mapping[Level | None, int], school: School) -> list[LevelCount]:
    """Per level the school offers (lowest first): ``registered[level]`` and the capacity."""
    return [
        LevelCount(level, registered.get(level, 0), school.capacity.get(level))
        for level in sorted(school.levels, key=lambda level: level.rank)
    ]


@attrs.frozen
class AdviceCount:
    """The region's read model: how many definitive first choices of a VO school came with
    this definitive advice (as stored; None: no advice)."""

    school_id: int
    advice: str | None
    registered: int


@attrs.frozen(kw_only=True)
class UnregisteredPupil:
    """A pupil without a definitive registration, with their primary school (issue 15 item 7).

    ``started``: the parent saved a list but did not make it definitive."""

    pupil_id: int
    elk_number: ElkNumber
    name: PersonName
    school_id: int
    school_name: str
    started: bool
    reason_not_placed: ReasonNotPlaced | None = None


@attrs.frozen(kw_only=True)
class RegistrationList:
    """The page: the school, the lines that pass the filter, the counts over all lines."""

    school: School
    filter: RegistrationFilter
    lines: tuple[RegistrationLine, ...]
    total: int
    counts: tuple[LevelCount, ...]
    unplaceable: int  # registered pupils without an advice level this school offers
