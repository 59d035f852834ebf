"""Deterministic group-8 pupils: identity, parents, advice and three years of test results."""

from __future__ import annotations

import datetime as dt
import random

import attrs

from elk_adapters.demo.catalogue import (
    BIRTH_COUNTRIES,
    FIRST_NAMES_BOYS,
    FIRST_NAMES_GIRLS,
    LAST_NAMES,
)
from elk_adapters.demo.region import ascii_slug, random_address
from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.values import Address, Bsn, PersonName, SchoolYear, elfproef_check_digit
from elk_domain.okidoc.model import Source, TestResult


@attrs.frozen(kw_only=True)
class ParentPlan:
    """A parent or guardian as the Oki-doc's ``ouders.N.*`` fields hold them."""

    relation: str
    name: PersonName
    email: str


@attrs.frozen(kw_only=True)
class PupilPlan:
    """One pupil to create at ``schools[school_index]`` in group ``group_name``."""

    school_index: int
    group_name: str
    name: PersonName
    gender: str
    bsn: Bsn
    birth_date: dt.date
    birth_country: str
    address: Address
    parents: tuple[ParentPlan, ...]
    advice: Advice
    tests: tuple[TestResult, ...]
    ability: float = 0.0  # what the advice and the results follow (the final test too)


def bsn_from_prefix(prefix: str) -> Bsn | None:
    """The valid BSN starting with these eight digits, or None when no check digit fits."""
    check = elfproef_check_digit(prefix)
    if check is None or prefix.startswith("10"):
        return None  # no digit fits, or the range of onderwijsnummers
    if (2 * check) % 11 == 5:
        # A valid BSN ending in 8 also passes the onderwijsnummer test (weighted sum + last
        # digit ≡ 5 mod 11): leave those out of the demo to avoid any ambiguity.
        return None
    return Bsn(f"{prefix}{check}")


def random_bsn(rng: random.Random, taken: set[str]) -> Bsn:
    """A fresh valid BSN not in ``taken`` (which it extends)."""
    while True:
        bsn = bsn_from_prefix(f"{rng.randint(10_000_000, 99_999_999)}")
        if bsn is not None and bsn.value not in taken:
            taken.add(bsn.value)
            return bsn


def random_name(rng: random.Random, gender: str) -> PersonName:
    """A first name for the gender and a last name with its tussenvoegsel."""
    pool = FIRST_NAMES_GIRLS if gender == "vrouw" else FIRST_NAMES_BOYS
    tussenvoegsel, last = rng.choice(LAST_NAMES)
    return PersonName(rng.choice(pool), last, tussenvoegsel)


def birth_date(rng: random.Random, year: SchoolYear) -> dt.date:
    """Born Oct–Sep twelve years before; a few are a year older (doubled) or younger."""
    shift = rng.choices((0, -1, 1), weights=(92, 6, 2))[0]
    start = dt.date(year.start - 12 + shift, 10, 1)
    return start + dt.timedelta(days=rng.randrange(365))


def _parents(rng: random.Random, child: PersonName, serial: int) -> tuple[ParentPlan, ...]:
    parents = []
    for index, relation in enumerate(("moeder", "vader")[: rng.choice((1, 2, 2, 2))]):
        gender = "vrouw" if relation == "moeder" else "man"
        own = random_name(rng, gender)
        same_last = index == 0 or rng.random() < 0.7
        name = (
            attrs.evolve(own, last=child.last, tussenvoegsel=child.tussenvoegsel)
            if (same_last)
            else own
        )
        local = f"{ascii_slug(name.first)}.{ascii_slug(name.tussenvoegsel + name.last)}"
        email = f"{local}.{serial}{'' if index == 0 else 'b'}@ouder.example"
        parents.append(ParentPlan(relation=relation, name=name, email=email))
    return tuple(parents)


_THRESHOLDS = (-1.9, -1.1, -0.55, 0.05, 0.75)  # ability cut-offs between the six levels


def advice_for(ability: float) -> Advice:
    """The school advice that fits an ability score; near a cut-off a combined advice."""
    levels = tuple(Level)
    rank = sum(ability >= cut for cut in _THRESHOLDS)
    if rank > 1 and ability - _THRESHOLDS[rank - 1] < 0.12:
        return Advice(levels[rank - 1], levels[rank])  # pro has no combined advice with vmbo-b
    return Advice.single(levels[rank])


_SUBJECTS = (
    ("DMT", "Technisch lezen"),
    ("Cito Begrijpend lezen", "Begrijpend lezen"),
    ("Cito Spelling", "Spelling"),
    ("Cito Rekenen-Wiskunde", "Rekenen"),
)
# (group, moment, months after 1 August, didactic age DL in months): midden (February) and
# eind (June) of groups 6 and 7, begin (October) and midden of group 8: three school years.
_MOMENTS = (
    (6, "M", 6, 35),
    (6, "E", 10, 40),
    (7, "M", 6, 45),
    (7, "E", 10, 50),
    (8, "B", 2, 50),
    (8, "M", 6, 55),
)


def lvs_results(
    rng: random.Random, ability: float, year: SchoolYear, today: dt.date
) -> tuple[TestResult, ...]:
    """LVS results of groups 6, 7 and 8, none dated after today."""
    results = []
    for group, moment, months, dl in _MOMENTS:
        school_year = year.previous(8 - group)
        first = school_year.first_day()
        taken_on = dt.date(first.year + (first.month + months - 1) // 12, (months + 7) % 12 + 1, 1)
        taken_on += dt.timedelta(days=rng.randrange(14, 28))
        if taken_on > today:
            continue
        for test_name, subject in _SUBJECTS:
            rendement = 1 + 0.22 * ability + rng.gauss(0, 0.08)
            dle = max(0, min(75, round(dl * rendement)))
            results.append(
                TestResult(
                    school_year=school_year,
                    taken_on=taken_on,
                    test_name=test_name,
                    subject=subject,
                    score=str(100 + dle * 2),
                    dle=dle,
                    dl=dl,
                    level=f"{moment}{group}",
                    source=Source.OSO,
                )
            )
    return tuple(results)


def plan_pupil(
    rng: random.Random,
    serial: int,
    school_index: int,
    year: SchoolYear,
    today: dt.date,
    taken: set[str],
) -> PupilPlan:
    """One complete pupil; ``serial`` makes the parents' e-mail addresses unique."""
    gender = rng.choice(("man", "vrouw"))
    name = random_name(rng, gender)
    ability = max(-2.8, min(2.8, rng.gauss(0.1, 1.0)))
    countries, weights = zip(*BIRTH_COUNTRIES, strict=True)
    return PupilPlan(
        school_index=school_index,
        group_name=rng.choice(("8a", "8b")),
        name=name,
        gender=gender,
        bsn=random_bsn(rng, taken),
        birth_date=birth_date(rng, year),
        birth_country=rng.choices(countries, weights=weights)[0],
        address=random_address(rng),
        parents=_parents(rng, name, serial),
        advice=advice_for(ability),
        tests=lvs_results(rng, ability, year, today),
        ability=ability,
    )
