"""Repositories of the organisation: boards, schools, groups, news and the regional settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from elk_domain.kernel.ports import KernelWork
from elk_domain.kernel.values import SchoolLocation
from elk_domain.organisation.model import Board, Group, NewsItem, School, Timeline


class BoardRepository(Protocol):
    """Boards (besturen)."""

    def get(self, board_id: int) -> Board:
        """Raises NotFound."""
        ...

    def list(self) -> Sequence[Board]:
        """All boards, by name."""
        ...

    def add(self, board: Board) -> Board:
        """Store a new board (``id`` ignored) and return it with its id."""
        ...


class SchoolRepository(Protocol):
    """PO and VO school locations."""

    def get(self, school_id: int) -> School:
        """Raises NotFound."""
        ...

    def by_location(self, location: SchoolLocation) -> School | None:
        """The school at a BRIN + vestigingscode."""
        ...

    def list(self, *, board_id: int | None = None) -> Sequence[School]:
        """Schools, optionally of one board, by name."""
        ...

    def add(self, school: School) -> School:
        """Store a new school and return it with its id."""
        ...

    def update(self, school: School) -> School:
        """Save changes; raises Conflict when ``school.version`` is not the stored one."""
        ...


class GroupRepository(Protocol):
    """Groups (klassen) of a school."""

    def get(self, group_id: int) -> Group:
        """Raises NotFound."""
        ...

    def list(self, school_id: int) -> Sequence[Group]:
        """The school's groups, by name."""
        ...

    def contact_group_ids(self, school_id: int, user_id: int) -> frozenset[int]:
        """Ids of the school's groups the user is a contact person of (one cheap query)."""
        ...

    def add(self, group: Group) -> Group:
        """Store a new group and return it with its id."""
        ...

    def update(self, group: Group) -> Group:
        """Save name and contact persons."""
        ...


class NewsRepository(Protocol):
    """News items for the home page."""

    def latest(self, limit: int = 10) -> Sequence[NewsItem]:
        """Newest first."""
        ...

    def add(self, item: NewsItem) -> NewsItem:
        """Store and return with id."""
        ...


class SettingsRepository(Protocol):
    """Region-wide settings kept in the database (the timeline)."""

    def timeline(self) -> Timeline:
        """The current timeline (empty periods when not set)."""
        ...

    def save_timeline(self, timeline: Timeline) -> None:
        """Replace the timeline."""
        ...


class OrganisationRepositories(Protocol):
    """The organisation's repositories."""

    boards: BoardRepository
    schools: SchoolRepository
    groups: GroupRepository
    news: NewsRepository
    settings: SettingsRepository


class OrganisationWork(OrganisationRepositories, KernelWork, Protocol):
    """The unit of work of the organisation's use cases."""
