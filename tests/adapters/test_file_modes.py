"""What ELK writes to disk is for the ELK user only: folders 0700, files 0600.

The instance folder holds the database (BSNs, addresses, support needs), the demo secret key,
attachments and captured mail. Each adapter creates its files with explicit modes, so they
stay private even when the process runs with a permissive umask (here 022, a common default);
the ``elk`` command also sets umask 077 (tests/cli).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from elk_adapters.bootstrap import bootstrap
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.smtp import SmtpMailer
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_adapters.storage.filesystem import FilesystemFileStore
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.organisation.model import NewsItem


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"ELK_ENV": "demo", "ELK_INSTANCE_PATH": str(tmp_path / "instance")})


def test_the_demo_secret_key_and_its_folder(settings: Settings) -> None:
    assert mode(settings.instance_path) == 0o700
    assert mode(settings.instance_path / "secret_key") == 0o600


def test_the_sqlite_database_and_its_journal(settings: Settings) -> None:
    upgrade_database(settings)
    services = bootstrap(settings)
    with services.uow() as uow:  # a write leaves the WAL file next to the database
        uow.news.add(NewsItem(id=0, title="t", body="b", published_at=services.clock.now()))
        uow.commit()
        database = settings.instance_path / "elk.sqlite3"
        companions = [p for p in settings.instance_path.glob("elk.sqlite3-*")]

        assert mode(database) == 0o600
        assert companions
        assert {p.name: mode(p) for p in companions} == {p.name: 0o600 for p in companions}


def test_a_database_in_a_folder_of_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "elk"
    settings = Settings.from_env(
        {"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(tmp_path / "instance"),
         "ELK_DATABASE_URL": f"sqlite:///{folder / 'elk.db'}"}
    )  # fmt: skip

    upgrade_database(settings)

    assert mode(folder) == 0o700
    assert mode(folder / "elk.db") == 0o600


def test_attachments_and_their_folders(settings: Settings) -> None:
    store = FilesystemFileStore(settings.files_path)

    key = store.put(b"%PDF-1.7", content_type="application/pdf")

    assert mode(settings.files_path) == 0o700
    assert mode(settings.files_path / key[:2]) == 0o700
    assert mode(settings.files_path / key[:2] / key[2:]) == 0o600


def test_captured_mail_and_the_outbox(settings: Settings) -> None:
    with MailCapture(settings.outbox_path, port=free_port()) as capture:
        mailer = SmtpMailer(capture.host, capture.port, "ELK <noreply@elk.example>")
        mailer.send(OutgoingMail(to="ouder@ouder.example", subject="Test", body="Hallo"))

    [message] = settings.outbox_path.glob("*.eml")
    assert mode(settings.outbox_path) == 0o700
    assert mode(message) == 0o600
