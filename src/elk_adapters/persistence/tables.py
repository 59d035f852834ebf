"""The database schema as SQLAlchemy Core tables; Alembic migrations must match it exactly.

Core tables (no ORM classes): repositories write explicit INSERT/UPDATE statements and
translate rows to the frozen domain objects by hand, so nothing is loaded or flushed implicitly.
Oki-doc content, school levels, preference lists and audit changes are JSON documents: each
is read and written whole together with its row (see docs/decisions/0002-persistence.md).
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


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer, nullable=False, server_default="1")


def _fk(name: str, target: str, *, nullable: bool = False, ondelete: str | None = None) -> Any:
    return sa.Column(name, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


# Tables with ids use sqlite_autoincrement: ids are never reused (as with PostgreSQL
# sequences), so an audit entry never points at a stranger who got a deleted id.

boards = sa.Table(
    "boards",
    metadata,
    _id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("contact_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("contact_email", sa.String(254), nullable=False, server_default=""),
    sqlite_autoincrement=True,
)

schools = sa.Table(
    "schools",
    metadata,
    _id(),
    _fk("board_id", "boards.id"),
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
    _version(),
    sa.UniqueConstraint("brin", "vestiging"),
    sa.Index(None, "board_id"),
    sqlite_autoincrement=True,
)

users = sa.Table(
    "users",
    metadata,
    _id(),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("email_key", sa.String(254), nullable=False, unique=True),  # casefolded
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("org_kind", sa.String(2)),
    _fk("board_id", "boards.id", nullable=True),
    _fk("school_id", "schools.id", nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("totp_last_step", sa.BigInteger),
    sa.Column("recovery_codes", Json, nullable=False, server_default="[]"),  # SHA-256 digests
    sa.Column("session_version", sa.Integer, nullable=False, server_default="1"),
    _version(),
    sa.Index(None, "board_id"),
    sa.Index(None, "school_id"),
    sqlite_autoincrement=True,
)

groups = sa.Table(
    "school_groups",  # "groups" is a keyword in SQLite and PostgreSQL
    metadata,
    _id(),
    _fk("school_id", "schools.id"),
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

pupils = sa.Table(
    "pupils",
    metadata,
    _id(),
    sa.Column("elk_number", sa.Integer, nullable=False, unique=True),
    _fk("school_id", "schools.id"),
    sa.Column("first_name", sa.String(100), nullable=False),
    sa.Column("tussenvoegsel", sa.String(30), nullable=False, server_default=""),
    sa.Column("last_name", sa.String(100), nullable=False),
    sa.Column("bsn", sa.String(9)),
    sa.Column("birth_date", sa.Date),
    _fk("group_id", "school_groups.id", nullable=True, ondelete="SET NULL"),
    sa.Column("parent_login", sa.String(30), nullable=False),
    sa.Column("parent_login_amsterdam", sa.String(30), nullable=False),
    sa.Column("reason_not_placed", sa.String(30)),
    _version(),
    # Also the index for "pupils of a school": school_id is its first column.
    sa.UniqueConstraint("school_id", "bsn"),
    sa.Index(None, "group_id"),
    sqlite_autoincrement=True,
)

okidocs = sa.Table(
    "okidocs",
    metadata,
    _id(),
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
    _version(),
    # Copies of Oki-doc facts the pupil overview shows, kept in step by the repository
    # (``elk_domain.model.overview.okidoc_facts``; docs/decisions/0030).
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
    _id(),
    _fk("pupil_id", "pupils.id", ondelete="CASCADE"),
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
    _id(),
    _fk("pupil_id", "pupils.id", ondelete="CASCADE"),
    sa.Column("procedure", sa.String(50), nullable=False),
    sa.Column("status", sa.String(2), nullable=False),
    sa.Column("preferences", Json, nullable=False),
    # Copied out of ``preferences`` so that "registrations at this school" is an index lookup.
    _fk("first_choice_school_id", "schools.id", nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("definitive_at", UtcDateTime),
    sa.Column("priority_granted", sa.Boolean),
    _version(),
    sa.UniqueConstraint("pupil_id", "procedure"),
    sa.Index(None, "first_choice_school_id", "status"),
    sqlite_autoincrement=True,
)

parent_accounts = sa.Table(
    "parent_accounts",
    metadata,
    _id(),
    _fk("pupil_id", "pupils.id", ondelete="CASCADE"),
    sa.Column("portal", sa.String(20), nullable=False),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("token_digest", sa.String(128), unique=True),
    sa.Column("token_expires_at", UtcDateTime),
    _version(),
    sa.UniqueConstraint("pupil_id", "portal"),
    sqlite_autoincrement=True,
)

news = sa.Table(
    "news",
    metadata,
    _id(),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("published_at", UtcDateTime, nullable=False),
    sa.Column("author", sa.String(200), nullable=False, server_default=""),
    sa.Index(None, "published_at"),
    sqlite_autoincrement=True,
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", Json, nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    _id(),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor_id", sa.Integer, nullable=False),
    sa.Column("actor_name", sa.String(200), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("subject_type", sa.String(50), nullable=False),
    sa.Column("subject_id", sa.Integer),
    sa.Column("school_id", sa.Integer),
    sa.Column("impersonator_id", sa.Integer),
    sa.Column("changes", Json, nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Index(None, "subject_type", "subject_id"),
    sa.Index(None, "school_id"),
    sqlite_autoincrement=True,
)

account_tokens = sa.Table(
    "account_tokens",
    metadata,
    _id(),
    _fk("user_id", "users.id", ondelete="CASCADE"),
    sa.Column("purpose", sa.String(20), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("used_at", UtcDateTime),
    sa.Index(None, "user_id"),
    sqlite_autoincrement=True,
)

login_throttle = sa.Table(
    "login_throttle",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # SHA-256 of the key, never an address
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", UtcDateTime),
)

# The outbox (docs/decisions/0032-mail-outbox.md): mail queued in a use case's transaction and
# sent by a worker. A sent mail keeps no body (it may hold a link that sets a password).
mail_queue = sa.Table(
    "mail_queue",
    metadata,
    _id(),
    sa.Column("recipient", sa.String(254), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("queued_at", UtcDateTime, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime),  # NULL: sent or given up
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    sa.Index(None, "next_attempt_at"),
    sqlite_autoincrement=True,
)

# OSO (issue 4, docs/decisions/0011-oso-sync.md): one delivery point per school location, and
# the notifications OSO sent, each stored once per (school, OSO key).

delivery_points = sa.Table(
    "delivery_points",
    metadata,
    sa.Column("school_id", sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("brin", sa.String(4), nullable=False),
    sa.Column("vestiging", sa.String(2), nullable=False),
    sa.Column("number", sa.String(50), nullable=False, server_default=""),
    sa.Column("secret_key", sa.String(200), nullable=False, server_default=""),  # from Mijn OSO
    sa.Column("registered", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("may_request", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("routing_key", sa.String(100), nullable=False, server_default=""),
    sa.Column("last_ping_at", UtcDateTime),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    _version(),
)

oso_notifications = sa.Table(
    "oso_notifications",
    metadata,
    _id(),
    _fk("school_id", "schools.id", ondelete="CASCADE"),
    sa.Column("key", sa.String(200), nullable=False),  # OSO's koppelsleutel
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("bsn", sa.String(9)),
    sa.Column("brin", sa.String(4), nullable=False),
    sa.Column("vestiging", sa.String(2), nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    # Also the index for "notifications of a school": school_id is its first column.
    sa.UniqueConstraint("school_id", "key"),
    sqlite_autoincrement=True,
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
    _version(),
)
