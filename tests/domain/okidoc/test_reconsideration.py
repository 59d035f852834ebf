"""R-DT-4: a doorstroomtoets outcome above the school advice: raise it, or motivate keeping it."""

from __future__ import annotations

import datetime as dt

import pytest

from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Scalar, Source
from elk_domain.okidoc.reconsideration import (
    outcome_above_advice,
    reconsideration_pending,
    reconsideration_violations,
)

AT = dt.datetime(2025, 3, 20, tzinfo=dt.UTC)
NAMES = {
    "outcome": f.FINAL_TEST_OUTCOME,
    "advice": f.ADVICE_DEFINITIVE,
    "provisional": f.ADVICE_PROVISIONAL_8,
    "motivation": f.ADVICE_DEVIATION_MOTIVATION,
    "parents": f.ADVICE_PARENTS_INVOLVED,
}
MOTIVATED = {
    "motivation": "Besproken met ouders: havo past beter.",
    "parents": dt.date(2025, 3, 19),
}


def doc(**values: Scalar) -> OkiDoc:
    provenance = Provenance(Source.HAND, AT, "Eva")
    fields = {NAMES[k]: FieldValue(v, provenance) for k, v in values.items()}
    return OkiDoc(id=1, pupil_id=1, fields=fields)


class TestReconsideration:
    @pytest.mark.parametrize(
        "values",
        [
            {},
            {"outcome": "havo"},
            {"advice": "havo"},
            {"outcome": "havo", "advice": "havo"},
            {"outcome": "vmbo-gl/tl", "advice": "havo"},
            {"outcome": "havo/vwo", "advice": "havo/vwo"},
            {"outcome": "onleesbaar", "advice": "havo"},
            {"outcome": "vwo", "provisional": "vwo"},
        ],
    )
    def test_nothing_to_answer(self, values: dict[str, str]) -> None:
        assert not reconsideration_pending(doc(**values))
        assert reconsideration_violations(doc(**values)) == []

    def test_outcome_above_the_definitive_advice_is_named(self) -> None:
        okidoc = doc(outcome="havo/vwo", advice="havo")
        assert outcome_above_advice(okidoc)
        assert reconsideration_pending(okidoc)
        [violation] = reconsideration_violations(okidoc)
        assert violation.path == f.ADVICE_DEVIATION_MOTIVATION
        assert "(havo/vwo) is hoger dan het schooladvies (havo)" in violation.message
        assert "Stel het advies naar boven bij" in violation.message

    def test_without_a_definitive_advice_the_provisional_one_counts(self) -> None:
        okidoc = doc(outcome="vwo", provisional="havo")
        assert outcome_above_advice(okidoc)
        assert not outcome_above_advice(doc(outcome="vwo", provisional="havo", advice="vwo"))

    def test_a_raised_advice_answers_it(self) -> None:
        assert not reconsideration_pending(doc(outcome="havo/vwo", advice="havo/vwo"))
        assert not reconsideration_pending(doc(outcome="havo/vwo", advice="vwo"))

    def test_a_motivation_with_the_parents_date_answers_it(self) -> None:
        okidoc = doc(outcome="vwo", advice="havo", **MOTIVATED)
        assert outcome_above_advice(okidoc)
        assert not reconsideration_pending(okidoc)
        assert reconsideration_violations(okidoc) == []

    def test_a_motivation_without_the_parents_date_does_not(self) -> None:
        okidoc = doc(outcome="vwo", advice="havo", motivation=MOTIVATED["motivation"])
        [violation] = reconsideration_violations(okidoc)
        assert violation.path == f.ADVICE_PARENTS_INVOLVED
        assert "datum" in violation.message

    def test_a_parents_date_without_a_motivation_does_not(self) -> None:
        okidoc = doc(outcome="vwo", advice="havo", parents=MOTIVATED["parents"])
        [violation] = reconsideration_violations(okidoc)
        assert violation.path == f.ADVICE_DEVIATION_MOTIVATION

    def test_a_blank_motivation_does_not(self) -> None:
        assert reconsideration_pending(doc(outcome="vwo", advice="havo", motivation="  "))
