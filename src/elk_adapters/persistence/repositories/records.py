"""News, region settings and the audit log in SQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import codecs
from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.kernel.audit import AuditEntry
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
    """Append-only: this class has no way to change or delete an entry."""

    label = "Auditregel"

    def record(self, entry: AuditEntry) -> None:
        """Append one entry (in the current unit of work)."""
        values = attrs.asdict(entry, recurse=False)
        values["changes"] = codecs.changes_to_json(entry.changes)
        # No savepoint: the log has no unique keys to refuse a row, and no caller goes on
        # after a failed audit write (the unit of work is rolled back). No RETURNING either:
        # nobody needs the new id.
        with database_errors():
            self._connection.execute(_AUDIT_INSERT, values)

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
