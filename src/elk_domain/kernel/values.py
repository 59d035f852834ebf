"""Value objects that are checked once, at the edge, and trusted everywhere after."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import attrs

from elk_domain.errors import Rejected

_NON_DIGITS = re.compile(r"[\s.\-]")
_BREAKING = frozenset({"Cc", "Zl", "Zp"})  # control characters, line and paragraph separators


def single_line(text: str) -> str:
    """``text`` on one line, for a mail subject: a name with a line break must not end it.

    Names come from forms, imports and OSO; "Noor\\r\\nBcc: ..." in a subject would start a
    header of its own. Each run of whitespace and control characters becomes one space.
    """
    spaced = "".join(" " if unicodedata.category(c) in _BREAKING else c for c in text)
    return " ".join(spaced.split())


def _elfproef_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))


def elfproef_check_digit(prefix: str) -> int | None:
    """The ninth digit that makes eight digits pass the BSN elfproef; None when no digit does."""
    digit = _elfproef_sum(prefix) % 11
    return None if digit == 10 else digit


@attrs.frozen
class Bsn:
    """A burgerservicenummer: nine digits passing the elfproef; never an onderwijsnummer."""

    value: str

    @classmethod
    def parse(cls, text: str) -> Bsn:
        """Parse user input; spaces, dots and dashes are ignored; 8 digits get a leading zero."""
        digits = _NON_DIGITS.sub("", text.strip())
        if not digits.isdigit() or not 8 <= len(digits) <= 9:
            raise Rejected(f"'{text.strip()}' is geen BSN: een BSN bestaat uit 9 cijfers.")
        digits = digits.zfill(9)
        total = _elfproef_sum(digits)
        last = int(digits[8])
        if set(digits) != {"0"} and (total - last) % 11 == 0:
            return cls(digits)
        if (total + last) % 11 == 5:  # onderwijsnummer: weight +1 on the last digit, remainder 5
            raise Rejected(f"'{text.strip()}' is een onderwijsnummer, geen BSN.")
        raise Rejected(f"'{text.strip()}' is geen geldig BSN (de elfproef klopt niet).")

    @classmethod
    def is_valid(cls, text: str) -> bool:
        """True when ``parse`` would accept the text."""
        try:
            cls.parse(text)
        except Rejected:
            return False
        return True

    def masked(self) -> str:
        """The BSN as it may appear on screen lists: only the last three digits."""
        return "******" + self.value[6:]

    def __str__(self) -> str:
        return self.value


@attrs.frozen(order=True)
class ElkNumber:
    """ELK's own pupil number, also the parent's username."""

    value: int = attrs.field(validator=attrs.validators.gt(0))

    @classmethod
    def parse(cls, text: str) -> ElkNumber:
        """Parse a username typed by a parent."""
        cleaned = text.strip()
        if not cleaned.isdigit() or len(cleaned) > 9:
            raise Rejected(f"'{cleaned}' is geen ELK-nummer: dat bestaat alleen uit cijfers.")
        return cls(int(cleaned))

    def __str__(self) -> str:
        return str(self.value)


_BRIN = re.compile(r"^(\d{2}[A-Z0-9]{2})(?:[\s\-]?(\d{2}))?$")


@attrs.frozen(order=True)
class SchoolLocation:
    """A school location: BRIN (2 digits + 2 letters or digits) and a 2-digit vestigingscode."""

    brin: str
    vestiging: str = "00"

    @classmethod
    def parse(cls, text: str) -> SchoolLocation:
        """Parse '12AB', '12AB00', '12AB 01' or '12ab-01'."""
        match = _BRIN.match(text.strip().upper())
        if match is None:
            raise Rejected(
                f"'{text.strip()}' is geen geldige BRIN-code met vestigingscode "
                "(verwacht bijvoorbeeld 12AB of 12AB00)."
            )
        return cls(match.group(1), match.group(2) or "00")

    def __str__(self) -> str:
        return f"{self.brin}{self.vestiging}"


_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Z]{2})$")


@attrs.frozen
class Postcode:
    """A Dutch postcode, normalised to '1234 AB'."""

    value: str

    @classmethod
    def parse(cls, text: str) -> Postcode:
        """Parse '1234ab', '1234 AB'; rejects SA, SD and SS, which are never issued."""
        match = _POSTCODE.match(text.strip().upper())
        if match is None or match.group(2) in {"SA", "SD", "SS"}:
            raise Rejected(f"'{text.strip()}' is geen Nederlandse postcode (zoals 1181 AB).")
        return cls(f"{match.group(1)} {match.group(2)}")

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Address:
    """A postal address; the postcode is only checked for Dutch addresses."""

    street: str
    house_number: str
    postcode: str
    city: str
    country: str = "NL"

    @classmethod
    def create(
        cls, *, street: str, house_number: str, postcode: str, city: str, country: str = "NL"
    ) -> Address:
        """Build an address, normalising a Dutch postcode and keeping a foreign one as typed."""
        country = (country or "NL").strip().upper()
        code = str(Postcode.parse(postcode)) if country == "NL" else postcode.strip()
        return cls(street.strip(), house_number.strip(), code, city.strip(), country)


@attrs.frozen(order=True)
class SchoolYear:
    """A school year, named by the calendar year in which it starts on 1 August."""

    start: int

    @classmethod
    def of(cls, day: dt.date) -> SchoolYear:
        """The school year a date falls in (1 August starts a new one)."""
        return cls(day.year if day.month >= 8 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Parse '2025-2026' or '2025/2026'."""
        match = re.match(r"^\s*(\d{4})\s*[-/]\s*(\d{4})\s*$", text)
        if match is None or int(match.group(2)) != int(match.group(1)) + 1:
            raise Rejected(f"'{text.strip()}' is geen schooljaar (zoals 2025-2026).")
        return cls(int(match.group(1)))

    def previous(self, years: int = 1) -> SchoolYear:
        """The school year ``years`` before this one."""
        return SchoolYear(self.start - years)

    def first_day(self) -> dt.date:
        """1 August of the starting year."""
        return dt.date(self.start, 8, 1)

    def __str__(self) -> str:
        return f"{self.start}-{self.start + 1}"


@attrs.frozen
class PersonName:
    """A Dutch name: first name, tussenvoegsel ('van der') and last name."""

    first: str
    last: str
    tussenvoegsel: str = ""

    def full(self) -> str:
        """'Jan van der Berg'."""
        return " ".join(p for p in (self.first, self.tussenvoegsel, self.last) if p)

    def sort_key(self) -> str:
        """'Berg, Jan van der': Dutch lists sort on the last name without tussenvoegsel."""
        tail = " ".join(p for p in (self.first, self.tussenvoegsel) if p)
        return f"{self.last}, {tail}" if tail else self.last

    def __str__(self) -> str:
        return self.full()


_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[A-Za-z]{2,}$")


@attrs.frozen
class Email:
    """An e-mail address; the domain is lower-cased, the local part kept as typed."""

    value: str

    @classmethod
    def parse(cls, text: str) -> Email:
        """Parse and normalise an address; rejects anything that cannot receive mail."""
        cleaned = text.strip()
        if len(cleaned) > 254 or _EMAIL.match(cleaned) is None:
            raise Rejected(f"'{cleaned[:60]}' is geen geldig e-mailadres.")
        local, domain = cleaned.rsplit("@", 1)
        return cls(f"{local}@{domain.lower()}")

    def __str__(self) -> str:
        return self.value
