"""The parts every printed document shares: the page header and a label with its value (R-DOC-1)."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.kernel.ports import Clock
from elk_domain.okidoc.fields import FieldSpec, Kind
from elk_domain.okidoc.model import OkiDoc, Scalar, Source
from elk_domain.okidoc.rules import is_withheld
from elk_domain.parents.ports import ParentsWork
from elk_domain.pupils.model import Pupil


@attrs.frozen(kw_only=True)
class DocumentHeader:
    """What every page's header and footer repeat (page x of y is the renderer's)."""

    title: str
    pupil_name: str
    elk_number: str
    school_name: str
    printed_on: str


@attrs.frozen(kw_only=True)
class FieldRow:
    """One label and its value as printed; ``oso`` marks a value that came from OSO."""

    label: str
    value: str
    oso: bool = False
    note: str = ""  # an advice inferred from its OSO code: 'afgeleid uit code 51 — controleer'
    long: bool = False  # free text: printed below its label, so it may run across pages


def date_text(day: dt.date) -> str:
    """A date as printed: d-m-y."""
    return f"{day:%d-%m-%Y}"


def display_value(spec: FieldSpec, value: Scalar | None) -> str:
    """A stored value as a reader sees it: dates d-m-y, ja/nee, choice labels."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, dt.date):
        return date_text(value)
    if spec.kind is Kind.CHOICE:
        return dict(spec.choices).get(str(value), str(value))
    return str(value)


def document_header(uow: ParentsWork, clock: Clock, pupil: Pupil, title: str) -> DocumentHeader:
    """The header of a document about this pupil, printed today."""
    return DocumentHeader(
        title=title,
        pupil_name=pupil.name.full(),
        elk_number=str(pupil.elk_number),
        school_name=uow.schools.get(pupil.school_id).name,
        printed_on=date_text(clock.now().date()),
    )


#: What an empty field of an OSO category the parents withheld reads (decision 0044).
NOT_DELIVERED = "niet uitgeleverd via OSO"


def field_row(okidoc: OkiDoc, spec: FieldSpec) -> FieldRow:
    """One Oki-doc field as printed, marking a value that came from OSO; an empty field the
    parents withheld says "niet uitgeleverd via OSO" (the reader knows why it is empty)."""
    stored = okidoc.fields.get(spec.path)
    value = display_value(spec, None if stored is None else stored.value)
    if not value and is_withheld(okidoc, spec.path):
        value = NOT_DELIVERED
    return FieldRow(
        label=spec.label,
        value=value,
        oso=stored is not None and stored.provenance.source is Source.OSO,
        note="" if stored is None else stored.provenance.note,
        long=spec.kind is Kind.LONGTEXT,
    )
