"""The bottom of the in-memory fakes: the committed store and the base of their tables.

``InMemoryStore`` holds what the units of work committed; each repository works on one table of
its unit of work's working rows through ``Table``. The area modules above build on this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from elk_domain.errors import Conflict, NotFound
from elk_domain.kernel.audit import AuditEntry
from elk_domain.organisation.model import Timeline

__all__ = ["STALE", "TABLES", "InMemoryStore", "Rows", "Table"]

TABLES = (
    "boards",
    "schools",
    "groups",
    "pupils",
    "okidocs",
    "users",
    "news",
    "notes",
    "registrations",
    "parent_accounts",
    "correction_requests",
    "orientation_lists",
    "delivery_points",  # keyed by school id
    "oso_notifications",
    "account_tokens",
    "throttle",  # keyed by the key digest read as an integer
    "school_preferences",  # keyed by school id
    "mail_queue",
    "placement_runs",
    "placement_records",  # keyed by run id: what the run computed
)

STALE = (
    "Iemand anders heeft {what} intussen gewijzigd. Laad de pagina opnieuw en probeer het nog eens."
)


E = TypeVar("E", bound=Any)  # a frozen attrs entity with ``id`` (and ``version`` to update)
Rows = dict[str, dict[int, Any]]  # the working rows of one unit of work, per table


@attrs.define
class InMemoryStore:
    """The committed state shared by all units of work of one in-memory installation."""

    tables: Rows = attrs.Factory(lambda: {name: {} for name in TABLES})
    audit: list[AuditEntry] = attrs.Factory(list)
    timeline: Timeline = attrs.Factory(Timeline)
    next_ids: dict[str, int] = attrs.Factory(dict)
    next_elk: int = 100001

    def next_id(self, table: str) -> int:
        """Ids are never reused, also not after a rollback (like a database sequence)."""
        value = self.next_ids.get(table, 1)
        self.next_ids[table] = value + 1
        return value


class Table(Generic[E]):
    """Shared behaviour of the repositories: one working dict of rows per table."""

    label = "Record"
    table = ""

    def __init__(self, store: InMemoryStore, work: Rows) -> None:
        self._store = store
        self._work = work
        self._rows: dict[int, E] = work[self.table]

    def get(self, entity_id: int) -> E:
        """The row, or NotFound with a Dutch message."""
        try:
            return self._rows[entity_id]
        except KeyError:
            raise NotFound(f"{self.label} {entity_id} bestaat niet.") from None

    def add(self, entity: E) -> E:
        """Store with a fresh id."""
        stored: E = attrs.evolve(entity, id=self._store.next_id(self.table))
        self._rows[stored.id] = stored
        return stored

    def update(self, entity: E) -> E:
        """Store with version + 1; Conflict when the version is stale."""
        current = self.get(entity.id)
        if current.version != entity.version:
            raise Conflict(STALE.format(what=f"{self.label.lower()} {entity.id}"))
        stored: E = attrs.evolve(entity, version=entity.version + 1)
        self._rows[stored.id] = stored
        return stored

    def _select(self, keep: Callable[[E], bool], key: Callable[[E], Any]) -> list[E]:
        return sorted((row for row in self._rows.values() if keep(row)), key=key)
