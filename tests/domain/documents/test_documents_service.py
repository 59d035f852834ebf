"""The printable documents' content (R-DOC-1), built by use cases on the in-memory unit of work."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from elk_domain.documents import documents as docs
from elk_domain.documents.documents import DocumentKind
from elk_domain.errors import NotFound, Rejected
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation, SchoolYear
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.fields import Tab
from elk_domain.okidoc.model import (
    Attachment,
    CareerEntry,
    FieldValue,
    OkiDoc,
    OkiStatus,
    Provenance,
    Source,
)
from elk_domain.okidoc.model import TestResult as Result
from elk_domain.organisation.model import School
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
)
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryUnitOfWork

NOW = dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC)
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
STRANGER = Actor(user_id=9, name="Piet", role=Role.END_USER, board_id=2, school_id=99)
VO_USER = Actor(user_id=5, name="Victor", role=Role.VO_USER, board_id=1, school_id=2)
OSO = Provenance(Source.OSO, NOW, "LAS")


def _school(kind: OrgKind, name: str, brin: str) -> School:
    address = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")
    return School(
        id=0,
        board_id=1,
        kind=kind,
        official_name=name,
        name=name,
        school_type="school",
        address=address,
        location=SchoolLocation.parse(brin),
        offers_priority=kind is OrgKind.VO,
    )


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        po = uow.schools.add(_school(OrgKind.PO, "De Regenboog", "12AB"))
        uow.schools.add(_school(OrgKind.VO, "Het Lyceum", "34CD"))
        uow.schools.add(_school(OrgKind.VO, "Het College", "56EF"))
        for number, (first, last) in enumerate((("Łukasz", "Çelik"), ("Anh", "Nguyễn")), 1):
            uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(100000 + number),
                    school_id=po.id,
                    name=PersonName(first, last),
                )
            )
        fields = complete_fields(NOW)
        fields["ouders.1.achternaam"] = FieldValue("Ørsted", OSO)
        fields[f.ADVICE_PROVISIONAL_8_GROUNDS] = FieldValue("Regel één\nRegel twee", OSO)
        results = (
            Result(
                school_year=SchoolYear(2023),
                taken_on=dt.date(2024, 1, 20),
                test_name="LVS",
                subject="Rekenen",
                score="A",
                dle=30,
                dl=40,
            ),
            Result(
                school_year=SchoolYear(2024),
                taken_on=dt.date(2025, 1, 20),
                test_name="LVS",
                subject="Spelling",
                level="1F",
            ),
        )
        attachment = Attachment(
            kind="Verslag",
            filename="verslag.pdf",
            content_type="application/pdf",
            size=3,
            sha256="abc",
            storage_key="k",
            added_at=NOW,
        )
        career = (
            CareerEntry(school_name="De Regenboog", start=dt.date(2017, 8, 20), group="1"),
            CareerEntry(
                school_name="De Vlinder",
                start=dt.date(2016, 8, 20),
                end=dt.date(2017, 7, 1),
                source=Source.HAND,
            ),
        )
        uow.okidocs.add(
            OkiDoc(
                id=0,
                pupil_id=1,
                status=OkiStatus.VOLLEDIG,
                fields=fields,
                test_results=results,
                career=career,
                attachments=(attachment,),
            )
        )
        uow.okidocs.add(OkiDoc(id=0, pupil_id=2))
        uow.commit()
    return uow


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _register(uow: InMemoryUnitOfWork, **changes: object) -> None:
    registration = Registration(
        id=0,
        pupil_id=1,
        procedure="amstelland",
        preferences=PreferenceList(school_ids=(2, 3, 77)),
        updated_at=NOW,
    )
    with uow:
        uow.registrations.add(attrs.evolve(registration, **changes))  # type: ignore[misc]
        uow.commit()


class TestOkidocDocument:
    def test_every_tab_in_screen_order_with_header(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = docs.okidoc_document(uow, clock, TEACHER, 1, uses_lwoo_pro=True)
        assert [t.title for t in doc.tabs] == [t.label for t in Tab]
        assert doc.header.pupil_name == "Łukasz Çelik"
        assert (doc.header.elk_number, doc.header.school_name) == ("100001", "De Regenboog")
        assert doc.header.printed_on == "10-03-2025"
        assert doc.status == "Volledig"

    def test_every_catalogue_field_is_printed_with_its_label(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = docs.okidoc_document(uow, clock, TEACHER, 1, uses_lwoo_pro=True)
        printed = {row.label for tab in doc.tabs for s in tab.sections for row in s.rows}
        for tab in Tab:
            assert {spec.label for spec in f.fields_of(tab)} <= printed

    def test_values_read_as_on_screen_and_oso_values_are_marked(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = docs.okidoc_document(uow, clock, TEACHER, 1)
        leerling = doc.tabs[0]
        rows = {(s.title, r.label): r for s in leerling.sections for r in s.rows}
        assert rows[("Leerling", "Geboortedatum")].value == "14-05-2013"
        assert rows[("Leerling", "Geslacht")].value == "Meisje"
        assert rows[("Ouder/verzorger 1", "Relatie tot leerling")].value == "Moeder"
        assert rows[("Ouder/verzorger 2", "Achternaam")] == docs.FieldRow(
            label="Achternaam", value="Ørsted", oso=True
        )
        assert not rows[("Leerling", "Voornaam")].oso
        advies = {r.label: r for s in doc.tabs[1].sections for r in s.rows}
        assert advies["Extra ondersteuning nodig in het VO"].value == "Nee"
        assert advies["Onderbouwing voorlopig advies groep 8"].long

    def test_an_inferred_advice_is_printed_with_its_code_to_check(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        inferred = FieldValue("havo/vwo", attrs.evolve(OSO, inferred_from="51"))
        with uow:
            okidoc = uow.okidocs.for_pupil(1)
            fields = {**okidoc.fields, f.ADVICE_DEFINITIVE: inferred}
            uow.okidocs.update(attrs.evolve(okidoc, fields=fields))
            uow.commit()
        doc = docs.okidoc_document(uow, clock, TEACHER, 1)
        advies = {r.label: r for s in doc.tabs[1].sections for r in s.rows}
        assert advies["Definitief advies groep 8"] == docs.FieldRow(
            label="Definitief advies groep 8",
            value="havo/vwo",
            oso=True,
            note="afgeleid uit code 51 — controleer",
        )
        assert advies["Onderbouwing voorlopig advies groep 8"].oso
        assert advies["Onderbouwing voorlopig advies groep 8"].note == ""

    def test_career_and_attachments_are_listed(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = docs.okidoc_document(uow, clock, TEACHER, 1)
        career = doc.tabs[0].sections[-1]
        assert career.title == "Schoolloopbaan"
        assert [(r.label, r.value, r.oso) for r in career.rows] == [
            ("De Regenboog (groep 1)", "20-08-2017 – heden", True),
            ("De Vlinder", "20-08-2016 – 01-07-2017", False),
        ]
        [bijlagen] = doc.tabs[-1].sections
        assert [(r.label, r.value) for r in bijlagen.rows] == [
            ("Verslag", "verslag.pdf (10-03-2025)")
        ]

    def test_results_per_year_newest_first_with_chart(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = docs.okidoc_document(uow, clock, TEACHER, 1)
        assert [y.school_year for y in doc.results] == ["2024-2025", "2023-2024"]
        spelling, rekenen = doc.results[0].rows[0], doc.results[1].rows[0]
        assert (spelling.dle, spelling.dl, spelling.leerrendement) == ("", "", "")
        assert (rekenen.taken_on, rekenen.dle, rekenen.dl, rekenen.leerrendement) == (
            "20-01-2024",
            "30",
            "40",
            "75%",
        )
        assert [r.label for r in doc.chart_rows] == ["Rekenen (20-01-2024)"]
        assert doc.chart_svg.startswith("<svg")
        assert "Rekenen (20-01-2024)" in doc.chart_svg

    def test_lwoo_tab_is_marked_unused_outside_its_procedure(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        used = docs.okidoc_document(uow, clock, TEACHER, 1, uses_lwoo_pro=True)
        unused = docs.okidoc_document(uow, clock, TEACHER, 1)
        assert used.tabs[3].sections
        assert not used.tabs[3].note
        assert (unused.tabs[3].sections, unused.tabs[3].note) == (
            (),
            "Niet van toepassing in deze aanmeldprocedure.",
        )
        assert "Deelname LAT" in used.missing
        assert "Deelname LAT" not in unused.missing

    def test_an_empty_okidoc_lists_what_is_missing(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = docs.okidoc_document(uow, clock, TEACHER, 2)
        assert "Voornaam" in doc.missing
        assert doc.results == ()
        assert doc.chart_rows == ()

    def test_another_school_does_not_learn_the_pupil_exists(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        with pytest.raises(NotFound):
            docs.okidoc_document(uow, clock, STRANGER, 1)


class TestRegistrationDocument:
    def test_without_registration_there_is_none(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        doc = docs.registration_document(uow, clock, TEACHER, 1, "amstelland")
        assert doc.registration == doc.preferences == doc.first_choice == ()
        assert doc.procedure == "Kernprocedure Amstelland"
        assert {r.label: r.value for r in doc.pupil}["Voornaam"] == "Sam"

    def test_lists_preferences_and_first_choice_options(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        options = FirstChoiceOptions(
            priority_claim=PriorityClaim(PriorityKind.SIBLING, "Mila Çelik", "2b"),
            multiple_birth=True,
        )
        _register(
            uow,
            preferences=PreferenceList(school_ids=(2, 3, 77), first_choice=options),
            definitive=PreferenceList(school_ids=(2, 3, 77), first_choice=options),
            definitive_at=NOW,
        )
        doc = docs.registration_document(uow, clock, TEACHER, 1, "amstelland")
        assert [(r.label, r.value) for r in doc.registration] == [
            ("Status aanmelding", "Definitief"),
            ("Definitief gemaakt op", "10-03-2025"),
        ]
        assert [(r.label, r.value) for r in doc.preferences] == [
            ("1e keuze", "Het Lyceum, Laan 1, Amstelveen"),
            ("2e keuze", "Het College, Laan 1, Amstelveen"),
            ("3e keuze", "Onbekende school (77)"),
        ]
        assert [(r.label, r.value) for r in doc.first_choice] == [
            ("Voorrang", "Broer of zus op deze school: Mila Çelik (klas 2b)"),
            ("Beoordeling voorrang", "Nog niet beoordeeld"),
            ("Op deze school blijven op een gelijkwaardig niveau", "Nee"),
            ("Meerling, aangemeld bij dezelfde school", "Ja"),
        ]

    def test_the_first_choice_school_sees_a_judged_staff_claim(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        options = FirstChoiceOptions(
            priority_claim=PriorityClaim(PriorityKind.STAFF_CHILD, "J. Çelik"),
            equivalent_level=True,
        )
        _register(
            uow,
            preferences=PreferenceList(school_ids=(2,), first_choice=options),
            definitive=PreferenceList(school_ids=(2,), first_choice=options),
            definitive_at=NOW,
            priority_granted=False,
        )
        doc = docs.registration_document(uow, clock, VO_USER, 1, "amstelland")
        assert [r.value for r in doc.first_choice] == [
            "Kind van een medewerker: J. Çelik",
            "Niet gehonoreerd",
            "Ja",
            "Nee",
        ]

    def test_a_started_registration_has_no_priority_or_definitive_date(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        _register(uow)
        doc = docs.registration_document(uow, clock, TEACHER, 1, "amstelland")
        assert [r.value for r in doc.registration] == ["Gestart"]
        assert doc.first_choice[0].value == "Geen"
        assert len(doc.first_choice) == 3

    def test_unknown_procedure_is_rejected(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        with pytest.raises(Rejected):
            docs.registration_document(uow, clock, TEACHER, 1, "elders")


class FakeRenderer:
    """Records what would be rendered."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, object]]] = []

    def render(self, template: str, context: dict[str, object]) -> bytes:
        self.calls.append((template, context))
        return b"%PDF-fake"


