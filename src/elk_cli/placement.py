"""``elk placement``: solve and verify a placement instance from files, no database (R-PL-2).

``solve`` places every pupil of INSTANCE.json by its procedure's mechanism and writes the
result with its audit; ``verify`` recomputes a published run and says where a result differs.
Both refuse a broken or hostile file with a Dutch message and exit code 3 (rejected).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from elk_adapters.placement_files import MAX_BYTES, read_instance
from elk_adapters.placement_results import result_to_json, verify
from elk_cli.console import console, table
from elk_cli.errors import EXIT_CODES
from elk_domain.errors import ErrorKind, Rejected
from elk_domain.placement.result import Result
from elk_domain.placement.run import solve as solve_instance

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def placement() -> None:
    """Placement and lottery: solve an instance, verify a published result."""


def _read(path: Path) -> bytes:
    """At most one byte over the cap, so a huge file is refused without reading it whole."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Rejected(f"{path.name} kan niet worden gelezen: {exc.strerror or exc}.") from None


def summary(result: Result, elapsed_ms: float) -> None:
    """The audit of a run as a table, with the seed's SHA-256 and the time taken."""
    audit = result.audit
    rows = [(f"keuze {i}", n) for i, n in enumerate(audit.placed_by_choice, start=1)]
    if audit.placed_equivalent:
        rows.append(("gelijkwaardig niveau", audit.placed_equivalent))
    rows += [
        ("niet geplaatst", audit.unplaced),
        ("blokkerende paren", audit.blocking_pairs),
        ("overvolle opleidingen", len(audit.oversubscribed)),
        ("kunnen ruilen", audit.swap_pupils),
    ]
    console.print(table(f"Plaatsing ({result.procedure})", ["", "aantal"], rows))
    console.print(f"Zaad-SHA-256: {result.seed_commitment}  ({elapsed_ms:.0f} ms)")


@placement.command()
@click.argument("instance", type=_FILE)
@click.option("--out", "out", type=_FILE, required=True, help="Where to write RESULT.json.")
def solve(instance: Path, out: Path) -> None:
    """Place the pupils of INSTANCE.json and write the result with its audit to --out."""
    parsed = read_instance(_read(instance))
    started = time.perf_counter()
    result = solve_instance(parsed)
    elapsed_ms = (time.perf_counter() - started) * 1000
    document = json.dumps(result_to_json(result), ensure_ascii=False, indent=1)
    try:
        out.write_text(document + "\n", encoding="utf-8")
    except OSError as exc:
        raise Rejected(f"{out.name} kan niet worden geschreven: {exc.strerror or exc}.") from None
    summary(result, elapsed_ms)


@placement.command(name="verify")
@click.argument("instance", type=_FILE)
@click.argument("result", type=_FILE)
def verify_command(instance: Path, result: Path) -> None:
    """Recompute the run of INSTANCE.json and compare with RESULT.json; exit 3 if it differs."""
    differences = verify(read_instance(_read(instance)), _read(result))
    if not differences:
        console.print("[green]Klopt[/green]: het resultaat is opnieuw berekend en gelijk.")
        return
    click.secho("Fout: het resultaat wijkt af van de herberekening.", fg="red", err=True)
    for line in differences:
        click.echo(f"  - {line}", err=True)
    raise SystemExit(EXIT_CODES[ErrorKind.REJECTED])
