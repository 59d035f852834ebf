"""Boards, schools, groups and staff users in SQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import codecs
from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.repositories.base import SqlRepository, by_name
from elk_domain.errors import NotFound
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import Board, Group, School

DUPLICATE_LOCATION = "Er is al een school met deze BRIN-code en vestigingscode."
DUPLICATE_GROUP = "Deze school heeft al een groep met die naam."
DUPLICATE_EMAIL = "Er is al een gebruiker met dit e-mailadres."


def _board_from_row(row: Row[Any]) -> Board:
    return Board(row.id, row.name, row.contact_name, row.contact_email)


class SqlAlchemyBoardRepository(SqlRepository):
    """Boards (besturen)."""

    label = "Bestuur"

    def get(self, board_id: int) -> Board:
        """Raises NotFound."""
        return _board_from_row(self._row(t.boards, board_id))

    def list(self) -> Sequence[Board]:
        """All boards, by name."""
        rows = self._execute(sa.select(t.boards).order_by(t.boards.c.id))
        return by_name(map(_board_from_row, rows), lambda b: b.name)

    def add(self, board: Board) -> Board:
        """Store a new board and return it with its id."""
        values = attrs.asdict(board, filter=lambda a, _: a.name != "id")
        return attrs.evolve(board, id=self._insert(t.boards, values))


def _school_values(school: School) -> dict[str, Any]:
    return {
        "board_id": school.board_id,
        "kind": school.kind.value,
        "official_name": school.official_name,
        "name": school.name,
        "school_type": school.school_type,
        **attrs.asdict(school.address),
        "brin": school.location.brin,
        "vestiging": school.location.vestiging,
        "director": school.director,
        "elk_contact": school.elk_contact,
        "levels": codecs.levels_to_json(school.levels),
        "capacity": codecs.capacity_to_json(school.capacity),
        "offers_priority": school.offers_priority,
        "offers_equivalent_level": school.offers_equivalent_level,
    }


def _school_from_row(row: Row[Any]) -> School:
    return School(
        id=row.id,
        board_id=row.board_id,
        kind=OrgKind(row.kind),
        official_name=row.official_name,
        name=row.name,
        school_type=row.school_type,
        address=Address(row.street, row.house_number, row.postcode, row.city, row.country),
        location=SchoolLocation(row.brin, row.vestiging),
        director=row.director,
        elk_contact=row.elk_contact,
        levels=frozenset(Level(value) for value in row.levels),
        capacity=codecs.capacity_from_json(row.capacity),
        offers_priority=row.offers_priority,
        offers_equivalent_level=row.offers_equivalent_level,
        version=row.version,
    )


def school_from_row(row: Row[Any]) -> School:
    """A School from a row with the ``schools`` columns (the overview's read model uses it)."""
    return _school_from_row(row)


class SqlAlchemySchoolRepository(SqlRepository):
    """PO and VO school locations."""

    label = "School"

    def get(self, school_id: int) -> School:
        """Raises NotFound."""
        return _school_from_row(self._row(t.schools, school_id))

    def by_location(self, location: SchoolLocation) -> School | None:
        """The school at a BRIN + vestigingscode."""
        query = sa.select(t.schools).where(
            t.schools.c.brin == location.brin, t.schools.c.vestiging == location.vestiging
        )
        row = self._execute(query).first()
        return None if row is None else _school_from_row(row)

    def list(self, *, board_id: int | None = None) -> Sequence[School]:
        """Schools, optionally of one board, by name."""
        query = sa.select(t.schools).order_by(t.schools.c.id)
        if board_id is not None:
            query = query.where(t.schools.c.board_id == board_id)
        return by_name(map(_school_from_row, self._execute(query)), lambda s: s.name)

    def add(self, school: School) -> School:
        """Store a new school and return it with its id."""
        values = _school_values(school)
        return self._add_versioned(t.schools, school, values, duplicate=DUPLICATE_LOCATION)

    def update(self, school: School) -> School:
        """Save changes; Conflict when ``school.version`` is stale."""
        values = _school_values(school)
        return self._save_versioned(t.schools, school, values, duplicate=DUPLICATE_LOCATION)


# Run on every request (the session's actor): built once, only the values are bound.
_CONTACT_GROUPS = (
    sa.select(t.groups.c.id)
    .join(t.group_contacts, t.group_contacts.c.group_id == t.groups.c.id)
    .where(
        t.groups.c.school_id == sa.bindparam("school_id"),
        t.group_contacts.c.user_id == sa.bindparam("user_id"),
    )
)


class SqlAlchemyGroupRepository(SqlRepository):
    """Groups (klassen) with their contact persons in a child table."""

    label = "Groep"

    def _contacts(self, group_ids: Sequence[int]) -> dict[int, frozenset[int]]:
        query = sa.select(t.group_contacts).where(t.group_contacts.c.group_id.in_(group_ids))
        found: dict[int, set[int]] = {}
        for row in self._execute(query):
            found.setdefault(row.group_id, set()).add(row.user_id)
        return {group_id: frozenset(users) for group_id, users in found.items()}

    def _groups(self, rows: Sequence[Row[Any]]) -> list[Group]:
        contacts = self._contacts([row.id for row in rows])
        return [
            Group(row.id, row.school_id, row.name, contacts.get(row.id, frozenset()))
            for row in rows
        ]

    def get(self, group_id: int) -> Group:
        """Raises NotFound."""
        return self._groups([self._row(t.groups, group_id)])[0]

    def list(self, school_id: int) -> Sequence[Group]:
        """The school's groups, by name."""
        query = sa.select(t.groups).where(t.groups.c.school_id == school_id).order_by(t.groups.c.id)
        return by_name(self._groups(list(self._execute(query))), lambda g: g.name)

    def contact_group_ids(self, school_id: int, user_id: int) -> frozenset[int]:
        """Ids of the school's groups the user is a contact person of (one query)."""
        parameters = {"school_id": school_id, "user_id": user_id}
        with database_errors():
            return frozenset(self._connection.execute(_CONTACT_GROUPS, parameters).scalars())

    def add(self, group: Group) -> Group:
        """Store a new group and return it with its id."""
        values = {"school_id": group.school_id, "name": group.name}
        stored = attrs.evolve(group, id=self._insert(t.groups, values, duplicate=DUPLICATE_GROUP))
        self._save_contacts(stored)
        return stored

    def update(self, group: Group) -> Group:
        """Save name and contact persons (groups carry no version: the last save wins)."""
        statement = (
            sa.update(t.groups)
            .where(t.groups.c.id == group.id)
            .values(school_id=group.school_id, name=group.name)
        )
        if self._write(statement, duplicate=DUPLICATE_GROUP).rowcount == 0:
            raise NotFound(f"{self.label} {group.id} bestaat niet.")
        self._write(sa.delete(t.group_contacts).where(t.group_contacts.c.group_id == group.id))
        self._save_contacts(group)
        return group

    def _save_contacts(self, group: Group) -> None:
        if group.contact_user_ids:
            rows = [{"group_id": group.id, "user_id": u} for u in sorted(group.contact_user_ids)]
            self._write(sa.insert(t.group_contacts).values(rows))


def _user_values(user: User) -> Mapping[str, Any]:
    return {
        "email": user.email,
        "email_key": user.email.strip().casefold(),
        "display_name": user.display_name,
        "role": user.role.value,
        "org_kind": None if user.org_kind is None else user.org_kind.value,
        "board_id": user.board_id,
        "school_id": user.school_id,
        "active": user.active,
        "password_hash": user.password_hash,
        "totp_secret": user.totp_secret,
        "totp_last_step": user.totp_last_step,
        "recovery_codes": sorted(user.recovery_codes),
        "session_version": user.session_version,
    }


def _user_from_row(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        org_kind=None if row.org_kind is None else OrgKind(row.org_kind),
        board_id=row.board_id,
        school_id=row.school_id,
        active=row.active,
        password_hash=row.password_hash,
        totp_secret=row.totp_secret,
        totp_last_step=row.totp_last_step,
        recovery_codes=frozenset(row.recovery_codes or ()),
        session_version=row.session_version,
        version=row.version,
    )


# One row per contact group (or one with NULL): the user's columns plus a group id. Groups of
# another school than the user's are left out, as ``contact_group_ids`` does.
_USER_WITH_CONTACT_GROUPS = (
    sa.select(t.users, t.groups.c.id.label("contact_group_id"))
    .outerjoin(t.group_contacts, t.group_contacts.c.user_id == t.users.c.id)
    .outerjoin(
        t.groups,
        sa.and_(
            t.groups.c.id == t.group_contacts.c.group_id,
            t.groups.c.school_id == t.users.c.school_id,
        ),
    )
    .where(t.users.c.id == sa.bindparam("b_id"))
)


class SqlAlchemyUserRepository(SqlRepository):
    """Staff accounts; e-mail addresses are unique regardless of case."""

    label = "Gebruiker"

    def get(self, user_id: int) -> User:
        """Raises NotFound."""
        return _user_from_row(self._row(t.users, user_id))

    def with_contact_groups(self, user_id: int) -> tuple[User, frozenset[int]]:
        """The user and their school's groups they are a contact of, in one query; NotFound."""
        with database_errors():
            rows = self._connection.execute(_USER_WITH_CONTACT_GROUPS, {"b_id": user_id}).all()
        if not rows:
            raise NotFound(f"{self.label} {user_id} bestaat niet.")
        groups = frozenset(r.contact_group_id for r in rows if r.contact_group_id is not None)
        return _user_from_row(rows[0]), groups

    def by_email(self, email: str) -> User | None:
        """Case-insensitive lookup."""
        query = sa.select(t.users).where(t.users.c.email_key == email.strip().casefold())
        row = self._execute(query).first()
        return None if row is None else _user_from_row(row)

    def list(self, *, board_id: int | None = None, school_id: int | None = None) -> Sequence[User]:
        """Users in a scope, by name."""
        query = sa.select(t.users).order_by(t.users.c.id)
        if board_id is not None:
            query = query.where(t.users.c.board_id == board_id)
        if school_id is not None:
            query = query.where(t.users.c.school_id == school_id)
        return by_name(map(_user_from_row, self._execute(query)), lambda u: u.display_name)

    def add(self, user: User) -> User:
        """Store a new user and return it with its id."""
        return self._add_versioned(t.users, user, _user_values(user), duplicate=DUPLICATE_EMAIL)

    def update(self, user: User) -> User:
        """Save changes; Conflict on a stale version."""
        return self._save_versioned(t.users, user, _user_values(user), duplicate=DUPLICATE_EMAIL)
