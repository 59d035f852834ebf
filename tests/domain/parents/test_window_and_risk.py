"""When parents may register (R-AAN-1/4), and the risk warning before "Definitief maken"."""

from __future__ import annotations

import datetime as dt

import pytest

from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import Period, School, Timeline
from elk_domain.parents.risk import Risk, RiskKind, places, registration_risks
from elk_domain.parents.window import WindowState, registration_window

PERIOD = Period(dt.date(2025, 3, 17), dt.date(2025, 4, 4))
WEEK = Period(dt.date(2025, 3, 24), dt.date(2025, 3, 28))
W = WindowState


class TestWindow:
    @pytest.mark.parametrize(
        ("timeline", "day", "definitive", "state"),
        [
            (Timeline(), dt.date(2025, 3, 20), False, W.NOT_SET),
            (Timeline(registration=PERIOD), dt.date(2025, 3, 1), False, W.NOT_YET),
            (Timeline(registration=PERIOD), dt.date(2025, 3, 17), False, W.OPEN),
            (Timeline(registration=PERIOD), dt.date(2025, 4, 4), False, W.OPEN),
            (Timeline(registration=PERIOD), dt.date(2025, 4, 5), False, W.CLOSED),
            (Timeline(registration_week=WEEK), dt.date(2025, 3, 25), False, W.OPEN),
            (Timeline(registration_week=WEEK), dt.date(2025, 3, 23), False, W.NOT_YET),
            (Timeline(registration=PERIOD, registration_week=WEEK), dt.date(2025, 3, 20), True,
             W.LOCKED),
            (Timeline(registration=PERIOD, registration_week=WEEK), dt.date(2025, 3, 25), True,
             W.CHANGE_IN_WEEK),
            (Timeline(registration=PERIOD), dt.date(2025, 3, 25), True, W.LOCKED),
        ],
    )  # fmt: skip
    def test_states(
        self, timeline: Timeline, day: dt.date, definitive: bool, state: WindowState
    ) -> None:
        window = registration_window(timeline, day, definitive=definitive)
        assert window.state is state
        assert window.may_edit is (state in (W.OPEN, W.CHANGE_IN_WEEK))
        assert (window.period, window.week) == (timeline.registration, timeline.registration_week)


def _school(school_id: int, seats: int) -> School:
    return School(
        id=school_id, board_id=1, kind=OrgKind.VO, official_name=f"S{school_id}",
        name=f"School {school_id}", school_type="x",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(f"{10 + school_id}VO"),
        levels=frozenset({Level.HAVO}), capacity={Level.HAVO: seats} if seats else {},
    )  # fmt: skip


class TestRisk:
    def test_nothing_to_say_about_an_empty_or_roomy_list(self) -> None:
        assert registration_risks([], minimum_only=True, first_choice_counts={}) == ()
        roomy = [_school(1, 100), _school(2, 100)]
        assert registration_risks(roomy, minimum_only=False, first_choice_counts={1: 99}) == ()
        unknown = [_school(1, 0)]  # capacity not set yet: no figure to warn with
        assert registration_risks(unknown, minimum_only=False, first_choice_counts={1: 50}) == ()

    def test_a_full_first_choice_names_the_figures(self) -> None:
        found = registration_risks(
            [_school(1, 30), _school(2, 100)], minimum_only=False, first_choice_counts={1: 30}
        )
        assert found == (Risk(kind=RiskKind.FIRST_CHOICE_FULL, school="School 1",
                              registered=30, places=30),)  # fmt: skip
        assert places(_school(1, 30)) == 30

    def test_every_school_full_now_or_last_year_and_a_short_list(self) -> None:
        chosen = [_school(1, 30), _school(2, 10), _school(3, 0)]
        found = registration_risks(
            chosen, minimum_only=True, first_choice_counts={1: 40, 2: 10},
            full_last_year=frozenset({3}),
        )  # fmt: skip
        assert [r.kind for r in found] == [
            RiskKind.SHORT_LIST, RiskKind.FIRST_CHOICE_FULL, RiskKind.ALL_FULL
        ]  # fmt: skip
