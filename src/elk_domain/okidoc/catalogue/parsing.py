"""Turning what a teacher typed into a stored Oki-doc value, per field kind, with Dutch messages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from elk_domain.errors import Rejected
from elk_domain.kernel.advice import parse_advice
from elk_domain.kernel.values import Email, Postcode
from elk_domain.okidoc.catalogue.spec import FieldSpec, Kind
from elk_domain.okidoc.model import Scalar

MAX_TEXT = 200
MAX_LONGTEXT = 4000

_TRUE = {"ja", "j", "true", "waar", "1", "on", "yes"}
_FALSE = {"nee", "n", "false", "onwaar", "0", "off", "no"}
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_PHONE = re.compile(r"^\+?[\d\s\-()]+$")


def parse(spec: FieldSpec, raw: str, *, country: str = "NL") -> Scalar | None:
    """Parse ``raw`` for ``spec``; blank input clears the field (None)."""
    text = raw.strip()
    if not text:
        return None
    try:
        if spec.kind is Kind.POSTCODE:
            return _postcode(text, country)
        if spec.kind is Kind.CHOICE:
            return _choice(spec, text)
        return _PARSERS[spec.kind](text)
    except Rejected as error:
        raise Rejected(f"{spec.label}: {error.message}") from None


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise Rejected(f"maximaal {MAX_TEXT} tekens.")
    return text


def _longtext(text: str) -> str:
    if len(text) > MAX_LONGTEXT:
        raise Rejected(f"maximaal {MAX_LONGTEXT} tekens.")
    return text


def _date(text: str) -> dt.date:
    match = _DUTCH_DATE.match(text)
    try:
        if match is not None:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Rejected(f"'{text}' is geen datum (zoals 14-03-2025).") from None


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise Rejected(f"kies ja of nee (niet '{text}').")


def _choice(spec: FieldSpec, text: str) -> str:
    lowered = text.lower()
    for value, label in spec.choices:
        if lowered in {value.lower(), label.lower()}:
            return value
    options = ", ".join(label for _, label in spec.choices)
    raise Rejected(f"'{text}' is geen keuze; kies uit: {options}.")


def _advice(text: str) -> str:
    return parse_advice(text).code


def _email(text: str) -> str:
    return str(Email.parse(text))


def _phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if _PHONE.match(text) is None or not 10 <= len(digits) <= 15:
        raise Rejected(f"'{text}' is geen telefoonnummer (zoals 020-1234567).")
    return text


def _postcode(text: str, country: str) -> str:
    if (country or "NL").strip().upper() in {"NL", "NEDERLAND"}:
        return str(Postcode.parse(text))
    return _text(text)


def _integer(text: str) -> int:
    if not text.isdigit():
        raise Rejected(f"'{text}' is geen geheel getal van 0 of meer.")
    return int(text)


_PARSERS: dict[Kind, Callable[[str], Scalar]] = {
    Kind.TEXT: _text,
    Kind.LONGTEXT: _longtext,
    Kind.DATE: _date,
    Kind.BOOL: _bool,
    Kind.ADVICE: _advice,
    Kind.EMAIL: _email,
    Kind.PHONE: _phone,
    Kind.INTEGER: _integer,
}
