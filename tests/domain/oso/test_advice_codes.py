"""OSO code list 2 "Advies VO": never a silent guess for an unconfirmed or unknown code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elk_domain.kernel.advice import Advice, Level
from elk_domain.oso.dossiers.advice_codes import (
    ADVICE_CODES,
    AdviceCode,
    InferredAdvice,
    NeedsManualEntry,
    advice_from_oso_code,
)

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
        assert advice_from_oso_code(code, trust_inferred=True) == InferredAdvice(
            code.strip(), advice
        )

    @pytest.mark.parametrize("code", ["01", "22", "61", "80"])
    def test_codes_without_inference_always_need_manual_entry(self, code: str) -> None:
        assert isinstance(advice_from_oso_code(code, trust_inferred=True), NeedsManualEntry)

    @pytest.mark.parametrize("code", ["99", "", "havo"])
    def test_unknown_code_is_named_as_unknown(self, code: str) -> None:
        outcome = advice_from_oso_code(code, trust_inferred=True)
        assert isinstance(outcome, NeedsManualEntry)
        assert "onbekend" in outcome.message

    @pytest.mark.parametrize("trust", [False, True])
    def test_a_confirmed_code_needs_no_trust_and_is_never_marked_inferred(
        self, monkeypatch: pytest.MonkeyPatch, trust: bool
    ) -> None:
        confirmed = AdviceCode("50", Advice.single(Level.HAVO), confirmed=True)
        monkeypatch.setitem(ADVICE_CODES, "50", confirmed)  # type: ignore[arg-type]
        assert advice_from_oso_code("50", trust_inferred=trust) == Advice.single(Level.HAVO)


# Decision 0005: x0 is the level alone, x1 the combination with the next level.
INFERABLE = {
    "10": Advice.single(Level.PRO),
    "20": Advice.single(Level.VMBO_B),
    "21": Advice(Level.VMBO_B, Level.VMBO_K),
    "30": Advice.single(Level.VMBO_K),
    "31": Advice(Level.VMBO_K, Level.VMBO_GT),
    "40": Advice.single(Level.VMBO_GT),
    "41": Advice(Level.VMBO_GT, Level.HAVO),
    "50": Advice.single(Level.HAVO),
    "51": Advice(Level.HAVO, Level.VWO),
    "60": Advice.single(Level.VWO),
}


class TestEveryCode:
    def test_exactly_the_codes_of_decision_0005_have_an_inference(self) -> None:
        found = {c: e.inferred for c, e in ADVICE_CODES.items() if e.inferred is not None}
        assert found == INFERABLE

    @pytest.mark.parametrize(("code", "advice"), sorted(INFERABLE.items()))
    def test_trusted_it_maps_to_exactly_its_advice_marked_inferred(
        self, code: str, advice: Advice
    ) -> None:
        outcome = advice_from_oso_code(code, trust_inferred=True)
        assert outcome == InferredAdvice(code, advice)
        assert isinstance(outcome, InferredAdvice)
        assert f"OSO-adviescode {code}" in outcome.message
        assert advice.code in outcome.message
        assert "Controleer" in outcome.message

    @pytest.mark.parametrize("code", sorted(ADVICE_CODES))
    def test_untrusted_every_code_needs_manual_entry(self, code: str) -> None:
        outcome = advice_from_oso_code(code, trust_inferred=False)
        assert outcome == NeedsManualEntry(
            code,
            f"OSO-adviescode '{code}' kan niet zeker worden vertaald naar een advies. "
            "Vul het advies met de hand in.",
        )

    @given(
        code=st.sampled_from(sorted(ADVICE_CODES)),
        pad=st.sampled_from(["", " ", "\t", "\n "]),
        trust=st.booleans(),
    )
    def test_an_unconfirmed_code_never_becomes_a_plain_advice(
        self, code: str, pad: str, trust: bool
    ) -> None:
        outcome = advice_from_oso_code(f"{pad}{code}{pad}", trust_inferred=trust)
        assert not isinstance(outcome, Advice)
        if trust and code in INFERABLE:
            assert outcome == InferredAdvice(code, INFERABLE[code])
        else:
            assert isinstance(outcome, NeedsManualEntry)
            assert outcome.code == code
