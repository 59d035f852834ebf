"""Run the simulator on a real loopback socket in a background thread (tests, demo, CLI)."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from elk_adapters.oso.simulator.app import create_app
from elk_adapters.oso.simulator.state import SimulatorState


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request (tests run hundreds)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class SimulatorServer:
    """The simulator served by werkzeug; ``endpoint`` is the SOAP URL, ``state`` the control API."""

    def __init__(
        self, state: SimulatorState | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.state = state or SimulatorState()
        self._server: BaseWSGIServer = make_server(
            host, port, create_app(self.state), threaded=True
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="oso-sim", daemon=True
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
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

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
