"""Record tables: the audit log, news, settings and named counters.

The audit log is append-only in the database: migration 0014 adds triggers that refuse UPDATE and
DELETE (and TRUNCATE on PostgreSQL), and every entry is a link of a SHA-256 hash chain
(decision 0057). A migration that rebuilds this table (SQLite batch mode) must recreate them.
"""

from __future__ import annotations

import sqlalchemy as sa

from elk_adapters.persistence.tables.columns import Json, UtcDateTime, id_column, metadata

audit_log = sa.Table(
    "audit_log",
    metadata,
    id_column(),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor_id", sa.Integer, nullable=False),
    sa.Column("actor_name", sa.String(200), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("subject_type", sa.String(50), nullable=False),
    sa.Column("subject_id", sa.Integer),
    sa.Column("school_id", sa.Integer),
    sa.Column("impersonator_id", sa.Integer),
    sa.Column("changes", Json, nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    # The hash chain (decision 0057): the previous entry's row_hash and this entry's own.
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("row_hash", sa.String(64), nullable=False),
    sa.Index(None, "subject_type", "subject_id"),
    sa.Index(None, "school_id"),
    sqlite_autoincrement=True,
)

news = sa.Table(
    "news",
    metadata,
    id_column(),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("published_at", UtcDateTime, nullable=False),
    sa.Column("author", sa.String(200), nullable=False, server_default=""),
    sa.Index(None, "published_at"),
    sqlite_autoincrement=True,
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", Json, nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
