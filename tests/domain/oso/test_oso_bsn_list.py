"""Reading a BSN list pasted from the LAS (R-OSO-3): examples and hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from elk_domain.errors import Rejected
from elk_domain.kernel.values import Bsn
from elk_domain.oso.bsn_list import MAX_CHARS, MAX_ENTRIES, parse_bsn_list, split_entries


def valid_bsn(eight: str) -> str | None:
    """The nine-digit BSN with these first eight digits, or None when no check digit fits."""
    total = sum(int(d) * w for d, w in zip(eight, range(9, 1, -1), strict=True))
    check = total % 11
    if check == 10 or set(eight + str(check)) == {"0"}:
        return None
    return eight + str(check)


@st.composite
def bsns(draw: st.DrawFn) -> str:
    number = valid_bsn(draw(st.text("0123456789", min_size=8, max_size=8)))
    assume(number is not None)
    assert number is not None
    return number


SEPARATORS = st.sampled_from(["\n", "\r\n", ",", ", ", ";", "\t", " ", "  ", "\n\n", " | "])


class TestExamples:
    def test_one_per_line_with_spaces_and_dots_inside(self) -> None:
        parsed = parse_bsn_list("123 456 782\n111.222.333\r\n")
        assert [b.value for b in parsed.valid] == ["123456782", "111222333"]
        assert parsed.invalid == ()

    def test_whitespace_between_nine_digit_groups_separates(self) -> None:
        parsed = parse_bsn_list("123456782 111222333\t123456782")
        assert [b.value for b in parsed.valid] == ["123456782", "111222333"]
        assert parsed.duplicates == ("123456782",)

    def test_junk_is_named_in_dutch_and_skipped(self) -> None:
        parsed = parse_bsn_list("abc; 101000000; 123456789, 12345, 111222333")
        assert [b.value for b in parsed.valid] == ["111222333"]
        assert [(e.text, e.message) for e in parsed.invalid] == [
            ("abc", "'abc' is geen BSN: een BSN bestaat uit 9 cijfers."),
            ("101000000", "'101000000' is een onderwijsnummer, geen BSN."),
            ("123456789", "'123456789' is geen geldig BSN (de elfproef klopt niet)."),
            ("12345", "'12345' is geen BSN: een BSN bestaat uit 9 cijfers."),
        ]

    def test_a_pasted_row_with_a_name_keeps_the_bsn(self) -> None:
        parsed = parse_bsn_list("Jansen 123456782")
        assert [b.value for b in parsed.valid] == ["123456782"]
        assert [e.text for e in parsed.invalid] == ["Jansen"]

    def test_a_repeat_is_reported_once(self) -> None:
        parsed = parse_bsn_list("123456782\n123 456 782\n123.456.782")
        assert len(parsed.valid) == 1
        assert parsed.duplicates == ("123456782",)

    def test_eight_digits_from_a_spreadsheet_get_their_leading_zero(self) -> None:
        assert parse_bsn_list("10000008").valid == (Bsn("010000008"),)

    def test_a_long_piece_of_junk_is_shortened_in_the_report(self) -> None:
        [entry] = parse_bsn_list("x" * 80).invalid
        assert entry.text == "x" * 39 + "…"
        assert entry.message.startswith("'" + "x" * 39 + "…'")

    def test_an_empty_list_is_empty(self) -> None:
        assert parse_bsn_list(" \n ,; \t").is_empty
        assert not parse_bsn_list("x").is_empty

    def test_too_many_entries_are_refused_with_the_limit(self) -> None:
        with pytest.raises(Rejected, match=f"maximaal {MAX_ENTRIES}"):
            parse_bsn_list("1\n" * (MAX_ENTRIES + 1))
        with pytest.raises(Rejected, match="te lang"):
            parse_bsn_list("1" * (MAX_CHARS + 1))

    def test_exactly_the_limit_is_fine(self) -> None:
        assert len(parse_bsn_list("1\n" * MAX_ENTRIES).invalid) == MAX_ENTRIES


class TestProperties:
    @given(st.lists(st.tuples(bsns(), SEPARATORS), max_size=30))
    def test_valid_bsns_come_back_in_order_once(self, items: list[tuple[str, str]]) -> None:
        text = "".join(number + sep for number, sep in items)
        parsed = parse_bsn_list(text)
        expected = list(dict.fromkeys(number for number, _ in items))
        assert [b.value for b in parsed.valid] == expected
        assert parsed.invalid == ()
        repeated = [n for n in expected if [m for m, _ in items].count(n) > 1]
        assert sorted(parsed.duplicates) == sorted(repeated)

    @given(st.lists(bsns(), max_size=20), st.sampled_from([" ", ".", "-"]))
    def test_grouped_digits_one_per_line_are_one_bsn(self, numbers: list[str], sep: str) -> None:
        lines = [sep.join((n[:3], n[3:6], n[6:])) for n in numbers]
        parsed = parse_bsn_list("\n".join(lines))
        assert [b.value for b in parsed.valid] == list(dict.fromkeys(numbers))

    @given(st.text(max_size=300))
    def test_every_entry_is_accounted_for(self, text: str) -> None:
        entries = split_entries(text)
        parsed = parse_bsn_list(text)
        repeats = len(entries) - len(parsed.valid) - len(parsed.invalid)
        assert repeats >= len(parsed.duplicates)
        assert all(e.message for e in parsed.invalid)
        assert all(Bsn.is_valid(b.value) for b in parsed.valid)
