"""The DLE chart (R-OKI-5) as SVG text and as table rows: one source for the web page and the PDF.

``dle_chart_svg`` builds the SVG with the standard library only, escaping every label, so a
test name from OSO can never become markup. The web page inlines the text; the PDF adapter
hands it to svglib. ``dle_chart_table`` gives the same points as rows for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import attrs

from elk_domain.okidoc.testresults.scores import REFERENCE_LINES, ChartPoint, ReferenceLine

MIN_AXIS_MONTHS = 60  # groep 3 to the end of groep 8: ten school months a year
TICK_MONTHS = 10
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 44.0, 12.0, 12.0, 36.0
_FONT = 'font-family="Helvetica, Arial, sans-serif"'
#: Hex values, so browsers and svglib draw the same colour for the domain's names.
_COLOURS = {"red": "#d7191c", "grey": "#808080", "blue": "#2b5fb3"}

CHART_TITLE = "DLE-grafiek: didactische leeftijdsequivalent (DLE) tegen didactische leeftijd (DL)"


@attrs.frozen(kw_only=True)
class ChartRow:
    """One point of the chart as a table row (the text alternative of the chart)."""

    label: str
    dl: int
    dle: int
    leerrendement: str
    indication: str


def dle_chart_table(points: Sequence[ChartPoint]) -> tuple[ChartRow, ...]:
    """The chart's points as rows, in the chart's order, with leerrendement and indication."""
    return tuple(
        ChartRow(
            label=p.label,
            dl=p.dl,
            dle=p.dle,
            leerrendement=f"{round(p.leerrendement)}%",
            indication=p.indication.value,
        )
        for p in points
    )


def axis_months(points: Sequence[ChartPoint]) -> int:
    """The axis length in months: at least 60, rounded up to whole ticks to fit every point."""
    largest = max((max(p.dl, p.dle) for p in points), default=0)
    return max(MIN_AXIS_MONTHS, math.ceil(largest / TICK_MONTHS) * TICK_MONTHS)


@attrs.frozen
class _Frame:
    """Maps months on both axes to SVG coordinates (y grows downwards in SVG)."""

    width: float
    height: float
    months: int

    @property
    def plot_width(self) -> float:
        return self.width - _MARGIN_LEFT - _MARGIN_RIGHT

    @property
    def plot_height(self) -> float:
        return self.height - _MARGIN_TOP - _MARGIN_BOTTOM

    def x(self, months: float) -> float:
        return round(_MARGIN_LEFT + months / self.months * self.plot_width, 1)

    def y(self, months: float) -> float:
        return round(self.height - _MARGIN_BOTTOM - months / self.months * self.plot_height, 1)


def dle_chart_svg(points: Sequence[ChartPoint], *, width: int = 480, height: int = 320) -> str:
    """A standalone SVG: DL against DLE in months, the 100/75/50 % lines and one dot per test."""
    frame = _Frame(float(width), float(height), axis_months(points))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(CHART_TITLE)}>',
        f"<title>{escape(CHART_TITLE)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        *_axes(frame),
        *(_reference_line(frame, line) for line in REFERENCE_LINES),
        *_legend(frame),
        *(_marker(frame, point) for point in points),
    ]
    if not points:
        parts.append(
            f'<text x="{frame.x(frame.months / 2)}" y="{frame.y(frame.months / 2)}" '
            f'text-anchor="middle" font-size="11" {_FONT} fill="#333333">'
            "Geen toetsen met DLE en DL</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _axes(frame: _Frame) -> list[str]:
    bottom, left = frame.y(0), frame.x(0)
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{frame.x(frame.months)}" y2="{bottom}" '
        'stroke="#000000" stroke-width="1"/>',
        f'<line x1="{left}" y1="{bottom}" x2="{left}" y2="{frame.y(frame.months)}" '
        'stroke="#000000" stroke-width="1"/>',
    ]
    for months in range(0, frame.months + 1, TICK_MONTHS):
        x, y = frame.x(months), frame.y(months)
        parts.append(
            f'<text x="{x}" y="{bottom + 12}" text-anchor="middle" font-size="9" {_FONT}>'
            f"{months}</text>"
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 3}" text-anchor="end" font-size="9" {_FONT}>'
            f"{months}</text>"
        )
    parts.append(
        f'<text x="{frame.x(frame.months / 2)}" y="{frame.height - 6}" text-anchor="middle" '
        f'font-size="10" {_FONT}>DL (maanden)</text>'
    )
    parts.append(
        f'<text x="10" y="{frame.y(frame.months / 2)}" text-anchor="middle" font-size="10" '
        f'{_FONT} transform="rotate(-90 10 {frame.y(frame.months / 2)})">DLE (maanden)</text>'
    )
    return parts


def _reference_line(frame: _Frame, line: ReferenceLine) -> str:
    colour = _COLOURS.get(line.colour, line.colour)
    return (
        f'<line x1="{frame.x(0)}" y1="{frame.y(0)}" x2="{frame.x(frame.months)}" '
        f'y2="{frame.y(line.y_at(frame.months))}" stroke={quoteattr(colour)} '
        f'stroke-width="1.5"><title>{escape(line.meaning)}</title></line>'
    )


def _legend(frame: _Frame) -> list[str]:
    parts: list[str] = []
    for index, line in enumerate(REFERENCE_LINES):
        y = _MARGIN_TOP + 8 + index * 13
        x = frame.x(0) + 8
        colour = _COLOURS.get(line.colour, line.colour)
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 16}" y2="{y}" stroke={quoteattr(colour)} '
            'stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{x + 20}" y="{y + 3}" font-size="8" {_FONT}>{escape(line.meaning)}</text>'
        )
    return parts


def _marker(frame: _Frame, point: ChartPoint) -> str:
    description = (
        f"{point.label}: DL {point.dl}, DLE {point.dle}, "
        f"leerrendement {round(point.leerrendement)}% ({point.indication.value})"
    )
    return (
        f'<circle cx="{frame.x(point.dl)}" cy="{frame.y(point.dle)}" r="3.5" fill="#222222" '
        f'stroke="#ffffff" stroke-width="0.8"><title>{escape(description)}</title></circle>'
    )
