"""The Oki-doc field catalogue (R-OKI-1) and parsing form input per field kind."""

from __future__ import annotations

import datetime as dt

import pytest

from elk_domain.errors import Rejected
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.fields import Kind, Tab


class TestCatalogue:
    def test_paths_are_unique(self) -> None:
        paths = [spec.path for spec in f.CATALOGUE]
        assert len(paths) == len(set(paths))

    @pytest.mark.parametrize(
        "tab", [Tab.LEERLING, Tab.ADVIES, Tab.LWOO_PRO, Tab.ONDERSTEUNING, Tab.OVERZICHT]
    )
    def test_every_form_tab_has_fields(self, tab: Tab) -> None:
        assert f.fields_of(tab)

    @pytest.mark.parametrize("tab", [Tab.TOETSRESULTATEN, Tab.BIJLAGEN])
    def test_record_tabs_hold_no_fields(self, tab: Tab) -> None:
        assert f.fields_of(tab) == ()

    def test_tabs_carry_the_dutch_labels(self) -> None:
        assert [t.label for t in Tab] == [
            "Leerling",
            "Advies",
            "Toetsresultaten",
            "Ind. LWOO/PrO",
            "Ondersteuning",
            "Overzicht",
            "Bijlagen",
        ]

    def test_provisional_advice_group_7_never_comes_from_oso(self) -> None:
        assert not f.spec_for(f.ADVICE_PROVISIONAL_7).oso
        assert f.spec_for(f.ADVICE_PROVISIONAL_7).required

    def test_inspection_fields_are_not_required_for_volledig(self) -> None:
        assert not any(f.spec_for(p).required for p in f.INSPECTION_PATHS)

    def test_final_test_and_definitive_advice_are_not_required(self) -> None:
        assert not any(f.spec_for(p).required for p in f.FINAL_TEST_PATHS)

    def test_every_support_trait_has_an_explanation_field(self) -> None:
        traits = f.support_trait_paths()
        assert len(traits) == 12
        assert all(f.is_known(f.explanation_path(t)) for t in traits)

    def test_choices_only_on_choice_fields(self) -> None:
        for spec in f.CATALOGUE:
            assert bool(spec.choices) == (spec.kind is Kind.CHOICE), spec.path


class TestSpecFor:
    def test_first_parent_fields_are_required(self) -> None:
        spec = f.spec_for(f.PARENT_EMAIL)
        assert (spec.path, spec.required, spec.oso, spec.kind) == (
            "ouders.0.email",
            True,
            True,
            Kind.EMAIL,
        )

    def test_further_parents_are_optional(self) -> None:
        spec = f.spec_for("ouders.3.email")
        assert spec.path == "ouders.3.email"
        assert not spec.required

    @pytest.mark.parametrize(
        "path", ["ouders.{n}.email", "ouders.4.email", "ouders.0.hobby", "leerling.bsn", "x"]
    )
    def test_unknown_paths_are_rejected(self, path: str) -> None:
        with pytest.raises(Rejected, match="geen veld van het Oki-doc"):
            f.spec_for(path)
        assert not f.is_known(path)

    def test_parent_path_builds_concrete_paths(self) -> None:
        assert f.parent_path(1, "telefoon") == "ouders.1.telefoon"


class TestFieldsOf:
    def test_parent_fields_are_repeated_per_parent_in_order(self) -> None:
        paths = [s.path for s in f.fields_of(Tab.LEERLING, parents=2)]
        first = [p for p in paths if p.startswith("ouders.0.")]
        second = [p for p in paths if p.startswith("ouders.1.")]
        assert len(first) == len(second) > 0
        assert paths.index(first[-1]) < paths.index(second[0])

    def test_at_least_one_and_at_most_four_parents(self) -> None:
        none = [s.path for s in f.fields_of(Tab.LEERLING, parents=0)]
        many = [s.path for s in f.fields_of(Tab.LEERLING, parents=9)]
        assert "ouders.0.email" in none
        assert "ouders.3.email" in many
        assert "ouders.4.email" not in many


