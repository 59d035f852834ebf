"""Value objects checked at the edge: BSN, ELK number, school location, postcode, address, …"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elk_domain.errors import Rejected
from elk_domain.kernel.values import (
    Address,
    Bsn,
    ElkNumber,
    Email,
    PersonName,
    Postcode,
    SchoolLocation,
    SchoolYear,
    single_line,
)


class TestBsn:
    @pytest.mark.parametrize("text", ["123456782", " 1234.56.782 ", "123 456 782", "123-456-782"])
    def test_spaces_dots_and_dashes_are_ignored(self, text: str) -> None:
        assert Bsn.parse(text).value == "123456782"

    def test_eight_digits_get_a_leading_zero(self) -> None:
        assert Bsn.parse("10000008").value == "010000008"

    @pytest.mark.parametrize("text", ["123456789", "000000000"])
    def test_elfproef_failures_are_rejected(self, text: str) -> None:
        with pytest.raises(Rejected, match="elfproef"):
            Bsn.parse(text)

    @pytest.mark.parametrize("text", ["12345678a", "1234567820", "1234567", ""])
    def test_not_nine_digits_is_rejected(self, text: str) -> None:
        with pytest.raises(Rejected, match="9 cijfers"):
            Bsn.parse(text)

    def test_an_onderwijsnummer_is_named_as_such(self) -> None:
        with pytest.raises(Rejected, match="onderwijsnummer"):
            Bsn.parse("101000000")
        assert not Bsn.is_valid("101000000")

    def test_lists_show_only_the_last_three_digits(self) -> None:
        bsn = Bsn.parse("123456782")
        assert bsn.masked() == "******782"
        assert str(bsn) == "123456782"
        assert Bsn.is_valid("123456782")

    @given(st.integers(min_value=0, max_value=999_999_999))
    def test_every_accepted_number_passes_the_elfproef(self, number: int) -> None:
        text = f"{number:09d}"
        if Bsn.is_valid(text):
            weights = [*range(9, 1, -1), -1]
            assert sum(int(d) * w for d, w in zip(text, weights, strict=True)) % 11 == 0


class TestElkNumber:
    def test_parses_digits(self) -> None:
        assert ElkNumber.parse(" 100001 ") == ElkNumber(100001)
        assert str(ElkNumber(7)) == "7"

    @pytest.mark.parametrize("text", ["abc", "1234567890", "-1", ""])
    def test_rejects_anything_else(self, text: str) -> None:
        with pytest.raises(Rejected, match="ELK-nummer"):
            ElkNumber.parse(text)

    def test_zero_is_no_number(self) -> None:
        with pytest.raises(ValueError, match="must be > 0"):
            ElkNumber(0)


class TestSchoolLocation:
    @pytest.mark.parametrize(
        ("text", "brin", "vestiging"),
        [
            ("12AB", "12AB", "00"),
            ("12ab-01", "12AB", "01"),
            ("12AB 01", "12AB", "01"),
            ("12AB00", "12AB", "00"),
            ("0912", "0912", "00"),
        ],
    )
    def test_parses_brin_and_vestiging(self, text: str, brin: str, vestiging: str) -> None:
        assert SchoolLocation.parse(text) == SchoolLocation(brin, vestiging)

    @pytest.mark.parametrize("text", ["1AB", "12AB1", "12AB001", "12AB-", "AB12"])
    def test_rejects_malformed_codes(self, text: str) -> None:
        with pytest.raises(Rejected, match="BRIN-code"):
            SchoolLocation.parse(text)

    def test_prints_as_one_code(self) -> None:
        assert str(SchoolLocation.parse("12AB 1".replace(" 1", "01"))) == "12AB01"


class TestPostcodeAndAddress:
    @pytest.mark.parametrize("text", ["1181ab", "1181 AB", " 1181AB "])
    def test_normalises_dutch_postcodes(self, text: str) -> None:
        assert str(Postcode.parse(text)) == "1181 AB"

    @pytest.mark.parametrize("text", ["0181 AB", "1181 SA", "1181 SS", "1181 SD", "1181", "B-1000"])
    def test_rejects_what_is_never_issued(self, text: str) -> None:
        with pytest.raises(Rejected, match="Nederlandse postcode"):
            Postcode.parse(text)

    def test_a_dutch_address_gets_a_normalised_postcode(self) -> None:
        address = Address.create(
            street=" Laan ", house_number=" 1a", postcode="1181ab", city="Amstelveen", country=""
        )
        assert address == Address("Laan", "1a", "1181 AB", "Amstelveen", "NL")

    def test_a_foreign_address_keeps_its_postcode(self) -> None:
        address = Address.create(
            street="Rue", house_number="1", postcode=" B-1000 ", city="Brussel", country="be"
        )
        assert (address.postcode, address.country) == ("B-1000", "BE")


class TestSchoolYear:
    @pytest.mark.parametrize(
        ("day", "start"),
        [(dt.date(2025, 7, 31), 2024), (dt.date(2025, 8, 1), 2025), (dt.date(2026, 1, 1), 2025)],
    )
    def test_a_new_year_starts_on_1_august(self, day: dt.date, start: int) -> None:
        assert SchoolYear.of(day) == SchoolYear(start)

    @pytest.mark.parametrize("text", ["2025-2026", "2025/2026", " 2025 - 2026 "])
    def test_parses_both_notations(self, text: str) -> None:
        assert SchoolYear.parse(text) == SchoolYear(2025)

    @pytest.mark.parametrize("text", ["2025-2027", "2025", "dit jaar"])
    def test_rejects_other_text(self, text: str) -> None:
        with pytest.raises(Rejected, match="schooljaar"):
            SchoolYear.parse(text)

    def test_previous_first_day_and_text(self) -> None:
        year = SchoolYear(2025)
        assert year.previous(2) == SchoolYear(2023)
        assert year.first_day() == dt.date(2025, 8, 1)
        assert str(year) == "2025-2026"
        assert SchoolYear(2023) < year


class TestPersonName:
    def test_full_name_and_dutch_sort_key(self) -> None:
        name = PersonName("Jan", "Berg", "van der")
        assert name.full() == "Jan van der Berg"
        assert str(name) == "Jan van der Berg"
        assert name.sort_key() == "Berg, Jan van der"

    def test_sort_key_without_first_name(self) -> None:
        assert PersonName("", "Berg").sort_key() == "Berg"

    def test_lists_sort_on_the_last_name_without_tussenvoegsel(self) -> None:
        names = [
            PersonName("Piet", "Zwart"),
            PersonName("Jan", "Berg", "van der"),
            PersonName("Els", "Aa"),
        ]
        assert [n.last for n in sorted(names, key=PersonName.sort_key)] == ["Aa", "Berg", "Zwart"]


class TestEmail:
    def test_lower_cases_the_domain_only(self) -> None:
        assert str(Email.parse(" Jan.Berg@Example.ORG ")) == "Jan.Berg@example.org"

    @pytest.mark.parametrize(
        "text",
        [
            "jan",
            "jan@",
            "jan@example",
            "a b@example.org",
            "jan@@example.org",
            "x" * 250 + "@example.org",
        ],
    )
    def test_rejects_what_cannot_receive_mail(self, text: str) -> None:
        with pytest.raises(Rejected, match="geen geldig e-mailadres"):
            Email.parse(text)


class TestElfproefCheckDigit:
    def test_the_check_digit_completes_a_valid_bsn(self) -> None:
        from elk_domain.kernel.values import elfproef_check_digit

        digit = elfproef_check_digit("12345678")
        assert digit == 2
        assert Bsn.parse(f"12345678{digit}").value == "123456782"

    def test_no_digit_fits_when_the_remainder_is_ten(self) -> None:
        from elk_domain.kernel.values import elfproef_check_digit

        prefixes = [f"{n:08d}" for n in range(10_000_000, 10_000_200)]
        none_fit = [p for p in prefixes if elfproef_check_digit(p) is None]
        assert none_fit
        for prefix in none_fit:
            assert not any(Bsn.is_valid(f"{prefix}{d}") for d in range(10))


class TestSingleLine:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Noor\r\nBcc: x@evil.example", "Noor Bcc: x@evil.example"),
            ("  Zoë\t\x0b\x0c de  Vries\x85 ", "Zoë de Vries"),
            ("a\u2028b\u2029c\x00d\x1be", "a b c d e"),
            ("Łukasz Nguyễn", "Łukasz Nguyễn"),
        ],
    )
    def test_line_breaks_and_control_characters_become_one_space(
        self, text: str, expected: str
    ) -> None:
        assert single_line(text) == expected

    @given(st.text())
    def test_the_result_is_always_one_line(self, text: str) -> None:
        result = single_line(text)
        assert result.splitlines() in ([], [result])
        assert result == result.strip()
