"""From the registrations to a placement instance (issue 16, decision 0055): pure, no I/O.

A programme is a VO school's level with its capacity. A pupil's choices are the schools of the
definitive list, each at the level the child comes for there: the highest level of the definitive
advice that the school offers (a school offering none of them is left out of the list). Only a
granted priority counts. The equivalent level is the lower level of a combined advice at the
first-choice school, when the parent asked for it and the school offers it. Children with the
multiple-birth option, the same first choice, primary school, last name and birth date form one
group. The instance carries ELK numbers and school names, never a pupil's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import attrs

from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.people import OrgKind
from elk_domain.organisation.model import School
from elk_domain.placement.model import AMSTELLAND_MAX_CHOICES, Instance, Programme, Pupil


class Candidate(NamedTuple):
    """One definitive registration as the placement reads it (one bulk query, no names kept).

    A named tuple: a national run reads 175,000 of them (decision 0055).
    """

    pupil_id: int
    elk_number: int
    primary_school_id: int
    last_name: str
    birth_date: dt.date | None
    advice: Advice | None  # the definitive advice; None: not given (the pupil is not placed)
    school_ids: tuple[int, ...]  # the definitive list, best first
    equivalent_level: bool = False
    multiple_birth: bool = False
    priority_granted: bool | None = None


@attrs.frozen(kw_only=True)
class Intake:
    """The instance and what was left out of it, with the ids to map the result back."""

    instance: Instance
    pupil_ids: dict[str, int]  # ELK number (the instance's pupil id) → pupil id
    programmes: dict[str, tuple[int, Level]]  # programme id → (school id, level)
    without_advice: int = 0  # definitive registrations whose pupil has no definitive advice
    without_choice: int = 0  # pupils none of whose schools offers a level of the advice


def programme_id(school_id: int, level: Level) -> str:
    """The programme's id in the instance: the school's id and the level (e.g. ``12:havo``)."""
    return f"{school_id}:{level.value}"


def programmes_of(schools: Iterable[School]) -> list[Programme]:
    """Every level a VO school offers, with its capacity (0 when none was set)."""
    found = []
    for school in sorted(schools, key=lambda s: s.id):
        if school.kind is not OrgKind.VO:
            continue
        for level in sorted(school.levels, key=lambda lv: lv.rank):
            found.append(
                Programme(
                    id=programme_id(school.id, level),
                    school=school.name,
                    level=level.value,
                    capacity=school.capacity.get(level, 0),
                )
            )
    return found


def build_instance(
    procedure: str, seed: str, schools: Sequence[School], candidates: Sequence[Candidate]
) -> Intake:
    """The instance of this procedure's definitive registrations, ready for ``run.solve``."""
    programmes = programmes_of(schools)
    offered = {s.id: s for s in schools if s.kind is OrgKind.VO}
    groups = birth_groups(candidates)
    offer = _Offer(offered)
    pupils, ids = [], {}
    without_advice = without_choice = 0
    for candidate in sorted(candidates, key=lambda c: c.elk_number):
        if candidate.advice is None:
            without_advice += 1
            continue
        pupil = _pupil(procedure, candidate, offer, groups.get(candidate.pupil_id))
        if not pupil.choices:
            without_choice += 1
            continue
        pupils.append(pupil)
        ids[pupil.id] = candidate.pupil_id
    pupils = _shared_priority(pupils)
    instance = Instance(
        procedure=procedure, seed=seed, programmes=tuple(programmes), pupils=tuple(pupils)
    )
    keys = {programme_id(s.id, lv): (s.id, lv) for s in offered.values() for lv in s.levels}
    return Intake(
        instance=instance,
        pupil_ids=ids,
        programmes=keys,
        without_advice=without_advice,
        without_choice=without_choice,
    )


def level_for(advice: Advice, school: School) -> Level | None:
    """The level the child comes for at this school: the highest advice level it offers."""
    offered = [level for level in advice.levels() if level in school.levels]
    return max(offered, key=lambda level: level.rank) if offered else None


class _Offer:
    """Programme id per school for one advice, worked out once: few advices, many pupils."""

    def __init__(self, offered: dict[int, School]) -> None:
        self._offered = offered
        self._tables: dict[Advice, dict[int, str | None]] = {}

    def table(self, advice: Advice) -> dict[int, str | None]:
        """School id → the programme the advice leads to there (None: no level of it)."""
        found = self._tables.get(advice)
        if found is None:
            found = self._tables[advice] = {}
            for school in self._offered.values():
                level = level_for(advice, school)
                found[school.id] = None if level is None else programme_id(school.id, level)
        return found

    def school(self, school_id: int | None) -> School | None:
        """The VO school with this id, if it is one."""
        return None if school_id is None else self._offered.get(school_id)


def _pupil(procedure: str, candidate: Candidate, offer: _Offer, group: str | None) -> Pupil:
    advice = candidate.advice
    assert advice is not None
    table = offer.table(advice)
    found = (table.get(school_id) for school_id in candidate.school_ids)
    choices = [programme for programme in found if programme is not None]
    if procedure == "amstelland":
        del choices[AMSTELLAND_MAX_CHOICES:]  # the first choice and choices 2–5 count
    first_id = candidate.school_ids[0] if candidate.school_ids else None
    kept_first = bool(choices) and choices[0] == table.get(first_id or 0)
    first = offer.school(first_id) if kept_first else None
    return Pupil(
        id=str(candidate.elk_number),
        choices=tuple(choices),
        priority=kept_first and candidate.priority_granted is True,
        stay_equivalent=_equivalent(procedure, candidate, first),
        multiple_birth_group=group if kept_first else None,
    )


def _equivalent(procedure: str, candidate: Candidate, first: School | None) -> str | None:
    """The lower level of a combined advice at the first choice, when asked for and offered."""
    advice = candidate.advice
    if procedure != "amstelland" or first is None or advice is None:
        return None
    if not (candidate.equivalent_level and first.offers_equivalent_level and advice.is_combined):
        return None
    if level_for(advice, first) is not advice.high or advice.low not in first.levels:
        return None
    return programme_id(first.id, advice.low)


def birth_groups(candidates: Sequence[Candidate]) -> dict[int, str]:
    """Pupil id → group id for the children of one multiple birth registered together.

    Same first choice, primary school, last name and birth date, each with the option set; a
    group needs two. Ids are ``m1``, ``m2``, … in the order of the lowest ELK number, so the
    published instance names nobody.
    """
    together: dict[tuple[object, ...], list[Candidate]] = {}
    for c in candidates:
        if c.multiple_birth and c.birth_date is not None and c.school_ids:
            key = (c.school_ids[0], c.primary_school_id, c.last_name.casefold(), c.birth_date)
            together.setdefault(key, []).append(c)
    found = sorted(
        (sorted(m.elk_number for m in members), members)
        for members in together.values()
        if len(members) > 1
    )
    return {
        member.pupil_id: f"m{number}"
        for number, (_, members) in enumerate(found, start=1)
        for member in members
    }


def _shared_priority(pupils: list[Pupil]) -> list[Pupil]:
    """One multiple birth at one first choice has priority together: granted for one, for all."""
    granted = {
        (p.multiple_birth_group, p.choices[0])
        for p in pupils
        if p.multiple_birth_group is not None and p.priority
    }
    return [
        attrs.evolve(p, priority=True)
        if p.multiple_birth_group is not None and (p.multiple_birth_group, p.choices[0]) in granted
        else p
        for p in pupils
    ]
