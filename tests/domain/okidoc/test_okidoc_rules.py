"""Required fields, tab check marks, inspection, leerrendement and the extra-support marker."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.fields import Tab
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Scalar, Source
from elk_domain.okidoc.rules import (
    LeerrendementIndication,
    inspection_violations,
    leerrendement,
    missing_required,
    needs_extra_support,
    tab_complete,
)

AT = dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)
TRAIT = "ondersteuning.werkhouding.concentratie"


def doc(**values: Scalar | None) -> OkiDoc:
    fields = complete_fields(AT)
    for key, value in values.items():
        path = key.replace("__", ".")
        if value is None:
            fields.pop(path, None)
        else:
            fields[path] = FieldValue(value, Provenance(Source.HAND, AT, "Eva"))
    return OkiDoc(id=1, pupil_id=1, fields=fields)


def with_values(okidoc: OkiDoc, values: dict[str, Scalar | None]) -> OkiDoc:
    fields = dict(okidoc.fields)
    for path, value in values.items():
        if value is None:
            fields.pop(path, None)
        else:
            fields[path] = FieldValue(value, Provenance(Source.HAND, AT, "Eva"))
    return attrs.evolve(okidoc, fields=fields)


COMPLETE = doc()


class TestMissingRequired:
    def test_the_sample_is_complete(self) -> None:
        assert missing_required(COMPLETE) == []

    def test_an_empty_oki_doc_lists_every_required_field_in_tab_order(self) -> None:
        violations = missing_required(OkiDoc(id=1, pupil_id=1))
        paths = [v.path for v in violations]
        assert paths[0] == f.PUPIL_FIRST_NAME
        assert f.PARENT_EMAIL in paths
        assert "ouders.1.email" not in paths
        assert paths.index(f.PARENT_EMAIL) < paths.index(f.ADVICE_PROVISIONAL_7)
        assert not set(paths) & f.INSPECTION_PATHS

    def test_message_names_label_and_tab(self) -> None:
        okidoc = with_values(COMPLETE, {f.ADVICE_CONTACT: None})
        assert [v.message for v in missing_required(okidoc)] == [
            "Vul 'Contactpersoon' in (tabblad Advies)."
        ]

    def test_a_blank_text_counts_as_empty(self) -> None:
        okidoc = with_values(COMPLETE, {f.ADVICE_CONTACT: "  "})
        assert [v.path for v in missing_required(okidoc)] == [f.ADVICE_CONTACT]

    def test_false_is_an_answer(self) -> None:
        assert COMPLETE.value(f.ADVICE_TAFELTJESMIDDAG) is False
        assert missing_required(COMPLETE) == []

    def test_a_trait_that_needs_support_needs_an_explanation(self) -> None:
        okidoc = with_values(COMPLETE, {TRAIT: f.SUPPORT_NEEDED})
        assert [v.path for v in missing_required(okidoc)] == [f.explanation_path(TRAIT)]
        explained = with_values(okidoc, {f.explanation_path(TRAIT): "Korte opdrachten helpen."})
        assert missing_required(explained) == []

    def test_a_trait_that_needs_attention_needs_no_explanation(self) -> None:
        assert missing_required(with_values(COMPLETE, {TRAIT: "vraagt_aandacht"})) == []

    def test_extra_support_needs_an_explanation(self) -> None:
        okidoc = with_values(COMPLETE, {f.ADVICE_EXTRA_SUPPORT: True})
        assert [v.path for v in missing_required(okidoc)] == [f.ADVICE_EXTRA_SUPPORT_EXPLANATION]

    def test_lwoo_tab_only_counts_when_the_procedure_uses_it(self) -> None:
        assert missing_required(COMPLETE, uses_lwoo_pro=False) == []
        assert [v.path for v in missing_required(COMPLETE, uses_lwoo_pro=True)] == [f.LWOO_LAT]

    def test_lat_participation_needs_cap_and_consent(self) -> None:
        okidoc = with_values(COMPLETE, {f.LWOO_LAT: True})
        paths = [v.path for v in missing_required(okidoc, uses_lwoo_pro=True)]
        assert paths == [f.LWOO_CAP, f.LWOO_CONSENT]
        no_lat = with_values(COMPLETE, {f.LWOO_LAT: False})
        assert missing_required(no_lat, uses_lwoo_pro=True) == []


class TestTabComplete:
    def test_each_tab_gets_its_own_check_mark(self) -> None:
        okidoc = with_values(COMPLETE, {f.ADVICE_CONTACT: None})
        assert tab_complete(okidoc, Tab.LEERLING)
        assert not tab_complete(okidoc, Tab.ADVIES)
        assert tab_complete(okidoc, Tab.OVERZICHT)

    def test_lwoo_tab_depends_on_the_procedure(self) -> None:
        assert tab_complete(COMPLETE, Tab.LWOO_PRO)
        assert not tab_complete(COMPLETE, Tab.LWOO_PRO, uses_lwoo_pro=True)


class TestInspection:
    def test_date_and_answer_are_needed(self) -> None:
        assert [v.path for v in inspection_violations(COMPLETE)] == [
            f.INSPECTION_DATE,
            f.PARENTS_AGREE,
        ]

    def test_agreeing_parents_need_no_view(self) -> None:
        okidoc = with_values(
            COMPLETE, {f.INSPECTION_DATE: dt.date(2025, 1, 9), f.PARENTS_AGREE: True}
        )
        assert inspection_violations(okidoc) == []

    def test_disagreeing_parents_need_their_view(self) -> None:
        okidoc = with_values(
            COMPLETE, {f.INSPECTION_DATE: dt.date(2025, 1, 9), f.PARENTS_AGREE: False}
        )
        [violation] = inspection_violations(okidoc)
        assert violation.path == f.PARENTS_VIEW
        assert "niet akkoord" in violation.message
        viewed = with_values(okidoc, {f.PARENTS_VIEW: "Wij zien meer in havo."})
        assert inspection_violations(viewed) == []


class TestLeerrendement:
    @pytest.mark.parametrize(
        ("dle", "dl", "expected"),
        [
            (50, 50, 100.0),
            (30, 40, 75.0),
            (20, 40, 50.0),
            (None, 40, None),
            (30, None, None),
            (30, 0, None),
        ],
    )
    def test_dle_divided_by_dl(
        self, dle: int | None, dl: int | None, expected: float | None
    ) -> None:
        assert leerrendement(dle, dl) == expected

    @pytest.mark.parametrize(
        ("rate", "indication"),
        [
            (120.0, LeerrendementIndication.AT_OR_ABOVE_100),
            (100.0, LeerrendementIndication.AT_OR_ABOVE_100),
            (99.9, LeerrendementIndication.BELOW_100),
            (75.1, LeerrendementIndication.BELOW_100),
            (75.0, LeerrendementIndication.INDICATIVE_LWOO),
            (50.1, LeerrendementIndication.INDICATIVE_LWOO),
            (50.0, LeerrendementIndication.INDICATIVE_PRO),
            (10.0, LeerrendementIndication.INDICATIVE_PRO),
        ],
    )
    def test_lines_at_100_75_and_50_percent(
        self, rate: float, indication: LeerrendementIndication
    ) -> None:
        assert LeerrendementIndication.of(rate) is indication


class TestExtraSupportMarker:
    def test_marker_follows_the_advice_on_extra_support(self) -> None:
        assert not needs_extra_support(COMPLETE)
        assert needs_extra_support(with_values(COMPLETE, {f.ADVICE_EXTRA_SUPPORT: True}))
        assert not needs_extra_support(OkiDoc(id=1, pupil_id=1))


class TestOkiDocRecords:
    def test_parent_indexes_lists_the_parents_present(self) -> None:
        okidoc = with_values(COMPLETE, {"ouders.2.email": "b@example.org"})
        assert okidoc.parent_indexes() == [0, 2]
