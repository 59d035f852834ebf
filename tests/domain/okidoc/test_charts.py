"""The DLE chart as SVG and as table rows (R-OKI-5): one source for the web page and the PDF."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc.model import TestResult as Result
from elk_domain.okidoc.testresults.charts import (
    CHART_TITLE,
    axis_months,
    dle_chart_svg,
    dle_chart_table,
)
from elk_domain.okidoc.testresults.scores import ChartPoint, chart_points

SVG = "{http://www.w3.org/2000/svg}"


def _result(subject: str, dle: int, dl: int, day: int = 1) -> Result:
    return Result(
        school_year=SchoolYear(2024),
        taken_on=dt.date(2025, 1, day),
        test_name="LVS",
        subject=subject,
        dle=dle,
        dl=dl,
    )


def _points(*results: Result) -> tuple[ChartPoint, ...]:
    return chart_points(results)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


class TestDleChartSvg:
    def test_draws_the_three_leerrendement_lines_in_their_colours(self) -> None:
        root = _parse(dle_chart_svg(_points(_result("Rekenen", 45, 50))))
        lines = {
            line.findtext(f"{SVG}title"): line.get("stroke") for line in root.iter(f"{SVG}line")
        }
        assert lines["100% leerrendement"] == "#d7191c"
        assert lines["75%: op of onder deze lijn indicatief voor LWOO"] == "#808080"
        assert lines["50%: op of onder deze lijn indicatief voor PrO"] == "#2b5fb3"

    def test_reference_lines_end_at_their_percentage_of_the_axis(self) -> None:
        root = _parse(dle_chart_svg((), width=200, height=200))
        ends = {
            line.findtext(f"{SVG}title"): float(line.get("y2", "0"))
            for line in root.iter(f"{SVG}line")
            if line.findtext(f"{SVG}title")
        }
        # plot from y=164 (0 months) up to y=12 (60 months): 152 px for 60 months
        assert ends["100% leerrendement"] == 12.0
        assert ends["50%: op of onder deze lijn indicatief voor PrO"] == 88.0

    def test_one_marker_per_test_with_a_title_for_hover_and_screen_readers(self) -> None:
        points = _points(_result("Rekenen", 30, 50, 1), _result("Spelling", 52, 50, 2))
        root = _parse(dle_chart_svg(points, width=480, height=320))
        markers = list(root.iter(f"{SVG}circle"))
        assert [m.findtext(f"{SVG}title") for m in markers] == [
            "Rekenen (01-01-2025): DL 50, DLE 30, leerrendement 60% (indicatief voor LWOO)",
            "Spelling (02-01-2025): DL 50, DLE 52, leerrendement 104% (op of boven 100%)",
        ]
        assert root.get("role") == "img"
        assert root.findtext(f"{SVG}title") == CHART_TITLE
        assert (root.get("width"), root.get("height")) == ("480", "320")

    def test_hostile_test_names_stay_text(self) -> None:
        hostile = '<script>alert("x")</script><image href="file:///etc/passwd"/>'
        svg = dle_chart_svg(_points(_result(hostile, 40, 50)))
        root = _parse(svg)
        assert not list(root.iter(f"{SVG}script"))
        assert not list(root.iter(f"{SVG}image"))
        assert "<script" not in svg
        [marker] = root.iter(f"{SVG}circle")
        assert marker.findtext(f"{SVG}title") == (
            f"{hostile} (01-01-2025): DL 50, DLE 40, leerrendement 80% (onder 100%)"
        )

    def test_without_points_says_so(self) -> None:
        root = _parse(dle_chart_svg(()))
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert texts.count("Geen toetsen met DLE en DL") == 1
        assert not list(root.iter(f"{SVG}circle"))
        with_a_test = _parse(dle_chart_svg(_points(_result("Rekenen", 45, 50))))
        drawn = [t.text for t in with_a_test.iter(f"{SVG}text")]
        assert "Geen toetsen met DLE en DL" not in drawn  # said only when it is true

    def test_axis_grows_in_whole_ticks_to_fit_the_largest_point(self) -> None:
        assert axis_months(()) == 60
        assert axis_months(_points(_result("Rekenen", 71, 55))) == 80
        root = _parse(dle_chart_svg(_points(_result("Rekenen", 71, 55))))
        ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("font-size") == "9"]
        months = [str(m) for m in range(0, 81, 10)]
        assert ticks == [label for m in months for label in (m, m)]  # both axes, 0 to 80


class TestDleChartTable:
    def test_rows_carry_rounded_leerrendement_and_indication(self) -> None:
        rows = dle_chart_table(_points(_result("Rekenen", 25, 50), _result("Spelling", 38, 50, 2)))
        assert [(r.label, r.dl, r.dle, r.leerrendement, r.indication) for r in rows] == [
            ("Rekenen (01-01-2025)", 50, 25, "50%", "indicatief voor PrO"),
            ("Spelling (02-01-2025)", 50, 38, "76%", "onder 100%"),
        ]
