"""From registrations to a placement instance (decision 0055): levels, claims, births."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import School
from elk_domain.placement.intake import Candidate, birth_groups, build_instance, programmes_of
from elk_domain.placement.run import solve

ADDRESS = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")
HAVO_VWO = Advice(Level.HAVO, Level.VWO)
BORN = dt.date(2014, 5, 1)


def school(school_id: int, levels: dict[Level, int], **kw: object) -> School:
    return School(
        id=school_id,
        board_id=1,
        kind=kw.pop("kind", OrgKind.VO),  # type: ignore[arg-type]
        official_name=f"S{school_id}",
        name=f"School {school_id}",
        school_type="x",
        address=ADDRESS,
        location=SchoolLocation.parse(f"{10 + school_id}AB"),
        levels=frozenset(levels),
        capacity=levels,
        **kw,  # type: ignore[arg-type]
    )


def candidate(number: int, schools: tuple[int, ...], **kw: object) -> Candidate:
    values: dict[str, object] = {
        "pupil_id": number,
        "elk_number": 1000 + number,
        "primary_school_id": 1,
        "last_name": f"Kind{number}",
        "birth_date": BORN,
        "advice": HAVO_VWO,
        "school_ids": schools,
        **kw,
    }
    return Candidate(**values)  # type: ignore[arg-type]


SCHOOLS = [
    school(2, {Level.HAVO: 2, Level.VWO: 1}),
    school(3, {Level.HAVO: 5}),
    school(4, {Level.VMBO_GT: 5}),
    school(5, {Level.HAVO: 1, Level.VWO: 1}, offers_equivalent_level=False),
    school(1, {}, kind=OrgKind.PO),
]


class TestProgrammes:
    def test_every_level_of_every_vo_school_with_its_capacity(self) -> None:
        found = {(p.id, p.school, p.level, p.capacity) for p in programmes_of(SCHOOLS)}
        assert ("2:vwo", "School 2", "vwo", 1) in found
        assert ("3:havo", "School 3", "havo", 5) in found
        assert len(found) == 6  # the primary school offers none

    def test_a_level_without_a_capacity_has_no_places(self) -> None:
        no_places = school(7, {Level.HAVO: 3})
        no_places = attrs.evolve(no_places, levels=frozenset({Level.HAVO, Level.VWO}))
        assert [p.capacity for p in programmes_of([no_places])] == [3, 0]


class TestChoices:
    def test_the_highest_advice_level_each_school_offers(self) -> None:
        intake = build_instance("amsterdam", "z", SCHOOLS, [candidate(1, (2, 3))])
        assert intake.instance.pupils[0].choices == ("2:vwo", "3:havo")
        assert intake.pupil_ids == {"1001": 1}
        assert intake.programmes["3:havo"] == (3, Level.HAVO)

    def test_a_school_without_a_level_of_the_advice_is_left_out(self) -> None:
        intake = build_instance("amsterdam", "z", SCHOOLS, [candidate(1, (4, 3, 99))])
        assert intake.instance.pupils[0].choices == ("3:havo",)

    def test_a_pupil_without_advice_or_without_a_fitting_school_is_counted_not_placed(
        self,
    ) -> None:
        intake = build_instance(
            "amsterdam",
            "z",
            SCHOOLS,
            [candidate(1, (2,), advice=None), candidate(2, (4,)), candidate(3, (3,))],
        )
        assert [p.id for p in intake.instance.pupils] == ["1003"]
        assert (intake.without_advice, intake.without_choice) == (1, 1)

    def test_amstelland_counts_the_first_five(self) -> None:
        many = [school(10 + n, {Level.HAVO: 1}) for n in range(7)]
        given = [candidate(1, tuple(s.id for s in many))]
        assert len(build_instance("amstelland", "z", many, given).instance.pupils[0].choices) == 5
        assert len(build_instance("amsterdam", "z", many, given).instance.pupils[0].choices) == 7

    def test_the_instance_names_nobody(self) -> None:
        intake = build_instance("amsterdam", "z", SCHOOLS, [candidate(1, (2,))])
        assert "Kind1" not in repr(intake.instance)


class TestPriority:
    def test_only_a_granted_claim_counts(self) -> None:
        given = [
            candidate(1, (2,), priority_granted=True),
            candidate(2, (2,), priority_granted=False),
            candidate(3, (2,), priority_granted=None),
        ]
        pupils = build_instance("amsterdam", "z", SCHOOLS, given).instance.pupils
        assert [p.priority for p in pupils] == [True, False, False]

    def test_no_priority_when_the_first_choice_has_no_level_of_the_advice(self) -> None:
        given = [candidate(1, (4, 3), priority_granted=True)]
        pupil = build_instance("amsterdam", "z", SCHOOLS, given).instance.pupils[0]
        assert (pupil.choices, pupil.priority) == (("3:havo",), False)


class TestEquivalentLevel:
    def test_the_lower_level_of_a_combined_advice_at_the_first_choice(self) -> None:
        given = [candidate(1, (2, 3), equivalent_level=True)]
        pupil = build_instance("amstelland", "z", SCHOOLS, given).instance.pupils[0]
        assert pupil.stay_equivalent == "2:havo"

    def test_none_when_not_asked_not_offered_single_advice_or_amsterdam(self) -> None:
        given = [
            candidate(1, (2,)),
            candidate(2, (5,), equivalent_level=True),
            candidate(3, (2,), equivalent_level=True, advice=Advice.single(Level.VWO)),
            candidate(4, (3,), equivalent_level=True),
        ]
        pupils = build_instance("amstelland", "z", SCHOOLS, given).instance.pupils
        assert [p.stay_equivalent for p in pupils] == [None, None, None, None]
        asked = [candidate(1, (2,), equivalent_level=True)]
        pupils = build_instance("amsterdam", "z", SCHOOLS, asked).instance.pupils
        assert pupils[0].stay_equivalent is None

    def test_the_run_accepts_it(self) -> None:
        given = [candidate(n, (2, 3), equivalent_level=True) for n in range(1, 5)]
        result = solve(build_instance("amstelland", "z", SCHOOLS, given).instance)
        assert result.audit.blocking_pairs == 0
        assert result.audit.placed_equivalent == 2  # one vwo place, two havo places


class TestMultipleBirths:
    def twins(self, **kw: object) -> list[Candidate]:
        return [candidate(n, (2, 3), multiple_birth=True, last_name="Jansen", **kw) for n in (1, 2)]

    def test_same_first_choice_school_last_name_and_birth_date_make_a_group(self) -> None:
        groups = birth_groups([*self.twins(), candidate(3, (2,), multiple_birth=True)])
        assert groups == {1: "m1", 2: "m1"}

    def test_a_different_birth_date_or_no_option_makes_no_group(self) -> None:
        twins = self.twins()
        other_day = twins[1]._replace(birth_date=dt.date(2014, 5, 2))
        assert birth_groups([twins[0], other_day]) == {}
        assert birth_groups([twins[0], twins[1]._replace(multiple_birth=False)]) == {}
        unknown = [c._replace(birth_date=None) for c in twins]
        assert birth_groups(unknown) == {}

    def test_groups_are_numbered_by_their_lowest_elk_number(self) -> None:
        later = [
            c._replace(elk_number=c.elk_number + 10, pupil_id=c.pupil_id + 10) for c in self.twins()
        ]
        triplet = [candidate(n, (3,), multiple_birth=True, last_name="de Vries") for n in (5, 6, 7)]
        groups = birth_groups([*later, *triplet])
        assert groups[5] == groups[6] == groups[7] == "m1"
        assert groups[11] == groups[12] == "m2"

    def test_a_granted_priority_for_one_is_one_for_all(self) -> None:
        twins = self.twins()
        twins[0] = twins[0]._replace(priority_granted=True)
        pupils = build_instance("amstelland", "z", SCHOOLS, twins).instance.pupils
        assert [(p.multiple_birth_group, p.priority) for p in pupils] == [("m1", True)] * 2
        assert solve(build_instance("amstelland", "z", SCHOOLS, twins).instance).audit

    def test_no_group_when_the_first_choice_drops_out(self) -> None:
        twins = [c._replace(school_ids=(4, 3)) for c in self.twins()]
        pupils = build_instance("amstelland", "z", SCHOOLS, twins).instance.pupils
        assert [p.multiple_birth_group for p in pupils] == [None, None]
