"""Deterministic plan of the demo region's boards and schools (no ids yet)."""

from __future__ import annotations

import random
import string
import unicodedata

import attrs

from elk_adapters.demo.catalogue import (
    BOARD_CONTACTS,
    BOARDS,
    PLACE_WEIGHTS,
    PLACES,
    PO_NAMES,
    PO_PREFIXES,
    VO_SCHOOLS,
)
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, SchoolLocation

_NEVER_ISSUED = {"SA", "SD", "SS"}


@attrs.frozen
class BoardPlan:
    """A board with an invented contact person."""

    name: str
    contact_name: str
    contact_email: str


@attrs.frozen(kw_only=True)
class SchoolPlan:
    """A school location to create, attached to ``BOARDS[board_index]``."""

    board_index: int
    kind: OrgKind
    name: str
    official_name: str
    school_type: str
    address: Address
    location: SchoolLocation
    director: str
    levels: frozenset[Level] = frozenset()
    capacity: dict[Level, int] = attrs.field(factory=dict)
    offers_priority: bool = False


def ascii_slug(text: str) -> str:
    """'Çelik van der Berg' -> 'celikvanderberg': for invented e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in plain.lower() if c.isalnum())


def random_address(rng: random.Random) -> Address:
    """A plausible address in the region with a well-formed Dutch postcode."""
    city, (low, high), streets = rng.choices(PLACES, weights=PLACE_WEIGHTS)[0]
    letters = "SA"
    while letters in _NEVER_ISSUED:
        letters = "".join(rng.choice(string.ascii_uppercase[:23]) for _ in range(2))
    return Address.create(
        street=rng.choice(streets),
        house_number=str(rng.randint(1, 180)),
        postcode=f"{rng.randint(low, high)} {letters}",
        city=city,
    )


def plan_boards() -> list[BoardPlan]:
    """Every board of the manual's list with an invented contact at @bestuur.example."""
    plans = []
    for (name, _sector, _count), (first, last) in zip(BOARDS, BOARD_CONTACTS, strict=True):
        email = f"{first[0].lower()}.{ascii_slug(last)}@bestuur.example"
        plans.append(BoardPlan(name, f"{first} {last}", email))
    return plans


def _brins() -> list[str]:
    """Fictional BRIN codes: '99' never starts a real one; letters run AA, AB, …"""
    return [f"99{a}{b}" for a in "ABCDEFGH" for b in string.ascii_uppercase]


def plan_schools(rng: random.Random) -> list[SchoolPlan]:
    """About 40 primary schools over the PO boards and 8 VO schools over the VO boards."""
    brins = iter(_brins())
    names = list(PO_NAMES)
    rng.shuffle(names)
    schools: list[SchoolPlan] = []
    for index, (_board, sector, count) in enumerate(BOARDS):
        previous: SchoolLocation | None = None
        for _ in range(count if sector == "po" else 0):
            if previous is not None and previous.vestiging == "00" and rng.random() < 0.15:
                location = SchoolLocation(previous.brin, "01")  # a second location (dependance)
            else:
                location = SchoolLocation(next(brins), "00")
            schools.append(_po_school(rng, index, names.pop(), location))
            previous = location
    vo_boards = [i for i, (_b, sector, _c) in enumerate(BOARDS) if sector == "vo"]
    for board_index, spec in zip(vo_boards, VO_SCHOOLS, strict=True):
        schools.append(_vo_school(rng, board_index, spec, SchoolLocation(next(brins), "00")))
    return schools


def _director(rng: random.Random) -> str:
    first, last = rng.choice(BOARD_CONTACTS)[0], rng.choice(BOARD_CONTACTS)[1]
    return f"{first[0]}. {last}"


def _po_school(rng: random.Random, board: int, name: str, location: SchoolLocation) -> SchoolPlan:
    prefix = rng.choice(PO_PREFIXES)
    return SchoolPlan(
        board_index=board,
        kind=OrgKind.PO,
        name=name,
        official_name=f"{prefix} {name}",
        school_type="Basisonderwijs",
        address=random_address(rng),
        location=location,
        director=_director(rng),
    )


def _vo_school(
    rng: random.Random,
    board: int,
    spec: tuple[str, str, tuple[Level, ...], bool],
    location: SchoolLocation,
) -> SchoolPlan:
    name, school_type, levels, priority = spec
    return SchoolPlan(
        board_index=board,
        kind=OrgKind.VO,
        name=name,
        official_name=f"Stichting {name}",
        school_type=school_type,
        address=random_address(rng),
        location=location,
        director=_director(rng),
        levels=frozenset(levels),
        capacity={level: rng.randrange(30, 181, 10) for level in levels},
        offers_priority=priority,
    )
