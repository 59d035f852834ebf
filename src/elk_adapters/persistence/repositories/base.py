"""What every SQL repository shares: statement execution, inserts and optimistic updates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import CursorResult, Result, Row
from sqlalchemy.orm import Session

from elk_adapters.persistence.errors import DUPLICATE, STALE, database_errors
from elk_domain.errors import Conflict, NotFound

T = TypeVar("T")


def by_name(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Sort case-insensitively in Python, so every database (and the fake) agrees on order."""
    return sorted(items, key=lambda item: key(item).lower())


@attrs.frozen
class Written:
    """What a write returned: its RETURNING rows and the number of rows it touched."""

    rows: list[Row[Any]]
    rowcount: int


class SqlRepository:
    """Base of the repositories: one session, errors translated to the domain's kinds."""

    label = "Record"  # Dutch name of the entity, for messages

    def __init__(self, session: Session) -> None:
        self._session = session

    def _execute(self, statement: sa.Executable) -> Result[Any]:
        with database_errors():
            return self._session.execute(statement)

    def _row(self, table: sa.Table, entity_id: int) -> Row[Any]:
        row = self._execute(sa.select(table).where(table.c.id == entity_id)).first()
        if row is None:
            raise NotFound(f"{self.label} {entity_id} bestaat niet.")
        return row

    def _write(self, statement: sa.Executable, *, duplicate: str = DUPLICATE) -> Written:
        """Run one write in a savepoint: a refused duplicate leaves the unit of work usable."""
        with database_errors(duplicate=duplicate), self._session.begin_nested():
            result = cast(CursorResult[Any], self._session.execute(statement))
            # RETURNING rows must be read before SQLite can release the savepoint.
            rows = list(result) if result.returns_rows else []
            return Written(rows=rows, rowcount=result.rowcount)

    def _insert(
        self, table: sa.Table, values: Mapping[str, Any], *, duplicate: str = DUPLICATE
    ) -> int:
        """Insert one row and return its new id."""
        statement = sa.insert(table).values(**values).returning(table.c.id)
        new_id: int = self._write(statement, duplicate=duplicate).rows[0][0]
        return new_id

    def _update_versioned(
        self,
        table: sa.Table,
        entity_id: int,
        version: int,
        values: Mapping[str, Any],
        *,
        duplicate: str = DUPLICATE,
    ) -> int:
        """``UPDATE … WHERE id AND version``; the new version, or Conflict/NotFound."""
        statement = (
            sa.update(table)
            .where(table.c.id == entity_id, table.c.version == version)
            .values(**values, version=version + 1)
            .returning(table.c.version)
        )
        rows = self._write(statement, duplicate=duplicate).rows
        if not rows:
            self._row(table, entity_id)  # NotFound when it is gone
            raise Conflict(STALE.format(what=f"{self.label.lower()} {entity_id}"))
        return int(rows[0][0])
