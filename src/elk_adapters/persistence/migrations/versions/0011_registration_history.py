"""Registering again keeps the definitive list until the new one is definitive (R-AAN-4);
earlier definitive lists are kept; the VO school's reason for a priority judgement (R-AAN-5).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Apply the change; an existing definitive registration's list is its definitive list."""
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(sa.Column("definitive", JSON, nullable=True))
        batch.add_column(sa.Column("history", JSON, nullable=True))
        batch.add_column(sa.Column("priority_reason", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE registrations SET definitive = preferences WHERE status = 'AV'")


def downgrade() -> None:
    """Revert the change (earlier lists and reasons are lost)."""
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("priority_reason")
        batch.drop_column("history")
        batch.drop_column("definitive")
