"""The printable Oki-doc (R-DOC-1, R-OKI-1, R-OKI-5): every tab, the results and the DLE chart.

Gathered tab by tab, with the test results per school year and the chart of their DLE; how
every document is gathered and who may print it is told in ``documents``.
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
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.fields import Tab
from elk_domain.okidoc.model import OkiDoc, Source, TestResult
from elk_domain.okidoc.rules import leerrendement, missing_required
from elk_domain.okidoc.testresults.charts import ChartRow, dle_chart_svg, dle_chart_table
from elk_domain.okidoc.testresults.scores import by_school_year, chart_points
from elk_domain.parents.ports import ParentsWork
from elk_domain.pupils.access import load_pupil


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


def _sections(okidoc: OkiDoc, tab: Tab) -> tuple[Section, ...]:
    parents = len(okidoc.parent_indexes())
    grouped: dict[str, list[FieldRow]] = {}
    for spec in f.fields_of(tab, parents=parents):
        title = spec.section
        if spec.path.startswith("ouders.") and parents > 1:
            title = f"{title} {int(spec.path.split('.')[1]) + 1}"
        grouped.setdefault(title, []).append(field_row(okidoc, spec))
    return tuple(Section(title=t, rows=tuple(rows)) for t, rows in grouped.items())


def _career(okidoc: OkiDoc) -> Section:
    rows = (
        FieldRow(
            label=entry.school_name + (f" (groep {entry.group})" if entry.group else ""),
            value=f"{date_text(entry.start)} – {date_text(entry.end) if entry.end else 'heden'}",
            oso=entry.source is Source.OSO,
        )
        for entry in okidoc.career
    )
    return Section(title="Schoolloopbaan", rows=tuple(rows))


def _result_row(result: TestResult) -> ResultRow:
    rate = leerrendement(result.dle, result.dl)
    return ResultRow(
        taken_on=date_text(result.taken_on),
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
                FieldRow(label=a.kind, value=f"{a.filename} ({date_text(a.added_at.date())})")
                for a in okidoc.attachments
            )
            sections = (Section(title="Bijlagen", rows=tuple(rows)),)
        tabs.append(TabContent(key=tab.name, title=tab.label, sections=sections, note=note))
    return tuple(tabs)


def okidoc_document(
    uow: ParentsWork, clock: Clock, actor: Actor, pupil_id: int, *, uses_lwoo_pro: bool = False
) -> OkiDocDocument:
    """The printable Oki-doc: every tab, the DLE chart and its table, for whoever may see it."""
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        points = chart_points(okidoc.test_results)
        return OkiDocDocument(
            header=document_header(uow, clock, pupil, "Onderwijskundig rapport (Oki-doc)"),
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
