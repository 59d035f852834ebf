"""Placement runs: the commitment of the seed, the stored run, each pupil's outcome and the
reserve lists (issue 16, decision 0055).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Apply the change."""
    op.create_table(
        "placement_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=50), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("oversubscribed", JSON, nullable=True),
        sa.Column("instance", sa.LargeBinary(), nullable=True),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_runs")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_placement_runs_procedure_school_year"),
        "placement_runs",
        ["procedure", "school_year"],
    )
    op.create_table(
        "placement_outcomes",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("choice", sa.Integer(), nullable=True),
        sa.Column("lottery_rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["placement_runs.id"],
            name=op.f("fk_placement_outcomes_run_id_placement_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_placement_outcomes_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_placement_outcomes_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("run_id", "pupil_id", name=op.f("pk_placement_outcomes")),
    )
    op.create_index(
        op.f("ix_placement_outcomes_run_id_school_id"),
        "placement_outcomes",
        ["run_id", "school_id"],
    )
    op.create_table(
        "placement_reserve",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("pupil_ids", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["placement_runs.id"],
            name=op.f("fk_placement_reserve_run_id_placement_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_placement_reserve_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("run_id", "school_id", "level", name=op.f("pk_placement_reserve")),
    )


def downgrade() -> None:
    """Revert the change (the runs are lost)."""
    op.drop_table("placement_reserve")
    op.drop_index(op.f("ix_placement_outcomes_run_id_school_id"), table_name="placement_outcomes")
    op.drop_table("placement_outcomes")
    op.drop_index(op.f("ix_placement_runs_procedure_school_year"), table_name="placement_runs")
    op.drop_table("placement_runs")
