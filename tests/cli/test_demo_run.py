"""``elk demo run`` as an operator starts it: a real process, real ports, stopped by Ctrl-C."""

from __future__ import annotations

import os
import secrets
import signal
import smtplib
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

STARTUP_LIMIT = 90  # seconds: the demo must answer within this from a fresh instance


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _elk_command() -> list[str]:
    script = Path(sys.executable).with_name("elk")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from elk_cli.main import cli; cli()"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found |= {child} | _descendants(child)
    return found


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _environment(instance: Path, **settings: str) -> dict[str, str]:
    """The operator's environment: no ELK_* of ours leaks in, a permissive umask is not ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELK_")}
    return {**env, "ELK_INSTANCE_PATH": str(instance), **settings}


class ElkProcess:
    """A running ``elk`` command with its web port, instance folder and output file."""

    def __init__(self, tmp_path: Path, *args: str, **settings: str) -> None:
        self.port, self.smtp_port, self.oso_port = _free_port(), _free_port(), _free_port()
        self.instance = tmp_path / "instance"
        self.output = tmp_path / "elk.log"
        env = _environment(self.instance, **settings)
        ports = {
            "{port}": str(self.port),
            "{smtp_port}": str(self.smtp_port),
            "{oso_port}": str(self.oso_port),
        }
        with self.output.open("wb") as out:
            self.process = subprocess.Popen(
                [*_elk_command(), *(ports.get(arg, arg) for arg in args)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                umask=0o022,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_LIMIT
        while not _answers(f"{self.url}/inloggen"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"elk did not come up:\n{self.log()}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


DEMO_RUN = (
    *("demo", "run", "--port", "{port}", "--smtp-port", "{smtp_port}"),
    *("--oso-port", "{oso_port}", "--pupils", "60"),
)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[ElkProcess]:
    """A started demo; killed at the end if the test did not stop it."""
    running = ElkProcess(tmp_path, *DEMO_RUN)
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


def test_demo_run_serves_captures_mail_and_stops_on_ctrl_c(demo: ElkProcess) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "t@elk.example", "o@ouder.example", "Één"
    message.set_content("Groeten van Łukasz")
    with smtplib.SMTP("127.0.0.1", demo.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)
    children = _descendants(demo.process.pid)

    demo.process.send_signal(signal.SIGINT)
    code = demo.process.wait(timeout=30)

    log = demo.log()
    assert code == 0, log
    assert "beheer@elk.example" in log
    assert "elk-demo-beheer" in log
    assert demo.url in log
    assert "ELK demo gestopt." in log
    assert f"http://127.0.0.1:{demo.oso_port}/oso" in log
    assert "OSO-adviescodes" in log  # the demo trusts the inferred advice (decision 0005)
    assert [p.name for p in (demo.instance / "outbox").glob("*.eml")]
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert not _listening(demo.port)
    assert not _listening(demo.smtp_port)
    assert not _listening(demo.oso_port)
    # Everything the demo wrote is for the ELK user only (umask 077 and explicit modes).
    written = [demo.instance, demo.instance / "elk.sqlite3", demo.instance / "secret_key",
               demo.instance / "outbox", *(demo.instance / "outbox").glob("*.eml")]  # fmt: skip
    assert {p.name: _mode(p) & 0o077 for p in written} == {p.name: 0 for p in written}


def test_serve_runs_a_migrated_instance_and_stops_on_sigterm(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    key = secrets.token_urlsafe(48)  # production: no ELK_ENV needed, a strong key is
    env = _environment(instance, ELK_SECRET_KEY=key)
    subprocess.run(
        [*_elk_command(), "db", "upgrade"], env=env, check=True, capture_output=True, umask=0o022
    )
    server = ElkProcess(tmp_path, "serve", "--port", "{port}", "--threads", "2", ELK_SECRET_KEY=key)
    try:
        server.wait_until_up()

        server.process.send_signal(signal.SIGTERM)
        code = server.process.wait(timeout=30)
    finally:
        server.stop()

    assert code == 0, server.log()
    assert f"ELK (production) luistert op {server.url}" in server.log()
    assert not _listening(server.port)
    assert _mode(instance) == 0o700
    assert _mode(instance / "elk.sqlite3") == 0o600


def test_serve_delivers_queued_mail_in_the_background(tmp_path: Path) -> None:
    from elk_adapters.bootstrap import bootstrap
    from elk_adapters.mail.capture import MailCapture
    from elk_adapters.mail.outbox import read_outbox
    from elk_adapters.settings import Settings
    from elk_domain.kernel.mail import OutgoingMail
    from elk_domain.kernel.mail_queue import queue_mail
    from elk_domain.testing import FixedClock

    instance = tmp_path / "instance"
    key = secrets.token_urlsafe(48)
    env = _environment(instance, ELK_SECRET_KEY=key)
    subprocess.run(
        [*_elk_command(), "db", "upgrade"], env=env, check=True, capture_output=True, umask=0o022
    )
    services = bootstrap(Settings.from_env(env, default_env="production"))
    with services.uow() as uow:  # what a reset request left behind
        queue_mail(uow, FixedClock(), OutgoingMail("juf@elk.test", "Nieuw wachtwoord", "Link"))
        uow.commit()
    with MailCapture(tmp_path / "captured", port=_free_port()) as capture:
        mail_settings = {"ELK_SMTP_PORT": str(capture.port), "ELK_MAIL_INTERVAL": "0.2"}
        server = ElkProcess(
            tmp_path, "serve", "--port", "{port}", "--threads", "2",
            ELK_SECRET_KEY=key, **mail_settings,
        )  # fmt: skip
        try:
            server.wait_until_up()
            deadline = time.monotonic() + 30
            while not read_outbox(capture.outbox) and time.monotonic() < deadline:
                time.sleep(0.1)
            server.process.send_signal(signal.SIGTERM)
            code = server.process.wait(timeout=30)
        finally:
            server.stop()
        [mail] = read_outbox(capture.outbox)
    assert code == 0, server.log()
    assert (mail.to, mail.subject) == ("juf@elk.test", "Nieuw wachtwoord")
    assert "juf@elk.test" not in server.log()  # the worker logs counts, never addresses
