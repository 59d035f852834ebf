"""Alembic environment: always handed an open connection by ``persistence.database``."""

from __future__ import annotations

from alembic import context

from elk_adapters.persistence.tables import metadata


def run_migrations_online() -> None:
    """Run on the connection (and inside the transaction) that ``migrate`` opened."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; use 'elk db upgrade'.")
run_migrations_online()
