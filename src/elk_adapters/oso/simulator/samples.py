"""Seeded random pupils and dossiers for the simulator and the demo (deterministic per seed)."""

from __future__ import annotations

import datetime as dt
import random

import attrs

from elk_adapters.oso.simulator.dossier_data import (
    CareerLine,
    DossierData,
    FinalTestData,
    LvsTest,
    PersonData,
    SupportPlan,
    Transfer,
)
from elk_domain.kernel.values import SchoolLocation, SchoolYear, elfproef_check_digit


@attrs.frozen(kw_only=True)
class DossierProfile:
    """How much a generated dossier carries; ranges are inclusive (low, high)."""

    parents: tuple[int, int]
    test_years: int  # school years of LVS tests, the current one included
    tests_per_year: int  # per subject
    subjects: int  # of the four LVS subjects
    career_years: int  # school-career lines, the current group-8 line included
    support: bool  # a handelingsplan, the medication flag and absence
    attachments: tuple[int, int]  # documents (with support, the first is the plan's)
    attachment_kb: tuple[int, int]


#: Shaped like the public "full" samples (~170 KB): 2-3 carers, groups 6-8 with a midterm and
#: an end-of-year test per subject (the current year: autumn and winter), three career lines,
#: absence, a support plan, and 1-3 documents of 20-100 KB (the first one the support plan's).
REALISTIC = DossierProfile(
    parents=(2, 3),
    test_years=3,
    tests_per_year=2,
    subjects=4,
    career_years=3,
    support=True,
    attachments=(1, 3),
    attachment_kb=(20, 100),
)
#: A few kilobytes: 1-2 carers, a handful of tests, one short text document.
SMALL = DossierProfile(
    parents=(1, 2),
    test_years=2,
    tests_per_year=1,
    subjects=2,
    career_years=1,
    support=False,
    attachments=(1, 1),
    attachment_kb=(0, 0),
)

_FIRST = (
    "Daan",
    "Sem",
    "Lucas",
    "Emma",
    "Julia",
    "Mila",
    "Noah",
    "Tess",
    "Fleur",
    "Bram",
    "Zoë",
    "Mohammed",
    "Aïcha",
    "Jesse",
    "Sara",
    "Finn",
    "Liv",
    "Yara",
    "Ties",
    "Noor",
)
_LAST = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("van", "Dijk"),
    ("", "Yılmaz"),
    ("", "Visser"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("el", "Amrani"),
)
_STREETS = ("Dorpsstraat", "Kerkweg", "Schoolstraat", "Molenlaan", "Stationsplein")
_CITIES = (("1811", "Alkmaar"), ("1011", "Amsterdam"), ("7311", "Apeldoorn"), ("3511", "Utrecht"))
_TESTS = (
    ("CRW", "Rekenen-Wiskunde", "rekenen"),
    ("CBL", "Begrijpend lezen", "begrijpend lezen"),
    ("CSP", "Spelling", "spelling"),
    ("CDMT", "Drie-Minuten-Toets", "technisch lezen"),
)
_LEVELS = ("1F", "2F", "1S")
_ADVICE = ("10", "20", "21", "30", "31", "40", "41", "50", "51", "60")
_FINAL_ADVICE = ("vmbo bb", "vmbo kb", "vmbo gl-tl", "havo", "vwo", "havo/vwo")


def random_bsn(rng: random.Random) -> str:
    """A nine-digit number that passes the elfproef (never all zeros)."""
    while True:
        head = [rng.randrange(10) for _ in range(8)]
        head[0] = rng.randrange(1, 10)
        prefix = "".join(map(str, head))
        last = elfproef_check_digit(prefix)
        if last is not None:
            return prefix + str(last)


def _person(rng: random.Random, last: tuple[str, str], *, relation: str = "1") -> PersonData:
    prefix, city = rng.choice(_CITIES)
    first = rng.choice(_FIRST)
    return PersonData(
        first_name=first,
        tussenvoegsel=last[0],
        last_name=last[1],
        gender=rng.choice(("1", "2")),
        relation=relation,
        email=f"{first.lower()}.{last[1].lower()}@example.org".replace("ï", "i").replace("ë", "e"),
        phone=f"06{rng.randrange(10**8):08d}",
        street=rng.choice(_STREETS),
        house_number=str(rng.randrange(1, 200)),
        postcode=f"{prefix}{rng.choice('ABCDEF')}{rng.choice('GHJKLM')}",
        city=city,
    )


#: Days after 1 August of the tests in a school year: midterm (January), end (June); in the
#: current year, not yet over, the autumn and winter tests instead.
_PAST_YEAR_DAYS = (165, 310)
_CURRENT_YEAR_DAYS = (75, 150)


