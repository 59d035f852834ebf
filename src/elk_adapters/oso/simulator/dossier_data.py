"""The simple Python data a generated dossier is built from, and what its profile delivers.

A dossier follows one OV profile (``Transfer``): the school's own transfer within its BRIN,
which ELK asks for, or the PO-VO overstapdossier. The profile decides which categories of
``categorie_uitlevering`` (code list 48) are required, forbidden or optional; the parents may
have an optional one withheld (OPT-UIT, selectief uitleveren), and then its data is left out,
as the official rules demand (``OS.cat*``).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from elk_adapters.oso.dossiers.xmltext import OSO_NS
from elk_domain.kernel.values import SchoolLocation, SchoolYear
from elk_domain.oso.dossiers.dossier import CATEGORIES

REQUIRED, OPTIONAL, FORBIDDEN, WITHHELD = "VERPLICHT", "OPTIONEEL", "VERBODEN", "OPT-UIT"


class Transfer(enum.Enum):
    """The OV profile of a dossier: its ``overdrachtsoort`` and ``overstap``."""

    BINNEN_BRIN = ("overdrachtbinnenbrin", "POPO")  # the school's own transfer: ELK's case
    PO_VO = ("overstapdossier", "POVO")  # to the secondary school

    @property
    def overdrachtsoort(self) -> str:
        """The ``overdrachtsoort`` element (code list 29)."""
        return self.value[0]

    @property
    def overstap(self) -> str:
        """``metadata/overstap`` (code list 16)."""
        return self.value[1]


_PO_VO_REQUIRED = (
    "metadata",
    "ouderinzage",
    "school",
    "leerling",
    "oudersverzorgers",
    "schoolloopbaan",
    "overstapadvies",
)
#: Per profile, the categories that are required or forbidden; the others are optional. As in
#: the public samples of both profiles (``Voorbeelddossier_OV_BB_*``, ``..._POVO_*``).
_FIXED: dict[Transfer, dict[str, str]] = {
    Transfer.BINNEN_BRIN: dict.fromkeys(("metadata", "school", "leerling"), REQUIRED),
    Transfer.PO_VO: {
        **dict.fromkeys(_PO_VO_REQUIRED, REQUIRED),
        "vve": FORBIDDEN,
        "vombo": FORBIDDEN,
    },
}


def withholdable(transfer: Transfer) -> tuple[str, ...]:
    """The categories parents may have withheld in this profile: the optional ones."""
    return tuple(name for name in CATEGORIES if name not in _FIXED[transfer])


def category_marks(transfer: Transfer, withheld: frozenset[str]) -> list[tuple[str, str]]:
    """``categorie_uitlevering`` in XSD order: (element name, code list 48 value)."""
    wrong = sorted(withheld - set(withholdable(transfer)))
    if wrong:
        raise ValueError(f"{transfer.name} cannot withhold {', '.join(wrong)}")
    return [
        (f"cat_{name}", WITHHELD if name in withheld else _FIXED[transfer].get(name, OPTIONAL))
        for name in CATEGORIES
    ]


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
    transfer: Transfer = Transfer.BINNEN_BRIN
    withheld: frozenset[str] = frozenset()  # categories marked OPT-UIT, their data left out

    def delivers(self, category: str) -> bool:
        """Whether the dossier carries the data of ``category`` (not withheld)."""
        return category not in self.withheld


def delivered(d: DossierData) -> DossierData:
    """``d`` without the data of the categories it withholds (``OS.cat*`` forbid it).

    A withheld school career leaves out the current line too: ``DossierData.delivers``.
    """
    w = d.withheld
    return attrs.evolve(
        d,
        parents=() if "oudersverzorgers" in w else d.parents,
        tests=() if "toetsresultaten" in w else d.tests,
        final_test=None if "eindtoetsbo" in w else d.final_test,
        advice="" if "overstapadvies" in w else d.advice,
        revised_advice="" if "overstapadvies" in w else d.revised_advice,
        attachments=() if "bijlagedocs" in w else d.attachments,
        earlier_career=() if "schoolloopbaan" in w else d.earlier_career,
        medication=None if "onderwijsondersteuning" in w else d.medication,
        support=() if "handelingsplannen" in w else d.support,
        absence=None if "verzuim" in w else d.absence,
    )
