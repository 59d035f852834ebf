"""The registrations list of a VO school (R-AAN-4, R-AUTH-5): who chose it first, definitively.

A VO user or VO administrator sees the pupils whose definitive first choice is their own school,
with advice, level, priority claim, the first-choice options and the registration's status; the
list filters, searches, counts per level against the capacity and exports as formula-safe CSV.
"""

from __future__ import annotations

from elk_domain.errors import NotFound
from elk_domain.kernel.advice import readable_advice
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.spreadsheet import csv_text
from elk_domain.okidoc import fields
from elk_domain.organisation.model import School
from elk_domain.parents.claims import claim_state
from elk_domain.parents.registration import Registration
from elk_domain.vo.model import (
    RegistrationFilter,
    RegistrationLine,
    RegistrationList,
    claim_text,
    counts_per_level,
    level_at,
)
from elk_domain.vo.ports import VoWork

EVERYONE = RegistrationFilter()
"""No filter: every registration of the school."""

_NO_VO_SCHOOL = "Er is geen VO-school gevonden waarvan u de aanmeldingen mag bekijken."


def registrations_list(
    uow: VoWork, actor: Actor, wanted: RegistrationFilter = EVERYONE
) -> RegistrationList:
    """The actor's own VO school's registrations, filtered, by name; counts over all of them."""
    require(
        actor, Action.VIEW_REGISTRATIONS, Scope(school_id=actor.school_id, board_id=actor.board_id)
    )
    with uow:
        school = None if actor.school_id is None else uow.schools.get(actor.school_id)
        if school is None or school.kind is not OrgKind.VO:
            raise NotFound(_NO_VO_SCHOOL)
        lines = registration_lines(uow, school)
    return RegistrationList(
        school=school,
        filter=wanted,
        lines=tuple(line for line in lines if wanted.keeps(line)),
        total=len(lines),
        counts=tuple(counts_per_level(lines, school)),
        unplaceable=sum(1 for line in lines if line.level is None),
    )


def registration_lines(uow: VoWork, school: School) -> list[RegistrationLine]:
    """The school's registrations as lines, by name (inside an open unit of work)."""
    names: dict[int, str] = {}
    lines = [_line(uow, school, names, r) for r in uow.registrations.at_school(school.id)]
    lines.sort(key=lambda line: (line.name.sort_key().lower(), line.pupil_id))
    return lines


def _line(
    uow: VoWork, school: School, names: dict[int, str], registration: Registration
) -> RegistrationLine:
    """One pupil's line; ``names`` remembers the primary schools' names already read."""
    pupil = uow.pupils.get(registration.pupil_id)
    if pupil.school_id not in names:
        names[pupil.school_id] = uow.schools.get(pupil.school_id).name
    okidoc = uow.okidocs.for_pupil(pupil.id)
    advice = readable_advice(okidoc.value(fields.ADVICE_DEFINITIVE))
    options = registration.effective.first_choice
    return RegistrationLine(
        pupil_id=pupil.id,
        elk_number=pupil.elk_number,
        name=pupil.name,
        primary_school=names[pupil.school_id],
        advice=advice,
        level=level_at(advice, school),
        claim=options.priority_claim,
        priority=claim_state(options.priority_claim is not None, registration.priority_granted),
        priority_reason=registration.priority_reason,
        equivalent_level=options.equivalent_level,
        multiple_birth=options.multiple_birth,
        status=registration.status,
        registered_at=registration.definitive_at,
        tafelmiddag=okidoc.value(fields.TAFELMIDDAG_VO) is True,
        pending_change=registration.has_pending_change,
    )


CSV_HEADER = (
    "ELK-nummer",
    "Achternaam",
    "Tussenvoegsel",
    "Voornaam",
    "Basisschool",
    "Advies",
    "Niveau",
    "Voorrang",
    "Voorrang beoordeling",
    "Gelijkwaardige afdeling",
    "Meerling",
    "Status",
    "Definitief op",
    "Tafelmiddag VO",
    "Voorrang reden",
    "Wijziging in bewerking",
)


def registrations_csv(listing: RegistrationList) -> str:
    """The listed lines as CSV (semicolons), every cell safe against formula injection."""
    return csv_text(CSV_HEADER, (_csv_row(line) for line in listing.lines))


def _csv_row(line: RegistrationLine) -> tuple[object, ...]:
    return (
        line.elk_number.value,
        line.name.last,
        line.name.tussenvoegsel,
        line.name.first,
        line.primary_school,
        "" if line.advice is None else line.advice.code,
        "" if line.level is None else line.level.label,
        claim_text(line.claim),
        line.priority.label,
        _yes_no(line.equivalent_level),
        _yes_no(line.multiple_birth),
        line.status.label,
        "" if line.registered_at is None else line.registered_at.date().isoformat(),
        _yes_no(line.tafelmiddag),
        line.priority_reason,
        _yes_no(line.pending_change),
    )


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


__all__ = ["CSV_HEADER", "RegistrationFilter", "registrations_csv", "registrations_list"]
