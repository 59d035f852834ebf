"""The schema of the configured database: ``elk db upgrade`` (also run by ``elk demo run``),
``elk db downgrade``, and the check ``elk serve`` makes before it serves (decision 0040).

Migrating is an operator's step of its own, run from one place per deployment
(docs/operations.md); nothing migrates as a side effect of wiring the services.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.exc import OperationalError

from elk_adapters.files import create_private_file, make_private_folder
from elk_adapters.persistence.database import MIGRATIONS, downgrade, make_engine, migrate
from elk_adapters.settings import Settings
from elk_domain.errors import Rejected, Unavailable

NOT_REACHABLE = "De database is niet bereikbaar; controleer ELK_DATABASE_URL."


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Upgrade the schema of ``settings.database_url`` to ``revision`` (``elk db upgrade``)."""
    with _translated(revision):
        migrate(_prepared(settings), revision)


def downgrade_database(settings: Settings, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``base`` drops every table)."""
    with _translated(revision):
        downgrade(_prepared(settings), revision)


def require_current_schema(settings: Settings) -> None:
    """Rejected unless the database has the newest schema (``elk serve`` never migrates)."""
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    engine = make_engine(_prepared(settings))
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except OperationalError as exc:
        raise Unavailable(NOT_REACHABLE) from exc
    finally:
        engine.dispose()
    if current != heads:
        found = ", ".join(sorted(current)) or "geen (lege database)"
        raise Rejected(
            f"De database in ELK_DATABASE_URL heeft niet het schema van deze versie van ELK "
            f"(revisie {found}, nodig: {', '.join(sorted(heads))}). Voer eerst "
            "`elk db upgrade` uit en start daarna `elk serve` opnieuw."
        )


def ensure_sqlite_file(settings: Settings) -> None:
    """A fresh clone has no instance/ yet: make it, and the database file, private (0700/0600).

    SQLite creates a missing file with the umask's mode, and its journal and WAL files with
    the database file's mode; so the file is made first, empty, as 0600.
    """
    url = sa.make_url(settings.database_url)
    path = url.database or ""
    in_memory = path in ("", ":memory:") or path.startswith("file:")  # URI: SQLite's to parse
    if url.get_backend_name() == "sqlite" and not in_memory:
        make_private_folder(os.path.dirname(path) or ".")
        create_private_file(path)


def _prepared(settings: Settings) -> str:
    ensure_sqlite_file(settings)
    return settings.database_url


@contextlib.contextmanager
def _translated(revision: str) -> Iterator[None]:
    """Alembic's and the driver's failures as the domain's error kinds (CLI exit codes)."""
    try:
        yield
    except CommandError as exc:
        raise Rejected(f"Migratie naar revisie '{revision}' is niet mogelijk: {exc}") from exc
    except OperationalError as exc:
        raise Unavailable(NOT_REACHABLE) from exc
