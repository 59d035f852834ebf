"""A parent's registration (aanmelding): the ranked preference list and its options (R-AAN)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from elk_domain.errors import Message, Violation
from elk_domain.kernel.advice import Advice
from elk_domain.kernel.people import OrgKind
from elk_domain.organisation.model import School, Timeline
from elk_domain.organisation.procedure import RegionalProcedure
from elk_domain.parents.fitting import length_violations, list_length, open_to
from elk_domain.parents.window import CLOSED_MESSAGES, registration_window


class RegistrationStatus(enum.Enum):
    """AG: started but not definitive; AV: made definitive (linked to the first choice)."""

    STARTED = "AG"
    DEFINITIVE = "AV"

    @property
    def label(self) -> str:
        """Dutch label."""
        return (
            Message("Definitief") if self is RegistrationStatus.DEFINITIVE else Message("Gestart")
        )


class PriorityKind(enum.Enum):
    """Grounds for priority at the first-choice school."""

    SIBLING = "broer_zus"
    STAFF_CHILD = "kind_medewerker"


@attrs.frozen
class PriorityClaim:
    """A claim for priority: a sibling at the school (name and class) or a parent working there."""

    kind: PriorityKind
    name: str = ""
    class_name: str = ""


@attrs.frozen(kw_only=True)
class FirstChoiceOptions:
    """R-AAN-3: options that only exist for the first choice, so they cannot be put elsewhere."""

    priority_claim: PriorityClaim | None = None
    equivalent_level: bool = False
    multiple_birth: bool = False


@attrs.frozen(kw_only=True)
class PreferenceList:
    """VO school ids ranked from most to least wanted, plus the first-choice options."""

    school_ids: tuple[int, ...] = ()
    first_choice: FirstChoiceOptions = FirstChoiceOptions()

    @property
    def first_choice_id(self) -> int | None:
        """The school the pupil is linked to once the registration is definitive."""
        return self.school_ids[0] if self.school_ids else None

    def with_schools(self, school_ids: Iterable[int]) -> PreferenceList:
        """The list in a new order; the first-choice options belong to the first school, so they
        are cleared when another school becomes the first choice (R-AAN-3)."""
        ids = tuple(school_ids)
        first = ids[0] if ids else None
        options = self.first_choice if first == self.first_choice_id else FirstChoiceOptions()
        return PreferenceList(school_ids=ids, first_choice=options)

    def added(self, school_id: int) -> PreferenceList:
        """The school appended at the bottom (a school already on the list stays where it is)."""
        if school_id in self.school_ids:
            return self
        return self.with_schools((*self.school_ids, school_id))

    def removed(self, school_id: int) -> PreferenceList:
        """The list without that school."""
        return self.with_schools(i for i in self.school_ids if i != school_id)

    def moved(self, school_id: int, places: int) -> PreferenceList:
        """The school moved up (negative) or down (positive), stopping at either end."""
        if school_id not in self.school_ids:
            return self
        ids = [i for i in self.school_ids if i != school_id]
        at = min(max(self.school_ids.index(school_id) + places, 0), len(ids))
        ids.insert(at, school_id)
        return self.with_schools(ids)


@attrs.frozen(kw_only=True)
class PastRegistration:
    """An earlier definitive list, replaced when the parent made a new one definitive (R-AAN-4)."""

    preferences: PreferenceList
    definitive_at: dt.datetime
    replaced_at: dt.datetime


@attrs.frozen(kw_only=True)
class Registration:
    """The stored registration of one pupil in one regional procedure.

    ``preferences`` is the list the parent is working on; ``definitive`` the list that counts (the
    VO school's list, the placement). When a parent registers again in the registration week the
    definitive list stays until the new one is made definitive (R-AAN-4), then moves to
    ``history``.
    """

    id: int
    pupil_id: int
    procedure: str
    preferences: PreferenceList
    definitive: PreferenceList | None = None
    updated_at: dt.datetime
    definitive_at: dt.datetime | None = None
    priority_granted: bool | None = None  # R-AAN-5: None until the VO school judged the claim
    priority_reason: str = ""  # the VO school's reason, shown to the parent
    history: tuple[PastRegistration, ...] = ()
    version: int = 1

    @property
    def status(self) -> RegistrationStatus:
        """AV once a list was made definitive (it stays so while a new list is worked on)."""
        if self.definitive is None:
            return RegistrationStatus.STARTED
        return RegistrationStatus.DEFINITIVE

    @property
    def effective(self) -> PreferenceList:
        """The definitive list when there is one, else the list being worked on."""
        return self.preferences if self.definitive is None else self.definitive

    @property
    def has_pending_change(self) -> bool:
        """True while the parent works on a new list next to the definitive one."""
        return self.definitive is not None and self.preferences != self.definitive

    def registered_at(self) -> frozenset[int]:
        """The VO schools that see this pupil: the definitive first choice (R-AAN-4)."""
        first = None if self.definitive is None else self.definitive.first_choice_id
        return frozenset() if first is None else frozenset({first})


def check_registration(
    preferences: PreferenceList,
    *,
    advice: Advice,
    procedure: RegionalProcedure,
    schools: Mapping[int, School],
    today: dt.date,
    timeline: Timeline,
    definitive: bool,
    previous: Registration | None = None,
    placeable_at: frozenset[int] = frozenset(),
) -> list[Violation]:
    """R-AAN-1..4, 6: every reason why this list cannot be saved (or made definitive) now;
    ``placeable_at`` the schools whose orientation list holds the child as placeable."""
    return [
        *_period_violations(today, timeline, previous),
        *length_violations(
            len(preferences.school_ids),
            advice,
            procedure,
            definitive,
            list_length(procedure, advice, schools.values(), placeable_at),
        ),
        *_school_violations(preferences, advice, schools),
        *_orientation_violations(preferences, schools, procedure, placeable_at),
        *_first_choice_violations(preferences, schools),
    ]


def _orientation_violations(
    preferences: PreferenceList,
    schools: Mapping[int, School],
    procedure: RegionalProcedure,
    placeable_at: frozenset[int],
) -> list[Violation]:
    found = []
    for rank, school_id in enumerate(preferences.school_ids, start=1):
        school = schools.get(school_id)
        if school is not None and not open_to(school, procedure, placeable_at):
            message = Message("U kunt {school} alleen kiezen als uw kind op de oriëntatielijst "
                              "van die school staat en daar plaatsbaar is bevonden.",
                              school=school.name)  # fmt: skip
            found.append(Violation(f"voorkeuren.{rank}", message))
    return found


def _period_violations(
    today: dt.date, timeline: Timeline, previous: Registration | None
) -> list[Violation]:
    definitive = previous is not None and previous.definitive is not None
    window = registration_window(timeline, today, definitive=definitive)
    if window.may_edit:
        return []
    return [Violation("aanmelding", CLOSED_MESSAGES[window.state])]


def _school_violations(
    preferences: PreferenceList, advice: Advice, schools: Mapping[int, School]
) -> list[Violation]:
    found: list[Violation] = []
    seen: set[int] = set()
    for rank, school_id in enumerate(preferences.school_ids, start=1):
        path = f"voorkeuren.{rank}"
        school = schools.get(school_id)
        if school is None or school.kind is not OrgKind.VO:
            message = Message("Keuze {rank} is geen school in deze procedure.", rank=rank)
            found.append(Violation(path, message))
        elif school_id in seen:
            message = Message("{school} staat meer dan één keer op de lijst.", school=school.name)
            found.append(Violation(path, message))
        elif not set(advice.levels()) & school.levels:
            message = Message(
                "{school} biedt geen onderwijs dat past bij advies {advice}.",
                school=school.name,
                advice=str(advice),
            )
            found.append(Violation(path, message))
        seen.add(school_id)
    return found


def _first_choice_violations(
    preferences: PreferenceList, schools: Mapping[int, School]
) -> list[Violation]:
    options = preferences.first_choice
    first = preferences.first_choice_id
    if first is None:
        chosen = options.priority_claim or options.equivalent_level or options.multiple_birth
        message = Message("Kies eerst een school van eerste voorkeur.")
        return [Violation("eerste_voorkeur", message)] if chosen else []
    school = schools.get(first)
    found: list[Violation] = []
    if options.equivalent_level and school is not None and not school.offers_equivalent_level:
        message = Message(
            "{school} biedt geen plaats op een gelijkwaardige afdeling.", school=school.name
        )
        found.append(Violation("eerste_voorkeur.gelijkwaardig", message))
    claim = options.priority_claim
    if claim is None:
        return found
    if school is not None and not school.offers_priority:
        message = Message("{school} kent geen voorrangsregeling.", school=school.name)
        return [*found, Violation("eerste_voorkeur.voorrang", message)]
    return found + _claim_violations(claim)


def _claim_violations(claim: PriorityClaim) -> list[Violation]:
    found: list[Violation] = []
    sibling = claim.kind is PriorityKind.SIBLING
    if not claim.name.strip():
        name = (
            Message("Vul de naam van de broer of zus in.")
            if sibling
            else Message("Vul de naam van de medewerker in.")
        )
        found.append(Violation("eerste_voorkeur.voorrang.naam", name))
    if sibling and not claim.class_name.strip():
        message = Message("Vul de klas van de broer of zus in.")
        found.append(Violation("eerste_voorkeur.voorrang.klas", message))
    return found
