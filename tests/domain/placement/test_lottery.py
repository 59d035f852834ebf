"""The verifiable lottery (decision 0051): anyone recomputes it from the seed and ELK numbers."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from elk_domain.placement.lottery import commitment, draw, lottery_ranks, shared_draw_leaders
from elk_domain.placement.model import Pupil


def hmac_by_hand(key: bytes, message: bytes) -> str:
    """RFC 2104 written out with hashlib alone: an independent check of the draw."""
    block = 64
    key = key if len(key) <= block else hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key) + message).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in key) + inner).hexdigest()


def pupils(*ids: str) -> tuple[Pupil, ...]:
    return tuple(Pupil(id=i, choices=("a",)) for i in ids)


class TestTheDraw:
    @given(st.text(min_size=1), st.text(min_size=1, max_size=12))
    def test_is_hmac_sha256_of_the_elk_number_keyed_by_the_seed(
        self, seed: str, pupil: str
    ) -> None:
        assert draw(seed, pupil) == hmac_by_hand(seed.encode(), pupil.encode())

    def test_commitment_is_the_sha256_of_the_seed(self) -> None:
        assert commitment("geheim zaad") == hashlib.sha256(b"geheim zaad").hexdigest()


class TestTheRanks:
    @given(st.text(min_size=1), st.lists(st.text(min_size=1, max_size=6), unique=True))
    def test_rank_pupils_by_their_draw_from_one(self, seed: str, ids: list[str]) -> None:
        ranks = lottery_ranks(seed, pupils(*ids))
        assert sorted(ranks) == list(range(1, len(ids) + 1))
        by_rank = [i for _, i in sorted(zip(ranks, ids, strict=True))]
        assert by_rank == sorted(ids, key=lambda i: draw(seed, i))

    @given(st.lists(st.text(min_size=1, max_size=6), unique=True), st.randoms())
    def test_do_not_depend_on_the_order_of_the_file(self, ids: list[str], rng: object) -> None:
        shuffled = list(ids)
        rng.shuffle(shuffled)  # type: ignore[attr-defined]
        first = dict(zip(ids, lottery_ranks("z", pupils(*ids)), strict=True))
        second = dict(zip(shuffled, lottery_ranks("z", pupils(*shuffled)), strict=True))
        assert first == second

    def test_another_seed_gives_another_order(self) -> None:
        ids = [str(n) for n in range(30)]
        assert lottery_ranks("a", pupils(*ids)) != lottery_ranks("b", pupils(*ids))


class TestAMultipleBirth:
    def test_draws_once_with_the_first_sorting_member_at_one_first_choice(self) -> None:
        twins = (
            Pupil(id="200", choices=("a",), multiple_birth_group="m"),
            Pupil(id="100", choices=("a",), multiple_birth_group="m"),
            Pupil(id="300", choices=("b",), multiple_birth_group="m"),  # another first choice
        )
        others = pupils(*(str(n) for n in range(400, 440)))
        assert shared_draw_leaders(twins) == {"200": "100", "100": "100", "300": "300"}
        everyone = twins + others
        ranks = dict(zip([p.id for p in everyone], lottery_ranks("z", everyone), strict=True))
        assert ranks["200"] == ranks["100"] + 1  # one draw, then the ELK number
        ahead = {p.id for p in others if ranks[p.id] < ranks["100"]}
        assert ahead == {p.id for p in others if draw("z", p.id) < draw("z", "100")}
