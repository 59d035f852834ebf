"""The registrations list of a VO school (R-AAN-4, R-AUTH-5): own school only, filters, counts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import attrs
import pytest

from elk_domain.errors import Forbidden, NotFound
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.logbooks.okidoc_history import okidoc_history
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.organisation.model import Board, School
from elk_domain.overview.model import okidoc_facts
from elk_domain.parents.claims import PriorityState
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
    RegistrationStatus,
)
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryUnitOfWork
from elk_domain.vo.dossier import VIEWED, record_dossier_view
from elk_domain.vo.model import LevelCount, RegistrationFilter, claim_text
from elk_domain.vo.region import pupils_without_registration, region_registrations
from elk_domain.vo.registrations import CSV_HEADER, registrations_csv, registrations_list
from elk_domain.vo.tafelmiddag import mark_tafelmiddag

NOW = dt.datetime(2025, 3, 25, 9, tzinfo=dt.UTC)
SIBLING = PriorityClaim(PriorityKind.SIBLING, "Tim", "1b")
STAFF = PriorityClaim(PriorityKind.STAFF_CHILD, "=Ria")


def _school(kind: OrgKind, name: str, brin: str, **extra: object) -> School:
    return School(
        id=0, board_id=1, kind=kind, official_name=name, name=name, school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(brin), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    """Lyceum (havo 2 seats, vwo) gets four definitive registrations; one pupil chose Gymnasium
    first, one only started."""
    uow = InMemoryUnitOfWork()
    with uow:
        uow.boards.add(Board(0, "Amstelwijs"))
        po = uow.schools.add(_school(OrgKind.PO, "Regenboog", "12AB"))
        lyceum = uow.schools.add(
            _school(OrgKind.VO, "Lyceum", "34CD", levels=frozenset({Level.HAVO, Level.VWO}),
                    capacity={Level.HAVO: 2})
        )  # fmt: skip
        gym = uow.schools.add(_school(OrgKind.VO, "Gymnasium", "56EF"))
        pupils = (  # first name, last name, advice, first choice, status, options, judged
            ("Sam", "Jansen", "havo/vwo", lyceum.id, "AV", FirstChoiceOptions(), None),
            ("Ali", "Bakker", "havo", lyceum.id, "AV",
             FirstChoiceOptions(priority_claim=SIBLING, multiple_birth=True), None),
            ("Noor", "Visser", "vmbo-gl/tl", lyceum.id, "AV",
             FirstChoiceOptions(priority_claim=STAFF, equivalent_level=True), True),
            ("Eva", "Bos", "", lyceum.id, "AV", FirstChoiceOptions(priority_claim=SIBLING), False),
            ("Bo", "Berg", "havo", gym.id, "AV", FirstChoiceOptions(), None),
            ("Ize", "Dam", "havo", lyceum.id, "AG", FirstChoiceOptions(), None),
            ("@Kim", "Kok", "onleesbaar advies", lyceum.id, "AV", FirstChoiceOptions(), None),
        )  # fmt: skip
        for n, (first, last, advice, school_id, status, options, judged) in enumerate(pupils):
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(100001 + n), school_id=po.id,
                      name=PersonName(first, last))
            )  # fmt: skip
            values = {}
            if advice:
                at = Provenance(Source.HAND, NOW, "Eva")
                values[fields.ADVICE_DEFINITIVE] = FieldValue(advice, at)
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, fields=values))
            chosen = PreferenceList(school_ids=(school_id,), first_choice=options)
            uow.registrations.add(
                Registration(
                    id=0, pupil_id=pupil.id, procedure="amstelland",
                    preferences=chosen, definitive=chosen if status == "AV" else None,
                    updated_at=NOW,
                    definitive_at=NOW if status == "AV" else None, priority_granted=judged,
                    priority_reason="Geen broer of zus hier" if judged is False else "",
                )
            )  # fmt: skip
        uow.commit()
    return uow


def vo_actor(school_id: int, role: Role = Role.VO_USER) -> Actor:
    return Actor(user_id=9, name="Vera", role=role, board_id=1, school_id=school_id)


LYCEUM, GYMNASIUM, REGENBOOG = 2, 3, 1


class TestRegistrationsList:
    def test_lists_the_definitive_first_choices_of_the_own_school_by_name(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        listing = registrations_list(uow, vo_actor(LYCEUM))
        assert [line.name.last for line in listing.lines] == [
            "Bakker", "Bos", "Jansen", "Kok", "Visser",
        ]  # fmt: skip
        assert listing.total == 5
        sam = next(line for line in listing.lines if line.name.first == "Sam")
        assert (sam.primary_school, str(sam.advice), sam.level) == (
            "Regenboog", "havo/vwo", Level.VWO,
        )  # fmt: skip
        assert sam.status is RegistrationStatus.DEFINITIVE
        assert sam.registered_at == NOW

    def test_a_vo_administrator_sees_the_same_list(self, uow: InMemoryUnitOfWork) -> None:
        listing = registrations_list(uow, vo_actor(LYCEUM, Role.VO_ADMIN))
        assert listing.total == 5

    def test_priority_and_first_choice_options(self, uow: InMemoryUnitOfWork) -> None:
        lines = {line.name.first: line for line in registrations_list(uow, vo_actor(LYCEUM)).lines}
        assert lines["Sam"].priority is PriorityState.NONE
        assert lines["Ali"].priority is PriorityState.TO_JUDGE
        assert lines["Ali"].multiple_birth
        assert lines["Noor"].priority is PriorityState.GRANTED
        assert lines["Noor"].equivalent_level
        assert lines["Eva"].priority is PriorityState.REFUSED
        assert lines["Eva"].priority_reason == "Geen broer of zus hier"
        assert claim_text(lines["Ali"].claim) == "broer/zus Tim (1b)"
        assert claim_text(lines["Noor"].claim) == "kind van medewerker =Ria"
        assert claim_text(None) == ""
        assert PriorityState.TO_JUDGE.label == "Te beoordelen"

    def test_counts_per_level_against_capacity(self, uow: InMemoryUnitOfWork) -> None:
        listing = registrations_list(uow, vo_actor(LYCEUM))
        assert listing.counts == (
            LevelCount(Level.HAVO, 1, 2),
            LevelCount(Level.VWO, 1, None),
        )
        assert not listing.counts[0].over
        assert LevelCount(Level.HAVO, 3, 2).over
        # no advice, an unreadable one, or one this school does not offer (vmbo-gl/tl)
        assert listing.unplaceable == 3

    def test_filters_by_level_priority_and_search(self, uow: InMemoryUnitOfWork) -> None:
        def names(**wanted: object) -> list[str]:
            chosen = RegistrationFilter(**wanted)  # type: ignore[arg-type]
            listing = registrations_list(uow, vo_actor(LYCEUM), chosen)
            assert listing.total == 5  # the counts stay those of the whole list
            return [line.name.first for line in listing.lines]

        assert names(level=Level.HAVO) == ["Ali"]
        assert names(priority=PriorityState.TO_JUDGE) == ["Ali"]
        assert names(search="  visser NOOR ") == ["Noor"]
        assert names(search="100003") == ["Noor"]
        assert names(search="regenboog") == ["Ali", "Eva", "Sam", "@Kim", "Noor"]
        assert names(level=Level.VWO, priority=PriorityState.GRANTED) == []


class TestWhoSeesTheList:
    def test_another_vo_school_sees_only_its_own(self, uow: InMemoryUnitOfWork) -> None:
        listing = registrations_list(uow, vo_actor(GYMNASIUM))
        assert [line.name.first for line in listing.lines] == ["Bo"]
        assert listing.counts == ()

    @pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.END_USER])
    def test_po_staff_may_not(self, uow: InMemoryUnitOfWork, role: Role) -> None:
        with pytest.raises(Forbidden):
            registrations_list(uow, vo_actor(REGENBOOG, role))

    def test_a_vo_role_on_a_po_school_finds_no_vo_school(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound):
            registrations_list(uow, vo_actor(REGENBOOG))

    @pytest.mark.parametrize(
        "actor",
        [
            Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN),
            Actor(user_id=2, name="Bert", role=Role.BOARD_CONTACT, board_id=1),
            Actor(user_id=6, name="Ouder", role=Role.PARENT, pupil_id=1),
        ],
    )
    def test_nobody_else_may(self, uow: InMemoryUnitOfWork, actor: Actor) -> None:
        with pytest.raises(Forbidden):
            registrations_list(uow, actor)


class TestCsv:
    def test_the_export_is_formula_safe_and_has_one_row_per_listed_line(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        listing = registrations_list(uow, vo_actor(LYCEUM))
        rows = list(csv.reader(io.StringIO(registrations_csv(listing)), delimiter=";"))
        assert tuple(rows[0]) == CSV_HEADER
        assert len(rows) == 6
        noor = next(row for row in rows if row[3] == "Noor")
        assert noor[0] == "100003"
        assert noor[7] == "kind van medewerker =Ria"  # not at the start: harmless
        assert noor[8:12] == ["Gehonoreerd", "ja", "nee", "Definitief"]
        assert noor[12] == "2025-03-25"
        assert any(row[3] == "'@Kim" for row in rows)  # a spreadsheet would run it
        eva = next(row for row in rows if row[3] == "Eva")
        assert eva[5:7] == ["", ""]
        assert eva[14:] == ["Geen broer of zus hier", "nee"]


class TestAChangeInProgress:
    """R-AAN-4: while the parent works on a new list, the school sees the definitive one and
    only that a change is in progress."""

    def test_the_list_shows_the_definitive_options_and_marks_the_change(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        with uow:
            ali = next(r for r in uow.store.tables["registrations"].values() if r.pupil_id == 2)
            draft = PreferenceList(school_ids=(GYMNASIUM, LYCEUM))  # no claim, another school
            uow.registrations.update(attrs.evolve(ali, preferences=draft))
            uow.commit()
        listing = registrations_list(uow, vo_actor(LYCEUM))
        line = next(line for line in listing.lines if line.name.first == "Ali")
        assert line.pending_change
        assert line.claim == SIBLING
        assert line.multiple_birth
        assert not any(other.pending_change for other in listing.lines if other is not line)
        row = next(r for r in csv.reader(io.StringIO(registrations_csv(listing)), delimiter=";")
                   if r[3] == "Ali")  # fmt: skip
        assert row[-1] == "ja"
        assert "Gymnasium" not in registrations_csv(listing)
        assert registrations_list(uow, vo_actor(GYMNASIUM)).total == 1  # Bo only


class TestDossierViews:
    """R-AUTH-5: every VO view of a registered pupil's Oki-doc is in the Oki-doc's history."""

    def test_a_vo_view_is_audited_and_shown_in_the_history(self, uow: InMemoryUnitOfWork) -> None:
        clock = FixedClock()
        teacher = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
        record_dossier_view(uow, clock, teacher, 1, "Oki-doc, tab Leerling")  # not logged
        record_dossier_view(uow, clock, vo_actor(LYCEUM), 1, "Oki-doc PDF")
        _, lines = okidoc_history(uow, teacher, 1)
        assert [(line.who, line.action, line.detail) for line in lines] == [
            ("Vera", "Bekeken door VO", "Oki-doc PDF (Lyceum)")
        ]
        with uow:
            (entry,) = uow.audit.for_subject("okidoc", uow.okidocs.for_pupil(1).id)
        assert (entry.action, entry.school_id) == (VIEWED, REGENBOOG)

    def test_a_pupil_not_registered_at_the_school_stays_hidden(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        with pytest.raises(NotFound):  # Bo chose Gymnasium first
            record_dossier_view(uow, FixedClock(), vo_actor(LYCEUM), 5, "Oki-doc PDF")
        with pytest.raises(NotFound):  # Ize's registration is not definitive
            record_dossier_view(uow, FixedClock(), vo_actor(LYCEUM), 6, "Oki-doc PDF")
        assert uow.audit.for_subject("okidoc", 5) == []


class TestTafelmiddag:
    def test_the_vo_school_marks_it_and_the_po_overview_and_history_show_it(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        clock = FixedClock()
        marked = mark_tafelmiddag(uow, clock, vo_actor(LYCEUM), 1, attended=True)
        assert marked.value(fields.TAFELMIDDAG_VO) is True
        assert okidoc_facts(marked).tafelmiddag_vo
        again = mark_tafelmiddag(uow, clock, vo_actor(LYCEUM), 1, attended=True)
        assert again.version == marked.version  # nothing changed, nothing saved
        sam = next(line for line in registrations_list(uow, vo_actor(LYCEUM)).lines
                   if line.name.first == "Sam")  # fmt: skip
        assert sam.tafelmiddag
        teacher = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
        _, lines = okidoc_history(uow, teacher, 1)
        assert [(line.action, line.field, line.old, line.new) for line in lines] == [
            ("Tafelmiddag VO aangegeven", "Tafelmiddag VO", "nee", "ja")
        ]
        cleared = mark_tafelmiddag(uow, clock, vo_actor(LYCEUM), 1, attended=False)
        assert cleared.value(fields.TAFELMIDDAG_VO) is False

    def test_only_the_school_the_pupil_registered_at(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound):
            mark_tafelmiddag(uow, FixedClock(), vo_actor(GYMNASIUM), 1, attended=True)
        teacher = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
        with pytest.raises(Forbidden):
            mark_tafelmiddag(uow, FixedClock(), teacher, 1, attended=True)


class TestRegionOverview:
    def test_elk_beheer_sees_every_vo_school_against_its_capacity(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        admin = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN)
        found = {r.school.name: r for r in region_registrations(uow, admin)}
        assert set(found) == {"Lyceum", "Gymnasium"}
        lyceum = found["Lyceum"]
        assert (lyceum.total, lyceum.unplaceable, lyceum.over) == (5, 3, False)
        assert lyceum.counts[0] == LevelCount(Level.HAVO, 1, 2)
        with uow:
            school = uow.schools.get(LYCEUM)
            uow.schools.update(attrs.evolve(school, capacity={Level.HAVO: 0}))
            uow.commit()
        (over,) = [r for r in region_registrations(uow, admin) if r.school.id == LYCEUM]
        assert over.over

    def test_a_board_contact_sees_the_board_s_vo_schools(self, uow: InMemoryUnitOfWork) -> None:
        board = Actor(user_id=2, name="Bert", role=Role.BOARD_CONTACT, board_id=1)
        assert len(region_registrations(uow, board)) == 2
        elsewhere = Actor(user_id=3, name="Els", role=Role.BOARD_CONTACT, board_id=7)
        assert region_registrations(uow, elsewhere) == []

    def test_school_staff_may_not(self, uow: InMemoryUnitOfWork) -> None:
        for use_case in (region_registrations, pupils_without_registration):
            with pytest.raises(NotFound):
                use_case(uow, vo_actor(LYCEUM))
            with pytest.raises(NotFound):
                use_case(uow, vo_actor(REGENBOOG, Role.SCHOOL_ADMIN))

    def test_the_pupils_without_a_definitive_registration_with_their_primary_school(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        admin = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN)
        found = pupils_without_registration(uow, admin)
        assert [(p.name.first, p.school_name, p.started) for p in found] == [
            ("Ize", "Regenboog", True)
        ]
        board = Actor(user_id=2, name="Bert", role=Role.BOARD_CONTACT, board_id=1)
        assert pupils_without_registration(uow, board) == found
        elsewhere = Actor(user_id=3, name="Els", role=Role.BOARD_CONTACT, board_id=7)
        assert pupils_without_registration(uow, elsewhere) == []
