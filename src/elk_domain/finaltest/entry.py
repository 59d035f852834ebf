"""Invoeren doorstroomtoets (R-DT-3): result and definitive advice by hand; R-DT-4 checked."""

from __future__ import annotations

from collections.abc import Mapping

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.advice import parse_advice
from elk_domain.kernel.people import Actor
from elk_domain.kernel.ports import Clock
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.edit import edit_fields
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.okidoc.reconsideration import reconsideration_violations
from elk_domain.organisation.procedure import uses_lwoo_pro
from elk_domain.overview.model import OverviewRow

#: The fields of one row of "Invoeren doorstroomtoets", in screen order.
FINAL_TEST_PATHS = (
    f.FINAL_TEST_OUTCOME,
    f.ADVICE_DEFINITIVE,
    f.ADVICE_DEVIATION_MOTIVATION,
    f.ADVICE_PARENTS_INVOLVED,
)


def needs_motivation(row: OverviewRow) -> bool:
    """R-DT-4 on an overview row: outcome above the advice and no written motivation yet."""
    outcome, advice = row.facts.final_test_outcome, row.facts.definitive_advice
    if outcome is None or advice is None or row.facts.deviation_motivated:
        return False
    try:
        return parse_advice(outcome).is_higher_than(parse_advice(advice))
    except Rejected:
        return False


def enter_final_test(
    uow: OkidocWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    values: Mapping[str, str],
    *,
    procedure: str,
) -> list[Violation]:
    """Save outcome, definitive advice and motivation (also on a Definitief Oki-doc).

    One unit of work, the same as saving a tab (``edit_fields``); EditConflict when someone
    else saved the Oki-doc after the list was loaded.

    Returns the R-DT-4 findings on the saved Oki-doc: not an error (the school may keep its
    advice), but the page shows them until a motivation is written or the advice is raised.
    """
    submitted = {path: raw for path, raw in values.items() if path in FINAL_TEST_PATHS}
    saved = edit_fields(
        uow,
        clock,
        actor,
        pupil_id,
        expected_version,
        submitted,
        uses_lwoo_pro=uses_lwoo_pro(procedure),
    )
    return reconsideration_violations(saved)


def typed_input(values: Mapping[str, str]) -> str:
    """What the user typed in a row that could not be saved, so the message keeps it for them."""
    typed = [
        f"{f.spec_for(path).label}: {values[path].strip()}"
        for path in FINAL_TEST_PATHS
        if values.get(path, "").strip()
    ]
    return f"Uw invoer was: {'; '.join(typed)}." if typed else ""
