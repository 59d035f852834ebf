"""OSO: delivery points per school location and the notifications OSO sent (R-OSO-1/2/7).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change."""
    op.create_table(
        "delivery_points",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("brin", sa.String(length=4), nullable=False),
        sa.Column("vestiging", sa.String(length=2), nullable=False),
        sa.Column("number", sa.String(length=50), server_default="", nullable=False),
        sa.Column("secret_key", sa.String(length=200), server_default="", nullable=False),
        sa.Column("registered", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("may_request", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("routing_key", sa.String(length=100), server_default="", nullable=False),
        sa.Column("last_ping_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_delivery_points_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_delivery_points")),
    )
    op.create_table(
        "oso_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=True),
        sa.Column("brin", sa.String(length=4), nullable=False),
        sa.Column("vestiging", sa.String(length=2), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_oso_notifications_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oso_notifications")),
        sa.UniqueConstraint("school_id", "key", name=op.f("uq_oso_notifications_school_id_key")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Revert the change."""
    op.drop_table("oso_notifications")
    op.drop_table("delivery_points")
