"""The doorstroomtoets provider's ZIP, read safely: one reader, a pluggable format per entry.

The archive passes the one check of ``elk_domain.kernel.archives`` (bombs, traversal, nested
archives, encryption, overlapping entries) before anything is unpacked; each entry is then read
through zipfile's bounded stream, at most ``MAX_ENTRY_BYTES``. An entry is read by the first
format that claims its name (``CsvResultFormat``, ``XmlResultFormat``; another provider's
layout is one more ``ResultFormat``). Entries no format claims (the providers' PDF reports) are
skipped. Any refusal is a ``Rejected`` with a Dutch message, and then no line at all is returned.
Decision record: docs/decisions/0047-final-test-result-files.md.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from typing import Protocol

from elk_adapters.imports.result_csv import CsvResultFormat
from elk_adapters.imports.result_xml import XmlResultFormat
from elk_domain.errors import Rejected
from elk_domain.finaltest.results import ResultFile, ResultLine
from elk_domain.kernel.archives import ZIP_ERRORS, open_checked

#: Largest result ZIP accepted: a school's file is a few hundred KB; a region's, a few MB.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Largest entry read: 20,000 pupils in CSV is about 3 MB.
MAX_ENTRY_BYTES = 20 * 1024 * 1024
#: More pupils than any file of one school or region holds.
MAX_LINES = 20_000
ADVICE = " Er is niets ingelezen. Vraag de toetsaanbieder om een nieuw bestand."


class ResultFormat(Protocol):
    """One layout of result entries (a provider's CSV or XML)."""

    name: str

    def claims(self, entry: str) -> bool:
        """True when this format reads the entry with this name."""
        ...

    def read(self, entry: str, data: bytes, first: int) -> list[ResultLine]:
        """The entry's lines, numbered from ``first``; Rejected when it cannot be read."""
        ...


def refusal(reason: str) -> Rejected:
    """A refusal of the whole file, in the words the user sees."""
    return Rejected(reason + ADVICE)


class ZipResultFileReader:
    """``ResultFileReader`` for the providers' ZIP files."""

    def __init__(self, formats: Sequence[ResultFormat] | None = None) -> None:
        self.formats = tuple(formats or (CsvResultFormat(), XmlResultFormat()))

    def read(self, data: bytes) -> ResultFile:
        """Every line of every entry some format claims, or Rejected."""
        if len(data) > MAX_FILE_BYTES:
            raise refusal(f"Het bestand is groter dan {MAX_FILE_BYTES // 1_048_576} MB.")
        archive = open_checked(data, advice=ADVICE)
        if archive is None:
            raise refusal("Het bestand is geen (leesbaar) ZIP-bestand.")
        with archive:
            try:
                return self._lines(archive)
            except ZIP_ERRORS:
                raise refusal("Het ZIP-bestand is beschadigd.") from None

    def _lines(self, archive: zipfile.ZipFile) -> ResultFile:
        lines: list[ResultLine] = []
        used: list[str] = []
        for info in archive.infolist():
            format = next((f for f in self.formats if f.claims(info.filename)), None)
            if info.is_dir() or format is None:
                continue
            try:
                lines += format.read(info.filename, _entry(archive, info), len(lines) + 1)
            except Rejected as error:
                raise Rejected(error.message + ADVICE, violations=error.violations) from None
            if len(lines) > MAX_LINES:
                raise refusal(f"Het bestand bevat meer dan {MAX_LINES} leerlingen.")
            used.append(format.name)
        if not lines:
            raise refusal("Het bestand bevat geen resultaten (geen CSV- of XML-bestand erin).")
        return ResultFile(format=" + ".join(sorted(set(used))), lines=tuple(lines))


def _entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """At most MAX_ENTRY_BYTES of the entry, however large it says it is."""
    with archive.open(info) as stream:
        data = stream.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise refusal(f"{info.filename} is groter dan {MAX_ENTRY_BYTES // 1_048_576} MB.")
    return data
