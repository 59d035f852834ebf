"""What the end-to-end flows share: ELK served over real HTTP with its real SMTP mailer pointed
at a local capture and the mail worker running (as `elk serve` runs it), reading the captured
mail, and the checks every page of a flow gets (axe, no sideways scrolling)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from werkzeug.serving import make_server

from elk_adapters.bootstrap import Services, bootstrap, mail_worker
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.outbox import read_outbox
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_web import create_app


@attrs.frozen
class Live:
    """A running ELK: its base URL, the services behind it, the mail capture."""

    url: str
    services: Services
    capture: MailCapture


@contextlib.contextmanager
def live_elk(tmp_path: Path, name: str, seed: Callable[[Services], None]) -> Iterator[Live]:
    """Migrate a fresh SQLite database, ``seed`` it, serve ELK in a thread until the block ends."""
    capture = MailCapture(tmp_path / "captured", port=free_port()).start()
    port = free_port()
    instance = tmp_path / "instance"
    settings = Settings(
        env="test", instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key=f"e2e-{name}-secret-0123456789", log_format="json",
        smtp_host=capture.host, smtp_port=capture.port, base_url=f"http://127.0.0.1:{port}",
    )  # fmt: skip
    upgrade_database(settings)
    services = bootstrap(settings)
    seed(services)
    server = make_server("127.0.0.1", port, create_app(settings, services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=f"elk-{name}", daemon=True)
    thread.start()
    try:
        with mail_worker(services, interval=0.2):
            yield Live(settings.base_url, services, capture)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        capture.stop()


def mail_to(capture: MailCapture, to: str, timeout: float = 15) -> str:
    """The body of the newest mail to ``to``, waiting for the mail worker to deliver it."""
    deadline = time.monotonic() + timeout
    mails = [m for m in read_outbox(capture.outbox) if to in m.to]
    while not mails and time.monotonic() < deadline:
        time.sleep(0.1)
        mails = [m for m in read_outbox(capture.outbox) if to in m.to]
    assert mails, f"no mail to {to} captured within {timeout} s"
    return mails[0].body  # read_outbox lists the newest first


def serious(page: Page) -> list[dict[str, Any]]:
    """Axe's serious and critical violations on the page (id and the first few nodes)."""
    found: list[dict[str, Any]] = Axe().run(page).response["violations"]
    return [
        {"id": v["id"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in found
        if v.get("impact") in ("serious", "critical")
    ]


def fits_the_screen(page: Page) -> bool:
    """No sideways scrolling: nothing is wider than the window."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
