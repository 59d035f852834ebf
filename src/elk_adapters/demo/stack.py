"""The background services ``elk demo run`` starts next to the web server, and stops again.

Today that is the SMTP capture; the OSO simulator joins through ``_start_oso_simulator`` once
it exists. The web server itself is started by the CLI, which owns the WSGI app.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

import attrs

from elk_adapters.mail.capture import MailCapture
from elk_adapters.settings import Settings
from elk_domain.errors import Unavailable


@attrs.frozen
class RunningService:
    """A started background service: its name and address, shown in the demo's table."""

    name: str
    address: str
    stop: Callable[[], None]


class DemoStack:
    """``with DemoStack(settings) as settings: ...``: the yielded settings point at the capture."""

    def __init__(self, settings: Settings, *, smtp_port: int = 8025) -> None:
        self._settings = settings
        self._smtp_port = smtp_port
        self.running: list[RunningService] = []

    def __enter__(self) -> Settings:
        try:
            settings = self._start_mail_capture(self._settings)
            self._start_oso_simulator(settings)
        except BaseException:
            self.stop()
            raise
        return settings

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop every started service, newest first; safe to call twice."""
        while self.running:
            self.running.pop().stop()

    def _start_mail_capture(self, settings: Settings) -> Settings:
        capture = MailCapture(settings.outbox_path, host="127.0.0.1", port=self._smtp_port)
        try:
            capture.start()
        except OSError as exc:
            raise Unavailable(
                f"De e-mailopvang kan niet starten: poort {capture.port} is bezet. "
                "Kies een andere met --smtp-port."
            ) from exc
        self.running.append(
            RunningService(
                "E-mailopvang (SMTP)",
                f"smtp://{capture.host}:{capture.port} → {settings.outbox_path}",
                capture.stop,
            )
        )
        return attrs.evolve(
            settings,
            smtp_host=capture.host,
            smtp_port=capture.port,
            smtp_user="",
            smtp_password="",
            smtp_starttls=False,
        )

    def _start_oso_simulator(self, settings: Settings) -> None:
        """Hook for the OSO simulator (not built yet).

        When it exists: start it on the port of ``settings.oso_endpoint`` (in a thread, or as a
        child process terminated in ``stop``), wait until it answers, and append a
        ``RunningService("OSO-simulator", settings.oso_endpoint, stop)`` to ``self.running``.
        """
