"""The Oki-doc editor's page model (R-OKI-1..3): tabs, fields, what is missing, the chart.

Saving a tab is ``edit.edit_fields`` (one unit of work; a stale version raises
``EditConflict`` with the other person's changes, which this page shows next to the input).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, allowed
from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc import fields as f
from elk_domain.okidoc import lifecycle
from elk_domain.okidoc.catalogue.oso_categories import labels
from elk_domain.okidoc.fields import FieldSpec, Tab
from elk_domain.okidoc.model import OkiDoc, OkiStatus, Source, TestResult
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.okidoc.reconsideration import reconsideration_violations
from elk_domain.okidoc.rules import is_withheld, missing_required, tab_complete, withheld_required
from elk_domain.okidoc.testresults.charts import ChartRow, dle_chart_svg, dle_chart_table
from elk_domain.okidoc.testresults.scores import by_school_year, chart_points
from elk_domain.organisation.model import School
from elk_domain.organisation.procedure import uses_lwoo_pro
from elk_domain.pupils.access import load_pupil, pupil_scope
from elk_domain.pupils.model import Pupil

#: URL names of the tabs, in screen order.
TAB_SLUGS: Mapping[Tab, str] = {
    Tab.LEERLING: "leerling",
    Tab.ADVIES: "advies",
    Tab.TOETSRESULTATEN: "toetsresultaten",
    Tab.LWOO_PRO: "lwoo-pro",
    Tab.ONDERSTEUNING: "ondersteuning",
    Tab.OVERZICHT: "overzicht",
    Tab.BIJLAGEN: "bijlagen",
}
_READ_ONLY_TABS = frozenset({Tab.TOETSRESULTATEN, Tab.BIJLAGEN, Tab.OVERZICHT})


def tab_for_slug(slug: str, *, procedure: str) -> Tab:
    """The tab named in the URL; unknown (or unused) names fall back to Leerling."""
    for tab, name in TAB_SLUGS.items():
        if name == slug and (tab is not Tab.LWOO_PRO or uses_lwoo_pro(procedure)):
            return tab
    return Tab.LEERLING


@attrs.frozen(kw_only=True)
class TabInfo:
    """One tab header: its name, whether it has required fields and whether they are filled."""

    tab: Tab
    slug: str
    has_required: bool
    complete: bool


@attrs.frozen(kw_only=True)
class OkiDocPage:
    """Everything the editor renders for one pupil."""

    pupil: Pupil
    school: School
    group_name: str
    okidoc: OkiDoc
    tabs: tuple[TabInfo, ...]
    missing: tuple[Violation, ...]
    parents: int
    can_edit: bool
    can_finalize: bool
    uses_lwoo_pro: bool
    defaults: Mapping[str, str] = attrs.field(factory=dict)  # the school's Voorkeursinstellingen
    # Required fields left empty because the parents withheld their OSO category (not missing).
    withheld_fields: tuple[Violation, ...] = ()

    @property
    def locked(self) -> bool:
        """Definitief: every field is read-only."""
        return self.okidoc.status is OkiStatus.DEFINITIEF

    def fields(self, tab: Tab) -> tuple[FieldSpec, ...]:
        """The tab's fields in form order (parents repeated)."""
        return f.fields_of(tab, parents=self.parents)

    def text(self, path: str) -> str:
        """The stored value as form text ('' when empty)."""
        return f.text_of(self.okidoc.value(path)) or ""

    def suggested(self, path: str) -> str:
        """The school's default for an empty field the user may edit ('' otherwise).

        Only a pre-fill: it becomes the field's value when the user saves the tab.
        """
        if not self.can_edit or self.locked or self.okidoc.value(path) is not None:
            return ""
        return self.defaults.get(path, "")

    def from_oso(self, path: str) -> bool:
        """True when the stored value came from OSO (R-OKI-4)."""
        field = self.okidoc.fields.get(path)
        return field is not None and field.provenance.source is Source.OSO

    def is_withheld(self, path: str) -> bool:
        """True when the field's OSO category was withheld by the parents: "niet uitgeleverd"."""
        return is_withheld(self.okidoc, path)

    @property
    def withheld_categories(self) -> str:
        """The withheld OSO categories in Dutch ('' when none): 'Ouders/verzorgers, Verzuim'."""
        return labels(self.okidoc.withheld)

    def inferred_note(self, path: str) -> str:
        """'afgeleid uit code 51 — controleer' for an advice inferred from its OSO code (0005)."""
        field = self.okidoc.fields.get(path)
        return "" if field is None else field.provenance.note

    def confirmable(self, path: str) -> bool:
        """Whether to offer "Advies klopt" beside this field: an inferred definitive advice, a
        user who may edit it, and a status in which the advice may still change (also
        Definitief: the definitive advice arrives after the parents' inspection)."""
        action = lifecycle.edit_action(self.okidoc.status, {path})
        return (
            path == f.ADVICE_DEFINITIVE
            and self.can_edit
            and bool(self.inferred_note(path))
            and lifecycle.allows(self.okidoc.status, action)
        )

    @property
    def confirm_advice(self) -> bool:
        """Whether the page needs the "Advies klopt" form (the definitive advice is confirmable)."""
        return self.confirmable(f.ADVICE_DEFINITIVE)

    @property
    def reconsideration(self) -> tuple[Violation, ...]:
        """R-DT-4 still to answer: why the Oki-doc cannot become Definitief yet."""
        return tuple(reconsideration_violations(self.okidoc))

    def results_by_year(self) -> tuple[tuple[SchoolYear, tuple[TestResult, ...]], ...]:
        """Toetsresultaten per school year, newest first."""
        return by_school_year(self.okidoc.test_results)

    def chart_svg(self) -> str:
        """The DLE chart (R-OKI-5) as SVG markup, every label escaped by ``charts``."""
        return dle_chart_svg(chart_points(self.okidoc.test_results), width=560, height=360)

    def chart_rows(self) -> tuple[ChartRow, ...]:
        """The chart's points as table rows for screen readers."""
        return dle_chart_table(chart_points(self.okidoc.test_results))


