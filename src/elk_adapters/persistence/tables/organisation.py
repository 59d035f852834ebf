"""Organisation tables: boards, schools, their groups and staff users, school preferences."""

from __future__ import annotations

import sqlalchemy as sa

from elk_adapters.persistence.tables.columns import (
    Json,
    fk_column,
    id_column,
    metadata,
    version_column,
)

boards = sa.Table(
    "boards",
    metadata,
    id_column(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("contact_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("contact_email", sa.String(254), nullable=False, server_default=""),
    sqlite_autoincrement=True,
)

schools = sa.Table(
    "schools",
    metadata,
    id_column(),
    fk_column("board_id", "boards.id"),
    sa.Column("kind", sa.String(2), nullable=False),
    sa.Column("official_name", sa.String(200), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("school_type", sa.String(100), nullable=False),
    sa.Column("street", sa.String(200), nullable=False),
    sa.Column("house_number", sa.String(20), nullable=False),
    sa.Column("postcode", sa.String(20), nullable=False),
    sa.Column("city", sa.String(100), nullable=False),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("brin", sa.String(4), nullable=False),
    sa.Column("vestiging", sa.String(2), nullable=False),
    sa.Column("director", sa.String(200), nullable=False, server_default=""),
    sa.Column("elk_contact", sa.String(200), nullable=False, server_default=""),
    sa.Column("levels", Json, nullable=False),
    sa.Column("capacity", Json, nullable=False),
    sa.Column("offers_priority", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("offers_equivalent_level", sa.Boolean, nullable=False, server_default=sa.true()),
    version_column(),
    sa.UniqueConstraint("brin", "vestiging"),
    sa.Index(None, "board_id"),
    sqlite_autoincrement=True,
)

users = sa.Table(
    "users",
    metadata,
    id_column(),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("email_key", sa.String(254), nullable=False, unique=True),  # casefolded
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("org_kind", sa.String(2)),
    fk_column("board_id", "boards.id", nullable=True),
    fk_column("school_id", "schools.id", nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("totp_last_step", sa.BigInteger),
    sa.Column("recovery_codes", Json, nullable=False, server_default="[]"),  # SHA-256 digests
    sa.Column("session_version", sa.Integer, nullable=False, server_default="1"),
    version_column(),
    sa.Index(None, "board_id"),
    sa.Index(None, "school_id"),
    sqlite_autoincrement=True,
)

groups = sa.Table(
    "school_groups",  # "groups" is a keyword in SQLite and PostgreSQL
    metadata,
    id_column(),
    fk_column("school_id", "schools.id"),
    sa.Column("name", sa.String(50), nullable=False),
    sa.UniqueConstraint("school_id", "name"),
    sqlite_autoincrement=True,
)

group_contacts = sa.Table(
    "group_contacts",
    metadata,
    sa.Column("group_id", sa.ForeignKey("school_groups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Index(None, "user_id"),
)

school_preferences = sa.Table(  # Voorkeursinstellingen: defaults for the Ind. LWOO/PrO tab
    "school_preferences",
    metadata,
    sa.Column("school_id", sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("lat", sa.Boolean),  # NULL: no default, the teacher chooses
    sa.Column("cap", sa.Boolean),
    sa.Column("sem", sa.Boolean),
    sa.Column("institution", sa.String(200), nullable=False, server_default=""),
    sa.Column("researcher", sa.String(200), nullable=False, server_default=""),
    version_column(),
)
