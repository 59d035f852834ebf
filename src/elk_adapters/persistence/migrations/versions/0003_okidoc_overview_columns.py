"""Oki-doc facts for the pupil overview as plain columns, copied out of the fields JSON.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 07:00:00

The overview (R-LL-1) sorts and pages thousands of pupils; reading each Oki-doc's JSON for
three markers would cost a JSON parse per row. The repository keeps these columns in step on
every add and update (docs/decisions/0030-pupil-overview-read-model.md).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BOOLS = (
    ("extra_support", "advies.extra_ondersteuning"),
    ("tafelmiddag_po", "advies.tafeltjesmiddag"),
    ("tafelmiddag_vo", "vo.tafelmiddag"),
)
_TEXTS = (
    ("final_test_outcome", "advies.doorstroomtoets.uitslag"),
    ("definitive_advice", "advies.definitief"),
)
_MOTIVATION = "advies.motivatie_afwijking_toets"


def upgrade() -> None:
    """Add the columns and fill them from the stored Oki-docs."""
    with op.batch_alter_table("okidocs") as batch:
        for name, _path in _BOOLS:
            batch.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
        for name, _path in _TEXTS:
            batch.add_column(sa.Column(name, sa.String(length=40), nullable=True))
        batch.add_column(
            sa.Column(
                "deviation_motivated", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    okidocs = sa.table(
        "okidocs",
        sa.column("id", sa.Integer()),
        sa.column("fields", sa.JSON()),
        *(sa.column(n, sa.Boolean()) for n, _ in _BOOLS),
        *(sa.column(n, sa.String()) for n, _ in _TEXTS),
        sa.column("deviation_motivated", sa.Boolean()),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(okidocs.c.id, okidocs.c.fields)).all():
        connection.execute(
            okidocs.update().where(okidocs.c.id == row.id).values(**_facts(row.fields))
        )


def _facts(stored: Any) -> dict[str, Any]:
    fields = json.loads(stored) if isinstance(stored, str) else (stored or {})

    def value(path: str) -> Any:
        item = fields.get(path)
        return None if item is None else item.get("value")

    facts: dict[str, Any] = {name: value(path) is True for name, path in _BOOLS}
    for name, path in _TEXTS:
        text = value(path)
        facts[name] = text.strip()[:40] or None if isinstance(text, str) else None
    motivation = value(_MOTIVATION)
    facts["deviation_motivated"] = isinstance(motivation, str) and bool(motivation.strip())
    return facts


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("okidocs") as batch:
        batch.drop_column("deviation_motivated")
        for name, _path in reversed(_TEXTS):
            batch.drop_column(name)
        for name, _path in reversed(_BOOLS):
            batch.drop_column(name)
