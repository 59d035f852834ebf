"""Repositories of the organisation: boards, schools, groups and school preferences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from elk_domain.model.organisation import Board, Group, School
from elk_domain.model.preferences import SchoolPreferences
from elk_domain.model.values import SchoolLocation


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


class SchoolPreferencesRepository(Protocol):
    """Each school's Voorkeursinstellingen: defaults for the Ind. LWOO/PrO tab (R-AUTH-3)."""

    def for_school(self, school_id: int) -> SchoolPreferences:
        """The school's preferences; blank ones (version 0) when none were ever saved."""
        ...

    def save(self, preferences: SchoolPreferences) -> SchoolPreferences:
        """Insert (version 0) or update; Conflict on a stale version. Returns version + 1."""
        ...
