"""The plain Python data a simulated OSO dossier is made of; ``generator`` writes it as XML."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_adapters.oso.xmltext import OSO_NS
from elk_domain.kernel.values import SchoolLocation, SchoolYear


@attrs.frozen(kw_only=True)
class PersonData:
    """A pupil or carer; ``relation`` is a codelijst 41 code (carers only)."""

    first_name: str
    last_name: str
    tussenvoegsel: str = ""
    gender: str = "0"  # codelijst 14: 0 onbekend, 1 vrouw, 2 man
    email: str = ""
    phone: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    relation: str = "1"


@attrs.frozen(kw_only=True)
class LvsTest:
    """One LVS test with optional DL/DLE and reference level."""

    code: str
    name: str
    subject: str
    taken_on: dt.date
    score: int
    dl: int | None = None
    dle: int | None = None
    level: str = ""


@attrs.frozen(kw_only=True)
class FinalTestData:
    """The final test (doorstroomtoets) result."""

    taken_on: dt.date
    score: int
    advice: str
    name: str = "Doorstroomtoets"


@attrs.frozen(kw_only=True)
class CareerLine:
    """An earlier school-career line (schoolloopbaan) at the same school location."""

    school_year: SchoolYear
    group: str
    grade: int  # jaargroep 1..8


@attrs.frozen(kw_only=True)
class SupportPlan:
    """A handelingsplan in the support block (onderwijsondersteuning), with its document."""

    start: dt.date
    focus: str
    end: dt.date | None = None
    document: tuple[str, bytes] | None = None


@attrs.frozen(kw_only=True)
class DossierData:
    """Everything the generator needs for one dossier."""

    location: SchoolLocation
    bsn: str
    pupil: PersonData
    birth_date: dt.date
    dossier_date: dt.date
    group: str = "8a"
    parents: tuple[PersonData, ...] = ()
    tests: tuple[LvsTest, ...] = ()
    final_test: FinalTestData | None = None
    advice: str = ""
    revised_advice: str = ""
    attachments: tuple[tuple[str, bytes], ...] = ()
    earlier_career: tuple[CareerLine, ...] = ()  # before the current group-8 line, oldest first
    medication: bool | None = None
    support: tuple[SupportPlan, ...] = ()
    absence: tuple[int, int] | None = None  # dagdelen geoorloofd, ongeoorloofd
    version: str = "2019.1"
    namespace: str = OSO_NS
