"""Reading a list of BSNs pasted from the LAS for "Aanvragen overdracht" (R-OSO-3).

The rules, in order (see docs/decisions/0011-oso-sync.md):

1. Newlines, commas, semicolons, tabs and ``|`` always separate entries.
2. A piece that is 8 or 9 digits once spaces, dots and dashes are removed is one BSN as typed
   ("123 456 782", "123.456.782"); any other piece is split on whitespace, so
   "123456782 111222333" gives two entries.
3. Every entry is checked with the elfproef; junk is named with a Dutch message and skipped.
4. A BSN that appears again is reported once as a duplicate and requested once; order is kept.
5. More than ``MAX_ENTRIES`` entries is refused as a whole: the user splits the list.
"""

from __future__ import annotations

import re

import attrs

from elk_domain.errors import Rejected
from elk_domain.kernel.values import Bsn

MAX_ENTRIES = 2000
MAX_CHARS = 100_000
_SEPARATORS = re.compile(r"[\n\r,;\t|]+")
_INSIDE_BSN = re.compile(r"[\s.\-]")
_SHOWN = 40


@attrs.frozen
class InvalidEntry:
    """An entry that is not a BSN, as typed (shortened), with the reason in Dutch."""

    text: str
    message: str


@attrs.frozen(kw_only=True)
class BsnList:
    """The outcome of reading a pasted list: BSNs to request, junk to name, repeats skipped."""

    valid: tuple[Bsn, ...] = ()
    invalid: tuple[InvalidEntry, ...] = ()
    duplicates: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the list held nothing at all (not even junk)."""
        return not (self.valid or self.invalid or self.duplicates)


def parse_bsn_list(text: str) -> BsnList:
    """Split, check and de-duplicate a pasted list; Rejected only when it is too long."""
    if len(text) > MAX_CHARS:
        raise _too_long()
    entries = split_entries(text)
    if len(entries) > MAX_ENTRIES:
        raise _too_long()
    valid: dict[Bsn, None] = {}
    invalid: list[InvalidEntry] = []
    duplicates: dict[str, None] = {}
    for entry in entries:
        try:
            bsn = Bsn.parse(entry)
        except Rejected as error:
            invalid.append(InvalidEntry(_shorten(entry), _shorten_message(error.message, entry)))
            continue
        if bsn in valid:
            duplicates[bsn.value] = None
        else:
            valid[bsn] = None
    return BsnList(valid=tuple(valid), invalid=tuple(invalid), duplicates=tuple(duplicates))


def split_entries(text: str) -> list[str]:
    """The entries of a pasted list by rules 1 and 2 of the module docstring, in order."""
    entries: list[str] = []
    for piece in _SEPARATORS.split(text):
        piece = piece.strip()
        if not piece:
            continue
        compact = _INSIDE_BSN.sub("", piece)
        if compact.isdigit() and 8 <= len(compact) <= 9:
            entries.append(piece)
        else:
            entries.extend(piece.split())
    return entries


def _too_long() -> Rejected:
    return Rejected(
        f"De lijst is te lang: plak maximaal {MAX_ENTRIES} BSN's per keer "
        "en vraag de rest in een tweede keer aan."
    )


def _shorten(entry: str) -> str:
    return entry if len(entry) <= _SHOWN else entry[: _SHOWN - 1] + "…"


def _shorten_message(message: str, entry: str) -> str:
    # Bsn.parse quotes the whole entry; a pasted paragraph should not flood the page.
    return message.replace(f"'{entry}'", f"'{_shorten(entry)}'")
