"""Toetsresultaten: retention (R-OSO-5), grouping per school year and the DLE chart (R-OKI-5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc.model import TestResult
from elk_domain.okidoc.rules import LeerrendementIndication, leerrendement

KEPT_SCHOOL_YEARS = 3  # the current school year and the two before it


def oldest_kept_year(today: dt.date) -> SchoolYear:
    """The oldest school year whose results are still kept on ``today``."""
    return SchoolYear.of(today).previous(KEPT_SCHOOL_YEARS - 1)


def retain_recent(results: Iterable[TestResult], today: dt.date) -> tuple[TestResult, ...]:
    """R-OSO-5: only results of the current and the two previous school years, order kept."""
    # By year number: the attrs-generated ``>=`` builds two tuples per comparison.
    oldest = oldest_kept_year(today).start
    return tuple(r for r in results if r.school_year.start >= oldest)


def by_school_year(
    results: Iterable[TestResult],
) -> tuple[tuple[SchoolYear, tuple[TestResult, ...]], ...]:
    """Results grouped per school year, newest year first, each year by date then test name."""
    groups: dict[SchoolYear, list[TestResult]] = {}
    for result in results:
        groups.setdefault(result.school_year, []).append(result)
    return tuple(
        (year, tuple(sorted(groups[year], key=lambda r: (r.taken_on, r.test_name, r.subject))))
        for year in sorted(groups, reverse=True)
    )


@attrs.frozen(kw_only=True)
class ChartPoint:
    """One test on the DLE chart: DL on the x axis, DLE on the y axis."""

    dl: int
    dle: int
    label: str
    leerrendement: float
    indication: LeerrendementIndication


@attrs.frozen
class ReferenceLine:
    """A leerrendement line on the chart (R-OKI-5)."""

    percent: int
    colour: str
    meaning: str

    def y_at(self, dl: float) -> float:
        """The DLE on this line at a given DL."""
        return dl * self.percent / 100


REFERENCE_LINES: tuple[ReferenceLine, ...] = (
    ReferenceLine(100, "red", "100% leerrendement"),
    ReferenceLine(75, "grey", "75%: op of onder deze lijn indicatief voor LWOO"),
    ReferenceLine(50, "blue", "50%: op of onder deze lijn indicatief voor PrO"),
)


def chart_points(results: Iterable[TestResult]) -> tuple[ChartPoint, ...]:
    """Points for every result with a DLE and a positive DL, in date order."""
    points: list[ChartPoint] = []
    for result in sorted(results, key=lambda r: (r.taken_on, r.subject)):
        rate = leerrendement(result.dle, result.dl)
        if rate is None or result.dle is None or result.dl is None:
            continue
        points.append(
            ChartPoint(
                dl=result.dl,
                dle=result.dle,
                label=f"{result.subject} ({result.taken_on:%d-%m-%Y})",
                leerrendement=rate,
                indication=LeerrendementIndication.of(rate),
            )
        )
    return tuple(points)
