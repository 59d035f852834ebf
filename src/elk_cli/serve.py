"""``elk serve``: the production web server (waitress, see docs/decisions/0007)."""

from __future__ import annotations

import gc
import importlib
import os
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

import click
import waitress

from elk_adapters.bootstrap import Services, bootstrap, mail_worker
from elk_adapters.persistence.schema import require_current_schema
from elk_adapters.settings import Settings, environment
from elk_cli.console import console, load_settings
from elk_domain.errors import Rejected, Unavailable

#: The WSGI app factory, named like gunicorn's ``module:callable``. It is loaded by name because
#: the CLI and the web package are siblings that never import each other.
DEFAULT_APP = "elk_web:create_app"


def load_app(spec: str, settings: Settings, services: Services | None = None) -> Any:
    """Import ``module:factory`` and call it with ``settings`` (and ``services``)."""
    module_name, _, factory_name = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), factory_name or "create_app")
    except (ImportError, AttributeError) as exc:
        raise Rejected(f"De webapplicatie '{spec}' kan niet worden geladen: {exc}") from exc
    return factory(settings=settings, services=services)


def check_serving_mode(kind: str, demo: bool) -> None:
    """``elk serve`` never starts a demo by accident, nor production under the demo flag."""
    if demo and kind == "production":
        raise Rejected(
            "elk serve --demo serveert geen productie-installatie (ELK_ENV=production). "
            "Laat --demo weg."
        )
    if not demo and kind != "production":
        raise Rejected(
            f"elk serve serveert productie, maar ELK_ENV={kind}. Start de demo met "
            "`elk demo run`, of serveer deze installatie bewust als demo met `elk serve --demo`."
        )


def _stop_on_signal(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # waitress stops its loop cleanly on KeyboardInterrupt


CONNECTION_LIMIT = 1000
IDLE_CONNECTION_SECONDS = 30


def run_server(
    app: Any,
    *,
    host: str,
    port: int,
    threads: int = 8,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``app`` until Ctrl-C or SIGTERM; ``on_ready`` gets the URL once it listens."""
    try:
        server = waitress.create_server(
            app, host=host, port=port, threads=threads, ident="ELK",
            # Every parent's phone keeps its connection open for a while: waitress's default of
            # 100 open connections made the 101st parent wait two minutes at a deadline
            # (BENCH deadline_spike). Idle connections are closed after 30 s instead of 120.
            connection_limit=CONNECTION_LIMIT, channel_timeout=IDLE_CONNECTION_SECONDS,
        )  # fmt: skip
    except OSError as exc:
        raise Unavailable(
            f"De webserver kan niet starten op {host}:{port} ({exc.strerror or exc}). "
            "Is de poort al in gebruik? Kies een andere met --port."
        ) from exc
    # SIGINT explicitly too: a shell that starts us in the background leaves SIGINT ignored.
    previous = {
        signum: signal.signal(signum, _stop_on_signal) for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        freeze_startup_objects()
        url = f"http://{server.effective_host}:{server.effective_port}"
        if on_ready is not None:
            on_ready(url)
        server.run()  # returns after KeyboardInterrupt, with the worker threads shut down
    finally:
        server.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, the app, SQLAlchemy's tables) out of the collector.

    The cyclic garbage collector's full collections walk every live object, and most of them
    were built at start-up and live as long as the process. Measured in the overview
    benchmark's process (~107,000 objects): two full collections per 300 page views, ~0.6 ms
    per page on average; with the start-up objects frozen, ~0.03 ms. ``gc.freeze`` moves them
    to a generation that is never collected; what requests create is collected as before.
    Garbage from start-up is collected first.
    """
    gc.collect()
    gc.freeze()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker threads that handle requests.",
)
@click.option(
    "--app",
    "app_spec",
    default=DEFAULT_APP,
    show_default=True,
    metavar="MODULE:FACTORY",
    help="WSGI app factory, called with settings= and services=.",
)
@click.option(
    "--demo",
    "demo_mode",
    is_flag=True,
    help="Serve a demo or test installation (ELK_ENV demo, the default then, or test).",
)
def serve(host: str, port: int, threads: int, app_spec: str, demo_mode: bool) -> None:
    """Run the ELK web application with the waitress WSGI server.

    Serves production (ELK_ENV=production, also when ELK_ENV is not set), which needs a strong
    ELK_SECRET_KEY; a demo or test installation only with --demo. Reads the ELK_* settings (see
    docs/operations.md). Run `elk db upgrade` first: a database without the current schema is
    refused (exit 3). Put a TLS-terminating reverse proxy in front of it in production. A
    background thread sends the queued mail every ELK_MAIL_INTERVAL seconds. Stops on Ctrl-C
    or SIGTERM.
    """
    check_serving_mode(environment(os.environ, "demo" if demo_mode else "production"), demo_mode)
    settings = load_settings(default_env="demo" if demo_mode else "production")
    require_current_schema(settings)  # never migrates: that is `elk db upgrade` (decision 0040)
    services = bootstrap(settings)
    app = load_app(app_spec, settings, services)
    with mail_worker(services):  # delivers the outbox (decision 0032)
        run_server(
            app,
            host=host,
            port=port,
            threads=threads,
            on_ready=lambda url: console.print(f"ELK ({settings.env}) luistert op {url}"),
        )
