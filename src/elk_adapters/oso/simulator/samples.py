"""Seeded random pupils and dossiers for the simulator and the demo (deterministic per seed)."""

from __future__ import annotations

import datetime as dt
import random

import attrs

from elk_adapters.oso.simulator.generator import DossierData, FinalTestData, LvsTest, PersonData
from elk_domain.model.values import SchoolLocation

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
        last = sum(d * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
        if last < 10:
            return "".join(map(str, head)) + str(last)


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


def _tests(rng: random.Random, today: dt.date) -> tuple[LvsTest, ...]:
    tests = []
    for months_ago in (4, 10, 16):
        taken = today - dt.timedelta(days=30 * months_ago + rng.randrange(20))
        code, name, subject = rng.choice(_TESTS)
        tests.append(
            LvsTest(
                code=code,
                name=name,
                subject=subject,
                taken_on=taken,
                score=rng.randrange(100, 300),
                dl=rng.randrange(40, 61),
                dle=rng.randrange(30, 65),
                level=rng.choice(_LEVELS),
            )
        )
    return tuple(tests)


def random_dossier(
    rng: random.Random, location: SchoolLocation, today: dt.date, *, bsn: str | None = None
) -> DossierData:
    """A plausible group-8 dossier; the same rng state gives the same dossier."""
    last = rng.choice(_LAST)
    parents = tuple(_person(rng, last, relation=r) for r in ("1", "2")[: rng.randrange(1, 3)])
    return DossierData(
        location=location,
        bsn=bsn or random_bsn(rng),
        pupil=_person(rng, last),
        birth_date=dt.date(today.year - 12, rng.randrange(1, 13), rng.randrange(1, 29)),
        dossier_date=today,
        group=rng.choice(("8a", "8b", "groep 8")),
        parents=parents,
        tests=_tests(rng, today),
        advice=rng.choice(_ADVICE),
        attachments=(("groepsplan.txt", f"Groepsplan {last[1]}".encode()),),
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
