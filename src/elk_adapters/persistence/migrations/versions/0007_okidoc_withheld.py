"""The OSO categories the parents withheld, per Oki-doc (issue 21, decision 0044).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00

A withheld category's fields read "niet uitgeleverd via OSO" instead of being asked for. Existing
Oki-docs get '' (nothing known to be withheld): the next sync fills it in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column."""
    with op.batch_alter_table("okidocs") as batch:
        batch.add_column(
            sa.Column("withheld", sa.String(length=300), server_default="", nullable=False)
        )


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("okidocs") as batch:
        batch.drop_column("withheld")
