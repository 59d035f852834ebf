"""In-memory news, the timeline setting and the audit log."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from typing import Protocol

from elk_domain.kernel.audit import AuditEntry
from elk_domain.kernel.audit_chain import GENESIS, ChainLink, link_hash
from elk_domain.organisation.model import NewsItem, Timeline
from elk_domain.testing.store import Table

__all__ = [
    "InMemoryAuditLog",
    "InMemoryNewsRepository",
    "InMemorySettingsRepository",
    "KeepsTimeline",
]


class InMemoryNewsRepository(Table[NewsItem]):
    """News items."""

    label = "Nieuwsbericht"
    table = "news"

    def latest(self, limit: int = 10) -> Sequence[NewsItem]:
        """Newest first."""
        return self._select(lambda _: True, lambda n: (n.published_at, n.id))[::-1][:limit]


class KeepsTimeline(Protocol):
    """What holds the working timeline: the in-memory unit of work."""

    working_timeline: Timeline


class InMemorySettingsRepository:
    """The timeline, kept on the unit of work."""

    def __init__(self, uow: KeepsTimeline) -> None:
        self._uow = uow

    def timeline(self) -> Timeline:
        """The current timeline."""
        return self._uow.working_timeline

    def save_timeline(self, timeline: Timeline) -> None:
        """Replace the timeline."""
        self._uow.working_timeline = timeline


class InMemoryAuditLog:
    """Audit entries of the unit of work, appended to the store on commit."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        self._entries = entries

    def record(self, entry: AuditEntry) -> None:
        """Append one entry."""
        self._entries.append(entry)

    def for_subject(self, subject_type: str, subject_id: int) -> Sequence[AuditEntry]:
        """History of one record, oldest first."""
        return [
            e for e in self._entries if (e.subject_type, e.subject_id) == (subject_type, subject_id)
        ]

    def recent(
        self, *, school_ids: Iterable[int] | None = None, limit: int = 200
    ) -> Sequence[AuditEntry]:
        """Newest first; with ``school_ids`` only entries about those schools."""
        wanted = None if school_ids is None else frozenset(school_ids)
        found = [e for e in self._entries if wanted is None or e.school_id in wanted]
        return found[::-1][:limit]

    def chain(self) -> Generator[ChainLink]:
        """The entries chained as the database chains them, ids from 1 (always intact)."""
        prev = GENESIS
        for number, entry in enumerate(self._entries, start=1):
            own = link_hash(number, entry, prev)
            yield ChainLink(number, entry, prev, own)
            prev = own

    def all(self) -> Sequence[AuditEntry]:
        """Every entry, oldest first (tests and demos)."""
        return list(self._entries)
