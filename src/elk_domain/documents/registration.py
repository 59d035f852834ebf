"""The printable registration form (R-DOC-1): the pupil, the preferences and first-choice options.

Before the parents register, the form holds the pupil only; how every document is gathered and
who may print it is told in ``documents``.
"""

from __future__ import annotations

import attrs

from elk_domain.documents.parts import (
    DocumentHeader,
    FieldRow,
    date_text,
    document_header,
    field_row,
)
from elk_domain.errors import NotFound
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc
from elk_domain.parents.ports import ParentsWork
from elk_domain.parents.procedure_choice import procedure_for
from elk_domain.parents.registration import PriorityKind, Registration
from elk_domain.pupils.access import load_pupil


@attrs.frozen(kw_only=True)
class RegistrationDocument:
    """The registration form: the pupil, and the preference list once a registration exists."""

    header: DocumentHeader
    procedure: str
    pupil: tuple[FieldRow, ...]
    registration: tuple[FieldRow, ...] = ()  # empty: there is no registration yet
    preferences: tuple[FieldRow, ...] = ()  # label "1e keuze" …, value the school
    first_choice: tuple[FieldRow, ...] = ()


def _pupil_rows(okidoc: OkiDoc) -> tuple[FieldRow, ...]:
    paths = (
        f.PUPIL_FIRST_NAME,
        f.PUPIL_TUSSENVOEGSEL,
        f.PUPIL_LAST_NAME,
        f.PUPIL_BIRTH_DATE,
        "leerling.straat",
        "leerling.huisnummer",
        "leerling.postcode",
        "leerling.woonplaats",
        f.ADVICE_DEFINITIVE,
        f.PARENT_EMAIL,
    )
    return tuple(field_row(okidoc, f.spec_for(p)) for p in paths)


def _yes(value: bool) -> str:
    return "Ja" if value else "Nee"


def _first_choice(registration: Registration) -> tuple[FieldRow, ...]:
    options = registration.effective.first_choice
    claim = options.priority_claim
    if claim is None:
        priority = "Geen"
    elif claim.kind is PriorityKind.SIBLING:
        priority = f"Broer of zus op deze school: {claim.name} (klas {claim.class_name})"
    else:
        priority = f"Kind van een medewerker: {claim.name}"
    judged = {None: "Nog niet beoordeeld", True: "Gehonoreerd", False: "Niet gehonoreerd"}
    rows = [FieldRow(label="Voorrang", value=priority)]
    if claim is not None:
        rows.append(
            FieldRow(label="Beoordeling voorrang", value=judged[registration.priority_granted])
        )
    rows.append(
        FieldRow(
            label="Op deze school blijven op een gelijkwaardig niveau",
            value=_yes(options.equivalent_level),
        )
    )
    rows.append(
        FieldRow(
            label="Meerling, aangemeld bij dezelfde school", value=_yes(options.multiple_birth)
        )
    )
    return tuple(rows)


def _school_label(uow: ParentsWork, school_id: int) -> str:
    try:
        school = uow.schools.get(school_id)
    except NotFound:
        return f"Onbekende school ({school_id})"
    address = school.address
    return f"{school.name}, {address.street} {address.house_number}, {address.city}"


def registration_document(
    uow: ParentsWork, clock: Clock, actor: Actor, pupil_id: int, procedure: str
) -> RegistrationDocument:
    """The registration form: preference list and first-choice options, or that there is none."""
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        regional = procedure_for(uow, actor, procedure)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        header = document_header(uow, clock, pupil, "Aanmeldformulier voortgezet onderwijs")
        base = RegistrationDocument(
            header=header, procedure=regional.label, pupil=_pupil_rows(okidoc)
        )
        registration = uow.registrations.for_pupil(pupil.id, regional.name)
        if registration is None:
            return base
        status = [FieldRow(label="Status aanmelding", value=registration.status.label)]
        if registration.definitive_at is not None:
            status.append(
                FieldRow(label="Definitief gemaakt op", value=date_text(registration.definitive_at))
            )
        preferences = tuple(
            FieldRow(label=f"{rank}e keuze", value=_school_label(uow, school_id))
            for rank, school_id in enumerate(registration.effective.school_ids, start=1)
        )
        return attrs.evolve(
            base,
            registration=tuple(status),
            preferences=preferences,
            first_choice=_first_choice(registration),
        )
