"""Invoeren doorstroomtoets (R-DT-3): test, date, outcome and advice for many pupils at once.

``final_test_sheet`` is the page: a page of the pupil overview with each pupil's final-test
values. ``enter_final_tests`` saves every row of it in one unit of work, through the Oki-doc's
own edit path (``okidoc.edit.apply_input``: the same parsing, status rule and audit as a
tab). When any row is wrong (a value that does not parse, an Oki-doc someone else saved since
the page was opened) nothing is saved and every row says what is wrong, so the page can show
all typed values again. R-DT-4 findings are reported, not refused: the school may answer them
later, but until then the Oki-doc cannot become Definitief (``okidoc.reconsideration``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from elk_domain.errors import Conflict, Rejected, Violation
from elk_domain.finaltest.ports import FinalTestSheetWork
from elk_domain.kernel.advice import parse_advice
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.edit import apply_input, concurrent_changes
from elk_domain.okidoc.model import OkiDoc
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.okidoc.reconsideration import reconsideration_violations
from elk_domain.okidoc.saving import OkidocChange, store_okidoc
from elk_domain.overview.model import OverviewRow
from elk_domain.overview.page import OverviewRequest, PupilOverview, pupil_overview
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.model import Pupil

#: The columns of the page, in screen (and tab) order.
SHEET_PATHS = (
    f.FINAL_TEST_NAME,
    f.FINAL_TEST_DATE,
    f.FINAL_TEST_OUTCOME,
    f.ADVICE_DEFINITIVE,
    f.ADVICE_DEVIATION_MOTIVATION,
    f.ADVICE_PARENTS_INVOLVED,
)
ENTERED = "doorstroomtoets.ingevoerd"
STALE = (
    "Iemand anders heeft dit Oki-doc opgeslagen nadat u de lijst opende; de opgeslagen "
    "waarden staan hieronder bij 'Nu opgeslagen'. Uw invoer is bewaard: controleer en sla "
    "opnieuw op."
)


def _stale(uow: OkidocWork, okidoc: OkiDoc, row: SheetRow) -> RowResult:
    """The row of an Oki-doc saved since the page was read: who changed what, what is stored."""
    changes, _form = concurrent_changes(uow, okidoc, row.expected_version, row.values)
    who: dict[str, list[str]] = {}
    for change in changes:
        who.setdefault(change.by, []).append(change.label)
    named = " ".join(f"{by} wijzigde: {', '.join(labels)}." for by, labels in who.items())
    return RowResult(
        pupil_id=row.pupil_id,
        errors=(Violation("versie", f"{named} {STALE}".strip()),),
        stored=sheet_values(okidoc),
        version=okidoc.version,
    )


RACED = "Tijdens het opslaan sloeg iemand anders een van deze Oki-docs op. Sla opnieuw op."


def needs_motivation(row: OverviewRow) -> bool:
    """R-DT-4 on an overview row: outcome above the definitive advice and not yet answered."""
    outcome, advice = row.facts.final_test_outcome, row.facts.definitive_advice
    if outcome is None or advice is None or row.facts.deviation_motivated:
        return False
    try:
        return parse_advice(outcome).is_higher_than(parse_advice(advice))
    except Rejected:
        return False


def sheet_values(okidoc: OkiDoc | None) -> dict[str, str]:
    """A row's values as the form shows them (dates in ISO form, as a date input takes them)."""
    if okidoc is None:
        return dict.fromkeys(SHEET_PATHS, "")
    return {path: f.text_of(okidoc.value(path)) or "" for path in SHEET_PATHS}


@attrs.frozen(kw_only=True)
class FinalTestSheet:
    """The page: the overview's rows with their values, versions and R-DT-4 findings."""

    overview: PupilOverview
    values: Mapping[int, Mapping[str, str]]
    versions: Mapping[int, int]
    findings: Mapping[int, tuple[Violation, ...]]


