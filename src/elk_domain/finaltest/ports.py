"""What the final test's use cases need from outside: a reader of the providers' result files."""

from __future__ import annotations

from typing import Protocol

from elk_domain.finaltest.results import ResultFile
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.overview.ports import OverviewWork


class ResultFileReader(Protocol):
    """Reads the ZIP a doorstroomtoets provider sends to the school.

    Raises ``Rejected`` with a Dutch reason for anything it cannot read safely (a hostile or
    damaged archive, an unknown layout, a wrong encoding): then nothing at all is returned.
    """

    def read(self, data: bytes) -> ResultFile:
        """Every result line of the file, or Rejected."""
        ...


class FinalTestWork(OkidocWork, Protocol):
    """The unit of work of the final test's use cases: results land in the Oki-doc."""


class FinalTestSheetWork(OverviewWork, OkidocWork, Protocol):
    """The unit of work of the "Invoeren doorstroomtoets" page: the overview and the Oki-docs."""
