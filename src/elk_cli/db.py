"""``elk db``: schema migrations (Alembic) of the configured database."""

from __future__ import annotations

import click

from elk_adapters.persistence.schema import downgrade_database, upgrade_database
from elk_cli.console import console, load_settings


@click.group()
def db() -> None:
    """Migrate the database schema of ELK_DATABASE_URL (SQLite or PostgreSQL)."""


@db.command()
@click.option(
    "--revision",
    default="head",
    show_default=True,
    help="Alembic revision to upgrade to.",
)
def upgrade(revision: str) -> None:
    """Upgrade the schema to REVISION; safe to run twice. Run it before `elk serve`."""
    settings = load_settings()
    upgrade_database(settings, revision)
    console.print(f"Database bijgewerkt tot revisie [bold]{revision}[/bold].")


@db.command()
@click.option(
    "--revision",
    required=True,
    help="Alembic revision to go back to; 'base' removes every table (and all data).",
)
def downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION. Data in dropped tables is lost."""
    settings = load_settings()
    downgrade_database(settings, revision)
    console.print(f"Database teruggezet naar revisie [bold]{revision}[/bold].")
