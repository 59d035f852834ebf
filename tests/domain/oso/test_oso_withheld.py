"""Withheld is not empty (issue 21, item 4; decision 0044): a category the parents withheld
(OPT-UIT) reads "niet uitgeleverd via OSO", is never asked for by hand, and is never merged."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.oso_world import BSN_A, FILL, NOW, SCHOOL, TEACHER, World, dossier, result

from elk_domain.documents.parts import NOT_DELIVERED, field_row
from elk_domain.errors import Rejected
from elk_domain.okidoc import fields as f
from elk_domain.okidoc import lifecycle
from elk_domain.okidoc.catalogue.oso_categories import LABELS, category_of, labels
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import CareerEntry, OkiDoc, OkiStatus
from elk_domain.okidoc.page import okidoc_page
from elk_domain.okidoc.rules import (
    is_withheld,
    missing_required,
    tab_complete,
    withheld_required,
)
from elk_domain.oso.dossiers.dossier import CATEGORIES, DossierAttachment
from elk_domain.oso.dossiers.merge import MergeMode, merge
from elk_domain.oso.dossiers.withheld import CHANGE_LABEL, delivered, recorded
from elk_domain.oso.sync import sync_one
from elk_domain.oso.transfer import request_transfers

ABSENCE = "ondersteuning.verzuim.geoorloofd"
PARENTS = frozenset({"oudersverzorgers"})
PARENT_FIELDS = {"ouders.0.achternaam": "Jansen", "ouders.0.email": "ouder@example.org"}
DIAGNOSE = DossierAttachment.from_bytes(
    kind="diagnose", filename="diagnose.pdf", content_type="application/pdf", data=b"%PDF-d"
)
OTHER = DossierAttachment.from_bytes(
    kind="overig", filename="overig.pdf", content_type="application/pdf", data=b"%PDF-o"
)
CAREER = CareerEntry(school_name="12AB00", start=dt.date(2019, 8, 20), group="5a")


def without(paths: set[str], **changes: object) -> OkiDoc:
    """The complete sample Oki-doc with ``paths`` emptied."""
    fields = {p: v for p, v in complete_fields(NOW).items() if p not in paths}
    return OkiDoc(id=1, pupil_id=1, fields=fields, **changes)  # type: ignore[arg-type]


def parent_paths() -> set[str]:
    """The first parent's fields (the only parent fields that can be required)."""
    return {s.path.replace("{n}", "0") for s in f.CATALOGUE if s.is_template}


class TestCatalogue:
    def test_the_labels_name_every_category_of_the_dossier(self) -> None:
        assert set(CATEGORIES) <= set(LABELS)
        assert len(LABELS) == 16  # code list 48: every cat_ element of the XSD

    @pytest.mark.parametrize(
        ("path", "category"),
        [
            (f.PUPIL_LAST_NAME, "leerling"),
            ("ouders.2.email", "oudersverzorgers"),
            (f.FINAL_TEST_OUTCOME, "eindtoetsbo"),
            (f.ADVICE_PROVISIONAL_8_GROUNDS, "overstapadvies"),
            (f.ADVICE_DEFINITIVE, "overstapadvies"),
            ("ondersteuning.verzuim.geoorloofd", "verzuim"),
            (f.ADVICE_TAFELTJESMIDDAG, ""),
        ],
    )
    def test_each_oso_field_knows_the_category_that_carries_it(
        self, path: str, category: str
    ) -> None:
        assert category_of(path) == category
        assert f.spec_for(path).category == category

    def test_fields_typed_by_hand_belong_to_no_category(self) -> None:
        assert all(s.category == "" for s in f.CATALOGUE if not s.oso)
        # The LAS sends no verzuim explanation: staff type it, so withholding cannot touch it.
        assert f.spec_for("ondersteuning.verzuim.toelichting").category == ""

    def test_labels_follow_the_code_list_order(self) -> None:
        assert labels(frozenset({"verzuim", "oudersverzorgers"})) == "Ouders/verzorgers, Verzuim"
        assert labels(frozenset()) == ""


