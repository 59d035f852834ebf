"""In-memory boards, schools, groups and staff users."""

from __future__ import annotations

from collections.abc import Sequence

from elk_domain.kernel.people import User
from elk_domain.kernel.values import SchoolLocation
from elk_domain.organisation.model import Board, Group, School
from elk_domain.testing.store import Table

__all__ = [
    "InMemoryBoardRepository",
    "InMemoryGroupRepository",
    "InMemorySchoolRepository",
    "InMemoryUserRepository",
]


class InMemoryBoardRepository(Table[Board]):
    """Boards."""

    label = "Bestuur"
    table = "boards"

    def list(self) -> Sequence[Board]:
        """All boards, by name."""
        return self._select(lambda _: True, lambda b: b.name.lower())


class InMemorySchoolRepository(Table[School]):
    """Schools."""

    label = "School"
    table = "schools"

    def by_location(self, location: SchoolLocation) -> School | None:
        """The school at a BRIN + vestigingscode."""
        return next((s for s in self._rows.values() if s.location == location), None)

    def list(self, *, board_id: int | None = None) -> Sequence[School]:
        """Schools, optionally of one board, by name."""
        return self._select(
            lambda s: board_id is None or s.board_id == board_id, lambda s: s.name.lower()
        )


class InMemoryGroupRepository(Table[Group]):
    """Groups; they carry no version, so an update simply replaces."""

    label = "Groep"
    table = "groups"

    def list(self, school_id: int) -> Sequence[Group]:
        """The school's groups, by name."""
        return self._select(lambda g: g.school_id == school_id, lambda g: g.name.lower())

    def contact_group_ids(self, school_id: int, user_id: int) -> frozenset[int]:
        """Ids of the school's groups the user is a contact person of."""
        return frozenset(
            g.id
            for g in self._rows.values()
            if g.school_id == school_id and user_id in g.contact_user_ids
        )

    def update(self, entity: Group) -> Group:
        """Replace the stored group."""
        self.get(entity.id)
        self._rows[entity.id] = entity
        return entity


class InMemoryUserRepository(Table[User]):
    """Staff users."""

    label = "Gebruiker"
    table = "users"

    def by_email(self, email: str) -> User | None:
        """Case-insensitive lookup."""
        wanted = email.strip().casefold()
        return next((u for u in self._rows.values() if u.email.casefold() == wanted), None)

    def with_contact_groups(self, user_id: int) -> tuple[User, frozenset[int]]:
        """The user and the ids of their school's groups they are a contact person of."""
        user = self.get(user_id)
        groups: dict[int, Group] = self._work["groups"]
        return user, frozenset(
            g.id
            for g in groups.values()
            if g.school_id == user.school_id and user_id in g.contact_user_ids
        )

    def list(self, *, board_id: int | None = None, school_id: int | None = None) -> Sequence[User]:
        """Users in a scope, by name."""
        return self._select(
            lambda u: (
                (board_id is None or u.board_id == board_id)
                and (school_id is None or u.school_id == school_id)
            ),
            lambda u: u.display_name.lower(),
        )
