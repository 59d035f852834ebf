"""Invoeren doorstroomtoets (R-DT-3): result and definitive advice by hand; R-DT-4 checked."""

from __future__ import annotations

from collections.abc import Mapping

from elk_domain.errors import Rejected, Violation
from elk_domain.final_test import check_final_test
from elk_domain.model import fields as f
from elk_domain.model.advice import parse_advice
from elk_domain.model.overview import OverviewRow
from elk_domain.model.people import Actor
from elk_domain.ports import Clock, UnitOfWork
from elk_domain.services import okidocs
from elk_domain.services.okidoc_page import uses_lwoo_pro


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
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    values: Mapping[str, str],
    *,
    procedure: str,
) -> list[Violation]:
    """Save outcome, definitive advice and motivation (also on a Definitief Oki-doc).

    Returns the R-DT-4 findings on the saved Oki-doc: not an error (the school may keep its
    advice), but the page shows them until a motivation is written or the advice is raised.
    """
    allowed = {f.FINAL_TEST_OUTCOME, f.ADVICE_DEFINITIVE, f.ADVICE_DEVIATION_MOTIVATION}
    changes = {path: raw.strip() for path, raw in values.items() if path in allowed}
    with uow:
        current = uow.okidocs.for_pupil(pupil_id)
    changed = {p: v for p, v in changes.items() if v != (f.text_of(current.value(p)) or "")}
    saved = okidocs.edit_fields(
        uow,
        clock,
        actor,
        pupil_id,
        expected_version,
        changed,
        uses_lwoo_pro=uses_lwoo_pro(procedure),
    )
    return check_final_test(saved)
