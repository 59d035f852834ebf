"""``elk demo``: the fictional demo region, and everything ``make demo`` starts."""

from __future__ import annotations

import datetime as dt

import attrs
import click

from elk_adapters.bootstrap import Services, bootstrap, mail_worker
from elk_adapters.demo import DEFAULT_SEED, DEMO_ACCOUNTS, DemoSummary, load_demo
from elk_adapters.demo.stack import DemoStack, RunningService
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_cli.console import console, load_settings, table
from elk_cli.serve import DEFAULT_APP, load_app, run_server
from elk_domain.accounts import totp
from elk_domain.errors import Rejected

_PUPILS = click.option(
    "--pupils",
    default=1500,
    show_default=True,
    type=click.IntRange(1, 20_000),
    help="Number of group-8 pupils to generate.",
)
_SEED = click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    type=int,
    help="Random seed: the same seed gives the same region.",
)


@click.group()
def demo() -> None:
    """The fictional demo region (invented schools, pupils, BSNs and e-mail addresses)."""


def _demo_settings() -> Settings:
    settings = load_settings()
    if settings.env == "production":
        raise Rejected("De demo is niet bedoeld voor productie (ELK_ENV=production).")
    return settings


def _print_summary(summary: DemoSummary) -> None:
    if not summary.loaded:
        console.print(f"[yellow]{summary.message}[/yellow]")
        return
    rows = [
        ("besturen", summary.boards),
        ("PO-scholen", summary.po_schools),
        ("VO-scholen", summary.vo_schools),
        ("groepen", summary.groups),
        ("leerlingen (met Oki-doc)", summary.pupils),
        ("toetsresultaten", summary.test_results),
        ("gebruikers", summary.users),
        ("nieuwsberichten", summary.news),
    ]
    console.print(f"{summary.message} Geladen in {summary.seconds:.1f} s.")
    console.print(table("", ("", "aantal"), rows))


@demo.command("load")
@_PUPILS
@_SEED
def load(pupils: int, seed: int) -> None:
    """Load the demo region into an empty, migrated database (a no-op when it holds data)."""
    services = bootstrap(_demo_settings())
    _print_summary(load_demo(services, pupils=pupils, seed=seed))


def _print_welcome(url: str, running: list[RunningService], oso: list[tuple[str, str]]) -> None:
    accounts = table(
        "Demo-accounts",
        ("e-mailadres", "wachtwoord", "rol", "toelichting"),
        ((a.email, a.password, a.role.label, a.note) for a in DEMO_ACCOUNTS),
    )
    addresses = table(
        "ELK demo draait",
        ("onderdeel", "adres"),
        [
            ("Webapplicatie", url),
            ("Verzonden e-mail", f"{url}/beheer/verzonden-e-mail (als beheer@elk.example)"),
            *((service.name, service.address) for service in running),
            *oso,
        ],
    )
    console.print(addresses)
    console.print(accounts)
    with_2fa = ", ".join(a.email for a in DEMO_ACCOUNTS if a.totp_secret)
    console.print(
        f"Tweestapsverificatie voor {with_2fa}: de code staat op "
        "[bold].venv/bin/elk demo code E-MAILADRES[/bold]."
    )
    console.print(
        "Ouders: drie leerlingen van groep 8a zijn klaar voor de ouderinlog (leerkracht8a, "
        "Leerlingen, rijmenu 'Ouderinlog versturen'); de e-mail staat in de opvang."
    )
    console.print("[bold]Ctrl-C[/bold] stopt alles.")


@demo.command("code")
@click.argument("email")
def code(email: str) -> None:
    """Print the current 2FA code of a demo account that must use two-factor login."""
    account = next((a for a in DEMO_ACCOUNTS if a.email == email.strip().lower()), None)
    if account is None or not account.totp_secret:
        raise click.ClickException(f"{email} is geen demo-account met tweestapsverificatie.")
    now = dt.datetime.now(dt.UTC)
    click.echo(totp.code_at(account.totp_secret, totp.time_step(now)))


@demo.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="Web server address.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--smtp-port",
    default=8025,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the local SMTP capture (0: any free port).",
)
@click.option(
    "--oso-port",
    default=8090,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the OSO simulator (0: any free port).",
)
@_PUPILS
@_SEED
@click.option("--app", "app_spec", default=DEFAULT_APP, show_default=True, hidden=True)
def run(
    host: str, port: int, smtp_port: int, oso_port: int, pupils: int, seed: int, app_spec: str
) -> None:
    """Start the demo: migrate, load the region when empty, capture mail, serve the web app.

    This is what `make demo` runs. Mail goes to a local SMTP capture (files in the instance
    folder's outbox/), never to the outside; OSO goes to the local OSO simulator. Ctrl-C stops
    everything.
    """
    stack = DemoStack(_demo_settings(), smtp_port=smtp_port, oso_port=oso_port)
    with stack as settings:
        settings = attrs.evolve(settings, base_url=f"http://{host}:{port}")
        upgrade_database(settings)  # what `elk db upgrade` does
        services: Services = bootstrap(settings)
        _print_summary(load_demo(services, pupils=pupils, seed=seed))
        oso = stack.seed_oso(services)
        app = load_app(app_spec, settings, services)
        with mail_worker(services):  # the outbox goes to the capture (decision 0032)
            run_server(
                app,
                host=host,
                port=port,
                on_ready=lambda url: _print_welcome(url, stack.running, oso),
            )
    console.print("ELK demo gestopt.")
