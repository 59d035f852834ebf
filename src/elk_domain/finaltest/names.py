"""Names compared the way a person would: accents, case, prefixes and hyphens do not count.

"Ömer van den Berg-de Wit", "omer Berg-de wit, van den" and "Omer vd Berg de Wit" give the same
keys. A first name of only initials ("J.W.") is recognised, so it can never pass for a name.
"""

from __future__ import annotations

import re
import unicodedata

#: Words of a Dutch (or Flemish, French, German) surname that writers place, drop or glue at will.
PREFIXES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "t",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "s",
        "la",
        "le",
        "du",
        "des",
        "von",
        "da",
        "di",
        "dos",
        "del",
        "el",
        "al",
        "d",
        "l",
        "aan",
        "bij",
        "uit",
        "vd",
        "vnd",
        "v",
    ]
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_INITIALS = re.compile(r"^(?:[^\W\d_]\s*\.\s*)+$|^[^\W\d_]$")


def fold(text: str) -> str:
    """Lower case, accents off, every run of non-letters one space: 'Müller-Lüdenscheidt' →
    'muller ludenscheidt'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", bare).strip()


def surname_key(tussenvoegsel: str, last_name: str) -> str:
    """The surname without its prefixes, wherever they were written, glued together."""
    words = fold(f"{tussenvoegsel} {last_name}").split()
    kept = [word for word in words if word not in PREFIXES]
    return "".join(kept or words)


def first_name_key(first_name: str) -> str:
    """The first name without spaces or hyphens ('Jan-Willem' = 'Jan Willem')."""
    return "".join(fold(first_name).split())


def initials_of(first_name: str) -> str | None:
    """The initials when the first name is only initials ('J.W.' → 'jw'); None for a name."""
    text = first_name.strip()
    if not _INITIALS.match(text):
        return None
    return "".join(fold(text).split())
