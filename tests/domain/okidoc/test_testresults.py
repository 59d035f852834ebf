"""Toetsresultaten: three school years kept (R-OSO-5), grouping and DLE chart points (R-OKI-5)."""

from __future__ import annotations

import datetime as dt

import pytest

from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc.model import TestResult as Result
from elk_domain.okidoc.rules import LeerrendementIndication
from elk_domain.okidoc.testresults.scores import (
    REFERENCE_LINES,
    by_school_year,
    chart_points,
    oldest_kept_year,
    retain_recent,
)


def result(
    day: dt.date, subject: str = "Rekenen", dle: int | None = 40, dl: int | None = 50
) -> Result:
    return Result(
        school_year=SchoolYear.of(day),
        taken_on=day,
        test_name="Cito LOVS",
        subject=subject,
        dle=dle,
        dl=dl,
    )


class TestRetention:
    @pytest.mark.parametrize(
        ("today", "oldest"),
        [(dt.date(2025, 3, 1), 2022), (dt.date(2025, 7, 31), 2022), (dt.date(2025, 8, 1), 2023)],
    )
    def test_current_and_two_previous_school_years(self, today: dt.date, oldest: int) -> None:
        assert oldest_kept_year(today) == SchoolYear(oldest)

    def test_older_results_are_dropped_and_order_kept(self) -> None:
        old = result(dt.date(2022, 7, 31))
        kept = [
            result(dt.date(2023, 1, 15)),
            result(dt.date(2022, 8, 1)),
            result(dt.date(2025, 1, 20)),
        ]
        assert retain_recent([kept[0], old, kept[1], kept[2]], dt.date(2025, 3, 1)) == tuple(kept)


class TestGrouping:
    def test_newest_year_first_and_dates_within_a_year(self) -> None:
        a, b, c = (
            result(dt.date(2024, 1, 20)),
            result(dt.date(2024, 6, 1)),
            result(dt.date(2025, 1, 20)),
        )
        grouped = by_school_year([b, c, a])
        assert grouped == ((SchoolYear(2024), (c,)), (SchoolYear(2023), (a, b)))

    def test_no_results_no_groups(self) -> None:
        assert by_school_year([]) == ()


class TestChart:
    def test_points_for_results_with_dle_and_dl_in_date_order(self) -> None:
        later = result(dt.date(2025, 1, 20), "Spelling", dle=25, dl=50)
        earlier = result(dt.date(2024, 1, 20), "Rekenen", dle=40, dl=40)
        without = result(dt.date(2024, 6, 1), dle=None)
        points = chart_points([later, without, earlier])
        assert [(p.dl, p.dle, p.leerrendement) for p in points] == [(40, 40, 100.0), (50, 25, 50.0)]
        assert points[1].indication is LeerrendementIndication.INDICATIVE_PRO
        assert points[1].label == "Spelling (20-01-2025)"

    def test_reference_lines_at_100_75_and_50_percent(self) -> None:
        assert [(line.percent, line.colour) for line in REFERENCE_LINES] == [
            (100, "red"),
            (75, "grey"),
            (50, "blue"),
        ]
        assert REFERENCE_LINES[1].y_at(40) == 30
