"""Pupil tables: the pupil, the Oki-doc, notes, registrations and parent accounts."""

from __future__ import annotations

import sqlalchemy as sa

from elk_adapters.persistence.tables.columns import (
    Json,
    UtcDateTime,
    fk_column,
    id_column,
    metadata,
    version_column,
)

pupils = sa.Table(
    "pupils",
    metadata,
    id_column(),
    sa.Column("elk_number", sa.Integer, nullable=False, unique=True),
    fk_column("school_id", "schools.id"),
    sa.Column("first_name", sa.String(100), nullable=False),
    sa.Column("tussenvoegsel", sa.String(30), nullable=False, server_default=""),
    sa.Column("last_name", sa.String(100), nullable=False),
    sa.Column("bsn", sa.String(9)),
    sa.Column("birth_date", sa.Date),
    fk_column("group_id", "school_groups.id", nullable=True, ondelete="SET NULL"),
    sa.Column("parent_login", sa.String(30), nullable=False),
    sa.Column("parent_login_amsterdam", sa.String(30), nullable=False),
    sa.Column("reason_not_placed", sa.String(30)),
    version_column(),
    # Also the index for "pupils of a school": school_id is its first column.
    sa.UniqueConstraint("school_id", "bsn"),
    sa.Index(None, "group_id"),
    sqlite_autoincrement=True,
)

okidocs = sa.Table(
    "okidocs",
    metadata,
    id_column(),
    sa.Column(
        "pupil_id",
        sa.ForeignKey("pupils.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("fields", Json, nullable=False),
    sa.Column("test_results", Json, nullable=False),
    sa.Column("career", Json, nullable=False),
    sa.Column("attachments", Json, nullable=False),
    # The OSO categories the parents withheld, space-separated (docs/decisions/0044).
    sa.Column("withheld", sa.String(300), nullable=False, server_default=""),
    version_column(),
    # Copies of Oki-doc facts the pupil overview shows, kept in step by the repository
    # (``elk_domain.overview.model.okidoc_facts``; docs/decisions/0030).
    sa.Column("extra_support", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("tafelmiddag_po", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("tafelmiddag_vo", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("final_test_outcome", sa.String(40)),
    sa.Column("definitive_advice", sa.String(40)),
    sa.Column("deviation_motivated", sa.Boolean, nullable=False, server_default=sa.false()),
    sqlite_autoincrement=True,
)

notes = sa.Table(
    "notes",
    metadata,
    id_column(),
    fk_column("pupil_id", "pupils.id", ondelete="CASCADE"),
    sa.Column("author_id", sa.Integer, nullable=False),
    sa.Column("author_name", sa.String(200), nullable=False),
    sa.Column("organisation", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("visibility", sa.String(30), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index(None, "pupil_id"),
    sqlite_autoincrement=True,
)

registrations = sa.Table(
    "registrations",
    metadata,
    id_column(),
    fk_column("pupil_id", "pupils.id", ondelete="CASCADE"),
    sa.Column("procedure", sa.String(50), nullable=False),
    sa.Column("status", sa.String(2), nullable=False),
    sa.Column("preferences", Json, nullable=False),  # the list the parent works on
    sa.Column("definitive", Json),  # the list that counts (R-AAN-4); NULL while AG
    sa.Column("history", Json),  # earlier definitive lists, oldest first
    # Copied out of ``definitive`` so that "registrations at this school" is an index lookup.
    fk_column("first_choice_school_id", "schools.id", nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("definitive_at", UtcDateTime),
    sa.Column("priority_granted", sa.Boolean),
    sa.Column("priority_reason", sa.Text, nullable=False, server_default=""),
    version_column(),
    sa.UniqueConstraint("pupil_id", "procedure"),
    sa.Index(None, "first_choice_school_id", "status"),
    sqlite_autoincrement=True,
)

parent_accounts = sa.Table(
    "parent_accounts",
    metadata,
    id_column(),
    fk_column("pupil_id", "pupils.id", ondelete="CASCADE"),
    sa.Column("portal", sa.String(20), nullable=False),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("token_digest", sa.String(128), unique=True),
    sa.Column("token_expires_at", UtcDateTime),
    sa.Column("session_version", sa.Integer, nullable=False, server_default="1"),
    version_column(),
    sa.UniqueConstraint("pupil_id", "portal"),
    sqlite_autoincrement=True,
)


correction_requests = sa.Table(
    "correction_requests",
    metadata,
    id_column(),
    fk_column("pupil_id", "pupils.id", ondelete="CASCADE"),
    fk_column("school_id", "schools.id"),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    version_column(),
    sa.Index(None, "school_id", "created_at"),
    sa.Index(None, "pupil_id"),
    sqlite_autoincrement=True,
)


orientation_lists = sa.Table(
    "orientation_lists",
    metadata,
    id_column(),
    fk_column("vo_school_id", "schools.id"),
    fk_column("pupil_id", "pupils.id", ondelete="CASCADE"),
    sa.Column("placeable", sa.Boolean, nullable=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    version_column(),
    sa.UniqueConstraint("vo_school_id", "pupil_id"),
    sa.Index(None, "pupil_id"),
    sqlite_autoincrement=True,
)
