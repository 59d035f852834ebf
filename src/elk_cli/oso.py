"""``elk oso validate`` (check dossier files) and ``elk oso-sim serve`` (the local simulator)."""

from __future__ import annotations

from pathlib import Path

import click

from elk_adapters.bootstrap import oso_dossier_problems, run_oso_simulator
from elk_cli.console import console, table
from elk_cli.errors import EXIT_CODES
from elk_domain.errors import ErrorKind, Rejected
from elk_domain.model.values import SchoolLocation


@click.group()
def oso() -> None:
    """OSO dossiers (gegevensset 2019.1)."""


@oso.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check OSO dossier files: prints OK or every problem per file.

    Exits with the 'rejected' code (3) when any file fails. Nothing is stored or sent.
    """
    failed = 0
    for path in files:
        try:
            found = oso_dossier_problems(path.read_bytes())
        except OSError as exc:
            found = [f"Het bestand kan niet worden gelezen: {exc.strerror or exc}"]
        if found:
            failed += 1
            console.print(f"[red]FOUT[/red] {path}")
            for line in found:
                console.print(f"  - {line}", markup=False)
        else:
            console.print(f"[green]OK[/green]   {path}")
    console.print(f"{len(files) - failed} goed, {failed} fout.")
    if failed:
        raise SystemExit(EXIT_CODES[ErrorKind.REJECTED])


def _location(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(str(SchoolLocation.parse(v)) for v in values)
    except Rejected as exc:
        raise click.BadParameter(exc.message) from exc


@click.group("oso-sim")
def oso_sim() -> None:
    """The local OSO simulator (Traffic Center + LAS) for tests and the demo."""


@oso_sim.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8090, show_default=True, type=click.IntRange(0, 65535))
@click.option("--seed", default=1, show_default=True, help="Seed for generated dossiers.")
@click.option(
    "--school",
    "schools",
    multiple=True,
    default=("12AB00",),
    show_default=True,
    callback=_location,
    help="School location (BRIN+vestiging); repeatable.",
)
@click.option(
    "--pupils",
    default=5,
    show_default=True,
    type=click.IntRange(0, 500),
    help="Pupils with a ready dossier per school.",
)
def serve(host: str, port: int, seed: int, schools: tuple[str, ...], pupils: int) -> None:
    """Serve the simulator until Ctrl-C; prints each school's delivery point number and key."""

    def ready(endpoint: str, seeded: list[tuple[SchoolLocation, str, str, list[str]]]) -> None:
        rows = [(loc, number, key, ", ".join(bsns)) for loc, number, key, bsns in seeded]
        console.print(table("Aanleverpunten", ["Locatie", "Nummer", "Sleutel", "BSN's"], rows))
        console.print(f"OSO-simulator luistert op {endpoint} (besturing: /control/…)")

    run_oso_simulator(
        host=host, port=port, seed=seed, schools=schools, pupils=pupils, on_ready=ready
    )