class TestParseValue:
    @pytest.mark.parametrize(
        ("path", "raw", "expected"),
        [
            (f.PUPIL_FIRST_NAME, "  Sam ", "Sam"),
            (f.PUPIL_BIRTH_DATE, "14-05-2013", dt.date(2013, 5, 14)),
            (f.PUPIL_BIRTH_DATE, "4/5/2013", dt.date(2013, 5, 4)),
            (f.PUPIL_BIRTH_DATE, "2013-05-14", dt.date(2013, 5, 14)),
            (f.PARENTS_AGREE, "Ja", True),
            (f.PARENTS_AGREE, "nee", False),
            (f.PARENTS_AGREE, "0", False),
            ("leerling.geslacht", "meisje", "vrouw"),
            ("leerling.geslacht", "man", "man"),
            (f.ADVICE_DEFINITIVE, "VMBO-TL", "vmbo-gl/tl"),
            (f.ADVICE_DEFINITIVE, "havo / vwo", "havo/vwo"),
            (f.PARENT_EMAIL, "Ouder@Example.ORG", "Ouder@example.org"),
            ("ouders.0.telefoon", "+31 20 123 4567", "+31 20 123 4567"),
            ("leerling.postcode", "1181ab", "1181 AB"),
            ("ondersteuning.verzuim.geoorloofd", "12", 12),
            ("ondersteuning.werkhouding.motivatie", "Vraagt ondersteuning", "vraagt_ondersteuning"),
        ],
    )
    def test_valid_input_is_normalised(self, path: str, raw: str, expected: object) -> None:
        assert f.parse_value(f.spec_for(path), raw) == expected

    @pytest.mark.parametrize("raw", ["", "   "])
    def test_blank_input_clears_the_field(self, raw: str) -> None:
        assert f.parse_value(f.spec_for(f.PUPIL_BIRTH_DATE), raw) is None

    @pytest.mark.parametrize(
        ("path", "raw", "message"),
        [
            (f.PUPIL_BIRTH_DATE, "31-02-2013", "Geboortedatum: '31-02-2013' is geen datum"),
            (f.PUPIL_BIRTH_DATE, "gisteren", "is geen datum"),
            (f.PARENTS_AGREE, "misschien", "Ouders akkoord: kies ja of nee"),
            ("leerling.geslacht", "x", "kies uit: Jongen, Meisje, Onbekend"),
            (f.ADVICE_DEFINITIVE, "mbo", "geen bekend adviesniveau"),
            (f.PARENT_EMAIL, "ouder@", "geen geldig e-mailadres"),
            ("ouders.0.telefoon", "12345", "geen telefoonnummer"),
            ("ouders.0.telefoon", "020-12345678 x", "geen telefoonnummer"),
            ("leerling.postcode", "B-1000", "geen Nederlandse postcode"),
            ("ondersteuning.verzuim.geoorloofd", "-1", "geen geheel getal"),
            (f.PUPIL_FIRST_NAME, "x" * 201, "maximaal 200 tekens"),
            (f.PARENTS_VIEW, "x" * 4001, "maximaal 4000 tekens"),
        ],
    )
    def test_invalid_input_is_rejected_with_the_label(
        self, path: str, raw: str, message: str
    ) -> None:
        with pytest.raises(Rejected, match=message):
            f.parse_value(f.spec_for(path), raw)

    def test_a_foreign_postcode_is_kept_as_typed(self) -> None:
        spec = f.spec_for("ouders.1.postcode")
        assert f.parse_value(spec, " B-1000 ", country="BE") == "B-1000"

    def test_postcode_fields_know_their_country_field(self) -> None:
        assert f.country_path_for("ouders.1.postcode") == "ouders.1.land"
        assert f.country_path_for("leerling.straat") is None


class TestTextOf:
    @pytest.mark.parametrize(
        ("value", "text"),
        [(None, None), (True, "ja"), (False, "nee"), (dt.date(2025, 3, 1), "2025-03-01"), (3, "3")],
    )
    def test_values_as_text(self, value: object, text: str | None) -> None:
        assert f.text_of(value) == text  # type: ignore[arg-type]
