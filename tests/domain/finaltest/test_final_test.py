"""R-DT-4: a doorstroomtoets outcome above the definitive advice needs a raise or a motivation."""

from __future__ import annotations

import datetime as dt

import pytest

from elk_domain.finaltest.rules import check_final_test, outcome_above_advice
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source

AT = dt.datetime(2025, 3, 20, tzinfo=dt.UTC)


def doc(**values: str) -> OkiDoc:
    names = {"outcome": f.FINAL_TEST_OUTCOME, "advice": f.ADVICE_DEFINITIVE}
    names["motivation"] = f.ADVICE_DEVIATION_MOTIVATION
    provenance = Provenance(Source.HAND, AT, "Eva")
    fields = {names[k]: FieldValue(v, provenance) for k, v in values.items()}
    return OkiDoc(id=1, pupil_id=1, fields=fields)


class TestCheckFinalTest:
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
        ],
    )
    def test_nothing_to_answer(self, values: dict[str, str]) -> None:
        assert check_final_test(doc(**values)) == []

    def test_outcome_above_advice_without_motivation_is_named(self) -> None:
        okidoc = doc(outcome="havo/vwo", advice="havo")
        assert outcome_above_advice(okidoc)
        [violation] = check_final_test(okidoc)
        assert violation.path == f.ADVICE_DEVIATION_MOTIVATION
        assert "(havo/vwo) is hoger dan het definitief advies (havo)" in violation.message
        assert "Stel het advies naar boven bij" in violation.message

    def test_a_raised_advice_answers_it(self) -> None:
        assert check_final_test(doc(outcome="havo/vwo", advice="havo/vwo")) == []
        assert check_final_test(doc(outcome="havo/vwo", advice="vwo")) == []

    def test_a_motivation_answers_it(self) -> None:
        okidoc = doc(outcome="vwo", advice="havo", motivation="Besproken met ouders op 20-3.")
        assert check_final_test(okidoc) == []

    def test_a_blank_motivation_does_not(self) -> None:
        assert check_final_test(doc(outcome="vwo", advice="havo", motivation="  "))
