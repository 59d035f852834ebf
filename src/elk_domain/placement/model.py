"""The placement instance: programmes (school + level + capacity) and pupils with ranked choices."""

from __future__ import annotations

import attrs

from elk_domain.errors import Violation

#: The procedures whose placement mechanism ELK knows (decision 0050).
MECHANISM_NAMES = ("amstelland", "amsterdam")
#: Amstelland lists hold at most five schools: the first choice and choices 2–5.
AMSTELLAND_MAX_CHOICES = 5


@attrs.frozen(kw_only=True)
class Programme:
    """One school's level with its number of places (R-PL-1)."""

    id: str
    school: str
    level: str
    capacity: int


@attrs.frozen(kw_only=True)
class Pupil:
    """A pupil as the lottery sees them: ELK number, ranked list, first-choice claims."""

    id: str
    choices: tuple[str, ...]
    priority: bool = False  # granted at the first choice
    stay_equivalent: str | None = None  # a programme of the first choice's school
    multiple_birth_group: str | None = None


@attrs.frozen(kw_only=True)
class Instance:
    """Everything a run needs, and everything anyone needs to recompute it."""

    procedure: str
    seed: str
    programmes: tuple[Programme, ...]
    pupils: tuple[Pupil, ...]
    seed_commitment: str | None = None  # the SHA-256 published before the run, if given


def check_instance(instance: Instance) -> list[Violation]:
    """Every reason the instance cannot be run, at once, in Dutch."""
    found: list[Violation] = []
    if instance.procedure not in MECHANISM_NAMES:
        known = ", ".join(MECHANISM_NAMES)
        found.append(Violation("procedure", f"Onbekende procedure; bekend zijn: {known}."))
    if not instance.seed:
        found.append(Violation("seed", "Het zaad (seed) van de loting ontbreekt."))
    programmes = _check_programmes(instance.programmes, found)
    pupils = instance.pupils
    if len({pupil.id for pupil in pupils}) != len(pupils):
        found.extend(_duplicate_pupils(pupils))
    for index in _to_look_at(instance, set(programmes)):
        path = f"pupils[{index}]"
        found.extend(_check_pupil(instance.procedure, pupils[index], programmes, path))
    found.extend(_check_births(pupils))
    return found


def _to_look_at(instance: Instance, known: set[str]) -> list[int]:
    """The pupils that may break a rule: a quick pass, so 175,000 pupils check in milliseconds."""
    longest = AMSTELLAND_MAX_CHOICES if instance.procedure == "amstelland" else 10**9
    return [
        index
        for index, p in enumerate(instance.pupils)
        if p.stay_equivalent is not None
        or (p.priority and not p.choices)
        or not known.issuperset(p.choices)
        or len(set(p.choices)) != len(p.choices)
        or len(p.choices) > longest
    ]


def _duplicate_pupils(pupils: tuple[Pupil, ...]) -> list[Violation]:
    seen: set[str] = set()
    found = []
    for index, pupil in enumerate(pupils):
        if pupil.id in seen:
            message = f"Leerling {pupil.id} staat er twee keer in."
            found.append(Violation(f"pupils[{index}].id", message))
        seen.add(pupil.id)
    return found


def _check_births(pupils: tuple[Pupil, ...]) -> list[Violation]:
    """A multiple birth at one first choice draws and is placed as one: one priority for all."""
    priority: dict[tuple[str, str], bool] = {}
    found = []
    for index, pupil in enumerate(pupils):
        if pupil.multiple_birth_group is None or not pupil.choices:
            continue
        key = (pupil.multiple_birth_group, pupil.choices[0])
        if priority.setdefault(key, pupil.priority) != pupil.priority:
            message = "Een meerling met dezelfde eerste keuze heeft samen wel of geen voorrang."
            found.append(Violation(f"pupils[{index}].priority", message))
    return found


def _check_programmes(programmes: tuple[Programme, ...], found: list[Violation]) -> dict[str, str]:
    """Programme id → school; duplicates and negative capacities reported into ``found``."""
    schools: dict[str, str] = {}
    for index, programme in enumerate(programmes):
        if programme.id in schools:
            message = f"Opleiding {programme.id} staat er twee keer in."
            found.append(Violation(f"programmes[{index}].id", message))
        if programme.capacity < 0:
            message = "De capaciteit kan niet negatief zijn."
            found.append(Violation(f"programmes[{index}].capacity", message))
        schools[programme.id] = programme.school
    return schools


def _check_pupil(
    procedure: str, pupil: Pupil, programmes: dict[str, str], path: str
) -> list[Violation]:
    found = [
        Violation(f"{path}.choices[{i}]", f"Onbekende opleiding {choice}.")
        for i, choice in enumerate(pupil.choices)
        if choice not in programmes
    ]
    if len(set(pupil.choices)) != len(pupil.choices):
        found.append(Violation(f"{path}.choices", "Een opleiding staat twee keer op de lijst."))
    if procedure == "amstelland" and len(pupil.choices) > AMSTELLAND_MAX_CHOICES:
        found.append(Violation(f"{path}.choices", "In Amstelland telt een lijst hoogstens vijf."))
    if (pupil.priority or pupil.stay_equivalent) and not pupil.choices:
        found.append(Violation(path, "Voorrang of gelijkwaardig niveau vraagt een eerste keuze."))
    if pupil.stay_equivalent is not None and pupil.choices:
        found.extend(_check_stay(pupil, programmes, path))
    return found


def _check_stay(pupil: Pupil, programmes: dict[str, str], path: str) -> list[Violation]:
    stay, first = pupil.stay_equivalent, pupil.choices[0]
    where = f"{path}.stay_equivalent"
    if stay not in programmes:
        return [Violation(where, f"Onbekende opleiding {stay}.")]
    if stay == first or programmes[stay] != programmes.get(first):
        message = "Een gelijkwaardig niveau is een ander niveau op dezelfde school."
        return [Violation(where, message)]
    return []
