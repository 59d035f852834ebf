"""The CSV layout of a result file: one header row, one pupil per row, ';' (or ',' or tab).

Column names are matched without case and accents and with their common aliases
(``COLUMNS``); a column starting with ``score`` is a score of that part. UTF-8 (with or
without BOM) and Windows-1252 are read; anything else (UTF-16, binary) is refused.
"""

from __future__ import annotations

import csv
import io

from elk_adapters.imports.values import bad_line, date, text
from elk_domain.errors import Rejected
from elk_domain.finaltest.results import ResultLine

#: Our name of each value, and the column headers providers and LAS exports use for it.
COLUMNS = {
    "brin": ("brin", "brinvestiging", "brin_vestiging", "brincode"),
    "bsn": ("bsn", "burgerservicenummer"),
    "first": ("voornaam", "roepnaam"),
    "initials": ("voorletters",),
    "tussenvoegsel": ("tussenvoegsel", "voorvoegsel", "tussenvoegsels"),
    "last": ("achternaam", "geslachtsnaam"),
    "birth": ("geboortedatum",),
    "test": ("toets", "toetsnaam", "doorstroomtoets"),
    "date": ("afnamedatum", "toetsdatum", "datum"),
    "outcome": ("uitslag", "toetsadvies", "niveau"),
}
REQUIRED = ("brin", "last", "birth", "test", "date", "outcome")


def decode(data: bytes, entry: str) -> str:
    """UTF-8 (BOM or not), else Windows-1252; refused when it holds NUL bytes (UTF-16)."""
    if b"\x00" in data:
        raise Rejected(
            f"{entry} heeft een onbekende tekencodering (verwacht UTF-8 of Windows-1252). "
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header(row: list[str], entry: str) -> dict[str, int]:
    found: dict[str, int] = {}
    names = [cell.strip().lower().replace(" ", "") for cell in row]
    for key, aliases in COLUMNS.items():
        at = next((i for i, name in enumerate(names) if name in aliases), None)
        if at is not None:
            found[key] = at
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if "first" not in found and "initials" not in found:
        missing.append("voornaam")
    if missing:
        raise Rejected(f"{entry} mist de kolom(men) {', '.join(missing)}.")
    return found


class CsvResultFormat:
    """``ResultFormat`` for ``*.csv`` and ``*.txt`` entries."""

    name = "CSV"

    def claims(self, entry: str) -> bool:
        """CSV and TXT entries."""
        return entry.lower().endswith((".csv", ".txt"))

    def read(self, entry: str, data: bytes, first: int) -> list[ResultLine]:
        """Every data row of the entry as a result line."""
        content = decode(data, entry)
        head = content.split("\n", 1)[0]
        delimiter = max(";,\t", key=head.count)
        try:
            rows = [row for row in csv.reader(io.StringIO(content), delimiter=delimiter) if row]
        except csv.Error:
            raise Rejected(f"{entry} is geen geldig CSV-bestand.") from None
        if not rows:
            raise Rejected(f"{entry} is leeg.")
        columns = _header(rows[0], entry)
        scores = [
            (i, cell.strip()[5:].strip(" _-:") or cell.strip())
            for i, cell in enumerate(rows[0])
            if cell.strip().lower().startswith("score")
        ]
        return [_line(entry, first + n, row, columns, scores) for n, row in enumerate(rows[1:])]


def _line(
    entry: str,
    number: int,
    row: list[str],
    columns: dict[str, int],
    scores: list[tuple[int, str]],
) -> ResultLine:
    def cell(key: str) -> str:
        at = columns.get(key)
        return row[at] if at is not None and at < len(row) else ""

    try:
        return ResultLine(
            number=number,
            source=entry,
            brin=text(cell("brin"), "BRIN"),
            first_name=text(cell("first") or cell("initials"), "Voornaam"),
            tussenvoegsel=text(cell("tussenvoegsel"), "Tussenvoegsel"),
            last_name=text(cell("last"), "Achternaam"),
            birth_date=date(cell("birth"), "Geboortedatum"),
            bsn=text(cell("bsn"), "BSN"),
            test=text(cell("test"), "Toets"),
            test_date=date(cell("date"), "Afnamedatum"),
            outcome=text(cell("outcome"), "Uitslag"),
            scores=tuple((part, text(row[i] if i < len(row) else "", part)) for i, part in scores),
        )
    except Rejected as error:
        raise bad_line(entry, number, error.message) from None