class TestMissingFields:
    def test_a_withheld_category_is_not_asked_for_but_named(self) -> None:
        okidoc = without(parent_paths(), withheld=PARENTS)
        assert missing_required(okidoc) == []
        named = withheld_required(okidoc)
        assert [v.path for v in named] == [
            s.path
            for s in f.fields_of(f.Tab.LEERLING)
            if s.required and s.path.startswith("ouders.0.")
        ]
        assert named[0].message == (
            "'Relatie tot leerling' (tabblad Leerling) is niet uitgeleverd via OSO: de ouders "
            "willen niet dat deze gegevens via OSO worden doorgegeven. U hoeft dit niet in te "
            "vullen."
        )

    def test_without_the_opt_out_the_same_fields_must_be_filled(self) -> None:
        okidoc = without(parent_paths())
        assert withheld_required(okidoc) == []
        assert missing_required(okidoc)[0].message == (
            "Vul 'Relatie tot leerling' in (tabblad Leerling)."
        )

    def test_only_the_withheld_categorys_fields_are_spared(self) -> None:
        okidoc = without({f.PUPIL_LAST_NAME, "ouders.0.email"}, withheld=PARENTS)
        assert [v.path for v in missing_required(okidoc)] == [f.PUPIL_LAST_NAME]
        assert [v.path for v in withheld_required(okidoc)] == ["ouders.0.email"]

    def test_a_filled_field_of_a_withheld_category_is_neither(self) -> None:
        okidoc = without(set(), withheld=PARENTS)
        assert missing_required(okidoc) == withheld_required(okidoc) == []
        assert is_withheld(okidoc, "ouders.0.email")
        assert not is_withheld(okidoc, f.PUPIL_LAST_NAME)
        assert not is_withheld(okidoc, f.ADVICE_PROVISIONAL_7)

    def test_the_tab_gets_its_check_mark_and_the_doc_may_become_volledig(self) -> None:
        okidoc = without(parent_paths(), withheld=PARENTS)
        assert tab_complete(okidoc, f.Tab.LEERLING)
        assert lifecycle.transition(okidoc, lifecycle.OkiAction.COMPLETE) is OkiStatus.VOLLEDIG


class TestDelivered:
    def test_a_dossier_without_opt_out_is_taken_as_it_is(self) -> None:
        sent = dossier(BSN_A, values=PARENT_FIELDS)
        assert delivered(sent) is sent

    def test_data_of_a_withheld_category_is_dropped_even_when_the_las_sent_it(self) -> None:
        sent = dossier(
            BSN_A,
            values=PARENT_FIELDS | {f.FINAL_TEST_NAME: "IEP", ABSENCE: 2},
            withheld=frozenset(
                {"oudersverzorgers", "eindtoetsbo", "schoolloopbaan", "overstapadvies"}
            ),
            advice_code="70",
            final_test_results=(result(dt.date(2025, 2, 5)),),
            career=(CAREER,),
            group_name="8a",
            attachments=(DIAGNOSE, OTHER),
        )
        kept = delivered(sent)
        assert set(kept.fields) == {
            f.PUPIL_FIRST_NAME,
            f.PUPIL_LAST_NAME,
            f.PUPIL_BIRTH_DATE,
            ABSENCE,
        }
        assert (kept.advice_code, kept.final_test_results, kept.career, kept.group_name) == (
            None,
            (),
            (),
            "",
        )
        assert kept.attachments == (DIAGNOSE, OTHER)  # onderwijsondersteuning was not withheld
        support = delivered(attrs.evolve(sent, withheld=frozenset({"onderwijsondersteuning"})))
        assert support.attachments == (OTHER,)

    def test_withheld_lvs_tests_and_other_documents_are_dropped(self) -> None:
        sent = dossier(
            BSN_A, test_results=(result(dt.date(2024, 11, 1)),), attachments=(DIAGNOSE, OTHER)
        )
        assert delivered(sent).test_results == sent.test_results
        kept = delivered(attrs.evolve(sent, withheld=frozenset({"toetsresultaten", "bijlagedocs"})))
        assert (kept.test_results, kept.attachments) == ((), (DIAGNOSE,))

    def test_a_mode_that_reads_part_of_the_dossier_keeps_the_rest_as_it_was(self) -> None:
        sent = dossier(BSN_A, withheld=frozenset({"verzuim"}))
        before = frozenset({"oudersverzorgers", "eindtoetsbo"})
        assert recorded(before, sent) == {"verzuim"}
        assert recorded(before, sent, only=frozenset({"eindtoetsbo"})) == {"oudersverzorgers"}


