"""VO schools: the equivalent-level option; the "Beheerder" of a VO school is a VO administrator.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change (decision 0046)."""
    with op.batch_alter_table("schools") as batch:
        batch.add_column(
            sa.Column(
                "offers_equivalent_level", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
    op.execute(
        "UPDATE users SET role = 'vo_beheerder' WHERE role = 'beheerder' AND org_kind = 'vo'"
    )


def downgrade() -> None:
    """Revert the change."""
    op.execute("UPDATE users SET role = 'beheerder' WHERE role = 'vo_beheerder'")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("offers_equivalent_level")
