"""``elk finaltest``: the doorstroomtoets result file of a school, for operators (R-DT-2).

Thin over ``elk_domain.finaltest.result_import``: the same preview as the web page, then the
import in one transaction unless ``--dry-run``.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from elk_adapters.bootstrap import bootstrap
from elk_cli.console import console, load_settings, table
from elk_domain.finaltest.matching import MatchStatus
from elk_domain.finaltest.result_import import (
    ImportPreview,
    ImportResults,
    PreviewLine,
    import_results,
    preview_import,
)
from elk_domain.kernel.people import Actor

#: Exit code when lines were left for the school to resolve by hand.
LINES_LEFT = 1
#: Bytes read of FILE at most: more than the reader accepts, so a larger file is refused by it
#: (with its message) without being read whole into memory.
READ_LIMIT = 64 * 1024 * 1024


@click.group()
def finaltest() -> None:
    """Doorstroomtoets: the providers' result files."""


def _candidates(line: PreviewLine) -> str:
    return ", ".join(f"{p.name.full()} ({p.elk_number})" for p in line.match.candidates)


def _row(line: PreviewLine) -> tuple[object, ...]:
    match = line.match
    pupil = f"{match.pupil.name.full()} ({match.pupil.elk_number})" if match.pupil else ""
    status = "ongeldig" if line.invalid else match.status.value
    reason = line.invalid or match.reason
    return (
        match.line.number,
        match.line.written_name(),
        status,
        pupil or _candidates(line),
        reason,
    )


def _print_preview(preview: ImportPreview) -> int:
    """Print the preview; the number of lines that will not be imported."""
    columns = ["Nr", "Naam in het bestand", "Resultaat", "Leerling / mogelijke leerlingen", "Reden"]
    console.print(
        table(
            f"Voorbeeld: {preview.school.name} ({preview.format})",
            columns,
            map(_row, preview.lines),
        )
    )
    counts = [(s.value, len(preview.with_status(s))) for s in MatchStatus]
    invalid = sum(1 for line in preview.lines if line.invalid)
    console.print(table("Samenvatting", ["Resultaat", "Aantal"], [*counts, ("ongeldig", invalid)]))
    matched = [m for m in preview.with_status(MatchStatus.MATCHED) if not m.invalid]
    return len(preview.lines) - len(matched)


def _resolutions(values: tuple[str, ...]) -> dict[int, int]:
    """``--resolve 4=100005`` as {4: 100005}; anything else is a usage error."""
    chosen = {}
    for value in values:
        line, _, elk = value.partition("=")
        if not (line.strip().isdigit() and elk.strip().isdigit()):
            raise click.BadParameter(f"'{value}': gebruik REGEL=ELKNUMMER, bijvoorbeeld 4=100005.")
        chosen[int(line)] = int(elk)
    return chosen


@finaltest.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--school", "brin", required=True, help="BRIN (met vestigingscode) van de school.")
@click.option("--dry-run", is_flag=True, help="Alleen het voorbeeld tonen; niets opslaan.")
@click.option(
    "--resolve",
    "resolve",
    multiple=True,
    callback=lambda _ctx, _param, values: _resolutions(values),
    help="REGEL=ELKNUMMER: koppel een onzekere regel aan een van de voorgestelde leerlingen.",
)
def import_command(file: Path, brin: str, dry_run: bool, resolve: dict[int, int]) -> None:
    """Read a provider's result ZIP for one school: preview, then import.

    Certain matches are saved in one transaction; uncertain and unknown lines are listed with
    the reason and left for the school ("Invoeren doorstroomtoets"), unless ``--resolve``
    attaches an uncertain line to one of its candidates (by ELK number). Safe to run twice: the
    second run changes nothing. Exits 1 when lines were left, 3 when the file was refused.
    """
    services = bootstrap(load_settings())
    actor = Actor.system(f"elk finaltest import ({getpass.getuser()})")
    with file.open("rb") as stream:
        data = stream.read(READ_LIMIT + 1)
    reader = services.final_test_results
    if dry_run:
        left = _print_preview(preview_import(services.uow(), reader, actor, brin, data))
        console.print("Proefdraai: er is niets opgeslagen.")
    else:
        command = ImportResults(brin=brin, data=data, elk_choices=resolve)
        report = import_results(services.uow(), services.clock, reader, actor, command)
        left = _print_preview(report.preview)
        console.print(report.message)
    raise SystemExit(LINES_LEFT if left else 0)
