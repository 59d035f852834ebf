"""R-DT-4: a doorstroomtoets outcome above the school advice must be answered by the school.

The school raises the definitive advice, or keeps it and writes down why (with the parents).
"""

from __future__ import annotations

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.advice import Advice, parse_advice
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc


def _advice_at(okidoc: OkiDoc, path: str) -> Advice | None:
    value = okidoc.value(path)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_advice(value)
    except Rejected:
        return None


def outcome_above_advice(okidoc: OkiDoc) -> bool:
    """True when both are known and the test outcome is higher than the definitive advice."""
    outcome = _advice_at(okidoc, f.FINAL_TEST_OUTCOME)
    advice = _advice_at(okidoc, f.ADVICE_DEFINITIVE)
    return outcome is not None and advice is not None and outcome.is_higher_than(advice)


def check_final_test(okidoc: OkiDoc) -> list[Violation]:
    """Empty when the advice is not below the test outcome or the school motivated keeping it."""
    if not outcome_above_advice(okidoc) or okidoc.is_filled(f.ADVICE_DEVIATION_MOTIVATION):
        return []
    outcome = okidoc.value(f.FINAL_TEST_OUTCOME)
    advice = okidoc.value(f.ADVICE_DEFINITIVE)
    return [
        Violation(
            f.ADVICE_DEVIATION_MOTIVATION,
            f"De uitslag van de doorstroomtoets ({outcome}) is hoger dan het definitief advies "
            f"({advice}). Stel het advies naar boven bij, of vul bij "
            f"'{f.spec_for(f.ADVICE_DEVIATION_MOTIVATION).label}' in waarom het advies "
            "blijft zoals het is.",
        )
    ]
