"""Printable documents (R-DOC-1): the Oki-doc, the registration form and the LAT consent form.

The use cases gather what a document shows, as plain text in frozen records, after the same
permission check as the screen (who may see the pupil may print them). Rendering to PDF is the
``DocumentRenderer`` port's job; ``render_document`` joins the two for the web and the CLI.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from elk_domain.charts import ChartRow, dle_chart_svg, dle_chart_table
from elk_domain.errors import NotFound
from elk_domain.model import fields as f
from elk_domain.model.fields import FieldSpec, Kind, Tab
from elk_domain.model.okidoc import OkiDoc, Scalar, Source, TestResult
from elk_domain.model.people import Actor
from elk_domain.model.pupil import Pupil
from elk_domain.model.values import SchoolLocation
from elk_domain.okidoc_rules import leerrendement, missing_required
from elk_domain.permissions import Action, Scope, require
from elk_domain.ports import Clock, DocumentRenderer, UnitOfWork
from elk_domain.procedure import AMSTERDAM, procedure_named
from elk_domain.registration import PriorityKind, Registration
from elk_domain.services._support import load_pupil
from elk_domain.testresults import by_school_year, chart_points


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


@attrs.frozen(kw_only=True)
class Section:
    """A titled group of rows within a tab."""

    title: str
    rows: tuple[FieldRow, ...]


@attrs.frozen(kw_only=True)
class ResultRow:
    """One test result as printed in the Toetsresultaten tables."""

    taken_on: str
    test_name: str
    subject: str
    score: str
    dle: str
    dl: str
    level: str
    leerrendement: str


@attrs.frozen(kw_only=True)
class ResultYear:
    """The results of one school year, newest year first."""

    school_year: str
    rows: tuple[ResultRow, ...]


@attrs.frozen(kw_only=True)
class TabContent:
    """One Oki-doc tab: ``key`` is the ``Tab`` name, so a template can add tab-specific parts."""

    key: str
    title: str
    sections: tuple[Section, ...] = ()
    note: str = ""


@attrs.frozen(kw_only=True)
class OkiDocDocument:
    """Everything the printed Oki-doc shows, tab by tab (R-OKI-1, R-OKI-5)."""

    header: DocumentHeader
    status: str
    tabs: tuple[TabContent, ...]
    results: tuple[ResultYear, ...]
    chart_svg: str
    chart_rows: tuple[ChartRow, ...]
    missing: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RegistrationDocument:
    """The registration form: the pupil, and the preference list once a registration exists."""

    header: DocumentHeader
    procedure: str
    pupil: tuple[FieldRow, ...]
    registration: tuple[FieldRow, ...] = ()  # empty: there is no registration yet
    preferences: tuple[FieldRow, ...] = ()  # label "1e keuze" …, value the school
    first_choice: tuple[FieldRow, ...] = ()


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


def _date(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"


def display_value(spec: FieldSpec, value: Scalar | None) -> str:
    """A stored value as a reader sees it: dates d-m-y, ja/nee, choice labels."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, dt.date):
        return _date(value)
    if spec.kind is Kind.CHOICE:
        return dict(spec.choices).get(str(value), str(value))
    return str(value)


def _header(uow: UnitOfWork, clock: Clock, pupil: Pupil, title: str) -> DocumentHeader:
    return DocumentHeader(
        title=title,
        pupil_name=pupil.name.full(),
        elk_number=str(pupil.elk_number),
        school_name=uow.schools.get(pupil.school_id).name,
        printed_on=_date(clock.now().date()),
    )


def _row(okidoc: OkiDoc, spec: FieldSpec) -> FieldRow:
    stored = okidoc.fields.get(spec.path)
    return FieldRow(
        label=spec.label,
        value=display_value(spec, None if stored is None else stored.value),
        oso=stored is not None and stored.provenance.source is Source.OSO,
        note="" if stored is None else stored.provenance.note,
        long=spec.kind is Kind.LONGTEXT,
    )


def _sections(okidoc: OkiDoc, tab: Tab) -> tuple[Section, ...]:
    parents = len(okidoc.parent_indexes())
    grouped: dict[str, list[FieldRow]] = {}
    for spec in f.fields_of(tab, parents=parents):
        title = spec.section
        if spec.path.startswith("ouders.") and parents > 1:
            title = f"{title} {int(spec.path.split('.')[1]) + 1}"
        grouped.setdefault(title, []).append(_row(okidoc, spec))
    return tuple(Section(title=t, rows=tuple(rows)) for t, rows in grouped.items())


def _career(okidoc: OkiDoc) -> Section:
    rows = (
        FieldRow(
            label=entry.school_name + (f" (groep {entry.group})" if entry.group else ""),
            value=f"{_date(entry.start)} – {_date(entry.end) if entry.end else 'heden'}",
            oso=entry.source is Source.OSO,
        )
        for entry in okidoc.career
    )
    return Section(title="Schoolloopbaan", rows=tuple(rows))


