"""R-DT-4: a doorstroomtoets outcome above the school advice must be answered by the school.

The school advice is the definitive advice, or, until that is given, the provisional advice of
group 8. The school raises the advice to at least the outcome, or keeps it and records why
(``ADVICE_DEVIATION_MOTIVATION``) and when the parents were involved
(``ADVICE_PARENTS_INVOLVED``). Until then the Oki-doc cannot become Definitief
(``lifecycle.guard``) and the parent login cannot be sent (``parents.eligibility``).
"""

from __future__ import annotations

from elk_domain.errors import Violation
from elk_domain.kernel.advice import Advice, readable_advice
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc


def _advice_at(okidoc: OkiDoc, path: str) -> Advice | None:
    return readable_advice(okidoc.value(path))


def school_advice_path(okidoc: OkiDoc) -> str:
    """The field holding the school advice: the definitive one once given."""
    if okidoc.is_filled(f.ADVICE_DEFINITIVE):
        return f.ADVICE_DEFINITIVE
    return f.ADVICE_PROVISIONAL_8


def outcome_above_advice(okidoc: OkiDoc) -> bool:
    """True when both are known and the test outcome is higher than the school advice."""
    outcome = _advice_at(okidoc, f.FINAL_TEST_OUTCOME)
    advice = _advice_at(okidoc, school_advice_path(okidoc))
    return outcome is not None and advice is not None and outcome.is_higher_than(advice)


def reconsideration_violations(okidoc: OkiDoc) -> list[Violation]:
    """What the school still has to record (empty: nothing, or answered)."""
    if not outcome_above_advice(okidoc):
        return []
    if not okidoc.is_filled(f.ADVICE_DEVIATION_MOTIVATION):
        outcome = okidoc.value(f.FINAL_TEST_OUTCOME)
        advice = okidoc.value(school_advice_path(okidoc))
        message = (
            f"De uitslag van de doorstroomtoets ({outcome}) is hoger dan het schooladvies "
            f"({advice}). Stel het advies naar boven bij, of vul bij "
            f"'{f.spec_for(f.ADVICE_DEVIATION_MOTIVATION).label}' in waarom het advies blijft "
            "zoals het is, met de datum waarop de ouders zijn betrokken."
        )
        return [Violation(f.ADVICE_DEVIATION_MOTIVATION, message)]
    if not okidoc.is_filled(f.ADVICE_PARENTS_INVOLVED):
        message = (
            "Vul de datum in waarop de ouders bij de heroverweging zijn betrokken "
            f"('{f.spec_for(f.ADVICE_PARENTS_INVOLVED).label}')."
        )
        return [Violation(f.ADVICE_PARENTS_INVOLVED, message)]
    return []


def reconsideration_pending(okidoc: OkiDoc) -> bool:
    """True while the outcome is above the advice and neither answer is recorded."""
    return bool(reconsideration_violations(okidoc))
