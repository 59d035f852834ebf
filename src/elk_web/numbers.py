"""Whole numbers from URLs, query strings and forms, within what the database can hold.

Ids are 32-bit integers in PostgreSQL (SQLite takes 64 bits); a larger number cannot name a
record, and handing it to the database is a crash (OverflowError, "value out of range"), not
"not found". ``str.isdigit`` also says yes to "²" and other digits ``int`` refuses. So a
number from a request is plain ASCII digits, at most ``MAX_ID``; anything else is absent.
"""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER
_MAX_DIGITS = len(str(MAX_ID))


def whole_number(text: str | None) -> int | None:
    """``text`` as a number from 0 to MAX_ID, or None when it is anything else."""
    if not text or len(text) > _MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def whole_number_or(text: str | None, default: int) -> int:
    """``whole_number``, with ``default`` for anything that is not one."""
    value = whole_number(text)
    return default if value is None else value


def whole_numbers(texts: Iterable[str]) -> frozenset[int]:
    """The values that are whole numbers in range (ticked ids in a form, ``groep=`` filters)."""
    return frozenset(n for n in map(whole_number, texts) if n is not None)


class DatabaseIdConverter(IntegerConverter):
    """Flask's ``<int:...>`` bounded by MAX_ID: a larger id names no record (404).

    Not werkzeug's ``max``: a rule whose converter refuses lets matching go on, and where a GET
    rule has the same path the answer becomes "405 method not allowed" to a POST.
    """

    def to_python(self, value: str) -> int:
        number: int = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number
