"""OSO code list 2 "Advies VO": never a silent guess for an unconfirmed or unknown code."""

from __future__ import annotations

import pytest

from elk_domain.advice_codes import ADVICE_CODES, NeedsManualEntry, advice_from_oso_code
from elk_domain.model.advice import Advice, Level

# The 24 values of code list 2 in the OSO gegevensset 2019.1 validation stylesheet.
CODE_LIST_2 = [
    "01",
    "10",
    "20",
    "21",
    "22",
    "23",
    "30",
    "31",
    "32",
    "33",
    "34",
    "35",
    "40",
    "41",
    "42",
    "43",
    "44",
    "50",
    "51",
    "52",
    "60",
    "61",
    "70",
    "80",
]


class TestTable:
    def test_covers_exactly_code_list_2(self) -> None:
        assert sorted(ADVICE_CODES) == CODE_LIST_2

    def test_nothing_is_confirmed_without_a_public_source(self) -> None:
        assert not any(entry.confirmed for entry in ADVICE_CODES.values())


class TestTranslate:
    def test_unconfirmed_code_needs_manual_entry_naming_the_code(self) -> None:
        outcome = advice_from_oso_code("50", trust_inferred=False)
        assert isinstance(outcome, NeedsManualEntry)
        assert outcome.code == "50"
        assert "'50'" in outcome.message
        assert "met de hand" in outcome.message

    @pytest.mark.parametrize(
        ("code", "advice"),
        [
            ("10", Advice.single(Level.PRO)),
            ("21", Advice(Level.VMBO_B, Level.VMBO_K)),
            ("40", Advice.single(Level.VMBO_GT)),
            (" 51 ", Advice(Level.HAVO, Level.VWO)),
            ("60", Advice.single(Level.VWO)),
        ],
    )
    def test_region_may_trust_the_inference(self, code: str, advice: Advice) -> None:
        assert advice_from_oso_code(code, trust_inferred=True) == advice

    @pytest.mark.parametrize("code", ["01", "22", "61", "80"])
    def test_codes_without_inference_always_need_manual_entry(self, code: str) -> None:
        assert isinstance(advice_from_oso_code(code, trust_inferred=True), NeedsManualEntry)

    @pytest.mark.parametrize("code", ["99", "", "havo"])
    def test_unknown_code_is_named_as_unknown(self, code: str) -> None:
        outcome = advice_from_oso_code(code, trust_inferred=True)
        assert isinstance(outcome, NeedsManualEntry)
        assert "onbekend" in outcome.message

    def test_a_confirmed_code_needs_no_trust(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from elk_domain import advice_codes

        confirmed = advice_codes.AdviceCode("50", Advice.single(Level.HAVO), confirmed=True)
        monkeypatch.setitem(advice_codes.ADVICE_CODES, "50", confirmed)  # type: ignore[arg-type]
        assert advice_from_oso_code("50", trust_inferred=False) == Advice.single(Level.HAVO)
