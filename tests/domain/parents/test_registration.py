"""Registration rules (R-AAN-1..4): list lengths per procedure, and every violation at once."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from elk_domain.errors import Rejected
from elk_domain.kernel.advice import Advice, Level, parse_advice
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import Period, School, Timeline
from elk_domain.organisation.procedure import AMSTELLAND, AMSTERDAM, PROCEDURES, procedure_named
from elk_domain.parents.fitting import list_length, schools_fitting
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
    RegistrationStatus,
    check_registration,
)

ALL = frozenset(Level)
T0 = dt.datetime(2025, 3, 20, tzinfo=dt.UTC)
TIMELINE = Timeline(
    registration=Period(dt.date(2025, 3, 17), dt.date(2025, 4, 4)),
    registration_week=Period(dt.date(2025, 3, 24), dt.date(2025, 3, 28)),
)
IN_PERIOD, IN_WEEK, CLOSED = dt.date(2025, 3, 18), dt.date(2025, 3, 25), dt.date(2025, 5, 1)


def vo(school_id: int, name: str, levels: frozenset[Level] = ALL, priority: bool = True) -> School:
    return School(
        id=school_id,
        board_id=9,
        kind=OrgKind.VO,
        official_name=name,
        name=name,
        school_type="VO",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(f"{school_id:02d}VO"),
        levels=levels,
        offers_priority=priority,
    )


SCHOOLS = {i: vo(i, f"VO {i}") for i in range(1, 14)}
SCHOOLS[20] = vo(20, "Praktijkschool", frozenset({Level.PRO}), priority=False)
SCHOOLS[21] = vo(21, "Gymnasium", frozenset({Level.VWO}))
SCHOOLS[22] = School(
    id=22,
    board_id=1,
    kind=OrgKind.PO,
    official_name="Basisschool",
    name="Basisschool",
    school_type="PO",
    address=SCHOOLS[1].address,
    location=SchoolLocation.parse("22PO"),
)


def check(
    ids: tuple[int, ...],
    advice: str = "havo",
    *,
    procedure: str = "amstelland",
    definitive: bool = True,
    today: dt.date = IN_PERIOD,
    options: FirstChoiceOptions | None = None,
    previous: Registration | None = None,
) -> list[tuple[str, str]]:
    prefs = PreferenceList(school_ids=ids, first_choice=options or FirstChoiceOptions())
    found = check_registration(
        prefs,
        advice=parse_advice(advice),
        procedure=PROCEDURES[procedure],
        schools=SCHOOLS,
        today=today,
        timeline=TIMELINE,
        definitive=definitive,
        previous=previous,
    )
    return [(v.path, v.message) for v in found]


def paths(found: list[tuple[str, str]]) -> list[str]:
    return [p for p, _ in found]


class TestListLength:
    @pytest.mark.parametrize(
        ("procedure", "advice", "length"),
        [
            ("amstelland", "pro", 2),
            ("amstelland", "vmbo-b", 2),
            ("amstelland", "vmbo-b/k", 2),
            ("amstelland", "vmbo-k", 2),
            ("amstelland", "vmbo-k/gl-tl", 2),
            ("amstelland", "vmbo-gl/tl", 5),
            ("amstelland", "vmbo-gl-tl/havo", 5),
            ("amstelland", "havo", 5),
            ("amstelland", "havo/vwo", 5),
            ("amstelland", "vwo", 5),
            ("amsterdam", "pro", 4),
            ("amsterdam", "vmbo-b", 4),
            ("amsterdam", "vmbo-b/k", 4),
            ("amsterdam", "vmbo-k", 4),
            ("amsterdam", "vmbo-k/gl-tl", 6),
            ("amsterdam", "vmbo-gl/tl", 6),
            ("amsterdam", "vmbo-gl-tl/havo", 12),
            ("amsterdam", "havo", 12),
            ("amsterdam", "havo/vwo", 12),
            ("amsterdam", "vwo", 12),
        ],
    )
    def test_required_length_per_advice(self, procedure: str, advice: str, length: int) -> None:
        assert PROCEDURES[procedure].required_length(parse_advice(advice)) == length

    def test_amstelland_definitive_needs_exactly_the_length(self) -> None:
        assert check((1, 2), "vmbo-k") == []
        assert paths(check((1,), "vmbo-k")) == ["voorkeuren"]
        assert "kiest u 2 scholen; u heeft er 3" in check((1, 2, 3), "vmbo-k")[0][1]

    def test_amstelland_draft_may_be_shorter_but_not_longer(self) -> None:
        assert check((1,), "havo", definitive=False) == []
        assert check((), "havo", definitive=False) == []
        assert paths(check((1, 2, 3, 4, 5, 6), "havo", definitive=False)) == ["voorkeuren"]

    def test_amsterdam_length_is_a_minimum(self) -> None:
        twelve = tuple(range(1, 13))
        assert check(twelve, procedure="amsterdam") == []
        assert check((*twelve, 13), procedure="amsterdam") == []
        short = check(twelve[:11], procedure="amsterdam")
        assert "minimaal 12 scholen; u heeft er 11" in short[0][1]
        assert check(twelve[:3], procedure="amsterdam", definitive=False) == []

    def test_procedure_settings(self) -> None:
        assert AMSTERDAM.uses_lwoo_pro_tab
        assert not AMSTELLAND.uses_lwoo_pro_tab
        assert procedure_named("amsterdam") is AMSTERDAM
        with pytest.raises(Rejected, match="geen bekende aanmeldprocedure"):
            procedure_named("utrecht")

    def test_advice_outside_every_rule_is_rejected(self) -> None:
        from elk_domain.organisation.procedure import ListLengthRule, RegionalProcedure

        narrow = RegionalProcedure(
            name="x",
            label="X",
            list_length_rules=(
                ListLengthRule(Advice.single(Level.VWO), Advice.single(Level.VWO), 1),
            ),
        )
        assert narrow.required_length(Advice.single(Level.VWO)) == 1
        with pytest.raises(Rejected, match="geen lijstlengte"):
            narrow.required_length(Advice.single(Level.PRO))

    @pytest.mark.parametrize(
        ("exact", "ids", "expected"),
        [
            (True, (), "Bij advies vwo kiest u 1 school; u heeft er 0 gekozen."),
            (True, (21, 1), "Bij advies vwo kiest u 1 school; u heeft er 2 gekozen."),
            (False, (), "Bij advies vwo kiest u minimaal 1 school; u heeft er 0 gekozen."),
        ],
    )
    def test_a_list_of_one_says_school_not_scholen(
        self, exact: bool, ids: tuple[int, ...], expected: str
    ) -> None:
        from elk_domain.organisation.procedure import ListLengthRule, RegionalProcedure

        one = RegionalProcedure(
            name="een",
            label="Een",
            list_length_rules=(
                ListLengthRule(Advice.single(Level.VWO), Advice.single(Level.VWO), 1),
            ),
            exact_length=exact,
        )
        found = check_registration(
            PreferenceList(school_ids=ids),
            advice=parse_advice("vwo"),
            procedure=one,
            schools=SCHOOLS,
            today=IN_PERIOD,
            timeline=TIMELINE,
            definitive=True,
        )
        assert [v.message for v in found] == [expected]


class TestViolations:
    def test_closed_period(self) -> None:
        assert check((1, 2, 3, 4, 5), today=CLOSED) == [
            ("aanmelding", "De aanmeldperiode is gesloten.")
        ]

    def test_registration_week_counts_as_open(self) -> None:
        only_week = Timeline(registration_week=TIMELINE.registration_week)
        found = check_registration(
            PreferenceList(school_ids=(1, 2)),
            advice=parse_advice("vmbo-b"),
            procedure=AMSTELLAND,
            schools=SCHOOLS,
            today=IN_WEEK,
            timeline=only_week,
            definitive=True,
        )
        assert found == []

    def test_changing_a_definitive_registration_only_in_the_registration_week(self) -> None:
        previous = Registration(
            id=1,
            pupil_id=1,
            procedure="amstelland",
            preferences=PreferenceList(school_ids=(1, 2, 3, 4, 5)),
            definitive=PreferenceList(school_ids=(1, 2, 3, 4, 5)),
            updated_at=T0,
        )
        ids = (5, 4, 3, 2, 1)
        assert check(ids, today=IN_WEEK, previous=previous) == []
        assert paths(check(ids, today=IN_PERIOD, previous=previous)) == ["aanmelding"]
        assert "aanmeldweek" in check(ids, today=IN_PERIOD, previous=previous)[0][1]

    def test_school_twice(self) -> None:
        found = check((1, 2, 1, 4, 5))
        assert found == [("voorkeuren.3", "VO 1 staat meer dan één keer op de lijst.")]

    def test_unknown_or_primary_school(self) -> None:
        assert paths(check((1, 2, 3, 4, 99))) == ["voorkeuren.5"]
        assert paths(check((1, 2, 3, 4, 22))) == ["voorkeuren.5"]

    def test_school_without_a_fitting_level(self) -> None:
        found = check((20, 2, 3, 4, 5), "havo")
        assert found == [
            ("voorkeuren.1", "Praktijkschool biedt geen onderwijs dat past bij advies havo.")
        ]

    def test_combined_advice_fits_a_school_with_one_of_its_levels(self) -> None:
        assert check((21, 2, 3, 4, 5), "havo/vwo") == []

    def test_priority_at_school_without_priority(self) -> None:
        claim = PriorityClaim(PriorityKind.SIBLING, "Anna", "2b")
        found = check((20, 1), "pro", options=FirstChoiceOptions(priority_claim=claim))
        assert found == [
            ("eerste_voorkeur.voorrang", "Praktijkschool kent geen voorrangsregeling.")
        ]

    def test_sibling_claim_needs_name_and_class(self) -> None:
        claim = PriorityClaim(PriorityKind.SIBLING, " ", "")
        found = check((1, 2), "vmbo-b", options=FirstChoiceOptions(priority_claim=claim))
        assert paths(found) == ["eerste_voorkeur.voorrang.naam", "eerste_voorkeur.voorrang.klas"]
        assert "broer of zus" in found[0][1]

    def test_staff_child_claim_needs_only_a_name(self) -> None:
        ok = PriorityClaim(PriorityKind.STAFF_CHILD, "Mevr. de Vries")
        assert check((1, 2), "vmbo-b", options=FirstChoiceOptions(priority_claim=ok)) == []
        missing = PriorityClaim(PriorityKind.STAFF_CHILD)
        found = check((1, 2), "vmbo-b", options=FirstChoiceOptions(priority_claim=missing))
        assert found == [("eerste_voorkeur.voorrang.naam", "Vul de naam van de medewerker in.")]

    def test_first_choice_options_need_a_first_choice(self) -> None:
        options = FirstChoiceOptions(equivalent_level=True, multiple_birth=True)
        found = check((), definitive=False, options=options)
        assert found == [("eerste_voorkeur", "Kies eerst een school van eerste voorkeur.")]
        assert check((1,), definitive=False, options=options) == []

    def test_an_equivalent_level_only_where_the_school_offers_it(self) -> None:
        closed = attrs.evolve(SCHOOLS[1], offers_equivalent_level=False)
        claim = PriorityClaim(PriorityKind.STAFF_CHILD)
        options = FirstChoiceOptions(equivalent_level=True, priority_claim=claim)
        found = check_registration(
            PreferenceList(school_ids=(1,), first_choice=options),
            advice=parse_advice("havo"),
            procedure=AMSTELLAND,
            schools={**SCHOOLS, 1: closed},
            today=IN_PERIOD,
            timeline=TIMELINE,
            definitive=False,
        )
        assert [v.path for v in found] == [
            "eerste_voorkeur.gelijkwaardig",
            "eerste_voorkeur.voorrang.naam",
        ]
        assert found[0].message == "VO 1 biedt geen plaats op een gelijkwaardige afdeling."

    def test_all_violations_are_reported_together(self) -> None:
        claim = PriorityClaim(PriorityKind.SIBLING)
        found = check(
            (20, 20), "havo", today=CLOSED, options=FirstChoiceOptions(priority_claim=claim)
        )
        assert paths(found) == [
            "aanmelding",
            "voorkeuren",
            "voorkeuren.1",
            "voorkeuren.2",
            "eerste_voorkeur.voorrang",
        ]


class TestInvulhulp:
    def test_lists_vo_schools_fitting_the_advice_by_name(self) -> None:
        fitting = schools_fitting(parse_advice("pro"), SCHOOLS.values())
        assert "Praktijkschool" in [s.name for s in fitting]
        assert "Gymnasium" not in [s.name for s in fitting]
        assert "Basisschool" not in [
            s.name for s in schools_fitting(parse_advice("vwo"), SCHOOLS.values())
        ]


class TestStatus:
    def test_a_list_counts_once_it_was_made_definitive_even_while_a_new_one_is_worked_on(
        self,
    ) -> None:
        first, second = PreferenceList(school_ids=(1, 2)), PreferenceList(school_ids=(2, 1))
        draft = Registration(id=1, pupil_id=1, procedure="amstelland", preferences=first,
                             updated_at=T0)  # fmt: skip
        assert (draft.status, draft.effective, draft.has_pending_change) == (
            RegistrationStatus.STARTED, first, False
        )  # fmt: skip
        final = attrs.evolve(draft, definitive=first)
        assert (final.status, final.has_pending_change) == (RegistrationStatus.DEFINITIVE, False)
        again = attrs.evolve(final, preferences=second)
        assert (again.status, again.effective, again.has_pending_change) == (
            RegistrationStatus.DEFINITIVE, first, True
        )  # fmt: skip
        assert again.registered_at() == {1}


class TestEditingTheList:
    SIBLING = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Ada", "1b"))

    def test_adding_appends_once(self) -> None:
        chosen = PreferenceList(school_ids=(1,)).added(2).added(3).added(2)
        assert chosen.school_ids == (1, 2, 3)

    @pytest.mark.parametrize(
        ("school", "places", "after"),
        [(2, -1, (2, 1, 3)), (2, 1, (1, 3, 2)), (1, -1, (1, 2, 3)), (3, 5, (1, 2, 3)),
         (9, 1, (1, 2, 3)), (3, -2, (3, 1, 2))],
    )  # fmt: skip
    def test_moving_stops_at_either_end(
        self, school: int, places: int, after: tuple[int, ...]
    ) -> None:
        assert PreferenceList(school_ids=(1, 2, 3)).moved(school, places).school_ids == after

    def test_first_choice_options_stay_with_the_first_school(self) -> None:
        chosen = PreferenceList(school_ids=(1, 2, 3), first_choice=self.SIBLING)
        assert chosen.moved(3, 1).first_choice == self.SIBLING
        assert chosen.removed(2).first_choice == self.SIBLING
        assert chosen.moved(2, -1).first_choice == FirstChoiceOptions()
        assert chosen.removed(1).first_choice == FirstChoiceOptions()
        assert chosen.removed(1).school_ids == (2, 3)

    @given(
        st.lists(st.integers(1, 8), max_size=8, unique=True),
        st.lists(st.tuples(st.sampled_from(["add", "remove", "move"]), st.integers(1, 9),
                           st.integers(-3, 3)), max_size=12),
    )  # fmt: skip
    def test_edits_never_put_a_school_twice_on_the_list(
        self, start: list[int], edits: list[tuple[str, int, int]]
    ) -> None:
        chosen = PreferenceList(school_ids=tuple(start))
        for kind, school, places in edits:
            if kind == "add":
                chosen = chosen.added(school)
            elif kind == "remove":
                chosen = chosen.removed(school)
            else:
                chosen = chosen.moved(school, places)
        assert len(set(chosen.school_ids)) == len(chosen.school_ids)

    def test_vo_school_sees_only_definitive_first_choice(self) -> None:
        reg = Registration(
            id=1, pupil_id=1, procedure="amstelland",
            preferences=PreferenceList(school_ids=(3, 4)), updated_at=T0,
        )  # fmt: skip
        assert reg.registered_at() == frozenset()
        final = Registration(
            id=1, pupil_id=1, procedure="amstelland", definitive=PreferenceList(school_ids=(3, 4)),
            preferences=PreferenceList(school_ids=(3, 4)), updated_at=T0,
        )  # fmt: skip
        assert final.registered_at() == {3}
        assert RegistrationStatus.DEFINITIVE.label == "Definitief"
        assert RegistrationStatus.STARTED.label == "Gestart"


def _advices() -> list[Advice]:
    singles = [Advice.single(level) for level in Level]
    pairs = [Advice(a, b) for a, b in zip(Level, list(Level)[1:], strict=False)
             if a is not Level.PRO]  # fmt: skip
    return singles + pairs


class TestTheFormAcceptsExactlyWhatTheRulesAllow:
    @given(
        advice=st.sampled_from(_advices()),
        procedure=st.sampled_from(sorted(PROCEDURES)),
        ids=st.lists(st.sampled_from(sorted(SCHOOLS)), max_size=16),
        definitive=st.booleans(),
    )
    def test_against_the_rules_written_out(
        self, advice: Advice, procedure: str, ids: list[int], definitive: bool
    ) -> None:
        rules = PROCEDURES[procedure]
        wanted = set(advice.levels())
        offered = [s for s in SCHOOLS.values() if s.kind is OrgKind.VO and wanted & s.levels]
        need = min(rules.required_length(advice), len(offered))
        fitting = all(SCHOOLS[i].kind is OrgKind.VO and wanted & SCHOOLS[i].levels for i in ids)
        if rules.exact_length:
            length_ok = len(ids) == need if definitive else len(ids) <= need
        else:
            length_ok = len(ids) >= need if definitive else True
        allowed = fitting and len(set(ids)) == len(ids) and length_ok
        found = check_registration(
            PreferenceList(school_ids=tuple(ids)), advice=advice, procedure=rules,
            schools=SCHOOLS, today=IN_PERIOD, timeline=TIMELINE, definitive=definitive,
        )  # fmt: skip
        assert (found == []) is allowed, found

    def test_a_region_with_fewer_fitting_schools_asks_for_fewer(self) -> None:
        few = {i: s for i, s in SCHOOLS.items() if i in (20, 21)}  # one pro, one vwo school
        vwo = Advice.single(Level.VWO)
        assert list_length(AMSTELLAND, vwo, few.values()) == 1
        found = check_registration(
            PreferenceList(school_ids=(21,)), advice=vwo, procedure=AMSTELLAND, schools=few,
            today=IN_PERIOD, timeline=TIMELINE, definitive=True,
        )  # fmt: skip
        assert found == []
