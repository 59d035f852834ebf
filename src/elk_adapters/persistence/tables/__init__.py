"""The database schema as SQLAlchemy Core tables; Alembic migrations must match it exactly.

Core tables (no ORM classes): repositories write explicit INSERT/UPDATE statements and
translate rows to the frozen domain objects by hand, so nothing is loaded or flushed implicitly.
Oki-doc content, school levels, preference lists and audit changes are JSON documents: each
is read and written whole together with its row (see docs/decisions/0002-persistence.md).

The tables live in one module per area, all on the one ``metadata`` of ``columns``; importing
this package loads every area, so ``tables.metadata`` always holds the whole schema.
"""

from __future__ import annotations

from elk_adapters.persistence.tables.accounts import account_tokens, login_throttle, mail_queue
from elk_adapters.persistence.tables.columns import (
    FIRST_ELK_NUMBER,
    NAMING,
    Json,
    UtcDateTime,
    metadata,
)
from elk_adapters.persistence.tables.dossier import (
    correction_requests,
    notes,
    okidocs,
    orientation_lists,
    parent_accounts,
    pupils,
    registrations,
)
from elk_adapters.persistence.tables.organisation import (
    boards,
    group_contacts,
    groups,
    school_preferences,
    schools,
    users,
)
from elk_adapters.persistence.tables.oso import delivery_points, oso_notifications
from elk_adapters.persistence.tables.placement import (
    placement_outcomes,
    placement_reserve,
    placement_runs,
)
from elk_adapters.persistence.tables.records import audit_log, counters, news, settings

__all__ = [
    "FIRST_ELK_NUMBER",
    "NAMING",
    "Json",
    "UtcDateTime",
    "account_tokens",
    "audit_log",
    "boards",
    "correction_requests",
    "counters",
    "delivery_points",
    "group_contacts",
    "groups",
    "login_throttle",
    "mail_queue",
    "metadata",
    "news",
    "notes",
    "okidocs",
    "orientation_lists",
    "oso_notifications",
    "parent_accounts",
    "placement_outcomes",
    "placement_reserve",
    "placement_runs",
    "pupils",
    "registrations",
    "school_preferences",
    "schools",
    "settings",
    "users",
]
