"""A doorstroomtoets result file as ELK reads it: per pupil who, which test, when, what outcome.

The readers in ``elk_adapters.imports`` turn a provider's file into these values; matching and
importing (``matching``, ``result_import``) work on them alone. What is known and what is
assumed of the providers' files: docs/decisions/0047-final-test-result-files.md.
"""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen(kw_only=True)
class ResultLine:
    """One pupil's result as the file states it; names exactly as written there."""

    number: int  # 1-based position of the pupil in the file, shown in the preview
    source: str  # the entry of the ZIP it came from
    brin: str
    first_name: str  # a roepnaam, or only initials ("J.W.") when the file has no first name
    tussenvoegsel: str
    last_name: str
    birth_date: dt.date
    bsn: str = ""  # the identifier, when the file has one
    test: str
    test_date: dt.date
    outcome: str  # the level advice of the test ("havo/vwo")
    scores: tuple[tuple[str, str], ...] = ()  # (part, score) as the provider reports them

    def written_name(self) -> str:
        """The name as the file writes it: 'Jan van der Berg'."""
        parts = (self.first_name, self.tussenvoegsel, self.last_name)
        return " ".join(p.strip() for p in parts if p.strip())


@attrs.frozen(kw_only=True)
class ResultFile:
    """All lines of one result file, and the format that read it."""

    format: str
    lines: tuple[ResultLine, ...]
