"""Audit records: who did what to which record, when, and as whom."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class FieldChange:
    """One field changed from ``old`` to ``new`` (text forms, for the log and the preview)."""

    path: str
    old: str | None
    new: str | None


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One audited action. ``impersonator_id`` is set when a board contact acted as someone."""

    at: dt.datetime
    actor_id: int
    actor_name: str
    action: str
    subject_type: str
    subject_id: int | None = None
    school_id: int | None = None
    impersonator_id: int | None = None
    changes: tuple[FieldChange, ...] = ()
    detail: str = ""
