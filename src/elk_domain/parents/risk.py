"""The risk warning before "Definitief maken" (issue 14, item 5): in plain words, when the list
makes it likelier that the child is placed at none of the chosen schools. The parent may go on.

The figures are this year's definitive registrations (first choices against the places a school
offers); the schools with a reserve list in the newest published placement run count as full too
(``full_last_year``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence

import attrs

from elk_domain.organisation.model import School


class RiskKind(enum.Enum):
    """Why the warning is shown."""

    SHORT_LIST = "korte_lijst"  # longer lists are allowed and help
    FIRST_CHOICE_FULL = "eerste_keuze_vol"  # more first choices than places: a lottery
    ALL_FULL = "alles_vol"  # every school on the list is over-subscribed


@attrs.frozen(kw_only=True)
class Risk:
    """One reason for the warning, with the figures a parent needs to understand it."""

    kind: RiskKind
    school: str = ""
    registered: int = 0
    places: int = 0


def places(school: School) -> int:
    """The places a VO school offers in its first year, over all levels (0: not set)."""
    return sum(school.capacity.values())


def _full_now(school: School, counts: Mapping[int, int]) -> bool:
    offered = places(school)
    return offered > 0 and counts.get(school.id, 0) >= offered


def _full(school: School, counts: Mapping[int, int], full_last_year: frozenset[int]) -> bool:
    return school.id in full_last_year or _full_now(school, counts)


def registration_risks(
    chosen: Sequence[School],
    *,
    minimum_only: bool,
    first_choice_counts: Mapping[int, int],
    full_last_year: frozenset[int] = frozenset(),
) -> tuple[Risk, ...]:
    """The reasons to warn about ``chosen`` (ranked); ``minimum_only`` when the procedure allows a
    longer list than this one; ``first_choice_counts`` per school the definitive first choices
    of other pupils."""
    if not chosen:
        return ()
    found: list[Risk] = []
    if minimum_only:
        found.append(Risk(kind=RiskKind.SHORT_LIST))
    first = chosen[0]
    if _full_now(first, first_choice_counts):  # this year's figures, to name them
        found.append(
            Risk(kind=RiskKind.FIRST_CHOICE_FULL, school=first.name,
                 registered=first_choice_counts.get(first.id, 0), places=places(first))
        )  # fmt: skip
    if len(chosen) > 1 and all(_full(s, first_choice_counts, full_last_year) for s in chosen):
        found.append(Risk(kind=RiskKind.ALL_FULL))
    return tuple(found)
