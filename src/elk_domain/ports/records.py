"""Repositories of site-wide records: news, settings, the audit log and the mail queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from elk_domain.model.audit import AuditEntry
from elk_domain.model.mail import QueuedMail
from elk_domain.model.news import NewsItem
from elk_domain.model.periods import Timeline


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


class AuditLog(Protocol):
    """Append-only log of changes, impersonations and syncs."""

    def record(self, entry: AuditEntry) -> None:
        """Append one entry (in the current unit of work)."""
        ...

    def for_subject(self, subject_type: str, subject_id: int) -> Sequence[AuditEntry]:
        """History of one record, oldest first."""
        ...

    def recent(
        self, *, school_ids: Iterable[int] | None = None, limit: int = 200
    ) -> Sequence[AuditEntry]:
        """The newest entries first; with ``school_ids`` only entries about those schools."""
        ...


class MailQueue(Protocol):
    """The outbox: mail queued by use cases in their transaction, sent later by a worker."""

    def add(self, mail: QueuedMail) -> QueuedMail:
        """Store a new mail (``id`` ignored) and return it with its id."""
        ...

    def due(self, now: dt.datetime, limit: int) -> Sequence[QueuedMail]:
        """Unsent mail whose next attempt is due, the longest waiting first."""
        ...

    def claim(self, mail: QueuedMail) -> bool:
        """Store ``mail`` (one more attempt) unless another worker claimed it since it was read.

        False when the stored attempts are no longer ``mail.attempts - 1`` or it was sent.
        """
        ...

    def update(self, mail: QueuedMail) -> QueuedMail:
        """Save the outcome of an attempt (sent, or when to try again); raises NotFound."""
        ...

    def unsent(self) -> Sequence[QueuedMail]:
        """Every mail not sent yet, waiting or given up, oldest first."""
        ...
