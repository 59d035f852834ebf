"""News, region settings and the audit log in SQL."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import codecs
from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.kernel.audit import AuditEntry
from elk_domain.kernel.audit_chain import GENESIS, ChainLink, link_hash
from elk_domain.organisation.model import NewsItem, Timeline

TIMELINE = "timeline"


def _news_from_row(row: Row[Any]) -> NewsItem:
    return NewsItem(
        id=row.id,
        title=row.title,
        body=row.body,
        published_at=row.published_at,
        author=row.author,
    )


class SqlAlchemyNewsRepository(SqlRepository):
    """News items for the home page."""

    label = "Nieuwsbericht"

    def latest(self, limit: int = 10) -> Sequence[NewsItem]:
        """Newest first."""
        query = (
            sa.select(t.news)
            .order_by(t.news.c.published_at.desc(), t.news.c.id.desc())
            .limit(limit)
        )
        return [_news_from_row(row) for row in self._execute(query)]

    def add(self, item: NewsItem) -> NewsItem:
        """Store and return with id."""
        values = attrs.asdict(item, filter=lambda a, _: a.name != "id")
        return attrs.evolve(item, id=self._insert(t.news, values))


class SqlAlchemySettingsRepository(SqlRepository):
    """Region-wide settings as JSON documents under a key."""

    label = "Instelling"

    def timeline(self) -> Timeline:
        """The current timeline (empty periods when not set)."""
        query = sa.select(t.settings.c.value).where(t.settings.c.key == TIMELINE)
        doc = self._execute(query).scalar_one_or_none()
        return Timeline() if doc is None else codecs.timeline_from_json(doc)

    def save_timeline(self, timeline: Timeline) -> None:
        """Replace the timeline."""
        doc = codecs.timeline_to_json(timeline)
        where = t.settings.c.key == TIMELINE
        if self._write(sa.update(t.settings).where(where).values(value=doc)).rowcount == 0:
            self._write(sa.insert(t.settings).values(key=TIMELINE, value=doc))


_AUDIT_INSERT = sa.insert(t.audit_log)
#: The PostgreSQL advisory lock that orders audit writers ("ELKA"); held until commit.
CHAIN_LOCK_KEY = 0x454C4B41
_LOCK = {"postgresql": sa.text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY})")}
# The chain head's hash and the new entry's id, read in one statement once the lock is held
# (a statement of its own: its snapshot must be taken after the wait). SQLite: AUTOINCREMENT's
# counter, so an id is never reused.
_HEAD_AND_ID = {
    "sqlite": sa.text(
        "SELECT (SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1),"
        " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0) + 1"
    ),
    "postgresql": sa.text(
        "SELECT (SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1),"
        " nextval(pg_get_serial_sequence('audit_log', 'id'))"
    ),
}
CHAIN_BATCH = 2000  # rows fetched at a time while walking the chain


def _audit_from_row(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        at=row.at,
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        school_id=row.school_id,
        impersonator_id=row.impersonator_id,
        changes=codecs.changes_from_json(row.changes),
        detail=row.detail,
    )


class SqlAlchemyAuditLog(SqlRepository):
    """Append-only (triggers refuse UPDATE and DELETE) and hash-chained (decision 0057)."""

    label = "Auditregel"

    def record(self, entry: AuditEntry) -> None:
        """Append one entry (in the current unit of work) as the new head of the chain.

        Writers queue for the head until their transaction ends, so the chain cannot fork:
        on PostgreSQL through an advisory lock, on SQLite through its one write lock
        (every read-write unit of work begins IMMEDIATE).
        """
        connection = self._connection
        dialect = connection.dialect.name
        with database_errors():
            if dialect in _LOCK:
                connection.execute(_LOCK[dialect])
            head, entry_id = connection.execute(_HEAD_AND_ID[dialect]).one()
            prev = head or GENESIS
            values = attrs.asdict(entry, recurse=False)
            values["changes"] = codecs.changes_to_json(entry.changes)
            values |= {
                "id": entry_id,
                "prev_hash": prev,
                "row_hash": link_hash(entry_id, entry, prev),
            }
            connection.execute(_AUDIT_INSERT, values)

    def chain(self) -> Generator[ChainLink]:
        """Every entry with its stored hashes in id order, fetched ``CHAIN_BATCH`` at a time."""
        query = (
            sa.select(t.audit_log)
            .order_by(t.audit_log.c.id)
            .execution_options(yield_per=CHAIN_BATCH)
        )
        with database_errors(), self._connection.execute(query) as rows:
            for row in rows:
                yield ChainLink(row.id, _audit_from_row(row), row.prev_hash, row.row_hash)

    def for_subject(self, subject_type: str, subject_id: int) -> Sequence[AuditEntry]:
        """History of one record, oldest first (in the order recorded)."""
        query = (
            sa.select(t.audit_log)
            .where(t.audit_log.c.subject_type == subject_type)
            .where(t.audit_log.c.subject_id == subject_id)
            .order_by(t.audit_log.c.id)
        )
        return [_audit_from_row(row) for row in self._execute(query)]

    def recent(
        self, *, school_ids: Iterable[int] | None = None, limit: int = 200
    ) -> Sequence[AuditEntry]:
        """The newest entries first; with ``school_ids`` only entries about those schools."""
        query = sa.select(t.audit_log).order_by(t.audit_log.c.id.desc()).limit(limit)
        if school_ids is not None:
            query = query.where(t.audit_log.c.school_id.in_(list(school_ids)))
        return [_audit_from_row(row) for row in self._execute(query)]
