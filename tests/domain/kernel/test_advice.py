"""School advice levels: parsing the forms schools write, combinations, 'higher than' (R-DT-4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elk_domain.errors import Rejected
from elk_domain.kernel.advice import Advice, Level, parse_advice

PRO, B, K, GT, HAVO, VWO = Level
ALL_ADVICES = [Advice.single(level) for level in Level] + [
    Advice(B, K),
    Advice(K, GT),
    Advice(GT, HAVO),
    Advice(HAVO, VWO),
]


class TestParseAdvice:
    @pytest.mark.parametrize(
        ("text", "advice"),
        [
            ("vmbo kb/vmbo gl-tl", Advice(K, GT)),
            ("havo/vwo", Advice(HAVO, VWO)),
            ("HAVO / VWO", Advice(HAVO, VWO)),
            ("havo-vwo", Advice(HAVO, VWO)),
            ("havo of vwo", Advice(HAVO, VWO)),
            ("vwo/havo", Advice(HAVO, VWO)),
            ("VMBO-TL", Advice.single(GT)),
            ("vmbo-t", Advice.single(GT)),
            ("vmbo-gl/tl", Advice.single(GT)),
            ("vmbo (g)t", Advice.single(GT)),
            ("mavo", Advice.single(GT)),
            ("vmbo-t/havo", Advice(GT, HAVO)),
            ("mavo-havo", Advice(GT, HAVO)),
            ("vmbo-k/t", Advice(K, GT)),
            ("VMBO BB/KB", Advice(B, K)),
            ("b/k", Advice(B, K)),
            ("vmbo kader", Advice.single(K)),
            ("vmbo-bb", Advice.single(B)),
            ("PrO", Advice.single(PRO)),
            ("praktijkonderwijs", Advice.single(PRO)),
            ("gymnasium", Advice.single(VWO)),
        ],
    )
    def test_free_text_forms(self, text: str, advice: Advice) -> None:
        assert parse_advice(text) == advice

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "geen advies ingevuld"),
            ("mbo", "geen bekend adviesniveau"),
            ("pro/vmbo-b", "geen bestaand gecombineerd advies"),
            ("vmbo-b / havo", "geen bestaand gecombineerd advies"),
            ("vmbo-b/vmbo-k/vmbo-t", "meer dan twee niveaus"),
        ],
    )
    def test_rejects_what_is_no_advice(self, text: str, message: str) -> None:
        with pytest.raises(Rejected, match=message):
            parse_advice(text)

    @given(st.sampled_from(ALL_ADVICES))
    def test_the_stored_code_parses_back(self, advice: Advice) -> None:
        assert parse_advice(advice.code) == advice
        assert str(advice) == advice.code


class TestRank:
    def test_combined_advices_lie_between_their_levels(self) -> None:
        ranks = [a.rank for a in sorted(ALL_ADVICES, key=lambda a: a.rank)]
        assert ranks == [0, 2, 3, 4, 5, 6, 7, 8, 9, 10]  # pro/vmbo-b is no advice
        assert Advice.single(HAVO).rank < Advice(HAVO, VWO).rank < Advice.single(VWO).rank

    def test_higher_than_is_strict(self) -> None:
        assert Advice(HAVO, VWO).is_higher_than(Advice.single(HAVO))
        assert not Advice.single(HAVO).is_higher_than(Advice.single(HAVO))
        assert not Advice.single(GT).is_higher_than(Advice(GT, HAVO))

    def test_levels_and_labels(self) -> None:
        assert Advice(K, GT).levels() == (K, GT)
        assert Advice.single(VWO).levels() == (VWO,)
        assert Advice(K, GT).is_combined
        assert not Advice.single(K).is_combined
        assert GT.label == "vmbo-gl/tl"
        assert Advice(GT, HAVO).code == "vmbo-gl-tl/havo"

    def test_non_adjacent_levels_are_no_advice(self) -> None:
        with pytest.raises(Rejected, match="vmbo-b/havo"):
            Advice(B, HAVO)
