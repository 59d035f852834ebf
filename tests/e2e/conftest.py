"""A live ELK server in a thread and headless Chromium (Debian's) driven by Playwright.

The browser is the system's ``/usr/bin/chromium`` with the launch flags that work on this kind of
machine (see docs/decisions/0006-web-shell.md); Playwright never downloads a browser.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.mail.capture import store_message
from elk_adapters.mail.smtp import build_message
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.people import Role, User
from elk_domain.organisation.model import NewsItem
from elk_web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ADMIN_EMAIL = "beheer@elk.test"
ADMIN_PASSWORD = "Welkom bij ELK 2025!"
ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the role must use 2FA (decision 0033)


@attrs.frozen
class LiveServer:
    """A running ELK: its base URL and the services behind it (to seed or inspect data)."""

    url: str
    services: Services


def _seed(services: Services) -> None:
    with services.uow() as uow:
        uow.users.add(
            User(
                id=0,
                email=ADMIN_EMAIL,
                display_name="Fien Beheer",
                role=Role.FUNCTIONAL_ADMIN,
                password_hash=services.hasher.hash(ADMIN_PASSWORD),
                totp_secret=ADMIN_SECRET,
            )
        )
        uow.news.add(
            NewsItem(
                id=0,
                title="De aanmeldweek begint maandag",
                body="Ouders kunnen hun kind aanmelden tot en met vrijdag.",
                published_at=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
                author="ELK beheer",
            )
        )
        uow.commit()
    mail = OutgoingMail(
        to="ouder@example.nl", subject="Uw inloggegevens voor ELK", body="Beste ouder, ..."
    )
    store_message(services.settings.outbox_path, bytes(build_message(mail, "ELK <noreply@elk>")))


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """ELK on a free 127.0.0.1 port with a fresh, migrated SQLite database in a temp dir."""
    instance = tmp_path / "instance"
    settings = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="e2e-secret-key-0123456789",
        log_format="json",
    )
    upgrade_database(settings)
    services = bootstrap(settings)
    _seed(services)
    server = make_server("127.0.0.1", 0, create_app(settings, services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="elk-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", services)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, in Dutch."""
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
