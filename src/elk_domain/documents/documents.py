"""Printable documents (R-DOC-1): the Oki-doc, the registration form and the LAT consent form.

The use cases gather what a document shows, as plain text in frozen records, after the same
permission check as the screen (who may see the pupil may print them). Rendering to PDF is the
``DocumentRenderer`` port's job; ``render_document`` joins the two for the web and the CLI.
The Oki-doc and the registration form are gathered in ``okidoc`` and ``registration``; their
names are re-exported here for callers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from elk_domain.documents.okidoc import (
    OkiDocDocument,
    ResultRow,
    ResultYear,
    Section,
    TabContent,
    okidoc_document,
)
from elk_domain.documents.parts import DocumentHeader, FieldRow, date_text, display_value
from elk_domain.documents.ports import DocumentRenderer
from elk_domain.documents.registration import RegistrationDocument, registration_document
from elk_domain.errors import NotFound
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.values import SchoolLocation
from elk_domain.organisation.procedure import AMSTERDAM, procedure_named
from elk_domain.parents.ports import ParentsWork
from elk_domain.pupils.model import Pupil

__all__ = [
    "CONSENT_FORM_FILENAME",
    "ConsentFormDocument",
    "DocumentHeader",
    "DocumentKind",
    "ExportItem",
    "FieldRow",
    "OkiDocDocument",
    "PdfFile",
    "RegistrationDocument",
    "ResultRow",
    "ResultYear",
    "Section",
    "TabContent",
    "consent_form_document",
    "display_value",
    "export_items",
    "okidoc_document",
    "registration_document",
    "render_consent_form",
    "render_document",
]


class DocumentKind(enum.Enum):
    """The documents ELK prints; the value is what the CLI's ``--kind`` accepts."""

    OKIDOC = "okidoc"
    REGISTRATION = "aanmelding"

    @property
    def template(self) -> str:
        """The renderer's template for this kind."""
        return "okidoc.html" if self is DocumentKind.OKIDOC else "registration.html"

    def filename(self, elk_number: object) -> str:
        """A file name with the ELK number only: names stay out of folder listings."""
        stem = "oki-doc" if self is DocumentKind.OKIDOC else "aanmeldformulier"
        return f"{stem}_{elk_number}.pdf"


@attrs.frozen
class PdfFile:
    """A rendered document and the name to save it under."""

    filename: str
    data: bytes = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class ConsentFormDocument:
    """The parents' consent form for the LAT (Amsterdam route)."""

    procedure: str
    printed_on: str


@attrs.frozen(kw_only=True)
class ExportItem:
    """One pupil's document in a batch export."""

    pupil_id: int
    filename: str


def consent_form_document(clock: Clock) -> ConsentFormDocument:
    """The blank LAT consent form of the Amsterdam route, for parents to sign."""
    return ConsentFormDocument(procedure=AMSTERDAM.label, printed_on=date_text(clock.now().date()))


def export_items(
    uow: ParentsWork, actor: Actor, location: SchoolLocation, kind: DocumentKind
) -> tuple[ExportItem, ...]:
    """The pupils of one school location whose documents a batch export writes, by name."""
    with uow:
        school = uow.schools.by_location(location)
        if school is None:
            raise NotFound(f"Er is geen school met BRIN {location}.")
        require(actor, Action.VIEW_PUPIL, Scope.for_school(school))
        pupils: Iterable[Pupil] = uow.pupils.list(school.id)
        return tuple(
            ExportItem(pupil_id=p.id, filename=kind.filename(p.elk_number)) for p in pupils
        )


def render_document(
    uow: ParentsWork,
    clock: Clock,
    renderer: DocumentRenderer,
    actor: Actor,
    kind: DocumentKind,
    pupil_id: int,
    *,
    procedure: str,
) -> PdfFile:
    """The PDF of one pupil's document; the procedure decides the LWOO/PrO tab and the form."""
    document: OkiDocDocument | RegistrationDocument
    if kind is DocumentKind.OKIDOC:
        uses_lwoo_pro = procedure_named(procedure).uses_lwoo_pro_tab
        document = okidoc_document(uow, clock, actor, pupil_id, uses_lwoo_pro=uses_lwoo_pro)
    else:
        document = registration_document(uow, clock, actor, pupil_id, procedure)
    data = renderer.render(kind.template, {"doc": document})
    return PdfFile(kind.filename(document.header.elk_number), data)


CONSENT_FORM_FILENAME = "toestemmingsformulier_lat.pdf"


def render_consent_form(clock: Clock, renderer: DocumentRenderer) -> PdfFile:
    """The PDF of the blank LAT consent form (Amsterdam route)."""
    data = renderer.render("consent_form.html", {"doc": consent_form_document(clock)})
    return PdfFile(CONSENT_FORM_FILENAME, data)