def okidoc_page(
    uow: OkidocWork, actor: Actor, pupil_id: int, *, procedure: str, parents: int = 0
) -> OkiDocPage:
    """The editor's page model; ``parents`` asks for more parent blocks than are filled."""
    lwoo = uses_lwoo_pro(procedure)
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        scope = pupil_scope(uow, pupil)
        school = uow.schools.get(pupil.school_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        group = uow.groups.get(pupil.group_id).name if pupil.group_id is not None else ""
        defaults = uow.preferences.for_school(school.id).defaults() if lwoo else {}
    tabs = tuple(
        TabInfo(
            tab=tab,
            slug=slug,
            has_required=tab not in _READ_ONLY_TABS,
            complete=tab_complete(okidoc, tab, uses_lwoo_pro=lwoo),
        )
        for tab, slug in TAB_SLUGS.items()
        if tab is not Tab.LWOO_PRO or lwoo
    )
    filled = len(okidoc.parent_indexes())
    return OkiDocPage(
        pupil=pupil,
        school=school,
        group_name=group,
        okidoc=okidoc,
        tabs=tabs,
        missing=tuple(missing_required(okidoc, uses_lwoo_pro=lwoo)),
        withheld_fields=tuple(withheld_required(okidoc, uses_lwoo_pro=lwoo)),
        parents=min(max(filled, parents, 1), f.MAX_PARENTS),
        can_edit=allowed(actor, Action.EDIT_OKIDOC, scope),
        can_finalize=allowed(actor, Action.FINALIZE_OKIDOC, scope),
        uses_lwoo_pro=lwoo,
        defaults=defaults,
    )


def advice_choices() -> tuple[str, ...]:
    """Every advice a school can give, from pro to vwo, as stored codes (for select lists)."""
    found: list[Advice] = []
    for low in Level:
        for high in Level:
            if high.rank >= low.rank:
                try:
                    found.append(Advice(low, high))
                except Rejected:
                    continue
    return tuple(a.code for a in sorted(found, key=lambda a: (a.low.rank, a.high.rank)))


def field_id(path: str) -> str:
    """The HTML id of a field's input: ``veld-advies-definitief``."""
    return "veld-" + path.replace(".", "-")


def field_location(path: str) -> tuple[str, str] | None:
    """Where a field lives on the page: (tab slug, input id); None for a non-field path."""
    if not f.is_known(path):
        return None
    return TAB_SLUGS[f.spec_for(path).tab], field_id(path)
