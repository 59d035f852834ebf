"""Names compared as a person compares them: accents, case, prefixes and hyphens do not count."""

from __future__ import annotations

import pytest

from elk_domain.finaltest.names import first_name_key, fold, initials_of, surname_key


class TestFold:
    def test_drops_accents_case_and_punctuation(self) -> None:
        assert fold("Müller-Lüdenscheidt") == "muller ludenscheidt"
        assert fold("  Zoë  ") == "zoe"
        assert fold("IJsbrand Ĳzerman") == "ijsbrand ijzerman"


class TestSurnameKey:
    @pytest.mark.parametrize(
        ("tussenvoegsel", "last"),
        [
            ("van der", "Berg"),
            ("", "van der Berg"),
            ("", "Berg, van der"),
            ("Van Der", "BERG"),
            ("v.d.", "Berg"),
        ],
    )
    def test_prefixes_count_wherever_they_are_written(self, tussenvoegsel: str, last: str) -> None:
        assert surname_key(tussenvoegsel, last) == "berg"

    def test_a_double_name_with_hyphen_or_space_is_one_key(self) -> None:
        assert surname_key("", "El Amrani-de Wit") == surname_key("", "el amrani de wit")
        assert surname_key("", "El Amrani-de Wit") == "amraniwit"  # "el" is a prefix too

    def test_apostrophes_and_glued_prefixes(self) -> None:
        assert surname_key("'t", "Hart") == surname_key("", "'t Hart") == "hart"
        assert surname_key("", "d'Ancona") == "ancona"

    def test_a_surname_of_only_prefix_words_is_kept(self) -> None:
        assert surname_key("", "Van") == "van"


class TestFirstName:
    def test_hyphens_and_spaces_do_not_count(self) -> None:
        assert first_name_key("Jan-Willem") == first_name_key("jan willem") == "janwillem"

    @pytest.mark.parametrize(
        ("written", "initials"),
        [("J.", "j"), ("J.W.", "jw"), ("j. w.", "jw"), ("J", "j"), ("Ö.", "o")],
    )
    def test_initials_are_recognised(self, written: str, initials: str) -> None:
        assert initials_of(written) == initials

    @pytest.mark.parametrize("written", ["Jan", "Jo", "", "J.Willem", "1."])
    def test_a_name_is_no_initials(self, written: str) -> None:
        assert initials_of(written) is None