class TestRenderDocument:
    def test_okidoc_goes_to_its_template_named_by_elk_number(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        renderer = FakeRenderer()
        pdf = docs.render_document(
            uow, clock, renderer, TEACHER, DocumentKind.OKIDOC, 1, procedure="amsterdam"
        )
        assert (pdf.filename, pdf.data) == ("oki-doc_100001.pdf", b"%PDF-fake")
        [(template, context)] = renderer.calls
        document = context["doc"]
        assert template == "okidoc.html"
        assert isinstance(document, docs.OkiDocDocument)
        assert document.tabs[3].sections  # Amsterdam uses the LWOO/PrO tab

    def test_registration_form_goes_to_its_template(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        renderer = FakeRenderer()
        pdf = docs.render_document(
            uow, clock, renderer, TEACHER, DocumentKind.REGISTRATION, 1, procedure="amstelland"
        )
        assert pdf.filename == "aanmeldformulier_100001.pdf"
        assert renderer.calls[0][0] == "registration.html"

    def test_consent_form_is_the_amsterdam_lat_form(self, clock: FixedClock) -> None:
        renderer = FakeRenderer()
        pdf = docs.render_consent_form(clock, renderer)
        assert pdf.filename == "toestemmingsformulier_lat.pdf"
        [(template, context)] = renderer.calls
        assert template == "consent_form.html"
        assert context["doc"] == docs.ConsentFormDocument(
            procedure="Kernprocedure Amsterdam", printed_on="10-03-2025"
        )


class TestExportItems:
    def test_all_pupils_of_the_school_named_by_elk_number(self, uow: InMemoryUnitOfWork) -> None:
        items = docs.export_items(
            uow, Actor.system(), SchoolLocation.parse("12AB00"), DocumentKind.REGISTRATION
        )
        assert sorted((i.pupil_id, i.filename) for i in items) == [
            (1, "aanmeldformulier_100001.pdf"),
            (2, "aanmeldformulier_100002.pdf"),
        ]

    def test_unknown_location_is_not_found(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound):
            docs.export_items(
                uow, Actor.system(), SchoolLocation.parse("99ZZ"), DocumentKind.OKIDOC
            )

    def test_a_vo_user_may_not_export_a_po_school(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound):
            docs.export_items(uow, VO_USER, SchoolLocation.parse("12AB00"), DocumentKind.OKIDOC)
