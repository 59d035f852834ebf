"""``elk orientatie``: a praktijkschool's or tussenvoorziening's orientation list (R-AAN-6), for
operators. Thin over ``elk_domain.parents.orientation``.

The file is CSV (``;`` or ``,``), one pupil per line: the ELK number and ``ja``/``nee`` for
"plaatsbaar"; a first line with the column names is skipped.
"""

from __future__ import annotations

import csv
import getpass
import io
from pathlib import Path

import click

from elk_adapters.bootstrap import bootstrap
from elk_cli.console import console, load_settings, table
from elk_domain.errors import Rejected
from elk_domain.kernel.people import Actor
from elk_domain.parents.orientation import (
    OrientationLine,
    RecordOrientationList,
    record_orientation_list,
)

READ_LIMIT = 2 * 1024 * 1024
ANSWERS = {"ja": True, "j": True, "1": True, "nee": False, "n": False, "0": False}


@click.group()
def orientatie() -> None:
    """Oriëntatielijsten van praktijkscholen en tussenvoorzieningen."""


def read_lines(raw: bytes) -> tuple[OrientationLine, ...]:
    """The lines of the file; Rejected with the line number for one that cannot be read."""
    if len(raw) > READ_LIMIT:
        raise Rejected("Het bestand is te groot (hoogstens 2 MB).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected("Het bestand is geen UTF-8-tekst.") from None
    dialect = ";" if text.count(";") >= text.count(",") else ","
    lines = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=dialect), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and not cells[0].isdigit()):
            continue
        answer = ANSWERS.get(cells[1].casefold()) if len(cells) > 1 else None
        if answer is None:
            raise Rejected(f"Regel {number}: schrijf 'ja' of 'nee' achter het ELK-nummer.")
        lines.append(OrientationLine(cells[0], answer))
    return tuple(lines)


@orientatie.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--school", required=True, help="BRIN en vestiging van de VO-school, bv. 12AB00.")
def import_file(file: Path, school: str) -> None:
    """Load FILE as SCHOOL's orientation list (an entry that exists is replaced)."""
    with file.open("rb") as stream:
        lines = read_lines(stream.read(READ_LIMIT + 1))
    services = bootstrap(load_settings())
    actor = Actor.system(f"elk orientatie import ({getpass.getuser()})")
    command = RecordOrientationList(school=school, lines=lines)
    report = record_orientation_list(services.uow(), services.clock, actor, command)
    if report.refused:
        rows = [(number, reason) for number, reason in report.refused]
        console.print(table("Niet vastgelegd", ["Regel", "Reden"], rows))
    console.print(f"{report.recorded} leerling(en) op de oriëntatielijst vastgelegd.")
