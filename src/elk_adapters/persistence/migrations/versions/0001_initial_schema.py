"""Initial schema: organisation, pupils, Oki-docs, registrations, news, settings, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 05:58:35.039819
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Frozen copy of tables.Json: a migration never imports the current application code.
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
FIRST_ELK_NUMBER = 100001

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("subject_type", sa.String(length=50), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("impersonator_id", sa.Integer(), nullable=True),
        sa.Column("changes", JSON, nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_audit_log_school_id"), "audit_log", ["school_id"])
    op.create_index(
        op.f("ix_audit_log_subject_type_subject_id"), "audit_log", ["subject_type", "subject_id"]
    )

    op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("contact_email", sa.String(length=254), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boards")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )
    counters = sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.Integer))
    op.bulk_insert(counters, [{"name": "elk_number", "value": FIRST_ELK_NUMBER - 1}])
    op.create_table(
        "news",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_news_published_at"), "news", ["published_at"])

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=2), nullable=False),
        sa.Column("official_name", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("school_type", sa.String(length=100), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("house_number", sa.String(length=20), nullable=False),
        sa.Column("postcode", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("brin", sa.String(length=4), nullable=False),
        sa.Column("vestiging", sa.String(length=2), nullable=False),
        sa.Column("director", sa.String(length=200), server_default="", nullable=False),
        sa.Column("elk_contact", sa.String(length=200), server_default="", nullable=False),
        sa.Column("levels", JSON, nullable=False),
        sa.Column("capacity", JSON, nullable=False),
        sa.Column("offers_priority", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["boards.id"], name=op.f("fk_schools_board_id_boards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
        sa.UniqueConstraint("brin", "vestiging", name=op.f("uq_schools_brin_vestiging")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_schools_board_id"), "schools", ["board_id"])

    op.create_table(
        "school_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_school_groups_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_groups")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_school_groups_school_id_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("org_kind", sa.String(length=2), nullable=True),
        sa.Column("board_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("session_version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], name=op.f("fk_users_board_id_boards")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_users_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email_key", name=op.f("uq_users_email_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_users_board_id"), "users", ["board_id"])
    op.create_index(op.f("ix_users_school_id"), "users", ["school_id"])

    op.create_table(
        "group_contacts",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["school_groups.id"],
            name=op.f("fk_group_contacts_group_id_school_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_group_contacts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_group_contacts")),
    )
    op.create_index(op.f("ix_group_contacts_user_id"), "group_contacts", ["user_id"])

    op.create_table(
        "pupils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("elk_number", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("tussenvoegsel", sa.String(length=30), server_default="", nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("parent_login", sa.String(length=30), nullable=False),
        sa.Column("parent_login_amsterdam", sa.String(length=30), nullable=False),
        sa.Column("reason_not_placed", sa.String(length=30), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["school_groups.id"],
            name=op.f("fk_pupils_group_id_school_groups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_pupils_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupils")),
        sa.UniqueConstraint("elk_number", name=op.f("uq_pupils_elk_number")),
        sa.UniqueConstraint("school_id", "bsn", name=op.f("uq_pupils_school_id_bsn")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_pupils_group_id"), "pupils", ["group_id"])

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_notes_pupil_id_pupils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_notes_pupil_id"), "notes", ["pupil_id"])

    op.create_table(
        "okidocs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("test_results", JSON, nullable=False),
        sa.Column("career", JSON, nullable=False),
        sa.Column("attachments", JSON, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_okidocs_pupil_id_pupils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_okidocs")),
        sa.UniqueConstraint("pupil_id", name=op.f("uq_okidocs_pupil_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "parent_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("portal", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("token_digest", sa.String(length=128), nullable=True),
        sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_parent_accounts_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parent_accounts")),
        sa.UniqueConstraint("pupil_id", "portal", name=op.f("uq_parent_accounts_pupil_id_portal")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_parent_accounts_token_digest")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("preferences", JSON, nullable=False),
        sa.Column("first_choice_school_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("definitive_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("priority_granted", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["first_choice_school_id"],
            ["schools.id"],
            name=op.f("fk_registrations_first_choice_school_id_schools"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_registrations_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint(
            "pupil_id", "procedure", name=op.f("uq_registrations_pupil_id_procedure")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_registrations_first_choice_school_id_status"),
        "registrations",
        ["first_choice_school_id", "status"],
    )


def downgrade() -> None:
    """Undo the change."""
    op.drop_table("registrations")
    op.drop_table("parent_accounts")
    op.drop_table("okidocs")
    op.drop_table("notes")
    op.drop_table("pupils")
    op.drop_table("group_contacts")
    op.drop_table("users")
    op.drop_table("school_groups")
    op.drop_table("schools")
    op.drop_table("settings")
    op.drop_table("news")
    op.drop_table("counters")
    op.drop_table("boards")
    op.drop_table("audit_log")
