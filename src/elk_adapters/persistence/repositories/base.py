"""What every SQL repository shares: statement execution, inserts and optimistic updates."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import CursorResult, Result, Row

from elk_adapters.persistence.errors import DUPLICATE, STALE, database_errors
from elk_domain.errors import Conflict, NotFound
from elk_domain.kernel.people import User
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import School
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import Registration
from elk_domain.pupils.model import Pupil

T = TypeVar("T")
#: The entities stored with a ``version`` column, saved only when the caller's version is current.
Versioned = TypeVar("Versioned", School, User, Pupil, OkiDoc, Registration, ParentAccount)


def by_name(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Sort case-insensitively in Python, so every database (and the fake) agrees on order."""
    return sorted(items, key=lambda item: key(item).lower())


# Statements built once per table and run with parameters: SQLAlchemy then reuses the
# statement's cache key and compiled form, where a statement built per call (with its values
# inlined) pays for construction and cache-key generation each time (~3x the cost of a lookup
# by id on SQLite). Bind names carry a ``b_`` prefix: plain column names are reserved for SET.
@functools.cache
def _select_by_id(table: sa.Table) -> sa.Select[Any]:
    return sa.select(table).where(table.c.id == sa.bindparam("b_id"))


@functools.cache
def _insert_returning_id(table: sa.Table) -> sa.Insert:
    return sa.insert(table).returning(table.c.id)


@functools.cache
def _update_versioned_statement(table: sa.Table) -> sa.Update:
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"), table.c.version == sa.bindparam("b_version"))
        .returning(table.c.version)
    )


@attrs.frozen
class Written:
    """What a write returned: its RETURNING rows and the number of rows it touched."""

    rows: list[Row[Any]]
    rowcount: int


class SqlRepository:
    """Base of the repositories: one connection, errors translated to the domain's kinds."""

    label = "Record"  # Dutch name of the entity, for messages

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection

    def _execute(self, statement: sa.Executable) -> Result[Any]:
        with database_errors():
            return self._connection.execute(statement)

    def _row(self, table: sa.Table, entity_id: int) -> Row[Any]:
        with database_errors():
            row = self._connection.execute(_select_by_id(table), {"b_id": entity_id}).first()
        if row is None:
            raise NotFound(f"{self.label} {entity_id} bestaat niet.")
        return row

    def _write(
        self,
        statement: sa.Executable,
        params: Mapping[str, Any] | None = None,
        *,
        duplicate: str = DUPLICATE,
        savepoint: bool = True,
    ) -> Written:
        """Run one write in a savepoint: a refused duplicate leaves the unit of work usable.

        ``savepoint=False`` is for writes no caller recovers from (a failure ends the unit of
        work anyway): the savepoint's two extra statements are then pure cost.
        """
        with database_errors(duplicate=duplicate):
            if not savepoint:
                return self._run_write(statement, params)
            with self._connection.begin_nested():
                return self._run_write(statement, params)

    def _run_write(self, statement: sa.Executable, params: Mapping[str, Any] | None) -> Written:
        result = cast(CursorResult[Any], self._connection.execute(statement, params))
        # RETURNING rows must be read before SQLite can release the savepoint.
        rows = list(result) if result.returns_rows else []
        return Written(rows=rows, rowcount=result.rowcount)

    def _insert(
        self,
        table: sa.Table,
        values: Mapping[str, Any],
        *,
        duplicate: str = DUPLICATE,
        savepoint: bool = True,
    ) -> int:
        """Insert one row and return its new id."""
        written = self._write(
            _insert_returning_id(table), values, duplicate=duplicate, savepoint=savepoint
        )
        new_id: int = written.rows[0][0]
        return new_id

    def _add_versioned(
        self,
        table: sa.Table,
        entity: Versioned,
        values: Mapping[str, Any],
        *,
        duplicate: str = DUPLICATE,
    ) -> Versioned:
        """Insert a new versioned entity; it comes back with its id."""
        values = {**values, "version": entity.version}
        return attrs.evolve(entity, id=self._insert(table, values, duplicate=duplicate))

    def _save_versioned(
        self,
        table: sa.Table,
        entity: Versioned,
        values: Mapping[str, Any],
        *,
        duplicate: str = DUPLICATE,
        savepoint: bool = True,
    ) -> Versioned:
        """``UPDATE … WHERE id AND version``: the entity at its new version; Conflict, NotFound."""
        entity_id, version = entity.id, entity.version
        params = {**values, "version": version + 1, "b_id": entity_id, "b_version": version}
        rows = self._write(
            _update_versioned_statement(table), params, duplicate=duplicate, savepoint=savepoint
        ).rows
        if not rows:
            self._row(table, entity_id)  # NotFound when it is gone
            raise Conflict(STALE.format(what=f"{self.label.lower()} {entity_id}"))
        return attrs.evolve(entity, version=int(rows[0][0]))
