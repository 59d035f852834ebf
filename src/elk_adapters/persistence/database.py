"""Engines and the SQLAlchemy unit of work; Alembic upgrades run from here too.

SQLite is configured for a web server with several threads: WAL (readers never block the
writer), foreign keys on, a busy timeout, and ``BEGIN IMMEDIATE`` for every unit of work so a
read-then-write transaction waits for the write lock up front instead of failing halfway with
"database is locked" (SQLAlchemy's documented pysqlite recipe).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event

from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.queries.overview import SqlAlchemyPupilOverviewQuery
from elk_adapters.persistence.queries.vo_region import SqlAlchemyVoRegionQuery
from elk_adapters.persistence.repositories.accounts import (
    SqlAlchemyAccountTokenRepository,
    SqlAlchemyMailQueue,
    SqlAlchemyThrottleRepository,
)
from elk_adapters.persistence.repositories.organisation import (
    SqlAlchemyBoardRepository,
    SqlAlchemyGroupRepository,
    SqlAlchemySchoolRepository,
    SqlAlchemyUserRepository,
)
from elk_adapters.persistence.repositories.oso import (
    SqlAlchemyDeliveryPointRepository,
    SqlAlchemyOsoNotificationRepository,
)
from elk_adapters.persistence.repositories.parents import (
    SqlAlchemyCorrectionRequestRepository,
    SqlAlchemyOrientationListRepository,
    SqlAlchemyParentAccountRepository,
    SqlAlchemyRegistrationRepository,
)
from elk_adapters.persistence.repositories.placement import SqlAlchemyPlacementRunRepository
from elk_adapters.persistence.repositories.preferences import (
    SqlAlchemySchoolPreferencesRepository,
)
from elk_adapters.persistence.repositories.pupils import (
    SqlAlchemyNoteRepository,
    SqlAlchemyOkiDocRepository,
    SqlAlchemyPupilRepository,
)
from elk_adapters.persistence.repositories.records import (
    SqlAlchemyAuditLog,
    SqlAlchemyNewsRepository,
    SqlAlchemySettingsRepository,
)
from elk_domain.errors import Conflict
from elk_domain.unit_of_work import UnitOfWork

SQLITE_BUSY_TIMEOUT_MS = 15_000
BEGIN_MODE = "elk_sqlite_begin"  # key in a pooled connection's info: "IMMEDIATE" or "DEFERRED"
MIGRATIONS = Path(__file__).parent / "migrations"


def _normalise(url: str | sa.URL) -> sa.URL:
    """Plain ``postgresql://`` (and Heroku-style ``postgres://``) URLs get the psycopg 3 driver."""
    parsed = sa.make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _configure_sqlite(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")  # a pool event: statements pay nothing for it
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the driver's hands; ``_sqlite_begin`` below emits it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, much faster commits
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    # The dialect's own BEGIN hook (a no-op for pysqlite) rather than SQLAlchemy's documented
    # "begin" event: any connection event makes SQLAlchemy dispatch its before/after-execute
    # events on every statement (~15 µs each), and the event emitted BEGIN through the whole
    # execution path (~0.1 ms). Errors here (the write lock not free within the busy timeout)
    # get SQLAlchemy's wrapper, which ``database_errors`` translates.
    setattr(engine.dialect, "do_begin", _sqlite_begin)  # noqa: B010  (a method, per engine)


def _sqlite_begin(dbapi_connection: Any) -> None:
    """BEGIN IMMEDIATE, or BEGIN DEFERRED for a read-only unit of work (``BEGIN_MODE``)."""
    dbapi_connection.execute(
        "BEGIN DEFERRED"
        if dbapi_connection.info.get(BEGIN_MODE) == "DEFERRED"
        else "BEGIN IMMEDIATE"
    )


def make_engine(url: str | sa.URL, **options: Any) -> sa.Engine:
    """An engine for a SQLite file or PostgreSQL (psycopg 3), ready for concurrent use."""
    parsed = _normalise(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, **options.pop("connect_args", {})}
        engine = sa.create_engine(parsed, connect_args=connect_args, **options)
        _configure_sqlite(engine)
        return engine
    options.setdefault("pool_pre_ping", True)
    return sa.create_engine(parsed, **options)


def write_lock_for(engine: sa.Engine) -> threading.RLock | None:
    """For SQLite, one lock its read-write units of work share in this process; else None.

    SQLite has one writer at a time, and every read-write unit of work starts with
    ``BEGIN IMMEDIATE``. Threads that wait on SQLite itself poll with growing sleeps (up to
    100 ms); waiting on a lock wakes them the moment the writer is done (many-threaded batches
    such as ``elk oso sync --concurrency 16`` ran a third faster). Other processes still wait
    through the busy timeout. PostgreSQL writes concurrently and gets no lock.
    """
    return threading.RLock() if engine.dialect.name == "sqlite" else None


class SqlAlchemyUnitOfWork(UnitOfWork):
    """One database transaction: a ``elk_domain.unit_of_work.UnitOfWork`` wiring every repository.

    It holds one plain SQLAlchemy ``Connection`` from the engine's pool: the repositories run
    Core statements only, so an ORM ``Session`` (identity map, flush machinery) was pure
    overhead — about 0.4 ms per unit of work, a tenth of a page view (decision 0002). The
    transaction begins with the first statement and is rolled back on exit unless committed.

    ``read_only=True`` starts SQLite transactions DEFERRED, so pure readers never queue for the
    write lock; such a unit of work must not write.
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        read_only: bool = False,
        write_lock: threading.RLock | None = None,
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        # SQLite: writers of this process queue on a lock instead of SQLite's busy handler,
        # which sleeps 1..100 ms between polls; see ``write_lock_for``.
        self._write_lock = None if read_only else write_lock
        self._begin_mode = "DEFERRED" if read_only else "IMMEDIATE"
        self._connection: sa.Connection | None = None

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise Conflict("Deze transactie is al geopend.")
        if self._write_lock is not None:
            self._write_lock.acquire()
        try:
            with database_errors():  # an unreachable database: Unavailable, from ``with``
                connection = self._engine.connect()
                # Read by ``_sqlite_begin``; set on every checkout, as the pool reuses it.
                connection.connection.info[BEGIN_MODE] = self._begin_mode
        except BaseException:
            if self._write_lock is not None:
                self._write_lock.release()
            raise
        self._connection = connection
        self._wire(connection)
        return self

    def _wire(self, connection: sa.Connection) -> None:
        self.boards = SqlAlchemyBoardRepository(connection)
        self.schools = SqlAlchemySchoolRepository(connection)
        self.groups = SqlAlchemyGroupRepository(connection)
        self.pupils = SqlAlchemyPupilRepository(connection)
        self.okidocs = SqlAlchemyOkiDocRepository(connection)
        self.users = SqlAlchemyUserRepository(connection)
        self.news = SqlAlchemyNewsRepository(connection)
        self.settings = SqlAlchemySettingsRepository(connection)
        self.audit = SqlAlchemyAuditLog(connection)
        self.notes = SqlAlchemyNoteRepository(connection)
        self.registrations = SqlAlchemyRegistrationRepository(connection)
        self.parent_accounts = SqlAlchemyParentAccountRepository(connection)
        self.correction_requests = SqlAlchemyCorrectionRequestRepository(connection)
        self.orientation_lists = SqlAlchemyOrientationListRepository(connection)
        self.overview = SqlAlchemyPupilOverviewQuery(connection)
        self.vo_region = SqlAlchemyVoRegionQuery(connection)
        self.delivery_points = SqlAlchemyDeliveryPointRepository(connection)
        self.oso_notifications = SqlAlchemyOsoNotificationRepository(connection)
        self.account_tokens = SqlAlchemyAccountTokenRepository(connection)
        self.throttle = SqlAlchemyThrottleRepository(connection)
        self.preferences = SqlAlchemySchoolPreferencesRepository(connection)
        self.mail_queue = SqlAlchemyMailQueue(connection)
        self.placement_runs = SqlAlchemyPlacementRunRepository(connection)

    def __exit__(self, *exc_info: object) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.close()  # rolls back what was not committed
        finally:
            if self._write_lock is not None:
                self._write_lock.release()

    def _current(self) -> sa.Connection:
        if self._connection is None:
            raise Conflict("Er is geen open transactie: gebruik 'with uow:'.")
        return self._connection

    def commit(self) -> None:
        """Make the work durable (deferred constraint and lock errors surface here)."""
        with database_errors():
            self._current().commit()

    def rollback(self) -> None:
        """Throw the work away; the unit of work stays open for new work."""
        with database_errors():
            self._current().rollback()


def _alembic_config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _pragma(connection: sa.Connection, setting: str) -> None:
    # Straight to the driver: through SQLAlchemy it would start a transaction, where
    # SQLite ignores PRAGMA foreign_keys.
    driver = connection.connection.driver_connection
    if driver is not None:
        driver.execute(f"PRAGMA {setting}")


def _run_alembic(url_or_engine: str | sa.URL | sa.Engine, action: str, revision: str) -> None:
    owned = not isinstance(url_or_engine, sa.Engine)
    engine = (
        make_engine(url_or_engine) if not isinstance(url_or_engine, sa.Engine) else url_or_engine
    )
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:  # batch migrations copy tables; foreign keys must be off (outside BEGIN)
                _pragma(connection, "foreign_keys = OFF")
            try:
                with connection.begin():
                    getattr(command, action)(_alembic_config(connection), revision)
                    if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise RuntimeError("migration left rows with broken foreign keys")
            finally:
                if sqlite:
                    _pragma(connection, "foreign_keys = ON")
    finally:
        if owned:
            engine.dispose()


def migrate(url_or_engine: str | sa.URL | sa.Engine, revision: str = "head") -> None:
    """Upgrade the database schema to ``revision`` (default: the newest)."""
    _run_alembic(url_or_engine, "upgrade", revision)


def downgrade(url_or_engine: str | sa.URL | sa.Engine, revision: str) -> None:
    """Downgrade the database schema to ``revision`` (``base`` removes every table)."""
    _run_alembic(url_or_engine, "downgrade", revision)


def _satisfies_port(engine: sa.Engine) -> UnitOfWork:
    # Never called: mypy checks here that every repository of the port is wired (else the
    # class stays abstract and cannot be instantiated).
    return SqlAlchemyUnitOfWork(engine)
