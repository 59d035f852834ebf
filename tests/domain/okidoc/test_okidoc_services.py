"""Use cases on the Oki-doc, run against the in-memory unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.domain.builders import add_regenboog

from elk_domain.errors import Conflict, Forbidden, IllegalTransition, NotFound, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import edit as okidoc_edit
from elk_domain.okidoc import fields as f
from elk_domain.okidoc import okidocs
from elk_domain.okidoc.catalogue.samples import COMPLETE_INPUT
from elk_domain.okidoc.edit import EditConflict
from elk_domain.okidoc.model import OkiDoc, OkiStatus, Source
from elk_domain.oso import import_dossier
from elk_domain.oso.dossiers.dossier import DossierAttachment, OsoDossier
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryFileStore, InMemoryUnitOfWork

NOW = dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)
BSN = Bsn.parse("111222333")
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
ADMIN = Actor(user_id=3, name="Sara", role=Role.SCHOOL_ADMIN, board_id=1, school_id=1)
STRANGER = Actor(user_id=9, name="Piet", role=Role.END_USER, board_id=2, school_id=2)
PARENT = Actor(user_id=0, name="Ouder", role=Role.PARENT, pupil_id=1)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        school = add_regenboog(uow)
        pupil = uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(100001),
                school_id=school.id,
                name=PersonName("Sam", "Jansen"),
                bsn=BSN,
            )
        )
        uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    return uow


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def edit(
    uow: InMemoryUnitOfWork, clock: FixedClock, changes: dict[str, str], actor: Actor = TEACHER
) -> OkiDoc:
    version = okidocs.get_okidoc(uow, actor, 1).version
    return okidoc_edit.edit_fields(uow, clock, actor, 1, version, changes)


def volledig(uow: InMemoryUnitOfWork, clock: FixedClock) -> OkiDoc:
    doc = edit(uow, clock, COMPLETE_INPUT)
    return okidocs.complete(uow, clock, TEACHER, 1, doc.version)


def definitief(uow: InMemoryUnitOfWork, clock: FixedClock) -> OkiDoc:
    doc = volledig(uow, clock)
    return okidocs.record_inspection(uow, clock, TEACHER, inspection(doc.version, agree=True))


def inspection(version: int, *, agree: bool, on: dt.date | None = None) -> okidocs.RecordInspection:
    """Pupil 1's inspection, today unless ``on``."""
    return okidocs.RecordInspection(
        pupil_id=1, expected_version=version, inspected_on=on or NOW.date(), parents_agree=agree
    )


