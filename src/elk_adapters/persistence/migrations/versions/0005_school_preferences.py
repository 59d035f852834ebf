"""Voorkeursinstellingen: per school the defaults for the Ind. LWOO/PrO tab (R-AUTH-3).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change."""
    op.create_table(
        "school_preferences",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Boolean(), nullable=True),
        sa.Column("cap", sa.Boolean(), nullable=True),
        sa.Column("sem", sa.Boolean(), nullable=True),
        sa.Column("institution", sa.String(length=200), server_default="", nullable=False),
        sa.Column("researcher", sa.String(length=200), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_preferences_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_school_preferences")),
    )


def downgrade() -> None:
    """Revert the change."""
    op.drop_table("school_preferences")