class TestMerge:
    def test_the_oki_doc_remembers_what_was_withheld_and_the_change_is_named(self) -> None:
        sent = dossier(BSN_A, values=PARENT_FIELDS, withheld=PARENTS)
        merged = merge(OkiDoc(id=1, pupil_id=1), sent, MergeMode.FILL, at=NOW)
        assert merged.okidoc.withheld == PARENTS
        assert not merged.okidoc.is_filled("ouders.0.achternaam")
        [change] = [c for c in merged.changes if c.path == CHANGE_LABEL]
        assert (change.old, change.new) == (None, "Ouders/verzorgers")
        again = merge(merged.okidoc, sent, MergeMode.FILL, at=NOW)
        assert not again.changed

    def test_parents_who_lift_the_opt_out_get_their_data_merged(self) -> None:
        before = OkiDoc(id=1, pupil_id=1, withheld=PARENTS)
        merged = merge(before, dossier(BSN_A, values=PARENT_FIELDS), MergeMode.FILL, at=NOW)
        assert merged.okidoc.withheld == frozenset()
        assert merged.okidoc.value("ouders.0.achternaam") == "Jansen"
        [change] = [c for c in merged.changes if c.path == CHANGE_LABEL]
        assert (change.old, change.new) == ("Ouders/verzorgers", None)

    def test_final_test_only_changes_only_what_it_says_of_the_final_test(self) -> None:
        before = OkiDoc(id=1, pupil_id=1, status=OkiStatus.DEFINITIEF, withheld=PARENTS)
        sent = dossier(BSN_A, withheld=frozenset({"eindtoetsbo"}))
        merged = merge(before, sent, MergeMode.FINAL_TEST_ONLY, at=NOW)
        assert merged.refused is None
        assert merged.okidoc.withheld == {"oudersverzorgers", "eindtoetsbo"}

    def test_a_withheld_advice_leaves_the_definitive_advice_to_the_school(self) -> None:
        sent = dossier(BSN_A, advice_code="70", withheld=frozenset({"overstapadvies"}))
        merged = merge(OkiDoc(id=1, pupil_id=1), sent, MergeMode.OVERWRITE, at=NOW)
        assert merged.okidoc.value(f.ADVICE_DEFINITIVE) is None
        assert merged.needs_manual == ()


class TestUseCases:
    def test_sync_stores_the_withheld_categories_with_the_oki_doc(self) -> None:
        world = World().seed()
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, values=PARENT_FIELDS, withheld=PARENTS))
        item = sync_one(world.uow(), world.gateway, world.files, world.clock, TEACHER, pupil, FILL)
        assert CHANGE_LABEL in {c.path for c in item.changes}
        assert world.okidoc(pupil).withheld == PARENTS
        page = okidoc_page(world.uow(), TEACHER, pupil, procedure="amstelland")
        assert page.withheld_categories == "Ouders/verzorgers"
        assert page.is_withheld("ouders.0.email")
        assert not page.is_withheld(f.PUPIL_LAST_NAME)
        assert "ouders.0.email" in {v.path for v in page.withheld_fields}
        assert "ouders.0.email" not in {v.path for v in page.missing}

    def test_a_new_pupil_gets_no_group_from_a_withheld_school_career(self) -> None:
        world = World().seed().registered()
        withheld = frozenset({"schoolloopbaan"})
        world.ready(dossier(BSN_A, group_name="8a", career=(CAREER,), withheld=withheld))
        report = request_transfers(world.ports, TEACHER, SCHOOL, str(BSN_A), FILL)
        [item] = report.items
        [pupil] = world.pupils()
        assert (item.pupil_id, pupil.group_id) == (pupil.id, None)
        doc = world.okidoc(pupil.id)
        assert (doc.career, doc.withheld) == ((), withheld)


class TestPrinted:
    def test_an_empty_withheld_field_says_it_was_not_delivered(self) -> None:
        okidoc = without(parent_paths(), withheld=PARENTS)
        row = field_row(okidoc, f.spec_for("ouders.0.email"))
        assert (row.value, row.oso) == (NOT_DELIVERED, False)
        filled = field_row(without(set(), withheld=PARENTS), f.spec_for("ouders.0.email"))
        assert filled.value != NOT_DELIVERED
        assert field_row(without(parent_paths()), f.spec_for("ouders.0.email")).value == ""


def test_an_unknown_category_field_path_is_refused() -> None:
    with pytest.raises(Rejected):
        is_withheld(OkiDoc(id=1, pupil_id=1), "geen.veld")