class TestGetOkidoc:
    def test_own_school_and_parent_see_it(self, uow: InMemoryUnitOfWork) -> None:
        assert okidocs.get_okidoc(uow, TEACHER, 1).pupil_id == 1
        assert okidocs.get_okidoc(uow, PARENT, 1).pupil_id == 1

    def test_another_school_does_not_learn_it_exists(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound):
            okidocs.get_okidoc(uow, STRANGER, 1)

    def test_vo_school_of_a_definitive_registration_sees_it(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            uow.registrations.add(
                Registration(
                    id=0,
                    pupil_id=1,
                    procedure="amstelland",
                    preferences=PreferenceList(school_ids=(7,)),
                    definitive=PreferenceList(school_ids=(7,)),
                    updated_at=NOW,
                )
            )
            uow.commit()
        mentor = Actor(user_id=5, name="Victor", role=Role.VO_USER, board_id=1, school_id=7)
        assert okidocs.get_okidoc(uow, mentor, 1).pupil_id == 1
        elsewhere = Actor(user_id=6, name="Greta", role=Role.VO_USER, board_id=1, school_id=8)
        with pytest.raises(NotFound):
            okidocs.get_okidoc(uow, elsewhere, 1)
        with pytest.raises(Forbidden):  # may see the pupil, may not change the Oki-doc
            okidocs.complete(uow, FixedClock(NOW), mentor, 1, 1)


class TestEditFields:
    def test_saves_with_hand_provenance_and_audits_each_change(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = edit(uow, clock, {f.PUPIL_FIRST_NAME: "Sam", f.PUPIL_BIRTH_DATE: "14-05-2013"})
        assert doc.version == 2
        assert doc.fields[f.PUPIL_FIRST_NAME].provenance.source is Source.HAND
        assert doc.fields[f.PUPIL_FIRST_NAME].provenance.by == "Eva"
        [entry] = uow.audit.for_subject("okidoc", doc.id)
        assert entry.action == "okidoc.wijzigen"
        assert {(c.path, c.new) for c in entry.changes} == {
            (f.PUPIL_FIRST_NAME, "Sam"),
            (f.PUPIL_BIRTH_DATE, "2013-05-14"),
        }

    def test_every_bad_field_is_reported_at_once(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        with pytest.raises(Rejected) as caught:
            edit(
                uow,
                clock,
                {
                    f.PUPIL_BIRTH_DATE: "morgen",
                    f.PARENT_EMAIL: "x@",
                    "onbekend": "1",
                    f.STAFF_MEMBER: "Ik",
                },
            )
        assert [v.path for v in caught.value.violations] == [
            f.PUPIL_BIRTH_DATE,
            f.PARENT_EMAIL,
            "onbekend",
            f.STAFF_MEMBER,
        ]

    def test_unchanged_input_saves_nothing(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = edit(uow, clock, {f.PUPIL_FIRST_NAME: "Sam"})
        assert edit(uow, clock, {f.PUPIL_FIRST_NAME: " Sam "}).version == doc.version

    def test_a_stale_version_is_a_conflict(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        edit(uow, clock, {f.PUPIL_FIRST_NAME: "Sam"})
        with pytest.raises(EditConflict, match="Eva wijzigde: Voornaam") as caught:
            okidoc_edit.edit_fields(uow, clock, ADMIN, 1, 1, {f.PUPIL_FIRST_NAME: "Sem"})
        assert caught.value.form == {f.PUPIL_FIRST_NAME: "Sem"}
        assert caught.value.version == 2

    def test_a_save_that_lands_during_this_one_is_named_and_the_input_kept(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        """Someone else commits after this save read the Oki-doc: its commit is refused."""

        class SaveInBetween:
            def __init__(self, inner: Any) -> None:
                self.inner, self.fired = inner, False

            def for_pupil(self, pupil_id: int) -> OkiDoc:
                found: OkiDoc = self.inner.for_pupil(pupil_id)
                if not self.fired:
                    self.fired = True
                    other = InMemoryUnitOfWork(uow.store)
                    okidoc_edit.edit_fields(other, clock, ADMIN, 1, 1, {f.ADVICE_CONTACT: "Tom"})
                return found

            def __getattr__(self, name: str) -> Any:
                return getattr(self.inner, name)

        uow.okidocs = SaveInBetween(uow.okidocs)
        typed = {f.ADVICE_CONTACT: "", f.PUPIL_FIRST_NAME: "Sem"}
        with pytest.raises(EditConflict) as caught:
            okidoc_edit.edit_fields(uow, clock, TEACHER, 1, 1, typed)
        assert "Sara wijzigde: Contactpersoon." in caught.value.message
        assert [(c.label, c.theirs, c.clash) for c in caught.value.changes] == [
            ("Contactpersoon", "Tom", False)
        ]
        assert caught.value.form == {f.ADVICE_CONTACT: "Tom", f.PUPIL_FIRST_NAME: "Sem"}
        stored = okidocs.get_okidoc(uow, TEACHER, 1)
        assert (stored.version, stored.value(f.PUPIL_FIRST_NAME)) == (2, None)

    def test_foreign_postcode_uses_the_country_field(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = edit(uow, clock, {"ouders.1.land": "BE", "ouders.1.postcode": "B-1000"})
        assert doc.value("ouders.1.postcode") == "B-1000"
        assert (
            edit(uow, clock, {"ouders.1.postcode": "B-2000"}).value("ouders.1.postcode") == "B-2000"
        )

    def test_inspection_input_fills_in_the_staff_member(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = edit(uow, clock, {f.PARENTS_AGREE: "ja"})
        assert doc.value(f.STAFF_MEMBER) == "Eva"

    def test_clearing_a_required_field_drops_volledig(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        volledig(uow, clock)
        assert edit(uow, clock, {f.ADVICE_CONTACT: ""}).status is OkiStatus.ONVOLLEDIG

    def test_definitief_refuses_content_but_takes_the_final_test(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        definitief(uow, clock)
        with pytest.raises(IllegalTransition, match="definitief"):
            edit(uow, clock, {f.PUPIL_FIRST_NAME: "Sem"})
        doc = edit(uow, clock, {f.FINAL_TEST_OUTCOME: "vwo", f.ADVICE_DEFINITIVE: "havo/vwo"})
        assert doc.status is OkiStatus.DEFINITIEF
        assert doc.value(f.ADVICE_DEFINITIVE) == "havo/vwo"

    def test_a_parent_may_not_edit(self, uow: InMemoryUnitOfWork, clock: FixedClock) -> None:
        with pytest.raises(Forbidden):
            okidoc_edit.edit_fields(uow, clock, PARENT, 1, 1, {f.PUPIL_FIRST_NAME: "Sem"})


class TestCompleteAndInspect:
    def test_complete_lists_what_is_missing(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        with pytest.raises(Rejected) as caught:
            okidocs.complete(uow, clock, TEACHER, 1, 1)
        assert f.PARENT_EMAIL in {v.path for v in caught.value.violations}

    def test_complete_with_a_stale_version_is_a_conflict(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = edit(uow, clock, COMPLETE_INPUT)
        with pytest.raises(Conflict, match="intussen gewijzigd"):
            okidocs.complete(uow, clock, TEACHER, 1, doc.version - 1)
        assert okidocs.get_okidoc(uow, TEACHER, 1).status is OkiStatus.ONVOLLEDIG

    def test_a_tab_saved_after_someone_completed_it_names_the_status(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        opened = edit(uow, clock, COMPLETE_INPUT).version
        okidocs.complete(uow, clock, ADMIN, 1, opened)
        with pytest.raises(EditConflict, match="Sara wijzigde: Status") as caught:
            okidoc_edit.edit_fields(uow, clock, TEACHER, 1, opened, {f.ADVICE_CONTACT: "Tom"})
        assert [(c.label, c.theirs, c.yours) for c in caught.value.changes] == [
            ("Status", "Volledig", None)
        ]

    def test_inspection_makes_it_definitief_with_the_staff_member(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = definitief(uow, clock)
        assert doc.status is OkiStatus.DEFINITIEF
        assert doc.value(f.STAFF_MEMBER) == "Eva"
        actions = [e.action for e in uow.audit.for_subject("okidoc", doc.id)]
        assert actions == ["okidoc.wijzigen", "okidoc.volledig", "okidoc.inzage"]

    def test_disagreement_needs_the_parents_view(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = volledig(uow, clock)
        with pytest.raises(Rejected) as caught:
            okidocs.record_inspection(uow, clock, TEACHER, inspection(doc.version, agree=False))
        assert [v.path for v in caught.value.violations] == [f.PARENTS_VIEW]
        assert okidocs.get_okidoc(uow, TEACHER, 1).status is OkiStatus.VOLLEDIG

    def test_an_inspection_date_in_the_future_is_refused(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = volledig(uow, clock)
        tomorrow = inspection(doc.version, agree=True, on=NOW.date() + dt.timedelta(days=1))
        with pytest.raises(Rejected, match="toekomst"):
            okidocs.record_inspection(uow, clock, TEACHER, tomorrow)


class TestReopen:
    def test_an_administrator_reopens_with_a_reason(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = definitief(uow, clock)
        reopened = okidocs.reopen(
            uow, clock, ADMIN, 1, doc.version, reason="Ouders melden nieuw adres"
        )
        assert reopened.status is OkiStatus.VOLLEDIG
        assert uow.audit.for_subject("okidoc", doc.id)[-1].detail == "Ouders melden nieuw adres"

    def test_a_teacher_may_not_reopen(self, uow: InMemoryUnitOfWork, clock: FixedClock) -> None:
        doc = definitief(uow, clock)
        with pytest.raises(Forbidden):
            okidocs.reopen(uow, clock, TEACHER, 1, doc.version, reason="x")


def oso(**kwargs: object) -> OsoDossier:
    base: dict[str, object] = {
        "sender": SchoolLocation.parse("12AB00"),
        "bsn": BSN,
        "dossier_date": NOW,
    }
    return OsoDossier(**(base | kwargs))  # type: ignore[arg-type]


PDF = DossierAttachment.from_bytes(
    kind="Rapport", filename="r.pdf", content_type="application/pdf", data=b"%PDF"
)


FILL = MergeOptions(mode=MergeMode.FILL)


class TestMergeDossier:
    def test_preview_saves_nothing(self, uow: InMemoryUnitOfWork, clock: FixedClock) -> None:
        files = InMemoryFileStore()
        result = import_dossier.merge_dossier(
            uow,
            files,
            clock,
            TEACHER,
            1,
            oso(fields={f.PUPIL_FIRST_NAME: "Sam"}, attachments=(PDF,)),
            MergeOptions(mode=MergeMode.OVERWRITE, preview=True),
        )
        assert [c.path for c in result.changes] == [f.PUPIL_FIRST_NAME]
        assert okidocs.get_okidoc(uow, TEACHER, 1).version == 1
        assert files.files == {}

    def test_sync_stores_attachments_once_and_audits(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        files = InMemoryFileStore()
        dossier = oso(fields={f.PUPIL_FIRST_NAME: "Sam"}, attachments=(PDF,))
        result = import_dossier.merge_dossier(uow, files, clock, TEACHER, 1, dossier, FILL)
        assert [a.filename for a in result.okidoc.attachments] == ["r.pdf"]
        assert files.get(result.okidoc.attachments[0].storage_key) == b"%PDF"
        again = import_dossier.merge_dossier(uow, files, clock, TEACHER, 1, dossier, FILL)
        assert not again.changed
        assert len(files.files) == 1
        [entry] = uow.audit.for_subject("okidoc", result.okidoc.id)
        assert entry.action == "okidoc.oso_synchroniseren"
        assert ("bijlage", None, "r.pdf") in [(c.path, c.old, c.new) for c in entry.changes]

    def test_a_dossier_of_another_child_is_refused(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        with pytest.raises(Rejected, match="andere leerling"):
            import_dossier.merge_dossier(
                uow,
                InMemoryFileStore(),
                clock,
                TEACHER,
                1,
                oso(bsn=Bsn.parse("123456782")),
                FILL,
            )

    def test_a_definitief_doc_is_refused_without_saving(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = definitief(uow, clock)
        result = import_dossier.merge_dossier(
            uow,
            InMemoryFileStore(),
            clock,
            TEACHER,
            1,
            oso(fields={f.PUPIL_FIRST_NAME: "X"}),
            FILL,
        )
        assert result.refused is not None
        assert okidocs.get_okidoc(uow, TEACHER, 1).version == doc.version
