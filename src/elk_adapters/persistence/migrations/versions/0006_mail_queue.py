"""The mail outbox: account mail is queued in the use case's transaction, sent by a worker.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change."""
    op.create_table(
        "mail_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_queue")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_mail_queue_next_attempt_at"), "mail_queue", ["next_attempt_at"])


def downgrade() -> None:
    """Revert the change."""
    op.drop_index(op.f("ix_mail_queue_next_attempt_at"), table_name="mail_queue")
    op.drop_table("mail_queue")
