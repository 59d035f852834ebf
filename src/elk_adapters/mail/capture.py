"""A local SMTP server that stores every message it receives as a ``.eml`` file.

The demo points ELK's SMTP settings at it, so no mail ever leaves the machine; the functional
administrator reads the messages on the page "Verzonden e-mail" (through ``outbox.read_outbox``).
Tests use it as the real SMTP peer of ``SmtpMailer``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from pathlib import Path
from typing import Any, Self

from aiosmtpd.controller import Controller

from elk_adapters.background import BackgroundService
from elk_adapters.files import make_private_folder, open_private_file

EML_SUFFIX = ".eml"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (for tests and ``--smtp-port 0``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def store_message(outbox: Path, content: bytes) -> Path:
    """Write one message atomically under a unique, time-sortable name and return its path."""
    make_private_folder(outbox)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = outbox / f"{stamp}-{secrets.token_hex(4)}{EML_SUFFIX}"
    tmp = path.with_name(f".{path.name}.tmp")
    with open(open_private_file(tmp, os.O_TRUNC), "wb") as handle:  # mail is personal: 0600
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def _check_bindable(host: str, port: int) -> None:
    """Fail fast with a clear OSError (aiosmtpd would wait its ready timeout first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise OSError(f"SMTP capture: port {host}:{port} is already in use") from exc


class _OutboxHandler:
    """aiosmtpd handler: accepts every recipient and stores the raw message."""

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message; aiosmtpd calls this once per accepted mail."""
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        try:
            store_message(self.outbox, content)
        except OSError:
            return "451 Requested action aborted: local error in processing"
        return "250 Message accepted for delivery"


class MailCapture(BackgroundService):
    """Start/stop wrapper around an aiosmtpd ``Controller`` writing into ``outbox``."""

    def __init__(self, outbox: Path, *, host: str = "127.0.0.1", port: int = 8025) -> None:
        self.outbox = outbox
        self.host = host
        self.port = port or free_port(host)
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        """True between ``start`` and ``stop``."""
        return self._controller is not None

    def start(self) -> Self:
        """Listen on host:port in a background thread; raises OSError when the port is taken."""
        if self._controller is None:
            make_private_folder(self.outbox)
            _check_bindable(self.host, self.port)  # before Controller() opens an event loop
            controller = Controller(_OutboxHandler(self.outbox), hostname=self.host, port=self.port)
            try:
                controller.start()
            except Exception as exc:
                controller.stop(no_assert=True)
                controller.loop.close()
                raise OSError(f"SMTP capture could not listen on {self.host}:{self.port}") from exc
            self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening; safe to call twice."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
