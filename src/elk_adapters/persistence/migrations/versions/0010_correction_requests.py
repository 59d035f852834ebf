"""Parents' requests to correct their child's data (R-OUD-3), shown to the school.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change."""
    op.create_table(
        "correction_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_correction_requests_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_correction_requests_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_requests")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_correction_requests_school_id_created_at"),
        "correction_requests",
        ["school_id", "created_at"],
    )
    op.create_index(op.f("ix_correction_requests_pupil_id"), "correction_requests", ["pupil_id"])


def downgrade() -> None:
    """Revert the change."""
    op.drop_index(op.f("ix_correction_requests_pupil_id"), table_name="correction_requests")
    op.drop_index(
        op.f("ix_correction_requests_school_id_created_at"), table_name="correction_requests"
    )
    op.drop_table("correction_requests")