def _tests(rng: random.Random, today: dt.date, profile: DossierProfile) -> tuple[LvsTest, ...]:
    """LVS tests of the last ``test_years`` school years (groups 6-8), oldest first."""
    current = SchoolYear.of(today)
    tests = []
    for years_back in range(profile.test_years - 1, -1, -1):
        year = current.previous(years_back)
        days = _CURRENT_YEAR_DAYS if years_back == 0 else _PAST_YEAR_DAYS
        grade = 8 - years_back
        for offset in days[: profile.tests_per_year]:
            for code, name, subject in _TESTS[: profile.subjects]:
                taken = year.first_day() + dt.timedelta(days=offset + rng.randrange(10))
                dl = min(60, (grade - 3) * 10 + offset // 30)
                tests.append(
                    LvsTest(
                        code=code,
                        name=name,
                        subject=subject,
                        taken_on=min(taken, today),
                        score=rng.randrange(100, 300),
                        dl=dl,
                        dle=max(0, dl + rng.randrange(-12, 10)),
                        level=rng.choice(_LEVELS),
                    )
                )
    return tuple(tests)


def _document(rng: random.Random, name: str, kb: tuple[int, int], text: str) -> tuple[str, bytes]:
    """A document as LASs send them: a ZIP-looking blob of ``kb`` KB (a short text when 0)."""
    size = rng.randint(*kb) * 1024
    if not size:
        return f"{name}.txt", text.encode()
    return f"{name}.pdf", b"PK\x03\x04" + rng.randbytes(size - 4)


def _support(
    rng: random.Random, today: dt.date, document: tuple[str, bytes] | None
) -> tuple[SupportPlan, ...]:
    start = SchoolYear.of(today).previous().first_day() + dt.timedelta(days=30)
    return (
        SupportPlan(
            start=start,
            end=start + dt.timedelta(days=365),
            focus=rng.choice(("rekenvaardigheid", "technisch lezen", "werkhouding")),
            document=document,
        ),
    )


def random_dossier(
    rng: random.Random,
    location: SchoolLocation,
    today: dt.date,
    *,
    bsn: str | None = None,
    profile: DossierProfile = REALISTIC,
    transfer: Transfer = Transfer.BINNEN_BRIN,
    withheld: frozenset[str] = frozenset(),
) -> DossierData:
    """A plausible group-8 dossier; the same rng state (and profile) gives the same dossier.

    ``transfer`` and ``withheld`` (categories the parents withheld, ``withholdable``) shape
    what the dossier delivers, not what is drawn: the same seed gives the same pupil.
    """
    last = rng.choice(_LAST)
    relations = ("1", "2", "3")[: rng.randint(*profile.parents)]
    parents = tuple(_person(rng, last, relation=r) for r in relations)
    current = SchoolYear.of(today)
    career = tuple(
        CareerLine(school_year=current.previous(back), group=f"{8 - back}a", grade=8 - back)
        for back in range(profile.career_years - 1, 0, -1)
    )
    documents = [
        _document(rng, f"bijlage-{n}", profile.attachment_kb, f"Groepsplan {last[1]}")
        for n in range(1, rng.randint(*profile.attachments) + 1)
    ]
    # With a support block, the first document is its handelingsplan.
    support = (
        _support(rng, today, documents.pop(0) if documents else None) if profile.support else ()
    )
    return DossierData(
        location=location,
        bsn=bsn or random_bsn(rng),
        pupil=_person(rng, last),
        birth_date=dt.date(today.year - 12, rng.randrange(1, 13), rng.randrange(1, 29)),
        dossier_date=today,
        group=rng.choice(("8a", "8b", "groep 8")),
        parents=parents,
        tests=_tests(rng, today, profile),
        advice=rng.choice(_ADVICE),
        attachments=tuple(documents),
        earlier_career=career,
        medication=rng.choice((True, False)) if profile.support else None,
        support=support,
        absence=(rng.randrange(12), rng.randrange(3)) if profile.support else None,
        transfer=transfer,
        withheld=withheld,
    )


def with_final_test(data: DossierData, rng: random.Random, taken_on: dt.date) -> DossierData:
    """A newer version of a dossier: the final test and the revised (definitive) advice."""
    return attrs.evolve(
        data,
        dossier_date=max(data.dossier_date, taken_on),
        final_test=FinalTestData(
            taken_on=taken_on, score=rng.randrange(501, 550), advice=rng.choice(_FINAL_ADVICE)
        ),
        revised_advice=rng.choice(_ADVICE),
    )
