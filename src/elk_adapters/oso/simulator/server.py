"""Run the simulator on a real loopback socket in a background thread (tests, demo, CLI).

Served by waitress (HTTP/1.1 with keep-alive, a pool of worker threads), so a SOAP client
keeps one connection per thread instead of opening one per call. werkzeug's development
server closes the connection after every response.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Self

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

from elk_adapters.background import BackgroundService
from elk_adapters.oso.simulator.app import SimulatorApp
from elk_adapters.oso.simulator.state import SimulatorState
from elk_domain.errors import Unavailable
from elk_domain.kernel.values import SchoolLocation

#: Worker threads: a latency fault sleeps in the handler, and a benchmark keeps 16+ calls open.
THREADS = 32
_log = logging.getLogger("elk.oso_sim")


def _access_logged(app: Any) -> Any:
    """``app`` with one log line per request (``elk oso-sim serve``)."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            _log.info("%s %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"], status)
            return start_response(status, headers, *exc)

        result: Iterable[bytes] = app(environ, start)
        return result

    return logged


class SimulatorServer(BackgroundService):
    """The simulator served by waitress; ``endpoint`` is the SOAP URL, ``state`` the control API."""

    def __init__(
        self,
        state: SimulatorState | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quiet: bool = True,
        threads: int = THREADS,
        gzip: bool = False,
    ) -> None:
        self.state = state or SimulatorState()
        self.app = app = SimulatorApp(self.state, gzip=gzip)
        self._map: dict[int, Any] = {}  # waitress's socket map: the listener and connections
        self._server: Any = create_server(
            app if quiet else _access_logged(app),
            self._map,
            host=host,
            port=port,
            threads=threads,
            ident="OSO-simulator",
        )
        self._stopping = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="oso-sim", daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self._server.effective_host}:{self._server.effective_port}"

    @property
    def endpoint(self) -> str:
        """The Traffic Center SOAP endpoint."""
        return f"{self.base_url}/oso"

    def _loop(self) -> None:
        """waitress's event loop, one poll at a time so that ``stop`` can end it."""
        while not self._stopping.is_set():
            wasyncore.loop(timeout=0.5, map=self._map, use_poll=True, count=1)

    def start(self) -> Self:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the serving thread (if started), the workers and every socket."""
        self._stopping.set()
        if self._thread.is_alive():
            self._server.pull_trigger()  # wake the loop at once
            self._thread.join(timeout=5)
        if not self._closed:
            self._closed = True
            # Workers still inside a handler (a timeout fault sleeps there) are daemon threads:
            # don't wait out their sleep, as waitress's own ``close`` would (up to 5 s).
            self._server.task_dispatcher.shutdown(timeout=0.2)
            for channel in list(self._map.values()):
                if isinstance(channel, HTTPChannel):
                    # Also closes the answer's spill file of a client that hung up mid-answer
                    # (ELK refuses an oversized answer unread); ``close_all`` would leak it.
                    channel.handle_close()
            wasyncore.close_all(self._map)  # the listening socket and open connections

    def serve_forever(self) -> None:
        """Serve in the calling thread until Ctrl-C (the CLI)."""
        self._loop()


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
    if not _log.handlers:  # one access line per request on the console
        _log.addHandler(logging.StreamHandler())
        _log.setLevel(logging.INFO)
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
