"""Reading the values of a result line the same way for every format: dates and text."""

from __future__ import annotations

import datetime as dt
import re

from elk_domain.errors import Rejected, Violation

_DUTCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
#: Longest text of one value (a name, a test); a longer one is no result file.
MAX_VALUE = 200


def bad_line(entry: str, number: int, problem: str) -> Rejected:
    """The refusal of a file for one line it cannot read."""
    where = f"{entry}, leerling {number}"
    return Rejected(f"{where}: {problem}", violations=[Violation(where, problem)])


def text(value: str | None, label: str) -> str:
    """A value on one line, refused when it is absurdly long or holds control characters."""
    cleaned = (value or "").strip()
    if len(cleaned) > MAX_VALUE or any(ord(c) < 32 for c in cleaned):
        raise Rejected(f"{label} is onleesbaar.")
    return cleaned


def date(value: str | None, label: str) -> dt.date:
    """'04-05-2013', '4/5/2013' or '2013-05-04'."""
    cleaned = (value or "").strip()
    dutch, iso = _DUTCH.match(cleaned), _ISO.match(cleaned)
    try:
        if dutch is not None:
            day, month, year = (int(g) for g in dutch.groups())
            return dt.date(year, month, day)
        if iso is not None:
            return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    raise Rejected(f"{label} '{cleaned[:20]}' is geen datum.")
