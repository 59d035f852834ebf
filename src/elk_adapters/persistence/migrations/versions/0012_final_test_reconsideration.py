"""R-DT-4 answered by keeping the advice now needs the day the parents took part too.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:00:00

``okidocs.deviation_motivated`` (the pupil overview's copy, docs/decisions/0030) meant "a
motivation is written"; it now means "a motivation and the date the parents were involved"
(``advies.ouders_betrokken_op``, a new field). No stored Oki-doc can have that date yet, so
every copy becomes false; the next save of an Oki-doc keeps it in step again.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_MOTIVATION = "advies.motivatie_afwijking_toets"
_okidocs = sa.table(
    "okidocs",
    sa.column("id", sa.Integer()),
    sa.column("fields", sa.JSON()),
    sa.column("deviation_motivated", sa.Boolean()),
)


def upgrade() -> None:
    """No Oki-doc has the parents' date yet: none counts as motivated."""
    op.execute(_okidocs.update().values(deviation_motivated=False))


def downgrade() -> None:
    """Back to "a motivation is written", read from the stored fields."""
    connection = op.get_bind()
    for row in connection.execute(sa.select(_okidocs.c.id, _okidocs.c.fields)).all():
        connection.execute(
            _okidocs.update()
            .where(_okidocs.c.id == row.id)
            .values(deviation_motivated=_motivated(row.fields))
        )


def _motivated(stored: Any) -> bool:
    fields = json.loads(stored) if isinstance(stored, str) else (stored or {})
    item = fields.get(_MOTIVATION)
    value = None if item is None else item.get("value")
    return isinstance(value, str) and bool(value.strip())
