"""The bottom of the schema: the one shared ``metadata``, its naming rules and column helpers.

Every table module of this package defines its tables on this ``metadata``; the package
``__init__`` imports them all, so ``tables.metadata`` holds the whole schema. Tables with ids use
sqlite_autoincrement: ids are never reused (as with PostgreSQL sequences), so an audit entry never
points at a stranger who got a deleted id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

#: JSON everywhere, stored as binary JSONB on PostgreSQL.
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

FIRST_ELK_NUMBER = 100001


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive storage) and PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        """Refuse naive datetimes: the domain only handles aware ones."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime cannot be stored; use an aware one")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        """Attach UTC where the database returns a naive value."""
        if value is None:
            return None
        moment: dt.datetime = value
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def id_column() -> sa.Column[int]:
    """The integer primary key ``id``."""
    return sa.Column("id", sa.Integer, primary_key=True)


def version_column() -> sa.Column[int]:
    """The optimistic-locking counter, 1 on insert."""
    return sa.Column("version", sa.Integer, nullable=False, server_default="1")


def fk_column(
    name: str, target: str, *, nullable: bool = False, ondelete: str | None = None
) -> Any:
    """A foreign-key column, NOT NULL unless asked."""
    return sa.Column(name, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)
