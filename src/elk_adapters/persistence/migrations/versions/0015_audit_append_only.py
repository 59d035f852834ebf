"""The audit log becomes append-only in the database and a hash chain (decision 0057).

Existing rows are chained in id order; then triggers refuse UPDATE and DELETE on ``audit_log``
(and TRUNCATE on PostgreSQL). The hash is the domain's ``link_hash`` (its serialisation is
fixed by decision 0057; a new one would need a new migration).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from elk_adapters.persistence.tables.columns import Json, UtcDateTime
from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.kernel.audit_chain import GENESIS, link_hash

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

#: SQLite batch mode rebuilds the table: keep AUTOINCREMENT (ids never reused, decision 0002).
KEEP = {"sqlite_autoincrement": True}
REFUSED = "audit_log is append-only: % refused (decision 0057)"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
    BEGIN SELECT RAISE(ABORT, '{REFUSED.replace("%", verb)}'); END"""
    for verb in ("UPDATE", "DELETE")
]

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{REFUSED}', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()""",
]

_old = sa.table(
    "audit_log",
    *(sa.column(name) for name in ("id", "actor_id", "actor_name", "action", "subject_type")),
    *(sa.column(name) for name in ("subject_id", "school_id", "impersonator_id", "detail")),
    sa.column("at", UtcDateTime),
    sa.column("changes", Json),
    sa.column("prev_hash"),
    sa.column("row_hash"),
)


def _entry(row: sa.Row[tuple[object, ...]]) -> AuditEntry:
    docs = row.changes or []
    return AuditEntry(
        at=row.at,
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        school_id=row.school_id,
        impersonator_id=row.impersonator_id,
        changes=tuple(FieldChange(d["path"], d.get("old"), d.get("new")) for d in docs),
        detail=row.detail,
    )


def _chain_existing(connection: sa.Connection) -> None:
    prev, updates = GENESIS, []
    for row in connection.execute(sa.select(_old).order_by(_old.c.id)):
        own = link_hash(row.id, _entry(row), prev)
        updates.append({"key": row.id, "prev": prev, "own": own})
        prev = own
    if updates:
        statement = (
            sa.update(_old)
            .where(_old.c.id == sa.bindparam("key"))
            .values(prev_hash=sa.bindparam("prev"), row_hash=sa.bindparam("own"))
        )
        connection.execute(statement, updates)


def upgrade() -> None:
    """Add the hash columns, chain the existing rows in id order, then refuse changes."""
    with op.batch_alter_table("audit_log", table_kwargs=KEEP) as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(64), nullable=True))
    _chain_existing(op.get_bind())
    with op.batch_alter_table("audit_log", table_kwargs=KEEP) as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("row_hash", existing_type=sa.String(64), nullable=False)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    """Allow changes again and drop the chain (the hashes are lost)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_refuse_change()")
    with op.batch_alter_table("audit_log", table_kwargs=KEEP) as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
