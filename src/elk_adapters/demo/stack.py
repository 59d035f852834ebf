"""The background services ``elk demo run`` starts next to the web server, and stops again.

They are the SMTP capture and the OSO simulator (Traffic Center + LAS). The web server itself is
started by the CLI, which owns the WSGI app. ``serve_oso_simulator`` runs the simulator alone
(``elk oso-sim serve``). This is the only place that starts the simulator (decision 0040).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs

from elk_adapters.demo.accounts import DEMO_ACCOUNTS
from elk_adapters.mail.capture import MailCapture
from elk_adapters.oso.simulator.server import SimulatorServer, run, seed_demo
from elk_adapters.oso.simulator.state import SimulatorState
from elk_adapters.settings import Settings
from elk_domain.errors import Unavailable

if TYPE_CHECKING:
    from elk_adapters.bootstrap import Services


@attrs.frozen
class RunningService:
    """A started background service: its name and address, shown in the demo's table."""

    name: str
    address: str
    stop: Callable[[], None]


class DemoStack:
    """``with DemoStack(settings) as settings: ...``: the yielded settings point at the capture.

    They also point OSO at the simulator and trust the inferred advice codes: the simulator's
    dossiers carry the codes 10 … 60, so demo users see an advice taken over and marked
    "afgeleid uit code …" (decision 0005, addendum).
    """

    def __init__(
        self, settings: Settings, *, smtp_port: int = 8025, oso_port: int | None = None
    ) -> None:
        self._settings = settings
        self._smtp_port = smtp_port
        self._oso_port = (
            urlsplit(settings.oso_endpoint).port or 8090 if oso_port is None else oso_port
        )
        self._oso: SimulatorServer | None = None
        self.running: list[RunningService] = []

    def __enter__(self) -> Settings:
        try:
            settings = self._start_mail_capture(self._settings)
            settings = self._start_oso_simulator(settings)
        except BaseException:
            self.stop()
            raise
        return settings

    def __exit__(self, *exc_info: object) -> None:
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

    def _start_oso_simulator(self, settings: Settings) -> Settings:
        try:
            server = SimulatorServer(SimulatorState(seed=1), port=self._oso_port).start()
        except OSError as exc:
            raise Unavailable(
                f"De OSO-simulator kan niet starten: poort {self._oso_port} is bezet. "
                "Kies een andere met --oso-port."
            ) from exc
        self._oso = server
        self.running.append(RunningService("OSO-simulator", server.endpoint, server.stop))
        return attrs.evolve(settings, oso_endpoint=server.endpoint, oso_trust_inferred_advice=True)

    def seed_oso(self, services: Services, pupils: int = 5) -> list[tuple[str, str]]:
        """Give the demo school a delivery point with ready dossiers; rows for the table."""
        if self._oso is None:
            return []
        email = next(a.email for a in DEMO_ACCOUNTS if a.scope == "school")
        with services.uow() as uow:
            admin = uow.users.by_email(email)
            if admin is None or admin.school_id is None:
                return []
            school = uow.schools.get(admin.school_id)
        [(_location, number, key, bsns)] = seed_demo(self._oso.state, [school.location], pupils)
        return [
            (
                f"OSO-aanleverpunt {school.name} ({school.location})",
                f"nummer {number}, sleutel {key}",
            ),
            ("Dossiers klaar in de LAS (BSN)", ", ".join(bsns)),
            ("OSO-adviescodes", "overgenomen en gemarkeerd als 'afgeleid uit code …'"),
        ]


def serve_oso_simulator(**options: Any) -> None:
    """Serve the OSO simulator alone until Ctrl-C (``elk oso-sim serve``); see its ``run``."""
    run(**options)
