"""The orientation lists of praktijkscholen and tussenvoorzieningen (R-AAN-6): in the Amsterdam
procedure a pupil chooses such a school only when on its list and found placeable.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change."""
    op.create_table(
        "orientation_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vo_school_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("placeable", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["vo_school_id"], ["schools.id"], name=op.f("fk_orientation_lists_vo_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_orientation_lists_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientation_lists")),
        sa.UniqueConstraint(
            "vo_school_id", "pupil_id", name=op.f("uq_orientation_lists_vo_school_id_pupil_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_orientation_lists_pupil_id"), "orientation_lists", ["pupil_id"], unique=False
    )


def downgrade() -> None:
    """Revert the change."""
    op.drop_index(op.f("ix_orientation_lists_pupil_id"), table_name="orientation_lists")
    op.drop_table("orientation_lists")
