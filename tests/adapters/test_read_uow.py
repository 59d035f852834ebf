"""Page reads use a read-only unit of work: on SQLite they never queue behind a writer."""

from __future__ import annotations

import threading
from pathlib import Path

from elk_adapters.bootstrap import bootstrap
from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        instance_path=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'elk.sqlite3'}",
        secret_key="test-secret-key-0123456789",
    )


def test_a_reader_is_not_blocked_by_an_open_write_transaction(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    upgrade_database(settings)
    services = bootstrap(settings)
    done = threading.Event()

    def read() -> None:
        with services.reader() as uow:
            uow.boards.list()
        done.set()

    with services.uow() as writer:  # holds the process write lock and SQLite's RESERVED lock
        writer.boards.list()
        reader = threading.Thread(target=read)
        reader.start()
        assert done.wait(timeout=5), "the reader waited for the writer"
    reader.join()


def test_without_a_read_factory_the_reader_is_the_normal_unit_of_work(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    upgrade_database(settings)
    engine = make_engine(settings.database_url)
    made: list[SqlAlchemyUnitOfWork] = []

    def normal() -> SqlAlchemyUnitOfWork:
        made.append(SqlAlchemyUnitOfWork(engine))
        return made[-1]

    services = bootstrap(settings, uow=normal)
    assert services.reader() is made[-1]