def _result_row(result: TestResult) -> ResultRow:
    rate = leerrendement(result.dle, result.dl)
    return ResultRow(
        taken_on=_date(result.taken_on),
        test_name=result.test_name,
        subject=result.subject,
        score=result.score,
        dle="" if result.dle is None else str(result.dle),
        dl="" if result.dl is None else str(result.dl),
        level=result.level,
        leerrendement="" if rate is None else f"{round(rate)}%",
    )


def _results(okidoc: OkiDoc) -> tuple[ResultYear, ...]:
    years = by_school_year(okidoc.test_results)
    return tuple(
        ResultYear(school_year=str(year), rows=tuple(map(_result_row, results)))
        for year, results in years
    )


def _tabs(okidoc: OkiDoc, uses_lwoo_pro: bool) -> tuple[TabContent, ...]:
    tabs: list[TabContent] = []
    for tab in Tab:
        sections = _sections(okidoc, tab)
        note = ""
        if tab is Tab.LEERLING:
            sections = (*sections, _career(okidoc))
        elif tab is Tab.LWOO_PRO and not uses_lwoo_pro:
            sections, note = (), "Niet van toepassing in deze aanmeldprocedure."
        elif tab is Tab.BIJLAGEN:
            rows = (
                FieldRow(label=a.kind, value=f"{a.filename} ({_date(a.added_at.date())})")
                for a in okidoc.attachments
            )
            sections = (Section(title="Bijlagen", rows=tuple(rows)),)
        tabs.append(TabContent(key=tab.name, title=tab.label, sections=sections, note=note))
    return tuple(tabs)


def okidoc_document(
    uow: UnitOfWork, clock: Clock, actor: Actor, pupil_id: int, *, uses_lwoo_pro: bool = False
) -> OkiDocDocument:
    """The printable Oki-doc: every tab, the DLE chart and its table, for whoever may see it."""
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        points = chart_points(okidoc.test_results)
        return OkiDocDocument(
            header=_header(uow, clock, pupil, "Onderwijskundig rapport (Oki-doc)"),
            status=okidoc.status.label,
            tabs=_tabs(okidoc, uses_lwoo_pro),
            results=_results(okidoc),
            chart_svg=dle_chart_svg(points, width=480, height=320),
            chart_rows=dle_chart_table(points),
            missing=tuple(
                f.spec_for(v.path).label
                for v in missing_required(okidoc, uses_lwoo_pro=uses_lwoo_pro)
            ),
        )


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
    return tuple(_row(okidoc, f.spec_for(p)) for p in paths)


def _yes(value: bool) -> str:
    return "Ja" if value else "Nee"


def _first_choice(registration: Registration) -> tuple[FieldRow, ...]:
    options = registration.preferences.first_choice
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


def _school_label(uow: UnitOfWork, school_id: int) -> str:
    try:
        school = uow.schools.get(school_id)
    except NotFound:
        return f"Onbekende school ({school_id})"
    address = school.address
    return f"{school.name}, {address.street} {address.house_number}, {address.city}"


def registration_document(
    uow: UnitOfWork, clock: Clock, actor: Actor, pupil_id: int, procedure: str
) -> RegistrationDocument:
    """The registration form: preference list and first-choice options, or that there is none."""
    regional = procedure_named(procedure)
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        header = _header(uow, clock, pupil, "Aanmeldformulier voortgezet onderwijs")
        base = RegistrationDocument(
            header=header, procedure=regional.label, pupil=_pupil_rows(okidoc)
        )
        registration = uow.registrations.for_pupil(pupil.id, regional.name)
        if registration is None:
            return base
        status = [FieldRow(label="Status aanmelding", value=registration.status.label)]
        if registration.definitive_at is not None:
            status.append(
                FieldRow(label="Definitief gemaakt op", value=_date(registration.definitive_at))
            )
        preferences = tuple(
            FieldRow(label=f"{rank}e keuze", value=_school_label(uow, school_id))
            for rank, school_id in enumerate(registration.preferences.school_ids, start=1)
        )
        return attrs.evolve(
            base,
            registration=tuple(status),
            preferences=preferences,
            first_choice=_first_choice(registration),
        )


def consent_form_document(clock: Clock) -> ConsentFormDocument:
    """The blank LAT consent form of the Amsterdam route, for parents to sign."""
    return ConsentFormDocument(procedure=AMSTERDAM.label, printed_on=_date(clock.now().date()))


def export_items(
    uow: UnitOfWork, actor: Actor, location: SchoolLocation, kind: DocumentKind
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
    uow: UnitOfWork,
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
