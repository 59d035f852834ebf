"""The embedded mail worker: a thread that delivers the outbox every few seconds.

``elk serve`` and ``elk demo run`` run one next to the web server (``bootstrap.mail_worker``);
operators without it run ``elk mail deliver`` (say, from cron). Several workers may run at
once: the delivery use case claims each mail before sending it. Log lines carry counts only,
never an address.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Self

from elk_adapters.background import BackgroundService
from elk_adapters.logging import get_logger
from elk_domain.kernel.mail_queue import BATCH, DeliveryReport

log = get_logger("elk.mail")


class MailWorker(BackgroundService):
    """Calls ``deliver`` every ``interval`` seconds (at once again after a full batch)."""

    def __init__(self, deliver: Callable[[], DeliveryReport], interval: float) -> None:
        self._deliver = deliver
        self._interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Start the thread (a daemon: it never keeps the process alive)."""
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="elk-mail", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 15) -> None:
        """Ask the thread to stop and wait for the mail it is sending; safe to call twice."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            if self._round() < BATCH:
                self._stopping.wait(self._interval)

    def _round(self) -> int:
        """One delivery round; the number of mails it tried. Nothing stops the thread."""
        try:
            report = self._deliver()
        except Exception:  # the database may be away for a moment: log and try again later
            log.exception("mail_delivery_failed")
            return 0
        if report.attempted:
            log.info(
                "mail_delivered", sent=report.sent, failed=report.failed, given_up=report.given_up
            )
        return report.attempted
