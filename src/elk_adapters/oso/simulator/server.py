"""Run the simulator on a real loopback socket in a background thread (tests, demo, CLI)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from elk_adapters.oso.simulator.app import create_app
from elk_adapters.oso.simulator.state import SimulatorState
from elk_domain.errors import Unavailable
from elk_domain.model.values import SchoolLocation


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request (tests run hundreds)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class SimulatorServer:
    """The simulator served by werkzeug; ``endpoint`` is the SOAP URL, ``state`` the control API."""

    def __init__(
        self,
        state: SimulatorState | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quiet: bool = True,
    ) -> None:
        self.state = state or SimulatorState()
        handler = _QuietHandler if quiet else WSGIRequestHandler
        self._server: BaseWSGIServer = make_server(
            host, port, create_app(self.state), threaded=True, request_handler=handler
        )
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05),
            name="oso-sim",
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def endpoint(self) -> str:
        """The Traffic Center SOAP endpoint."""
        return f"{self.base_url}/oso"

    def start(self) -> Self:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the serving thread (if started) and close the socket."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread (the CLI)."""
        self._server.serve_forever()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def seed_demo(
    state: SimulatorState, locations: Sequence[SchoolLocation], pupils: int
) -> list[tuple[SchoolLocation, str, str, list[str]]]:
    """Give each location a delivery point (number, key) and ``pupils`` ready dossiers."""
    found = []
    for index, location in enumerate(locations, start=1):
        number = f"{4700 + index}"
        key = f"sleutel-{location}-{state.rng.randrange(10**6):06d}"
        state.add_school(location, number, key)
        bsns = [state.add_pupil(location) for _ in range(pupils)]
        found.append((location, number, key, bsns))
    return found


def run(
    *,
    host: str,
    port: int,
    seed: int,
    schools: Sequence[str],
    pupils: int,
    on_ready: Callable[[str, list[tuple[SchoolLocation, str, str, list[str]]]], None],
) -> None:
    """Serve a seeded simulator in this thread until Ctrl-C (``elk oso-sim serve``)."""
    state = SimulatorState(seed=seed)
    seeded = seed_demo(state, [SchoolLocation.parse(s) for s in schools], pupils)
    try:
        server = SimulatorServer(state, host=host, port=port, quiet=False)
    except OSError as exc:
        raise Unavailable(
            f"De OSO-simulator kan niet starten op {host}:{port} ({exc.strerror or exc})."
        ) from exc
    on_ready(server.endpoint, seeded)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.stop()
