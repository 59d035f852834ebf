"""OSO tables (issue 4, docs/decisions/0011-oso-sync.md): delivery points and notifications."""

from __future__ import annotations

import sqlalchemy as sa

from elk_adapters.persistence.tables.columns import (
    UtcDateTime,
    fk_column,
    id_column,
    metadata,
    version_column,
)

# One delivery point per school location, and
# the notifications OSO sent, each stored once per (school, OSO key).

delivery_points = sa.Table(
    "delivery_points",
    metadata,
    sa.Column("school_id", sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("brin", sa.String(4), nullable=False),
    sa.Column("vestiging", sa.String(2), nullable=False),
    sa.Column("number", sa.String(50), nullable=False, server_default=""),
    sa.Column("secret_key", sa.String(200), nullable=False, server_default=""),  # from Mijn OSO
    sa.Column("registered", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("may_request", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("routing_key", sa.String(100), nullable=False, server_default=""),
    sa.Column("last_ping_at", UtcDateTime),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    version_column(),
)

oso_notifications = sa.Table(
    "oso_notifications",
    metadata,
    id_column(),
    fk_column("school_id", "schools.id", ondelete="CASCADE"),
    sa.Column("key", sa.String(200), nullable=False),  # OSO's koppelsleutel
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("bsn", sa.String(9)),
    sa.Column("brin", sa.String(4), nullable=False),
    sa.Column("vestiging", sa.String(2), nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    # Also the index for "notifications of a school": school_id is its first column.
    sa.UniqueConstraint("school_id", "key"),
    sqlite_autoincrement=True,
)
