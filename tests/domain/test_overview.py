"""The overview read model (memory reference), its use cases, the editor's page and conflicts."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from elk_domain.errors import Conflict, Forbidden, NotFound, Rejected
from elk_domain.kernel.audit import AuditEntry
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.spreadsheet import safe_cell
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.logbooks.okidoc_history import okidoc_history
from elk_domain.okidoc import edit as okidoc_edit
from elk_domain.okidoc import fields as f
from elk_domain.okidoc import okidocs
from elk_domain.okidoc.attachments import Upload, attachment_file, upload_attachment
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.edit import EditConflict
from elk_domain.okidoc.fields import Tab
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.okidoc.page import advice_choices, field_location, okidoc_page, tab_for_slug
from elk_domain.organisation.model import Board, Group, School
from elk_domain.overview.model import OverviewQuery, OverviewSort
from elk_domain.overview.page import (
    OverviewRequest,
    matching_pupil_ids,
    pupil_overview,
    status_csv,
    status_overview,
)
from elk_domain.parents.registration import PreferenceList, Registration, RegistrationStatus
from elk_domain.pupils.model import ParentLoginStatus, Pupil, ReasonNotPlaced
from elk_domain.testing import FixedClock, InMemoryFileStore, InMemoryUnitOfWork

NOW = dt.datetime(2025, 3, 17, 9, tzinfo=dt.UTC)
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
ADMIN = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN)
BOARD = Actor(user_id=2, name="Bert", role=Role.BOARD_CONTACT, board_id=1)


def _school(board_id: int, kind: OrgKind, name: str, brin: str) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=kind,
        official_name=name,
        name=name,
        school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(brin),
    )


LOGINS = (  # per pupil: sent (blue), registered (AV), activated (green), not sent
    ParentLoginStatus.SENT,
    ParentLoginStatus.REGISTRATION_COMPLETED,
    ParentLoginStatus.ACTIVATED,
    ParentLoginStatus.NOT_SENT,
)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        board = uow.boards.add(Board(0, "Amstelwijs"))
        po = uow.schools.add(_school(board.id, OrgKind.PO, "Regenboog", "12AB"))
        vo = uow.schools.add(_school(board.id, OrgKind.VO, "Lyceum", "34CD"))
        a = uow.groups.add(Group(0, po.id, "8a"))
        b = uow.groups.add(Group(0, po.id, "8b"))
        names = [("Sam", "Jansen"), ("Ali", "Bakker"), ("Noor", "Visser"), ("Eva", "Bos")]
        for index, (first, last) in enumerate(names):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(100001 + index),
                    school_id=po.id,
                    name=PersonName(first, last),
                    group_id=a.id if index % 2 == 0 else b.id,
                    reason_not_placed=ReasonNotPlaced.VERHUISD if index == 3 else None,
                    parent_login=LOGINS[index],
                )
            )
            fields = complete_fields(NOW, "Eva") if index == 0 else {}
            status = OkiStatus.VOLLEDIG if index == 1 else OkiStatus.ONVOLLEDIG
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, fields=fields, status=status))
            if index in (1, 2):
                uow.registrations.add(
                    Registration(
                        id=0,
                        pupil_id=pupil.id,
                        procedure="amstelland",
                        preferences=PreferenceList(school_ids=(vo.id,)),
                        definitive=PreferenceList(school_ids=(vo.id,)) if index == 1 else None,
                        updated_at=NOW,
                    )
                )
        uow.commit()
    return uow


class TestReadModel:
    def test_sorts_filters_searches_and_pages(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            page = uow.overview.page(OverviewQuery(school_id=1))
            assert [r.name.last for r in page.rows] == ["Bakker", "Bos", "Jansen", "Visser"]
            assert page.total == 4
            assert page.pages == 1
            by_group = uow.overview.page(
                OverviewQuery(school_id=1, sort=OverviewSort.GROUP, descending=True)
            )
            assert by_group.rows[0].group_name == "8b"
            status = uow.overview.page(OverviewQuery(school_id=1, sort=OverviewSort.STATUS))
            assert status.rows[-1].okidoc_status is OkiStatus.VOLLEDIG
            elk = uow.overview.page(OverviewQuery(school_id=1, sort=OverviewSort.ELK_NUMBER))
            assert elk.rows[0].elk_number == 100001
            found = uow.overview.page(OverviewQuery(school_id=1, search="NOOR vis"))
            assert [r.name.first for r in found.rows] == ["Noor"]
            assert found.rows[0].registered_at is None  # not definitive: linked to no school
            assert found.rows[0].registration_status is RegistrationStatus.STARTED
            second = uow.overview.page(OverviewQuery(school_id=1, page=2, page_size=3))
            assert len(second.rows) == 1
            assert second.pages == 2
            assert second.total == 4
            only_a = uow.overview.page(OverviewQuery(school_id=1, group_ids=frozenset({1})))
            assert {r.group_name for r in only_a.rows} == {"8a"}

    def test_status_counts_per_school(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            (counts,) = uow.overview.status_counts([1, 2])
        assert (counts.pupils, counts.onvolledig, counts.volledig, counts.definitief) == (
            4,
            3,
            1,
            0,
        )
        assert (counts.not_registered, counts.registration_started) == (2, 1)
        assert (counts.registration_definitive, counts.not_placed) == (1, 1)
        assert (counts.login_sent, counts.login_activated) == (1, 2)


class TestUseCases:
    def test_group_contact_sees_only_own_groups(self, uow: InMemoryUnitOfWork) -> None:
        contact = attrs.evolve(TEACHER, group_ids=frozenset({1}))
        result = pupil_overview(uow, contact, OverviewRequest())
        assert {r.group_name for r in result.page.rows} == {"8a"}
        assert [g.name for g in result.groups] == ["8a"]
        asked = pupil_overview(uow, contact, OverviewRequest(group_ids=frozenset({1, 2})))
        assert asked.query.group_ids == frozenset({1})
        plain = pupil_overview(uow, TEACHER, OverviewRequest(group_ids=frozenset({2}), page=0))
        assert plain.query.page == 1
        assert {r.group_name for r in plain.page.rows} == {"8b"}

    def test_select_all_matches_the_filter_beyond_one_page(self, uow: InMemoryUnitOfWork) -> None:
        everyone = pupil_overview(uow, TEACHER, OverviewRequest(page_size=1000))
        all_ids = [r.pupil_id for r in everyone.page.rows]
        assert matching_pupil_ids(uow, TEACHER, OverviewRequest(page_size=1)) == all_ids
        contact = attrs.evolve(TEACHER, group_ids=frozenset({1}))
        mine = matching_pupil_ids(uow, contact, OverviewRequest(group_ids=frozenset({1, 2})))
        shown = pupil_overview(uow, contact, OverviewRequest(page_size=1000)).page.rows
        assert mine == [r.pupil_id for r in shown]
        assert len(matching_pupil_ids(uow, TEACHER, OverviewRequest(), limit=1)) == 1

    def test_admin_and_board_contact_pick_a_po_school(self, uow: InMemoryUnitOfWork) -> None:
        assert pupil_overview(uow, ADMIN, OverviewRequest()).school.name == "Regenboog"
        board = pupil_overview(uow, BOARD, OverviewRequest(school_id=1))
        assert [s.name for s in board.schools] == ["Regenboog"]
        nobody = Actor(user_id=5, name="X", role=Role.BOARD_CONTACT)
        with pytest.raises(NotFound):
            pupil_overview(uow, nobody, OverviewRequest())

    def test_status_overview_and_formula_safe_csv(self, uow: InMemoryUnitOfWork) -> None:
        for actor in (TEACHER, BOARD, ADMIN):
            overview = status_overview(uow, actor)
            assert overview.boards[0].total.pupils == 4
        text = status_csv(status_overview(uow, ADMIN))
        assert text.splitlines()[0].startswith("Bestuur;School;Leerlingen")
        assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
        assert safe_cell("-1") == "'-1"
        assert safe_cell(12) == "12"
        assert safe_cell("Bos") == "Bos"


class TestEditor:
    def test_page_model(self, uow: InMemoryUnitOfWork) -> None:
        page = okidoc_page(uow, TEACHER, 1, procedure="amsterdam", parents=2)
        assert [t.slug for t in page.tabs][3] == "lwoo-pro"
        assert page.parents == 2
        assert page.can_edit
        assert not page.locked
        assert page.text(f.PUPIL_FIRST_NAME) == "Sam"
        assert not page.from_oso(f.PUPIL_FIRST_NAME)
        assert page.fields(Tab.LEERLING)
        assert page.results_by_year() == ()
        assert "<svg" in page.chart_svg()
        assert page.chart_rows() == ()
        assert tab_for_slug("lwoo-pro", procedure="amstelland") is Tab.LEERLING
        assert tab_for_slug("advies", procedure="amstelland") is Tab.ADVIES
        assert field_location(f.ADVICE_CONTACT) == ("advies", "veld-advies-contactpersoon")
        assert field_location("status") is None
        assert "havo/vwo" in advice_choices()
        assert advice_choices()[0] == "pro"

    def test_the_page_names_an_inferred_advice_and_its_code(self, uow: InMemoryUnitOfWork) -> None:
        at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        inferred = Provenance(Source.OSO, at, "LAS", inferred_from="21")
        with uow:
            okidoc = uow.okidocs.for_pupil(1)
            fields = {
                **okidoc.fields,
                f.ADVICE_DEFINITIVE: FieldValue("vmbo-b/k", inferred),
                f.PUPIL_LAST_NAME: FieldValue("Jansen", Provenance(Source.OSO, at, "LAS")),
            }
            uow.okidocs.update(attrs.evolve(okidoc, fields=fields))
            uow.commit()
        page = okidoc_page(uow, TEACHER, 1, procedure="amstelland")
        assert page.from_oso(f.ADVICE_DEFINITIVE)
        assert page.inferred_note(f.ADVICE_DEFINITIVE) == "afgeleid uit code 21 — controleer"
        assert page.from_oso(f.PUPIL_LAST_NAME)
        assert page.inferred_note(f.PUPIL_LAST_NAME) == ""
        assert page.inferred_note(f.ADVICE_CONTACT) == ""  # empty field
        assert page.reconsideration == ()  # no test outcome above the advice

    def test_stale_save_reports_the_other_change(self, uow: InMemoryUnitOfWork) -> None:
        clock = FixedClock(NOW)
        okidoc_edit.edit_fields(uow, clock, ADMIN_AT_SCHOOL, 2, 1, {f.ADVICE_CONTACT: "Juf Eva"})
        mine = {f.ADVICE_CONTACT: "", f.ADVICE_PROVISIONAL_7: "havo"}
        with pytest.raises(EditConflict) as caught:
            okidoc_edit.edit_fields(uow, clock, TEACHER, 2, 1, mine)
        (change,) = caught.value.changes
        assert (change.label, change.theirs, change.by, change.clash) == (
            "Contactpersoon",
            "Juf Eva",
            "Sara",
            False,
        )
        assert caught.value.form[f.ADVICE_CONTACT] == "Juf Eva"
        assert caught.value.form[f.ADVICE_PROVISIONAL_7] == "havo"
        clash = {f.ADVICE_CONTACT: "Meester Tom"}
        with pytest.raises(EditConflict) as again:
            okidoc_edit.edit_fields(uow, clock, TEACHER, 2, 1, clash)
        assert again.value.changes[0].clash
        assert again.value.version == 2
        saved = okidoc_edit.edit_fields(uow, clock, TEACHER, 2, 2, caught.value.form)
        assert saved.value(f.ADVICE_PROVISIONAL_7) == "havo"
        _pupil, lines = okidoc_history(uow, TEACHER, 2)
        assert [line.field for line in lines][:2] == ["Voorlopig advies groep 7", "Contactpersoon"]

    def test_history_lists_status_changes(self, uow: InMemoryUnitOfWork) -> None:
        okidocs.complete(uow, FixedClock(NOW), TEACHER, 1, 1)
        _pupil, lines = okidoc_history(uow, TEACHER, 1)
        assert (lines[0].action, lines[0].field, lines[0].new) == (
            "Volledig gemaakt",
            "Status",
            "Volledig",
        )


ADMIN_AT_SCHOOL = Actor(user_id=3, name="Sara", role=Role.SCHOOL_ADMIN, board_id=1, school_id=1)


class TestFinalTestAndAttachments:
    def test_upload_checks_content_and_downloads(self, uow: InMemoryUnitOfWork) -> None:
        files, clock = InMemoryFileStore(), FixedClock(NOW)
        upload = Upload(pupil_id=1, kind="Overig", filename="C:\\map\\verslag", data=b"%PDF-1.4 x")
        record = upload_attachment(uow, files, clock, TEACHER, upload)
        assert (record.filename, record.content_type) == ("verslag.pdf", "application/pdf")
        found, data = attachment_file(uow, files, TEACHER, 1, record.sha256)
        assert found == record
        assert data == b"%PDF-1.4 x"
        with pytest.raises(NotFound):
            attachment_file(uow, files, TEACHER, 1, "0" * 64)
        with pytest.raises(Rejected):
            upload_attachment(uow, files, clock, TEACHER, attrs.evolve(upload, data=b"MZ exe"))
        with pytest.raises(Rejected):
            upload_attachment(
                uow, files, clock, TEACHER, attrs.evolve(upload, kind="Onbekend", data=b"%PDF-2")
            )


def test_conflict_is_a_conflict() -> None:
    assert issubclass(EditConflict, Conflict)
    assert FieldValue("x", Provenance(Source.OSO, NOW)).provenance.source is Source.OSO


class TestSchoolChoice:
    """Which school the overview shows; the usual case reads the school and groups at once."""

    def test_read_model_gives_school_and_groups_by_name(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            school, groups = uow.overview.school_groups(1)
            assert school.name == "Regenboog"
            assert [(g.id, g.name) for g in groups] == [(1, "8a"), (2, "8b")]
            with pytest.raises(NotFound):
                uow.overview.school_groups(99)

    def test_own_school_needs_no_school_list(self, uow: InMemoryUnitOfWork) -> None:
        result = pupil_overview(uow, TEACHER, OverviewRequest(school_id=1))
        assert [s.name for s in result.schools] == ["Regenboog"]
        assert [g.name for g in result.groups] == ["8a", "8b"]

    def test_other_school_is_checked_against_the_actor(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises((NotFound, Forbidden)):
            pupil_overview(uow, TEACHER, OverviewRequest(school_id=2))

    def test_vo_user_has_no_po_school_to_show(self, uow: InMemoryUnitOfWork) -> None:
        mentor = Actor(user_id=6, name="Mentor", role=Role.VO_USER, board_id=1, school_id=2)
        with pytest.raises(NotFound):
            pupil_overview(uow, mentor, OverviewRequest())

    def test_board_without_po_schools_is_left_out(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            uow.boards.add(Board(0, "Leeg bestuur"))
            uow.commit()
        assert [b.board.name for b in status_overview(uow, ADMIN).boards] == ["Amstelwijs"]


class TestAttachmentNamesAndHistory:
    def test_a_name_with_an_extension_is_kept(self, uow: InMemoryUnitOfWork) -> None:
        upload = Upload(pupil_id=1, kind="Overig", filename="rapport.PDF", data=b"%PDF-1.4 y")
        record = upload_attachment(uow, InMemoryFileStore(), FixedClock(NOW), TEACHER, upload)
        assert record.filename == "rapport.PDF"

    def test_an_entry_without_field_changes_is_one_line(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            okidoc = uow.okidocs.for_pupil(1)
            uow.audit.record(
                AuditEntry(
                    at=NOW,
                    actor_id=4,
                    actor_name="Eva",
                    action="oso.sync",
                    subject_type="okidoc",
                    subject_id=okidoc.id,
                    school_id=1,
                )
            )
            uow.commit()
        _pupil, lines = okidoc_history(uow, TEACHER, 1)
        assert [(line.who, line.field, line.oso) for line in lines] == [("Eva", "", True)]
