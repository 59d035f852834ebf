"""Merging an OSO dossier into an Oki-doc (R-OSO-4..6): examples and hypothesis properties."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elk_domain.errors import Rejected
from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.values import Bsn, SchoolLocation, SchoolYear
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.fields import Kind
from elk_domain.okidoc.model import (
    CareerEntry,
    FieldValue,
    OkiDoc,
    OkiStatus,
    Provenance,
    Scalar,
    Source,
)
from elk_domain.okidoc.model import TestResult as Result
from elk_domain.oso.dossiers.advice_codes import ADVICE_CODES, AdviceCode
from elk_domain.oso.dossiers.dossier import DossierAttachment, OsoDossier
from elk_domain.oso.dossiers.merge import MergeMode, MergeResult, attachment_record, merge

AT = dt.datetime(2025, 3, 20, 10, tzinfo=dt.UTC)
DOSSIER_DATE = dt.datetime(2025, 3, 18, 8, tzinfo=dt.UTC)
HAND = Provenance(Source.HAND, dt.datetime(2025, 1, 5, tzinfo=dt.UTC), "Eva")
BSN = Bsn.parse("111222333")
INFERABLE = {c: e.inferred for c, e in ADVICE_CODES.items() if e.inferred is not None}


def result(day: dt.date, subject: str = "Rekenen", score: str = "A", name: str = "Cito") -> Result:
    return Result(
        school_year=SchoolYear.of(day),
        taken_on=day,
        test_name=name,
        subject=subject,
        score=score,
    )


def dossier(**kwargs: object) -> OsoDossier:
    base: dict[str, object] = {
        "sender": SchoolLocation.parse("12AB00"),
        "sender_name": "De Regenboog",
        "bsn": BSN,
        "dossier_date": DOSSIER_DATE,
    }
    return OsoDossier(**(base | kwargs))  # type: ignore[arg-type]


def doc(values: dict[str, Scalar] | None = None, **kwargs: object) -> OkiDoc:
    fields = {p: FieldValue(v, HAND) for p, v in (values or {}).items()}
    return OkiDoc(id=1, pupil_id=1, fields=fields, **kwargs)  # type: ignore[arg-type]


PDF = DossierAttachment.from_bytes(
    kind="Rapport", filename="rapport.pdf", content_type="application/pdf", data=b"%PDF-1"
)


class TestDossier:
    def test_only_oso_fields_may_arrive(self) -> None:
        with pytest.raises(Rejected, match=f.ADVICE_PROVISIONAL_7):
            dossier(fields={f.ADVICE_PROVISIONAL_7: "havo"})

    def test_attachment_checksum_and_size_come_from_the_bytes(self) -> None:
        assert PDF.size == 6
        assert len(PDF.sha256) == 64
        assert "data" not in repr(PDF)

    def test_sender_label_names_school_and_location(self) -> None:
        assert dossier().sender_label == "De Regenboog (12AB00)"
        assert dossier(sender_name="").sender_label == "12AB00"

    def test_the_identity_check_wants_the_own_location_and_the_pupils_bsn(self) -> None:
        here = SchoolLocation.parse("12AB00")
        dossier().check_identity(location=here, pupil_bsn=BSN)
        dossier().check_identity()  # nothing asked: nothing to compare
        for elsewhere in ("12AB01", "34CD00"):  # another vestiging of the BRIN is another school
            with pytest.raises(Rejected, match=f"locatie {elsewhere}.*andere BRIN of vestiging"):
                dossier(sender=SchoolLocation.parse(elsewhere)).check_identity(location=here)
        with pytest.raises(Rejected, match="hoort bij een andere leerling"):
            dossier().check_identity(location=here, pupil_bsn=Bsn.parse("123456782"))


class TestFill:
    def test_fills_only_empty_fields_with_oso_provenance(self) -> None:
        okidoc = doc({f.PUPIL_FIRST_NAME: "Sammie"})
        incoming = {
            f.PUPIL_FIRST_NAME: "Sam",
            f.PUPIL_LAST_NAME: "Jansen",
            "leerling.roepnaam": " ",
        }
        merged = merge(okidoc, dossier(fields=incoming), MergeMode.FILL, at=AT)
        assert merged.okidoc.value(f.PUPIL_FIRST_NAME) == "Sammie"
        assert merged.okidoc.fields[f.PUPIL_LAST_NAME].provenance == Provenance(
            Source.OSO, DOSSIER_DATE, "De Regenboog (12AB00)"
        )
        assert [(c.path, c.old, c.new) for c in merged.changes] == [
            (f.PUPIL_LAST_NAME, None, "Jansen")
        ]
        assert not merged.okidoc.is_filled("leerling.roepnaam")

    def test_keeps_changed_test_results_and_adds_new_ones(self) -> None:
        old = result(dt.date(2025, 1, 20), score="B")
        okidoc = doc(test_results=(old,))
        new = result(dt.date(2025, 1, 21))
        merged = merge(
            okidoc, dossier(test_results=(attrs.evolve(old, score="A"), new)), MergeMode.FILL, at=AT
        )
        assert merged.okidoc.test_results == (old, new)
        assert merged.added_test_results == 1


class TestOverwrite:
    def test_replaces_hand_edited_oso_fields(self) -> None:
        okidoc = doc({f.PUPIL_FIRST_NAME: "Sammie", f.ADVICE_PROVISIONAL_7: "havo"})
        merged = merge(
            okidoc, dossier(fields={f.PUPIL_FIRST_NAME: "Sam"}), MergeMode.OVERWRITE, at=AT
        )
        assert merged.okidoc.value(f.PUPIL_FIRST_NAME) == "Sam"
        assert merged.okidoc.value(f.ADVICE_PROVISIONAL_7) == "havo"
        assert [(c.old, c.new) for c in merged.changes] == [("Sammie", "Sam")]

    def test_a_different_kind_of_equal_value_is_a_change(self) -> None:
        okidoc = doc({"ondersteuning.verzuim.geoorloofd": 1})
        merged = merge(
            okidoc,
            dossier(fields={"ondersteuning.verzuim.geoorloofd": True}),
            MergeMode.OVERWRITE,
            at=AT,
        )
        assert len(merged.changes) == 1

    def test_replaces_a_changed_test_result(self) -> None:
        old = result(dt.date(2025, 1, 20), score="B")
        merged = merge(
            doc(test_results=(old,)),
            dossier(test_results=(attrs.evolve(old, score="A"),)),
            MergeMode.OVERWRITE,
            at=AT,
        )
        assert [r.score for r in merged.okidoc.test_results] == ["A"]
        assert merged.added_test_results == 0
        assert merged.changes[0].old == "score B"

    def test_career_entries_are_added_and_corrected(self) -> None:
        entry = CareerEntry(school_name="De Regenboog", start=dt.date(2017, 8, 21), group="1")
        ended = attrs.evolve(entry, end=dt.date(2025, 7, 11))
        other = CareerEntry(school_name="De Klimop", start=dt.date(2016, 8, 22))
        merged = merge(
            doc(career=(entry,)), dossier(career=(ended, other)), MergeMode.OVERWRITE, at=AT
        )
        assert merged.okidoc.career == (other, ended)
        filled = merge(doc(career=(entry,)), dossier(career=(ended,)), MergeMode.FILL, at=AT)
        assert filled.okidoc.career == (entry,)
        assert "t/m 2025-07-11" in str(merged.changes)


class TestFinalTestOnly:
    def test_touches_only_final_test_fields_and_results(self) -> None:
        incoming = {
            f.FINAL_TEST_OUTCOME: "vwo",
            f.ADVICE_DEFINITIVE: "havo/vwo",
            f.PUPIL_FIRST_NAME: "Sam",
        }
        final = result(dt.date(2025, 2, 10), "Doorstroomtoets", name="Route 8")
        merged = merge(
            doc(),
            dossier(
                fields=incoming,
                test_results=(result(dt.date(2025, 1, 20)),),
                final_test_results=(final,),
                attachments=(PDF,),
                career=(CareerEntry(school_name="X", start=dt.date(2017, 8, 1)),),
            ),
            MergeMode.FINAL_TEST_ONLY,
            at=AT,
        )
        assert {c.path for c in merged.changes if c.path in incoming} == {
            f.FINAL_TEST_OUTCOME,
            f.ADVICE_DEFINITIVE,
        }
        assert merged.okidoc.test_results == (final,)
        assert merged.new_attachments == ()
        assert merged.okidoc.career == ()

    def test_updates_a_definitief_oki_doc(self) -> None:
        okidoc = doc({f.ADVICE_DEFINITIVE: "havo"}, status=OkiStatus.DEFINITIEF)
        merged = merge(
            okidoc,
            dossier(fields={f.ADVICE_DEFINITIVE: "havo/vwo"}),
            MergeMode.FINAL_TEST_ONLY,
            at=AT,
        )
        assert merged.refused is None
        assert merged.okidoc.status is OkiStatus.DEFINITIEF
        assert merged.okidoc.value(f.ADVICE_DEFINITIVE) == "havo/vwo"


class TestDefinitief:
    @pytest.mark.parametrize("mode", [MergeMode.FILL, MergeMode.OVERWRITE])
    def test_a_full_merge_is_refused(self, mode: MergeMode) -> None:
        okidoc = doc(status=OkiStatus.DEFINITIEF)
        merged = merge(
            okidoc, dossier(fields={f.PUPIL_FIRST_NAME: "Sam"}, attachments=(PDF,)), mode, at=AT
        )
        assert merged == MergeResult(okidoc=okidoc, refused=merged.refused)
        assert merged.refused is not None
        assert "definitief" in merged.refused


class TestRecords:
    def test_old_results_are_dropped_on_import(self) -> None:
        old = result(dt.date(2022, 3, 1))
        kept = result(dt.date(2023, 3, 1))
        merged = merge(
            doc(test_results=(old,)),
            dossier(test_results=(result(dt.date(2022, 2, 1)), kept)),
            MergeMode.FILL,
            at=AT,
        )
        assert merged.okidoc.test_results == (kept,)
        assert merged.added_test_results == 1
        assert any(c.new is None and "2022-03-01" in c.path for c in merged.changes)

    def test_attachments_are_new_once_by_checksum(self) -> None:
        same = attrs.evolve(PDF, filename="kopie.pdf")
        merged = merge(doc(), dossier(attachments=(PDF, same)), MergeMode.FILL, at=AT)
        assert merged.new_attachments == (PDF,)
        record = attachment_record(PDF, storage_key="k1", at=AT, by="OSO")
        again = merge(
            doc(attachments=(record,)), dossier(attachments=(PDF,)), MergeMode.OVERWRITE, at=AT
        )
        assert again.new_attachments == ()
        assert record.source is Source.OSO
        assert record.key == PDF.sha256


class TestAdviceCode:
    def test_an_unconfirmed_code_asks_for_manual_entry(self) -> None:
        merged = merge(doc(), dossier(advice_code="50"), MergeMode.FILL, at=AT)
        assert [v.path for v in merged.needs_manual] == [f.ADVICE_DEFINITIVE]
        assert not merged.okidoc.is_filled(f.ADVICE_DEFINITIVE)

    def test_a_trusted_code_fills_the_definitive_advice(self) -> None:
        merged = merge(
            doc(), dossier(advice_code="51"), MergeMode.FILL, at=AT, trust_inferred_advice=True
        )
        assert merged.okidoc.value(f.ADVICE_DEFINITIVE) == "havo/vwo"
        assert merged.needs_manual == ()

    @pytest.mark.parametrize(("code", "advice"), sorted(INFERABLE.items()))
    def test_a_trusted_code_is_filled_in_and_marked_inferred(
        self, code: str, advice: Advice
    ) -> None:
        incoming = dossier(advice_code=code, fields={f.PUPIL_LAST_NAME: "Jansen"})
        merged = merge(doc(), incoming, MergeMode.FILL, at=AT, trust_inferred_advice=True)
        field = merged.okidoc.fields[f.ADVICE_DEFINITIVE]
        assert field.value == advice.code
        assert field.provenance == Provenance(
            Source.OSO, DOSSIER_DATE, "De Regenboog (12AB00)", inferred_from=code
        )
        assert field.provenance.note == f"afgeleid uit code {code} — controleer"
        assert [(v.path, v.message) for v in merged.to_check] == [
            (
                f.ADVICE_DEFINITIVE,
                f"Definitief advies {advice.code} is afgeleid uit OSO-adviescode {code}; die "
                "vertaling is niet officieel bevestigd. Controleer het advies.",
            )
        ]
        assert merged.needs_manual == ()
        # Only the advice is inferred: the other fields came as they were sent.
        assert merged.okidoc.fields[f.PUPIL_LAST_NAME].provenance.inferred_from == ""
        assert merged.okidoc.fields[f.PUPIL_LAST_NAME].provenance.note == ""

    @pytest.mark.parametrize("code", sorted(INFERABLE))
    def test_an_untrusted_code_stays_empty_and_needs_manual_entry(self, code: str) -> None:
        merged = merge(doc(), dossier(advice_code=code), MergeMode.OVERWRITE, at=AT)
        assert f.ADVICE_DEFINITIVE not in merged.okidoc.fields
        assert [v.path for v in merged.needs_manual] == [f.ADVICE_DEFINITIVE]
        assert f"'{code}'" in merged.needs_manual[0].message
        assert merged.to_check == ()

    @pytest.mark.parametrize("code", ["01", "22", "52", "61", "80"])
    def test_a_code_without_inference_needs_manual_entry_even_when_trusted(self, code: str) -> None:
        merged = merge(
            doc(), dossier(advice_code=code), MergeMode.FILL, at=AT, trust_inferred_advice=True
        )
        assert f.ADVICE_DEFINITIVE not in merged.okidoc.fields
        assert [v.path for v in merged.needs_manual] == [f.ADVICE_DEFINITIVE]
        assert merged.to_check == ()

    def test_a_confirmed_code_is_never_marked_inferred(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        confirmed = AdviceCode("51", Advice(Level.HAVO, Level.VWO), confirmed=True)
        monkeypatch.setitem(ADVICE_CODES, "51", confirmed)  # type: ignore[arg-type]
        for trust in (False, True):
            merged = merge(
                doc(), dossier(advice_code="51"), MergeMode.FILL, at=AT, trust_inferred_advice=trust
            )
            field = merged.okidoc.fields[f.ADVICE_DEFINITIVE]
            assert field.value == "havo/vwo"
            assert field.provenance.inferred_from == ""
            assert field.provenance.note == ""
            assert (merged.to_check, merged.needs_manual) == ((), ())

    def test_an_advice_typed_by_hand_keeps_its_provenance_when_the_code_agrees(self) -> None:
        okidoc = doc({f.ADVICE_DEFINITIVE: "havo/vwo"})
        merged = merge(
            okidoc, dossier(advice_code="51"), MergeMode.OVERWRITE, at=AT,
            trust_inferred_advice=True,
        )  # fmt: skip
        assert merged.okidoc.fields[f.ADVICE_DEFINITIVE] == FieldValue("havo/vwo", HAND)
        assert (merged.changes, merged.to_check) == ((), ())

    def test_overwrite_replaces_a_hand_typed_advice_marked_inferred(self) -> None:
        okidoc = doc({f.ADVICE_DEFINITIVE: "vwo"})
        merged = merge(
            okidoc, dossier(advice_code="50"), MergeMode.OVERWRITE, at=AT,
            trust_inferred_advice=True,
        )  # fmt: skip
        field = merged.okidoc.fields[f.ADVICE_DEFINITIVE]
        assert (field.value, field.provenance.inferred_from) == ("havo", "50")
        assert [(c.path, c.old, c.new) for c in merged.changes] == [
            (f.ADVICE_DEFINITIVE, "vwo", "havo")
        ]

    @given(
        code=st.sampled_from(sorted(ADVICE_CODES)),
        trust=st.booleans(),
        mode=st.sampled_from(list(MergeMode)),
        before=st.sampled_from([None, "havo", "havo/vwo"]),
    )
    def test_the_advice_is_marked_inferred_exactly_when_an_inference_was_taken(
        self, code: str, trust: bool, mode: MergeMode, before: str | None
    ) -> None:
        okidoc = doc({} if before is None else {f.ADVICE_DEFINITIVE: before})
        merged = merge(okidoc, dossier(advice_code=code), mode, at=AT, trust_inferred_advice=trust)
        field = merged.okidoc.fields.get(f.ADVICE_DEFINITIVE)
        asked = not (mode is MergeMode.FILL and before is not None)
        taken = asked and trust and code in INFERABLE and INFERABLE[code].code != before
        assert (field is not None and field.provenance.inferred_from == code) is taken
        assert bool(merged.to_check) is taken
        assert bool(merged.needs_manual) is (asked and not (trust and code in INFERABLE))
        if not taken:  # what was there stays as it was
            assert field == okidoc.fields.get(f.ADVICE_DEFINITIVE)

    def test_fill_does_not_ask_when_the_advice_is_already_there(self) -> None:
        okidoc = doc({f.ADVICE_DEFINITIVE: "havo"})
        assert merge(okidoc, dossier(advice_code="99"), MergeMode.FILL, at=AT).needs_manual == ()
        assert (
            merge(okidoc, dossier(advice_code=" "), MergeMode.OVERWRITE, at=AT).needs_manual == ()
        )


class TestStatus:
    def test_a_volledig_doc_stays_volledig_when_nothing_empties(self) -> None:
        okidoc = OkiDoc(id=1, pupil_id=1, status=OkiStatus.VOLLEDIG, fields=complete_fields(AT))
        merged = merge(
            okidoc, dossier(fields={f.PUPIL_FIRST_NAME: "Samantha"}), MergeMode.OVERWRITE, at=AT
        )
        assert merged.okidoc.status is OkiStatus.VOLLEDIG

    def test_a_volledig_doc_missing_fields_drops_back(self) -> None:
        okidoc = OkiDoc(id=1, pupil_id=1, status=OkiStatus.VOLLEDIG)
        assert merge(okidoc, dossier(), MergeMode.FILL, at=AT).okidoc.status is OkiStatus.ONVOLLEDIG


# ---- properties -------------------------------------------------------------------------

OSO_TEXT = sorted(
    s.path for s in f.CATALOGUE if s.oso and s.kind is Kind.TEXT and not s.is_template
)
OTHER_TEXT = sorted(
    s.path for s in f.CATALOGUE if not s.oso and s.kind in (Kind.TEXT, Kind.LONGTEXT)
)
values = st.text(alphabet="abc ", max_size=3)
days = st.dates(min_value=dt.date(2021, 8, 1), max_value=dt.date(2025, 3, 20))
results = st.builds(
    result, days, st.sampled_from(["Rekenen", "Spelling"]), st.sampled_from(["A", "B"])
)
attachments = st.builds(
    lambda data: DossierAttachment.from_bytes(
        kind="Rapport", filename="r.pdf", content_type="application/pdf", data=data
    ),
    st.binary(min_size=1, max_size=3),
)
dossiers = st.builds(
    dossier,
    fields=st.dictionaries(st.sampled_from(OSO_TEXT), values),
    test_results=st.lists(results, max_size=4).map(tuple),
    attachments=st.lists(attachments, max_size=3).map(tuple),
)
okidocs_ = st.builds(
    lambda vals, res: doc(vals, test_results=tuple({r.key: r for r in res}.values())),
    st.dictionaries(st.sampled_from(OSO_TEXT + OTHER_TEXT), values),
    st.lists(results, max_size=3),
)
modes = st.sampled_from(list(MergeMode))


def store(merged: MergeResult) -> OkiDoc:
    """What the use case does with new attachments: add their records."""
    records = tuple(
        attachment_record(a, storage_key=a.sha256, at=AT, by="OSO") for a in merged.new_attachments
    )
    return attrs.evolve(merged.okidoc, attachments=(*merged.okidoc.attachments, *records))


class TestProperties:
    @settings(max_examples=150)
    @given(okidocs_, dossiers)
    def test_fill_never_loses_a_non_empty_value(self, okidoc: OkiDoc, oso: OsoDossier) -> None:
        merged = merge(okidoc, oso, MergeMode.FILL, at=AT).okidoc
        for path in okidoc.fields:
            if okidoc.is_filled(path):
                assert merged.value(path) == okidoc.value(path)

    @settings(max_examples=150)
    @given(okidocs_, dossiers)
    def test_fill_is_idempotent(self, okidoc: OkiDoc, oso: OsoDossier) -> None:
        once = store(merge(okidoc, oso, MergeMode.FILL, at=AT))
        assert merge(once, oso, MergeMode.FILL, at=AT).okidoc == once

    @settings(max_examples=150)
    @given(okidocs_, dossiers)
    def test_overwrite_changes_only_oso_fields(self, okidoc: OkiDoc, oso: OsoDossier) -> None:
        merged = merge(okidoc, oso, MergeMode.OVERWRITE, at=AT)
        for path in OTHER_TEXT:
            assert merged.okidoc.value(path) == okidoc.value(path)
        assert all(f.spec_for(c.path).oso for c in merged.changes if f.is_known(c.path))

    @settings(max_examples=150)
    @given(okidocs_, dossiers, modes)
    def test_merging_the_same_dossier_twice_changes_nothing_the_second_time(
        self, okidoc: OkiDoc, oso: OsoDossier, mode: MergeMode
    ) -> None:
        once = store(merge(okidoc, oso, mode, at=AT))
        twice = merge(once, oso, mode, at=AT)
        assert twice.changes == ()
        assert twice.new_attachments == ()
        assert twice.added_test_results == 0
        assert len({r.key for r in once.test_results}) == len(once.test_results)
        assert len({a.sha256 for a in once.attachments}) == len(once.attachments)
