"""Account tables: one-time tokens, the login throttle and the mail outbox."""

from __future__ import annotations

import sqlalchemy as sa

from elk_adapters.persistence.tables.columns import UtcDateTime, fk_column, id_column, metadata

account_tokens = sa.Table(
    "account_tokens",
    metadata,
    id_column(),
    fk_column("user_id", "users.id", ondelete="CASCADE"),
    sa.Column("purpose", sa.String(20), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("used_at", UtcDateTime),
    sa.Index(None, "user_id"),
    sqlite_autoincrement=True,
)

login_throttle = sa.Table(
    "login_throttle",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # SHA-256 of the key, never an address
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", UtcDateTime),
)

# The outbox (docs/decisions/0032-mail-outbox.md): mail queued in a use case's transaction and
# sent by a worker. A sent mail keeps no body (it may hold a link that sets a password).
mail_queue = sa.Table(
    "mail_queue",
    metadata,
    id_column(),
    sa.Column("recipient", sa.String(254), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("queued_at", UtcDateTime, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime),  # NULL: sent or given up
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    sa.Index(None, "next_attempt_at"),
    sqlite_autoincrement=True,
)