def final_test_sheet(
    uow: FinalTestSheetWork, actor: Actor, request: OverviewRequest
) -> FinalTestSheet:
    """One page of pupils (filtered as the overview is) with their final-test values."""
    overview = pupil_overview(uow, actor, request)
    ids = [row.pupil_id for row in overview.page.rows]
    with uow:
        okidocs = uow.okidocs.for_pupils(ids)
    return FinalTestSheet(
        overview=overview,
        values={i: sheet_values(okidocs.get(i)) for i in ids},
        versions={i: okidocs[i].version if i in okidocs else 0 for i in ids},
        findings={i: tuple(reconsideration_violations(okidocs[i])) for i in ids if i in okidocs},
    )


@attrs.frozen(kw_only=True)
class SheetRow:
    """One row as submitted: whose, the version the page showed, the typed values."""

    pupil_id: int
    expected_version: int
    values: Mapping[str, str]


@attrs.frozen(kw_only=True)
class RowResult:
    """What became of a row: its errors (nothing saved), or its R-DT-4 findings."""

    pupil_id: int
    errors: tuple[Violation, ...] = ()
    findings: tuple[Violation, ...] = ()
    changed: bool = False
    stored: Mapping[str, str] = attrs.field(factory=dict)  # the values now saved (stale row)
    version: int | None = None  # the current version when the row was stale


@attrs.frozen(kw_only=True)
class SheetResult:
    """All rows saved (``saved``), or none and the errors per row."""

    saved: bool
    rows: tuple[RowResult, ...]

    @property
    def changed(self) -> int:
        """How many Oki-docs were changed."""
        return sum(1 for row in self.rows if row.changed) if self.saved else 0


def _row(
    uow: OkidocWork, okidoc: OkiDoc, row: SheetRow, actor: Actor, change: OkidocChange, lwoo: bool
) -> tuple[RowResult, OkiDoc, list[FieldChange]]:
    """The row applied to its Oki-doc, not stored; errors in the result."""
    if okidoc.version != row.expected_version:
        return _stale(uow, okidoc, row), okidoc, []
    submitted = {path: raw for path, raw in row.values.items() if path in SHEET_PATHS}
    try:
        updated, changes = apply_input(okidoc, submitted, actor, change.at, uses_lwoo_pro=lwoo)
    except (Rejected, Conflict) as error:
        errors = tuple(error.violations) or (Violation("", error.message),)
        return RowResult(pupil_id=row.pupil_id, errors=errors), okidoc, []
    findings = tuple(reconsideration_violations(updated))
    return (
        RowResult(pupil_id=row.pupil_id, findings=findings, changed=bool(changes)),
        updated,
        changes,
    )


def enter_final_tests(
    uow: OkidocWork,
    clock: Clock,
    actor: Actor,
    rows: Sequence[SheetRow],
    *,
    uses_lwoo_pro: bool = False,
) -> SheetResult:
    """Save every row in one transaction, or none (then each row says why)."""
    with uow:
        pupils = [load_pupil(uow, actor, Action.EDIT_OKIDOC, row.pupil_id) for row in rows]
        okidocs = uow.okidocs.for_pupils([pupil.id for pupil in pupils])
        change = OkidocChange(action=ENTERED, at=clock.now(), changes=())
        results: list[RowResult] = []
        ready: list[tuple[Pupil, OkiDoc, list[FieldChange]]] = []
        for row, pupil in zip(rows, pupils, strict=True):
            okidoc = okidocs.get(pupil.id) or uow.okidocs.for_pupil(pupil.id)
            result, updated, changes = _row(uow, okidoc, row, actor, change, uses_lwoo_pro)
            results.append(result)
            if changes:
                ready.append((pupil, updated, changes))
        if any(result.errors for result in results):
            return SheetResult(saved=False, rows=tuple(results))
        try:
            for pupil, updated, changes in ready:
                audited = attrs.evolve(change, changes=tuple(changes))
                store_okidoc(uow, actor, pupil, updated, audited)
            uow.commit()
        except Conflict:  # someone saved one of them while this ran: nothing is stored
            uow.rollback()
            raced = (Violation("versie", RACED),)
            return SheetResult(
                saved=False,
                rows=tuple(attrs.evolve(r, errors=raced) if r.changed else r for r in results),
            )
        return SheetResult(saved=True, rows=tuple(results))
