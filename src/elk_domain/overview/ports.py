"""The read model behind the overviews."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from elk_domain.organisation.model import School
from elk_domain.oso.ports import OsoWork
from elk_domain.overview.model import GroupChoice, OverviewPage, OverviewQuery, StatusCounts


class PupilOverviewQuery(Protocol):
    """The read model behind the Leerlingen overview and the status overviews (R-LL-1, R-LL-4).

    Each call costs a fixed number of database queries, whatever the page size.
    """

    def page(self, query: OverviewQuery) -> OverviewPage:
        """One page of the school's pupils matching the filters, sorted, with the total."""
        ...

    def school_groups(self, school_id: int) -> tuple[School, Sequence[GroupChoice]]:
        """The school and its groups by name, for the page's heading and filter; NotFound."""
        ...

    def status_counts(self, school_ids: Iterable[int]) -> Sequence[StatusCounts]:
        """Per school (by name): pupils per Oki-doc status and per registration status."""
        ...


class OverviewRepositories(Protocol):
    """The overview's read model."""

    overview: PupilOverviewQuery


class OverviewWork(OverviewRepositories, OsoWork, Protocol):
    """The unit of work of the overviews (they show OSO notifications too)."""
