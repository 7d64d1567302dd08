"""Charts drawn with reportlab.graphics: vector drawings, set in the report's font.

Three shapes cover every report: horizontal bars (a breakdown, the largest sources), lines over
years (a footprint against its target and the reference trajectories) and vertical bars (a
distribution). Numbers on charts go through the same ``fmt_number`` as the tables, so a French
reader sees ``1 234,5`` everywhere. Each chart sits next to a table with the same figures: the
table is what a screen reader and a copy-paste get.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from carbon.i18n import fmt_number
from carbon.reports.fonts import REGULAR
from carbon.reports.layout import BLUE, CONTENT_WIDTH, GRID, MUTED, TEXT

FONT_SIZE = 7.5


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    # The renderer starts each drawing in Helvetica: it would be embedded though never shown.
    d.initialFontName = REGULAR
    return d


def _fit(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points (long poste labels)."""
    if stringWidth(text, REGULAR, FONT_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", REGULAR, FONT_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, width: float) -> str:
    """``text`` on as many lines as it takes to fit ``width`` points (bar labels)."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", REGULAR, FONT_SIZE) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


# reportlab works out axis steps with int(log10(top)): an infinite top (a stored 1e308 times the
# axis headroom) raises. Charts draw values within this bound; the table beside each chart
# still prints the stored value.
PLOTTABLE: Final = 1e250


def _plottable(values: Sequence[float]) -> list[float]:
    """The values as a chart can draw them: NaN as 0, the rest clamped to ±PLOTTABLE."""
    return [0.0 if math.isnan(v) else max(-PLOTTABLE, min(PLOTTABLE, v)) for v in values]


def _axis_max(values: Sequence[float]) -> float:
    top = max([0.0, *values])
    return top * 1.15 if top > 0 else 1.0


def _value_axis(axis: Any, values: Sequence[float]) -> None:
    """The value axis every chart shares: scale, grid, font, and tick labels with as many
    decimals as the scale needs (whole steps for counts).

    With no decimals, an axis up to 1.15 would read "0 0 1 1 1".
    """
    top = _axis_max(values)
    axis.valueMax = top
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID
    axis.labels.fontName = REGULAR
    axis.labels.fontSize = FONT_SIZE
    axis.strokeColor = MUTED
    if values and all(float(v).is_integer() for v in values):
        axis.valueStep = max(1, math.ceil(top / 5))
        digits = 0
    else:
        digits = 0 if top >= 5 else 1 if top >= 0.5 else 2
    axis.labelTextFormat = lambda v: fmt_number(v, digits=digits)


def hbar(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    colors: Sequence[Color] | None = None,
    width: float = CONTENT_WIDTH,
    digits: int = 1,
    label_share: float = 0.42,
) -> Drawing:
    """Horizontal bars, one per label, with the value written at the end of each bar."""
    values = _plottable(values)
    n = max(1, len(values))
    bar_h = 15
    height = n * bar_h + 24
    label_w = min(
        width * label_share,
        max([stringWidth(t, REGULAR, FONT_SIZE) for t in labels] or [0]) + 8,
    )
    d = _drawing(width, height)
    c = HorizontalBarChart()
    c.x, c.y = label_w, 16
    c.width, c.height = width - label_w - 50, height - 22
    # reportlab draws the first category at the bottom: reverse so the list reads top-down.
    c.data = [list(reversed(values)) or [0.0]]
    c.categoryAxis.categoryNames = [_fit(t, label_w - 6) for t in reversed(labels)] or [""]
    c.categoryAxis.labels.fontName = REGULAR
    c.categoryAxis.labels.fontSize = FONT_SIZE
    c.categoryAxis.labels.boxAnchor = "e"
    c.categoryAxis.labels.dx = -3
    c.categoryAxis.strokeColor = MUTED
    c.valueAxis.valueMin = min(0.0, *values) if values else 0.0
    _value_axis(c.valueAxis, values)
    c.bars.strokeColor = None
    c.bars[0].fillColor = BLUE
    for i, color in enumerate(reversed(list(colors or []))):
        c.bars[(0, i)].fillColor = color
    c.barLabelFormat = lambda v: fmt_number(v, digits=digits)
    c.barLabels.fontName = REGULAR
    c.barLabels.fontSize = FONT_SIZE
    c.barLabels.boxAnchor = "w"
    c.barLabels.dx = 3
    d.add(c)
    return d


@dataclass(frozen=True)
class Series:
    label: str
    points: dict[int, float]  # year -> value
    color: Color
    dashed: bool = False
    markers: bool = False


def year_lines(
    series: Sequence[Series], *, y_title: str, width: float = CONTENT_WIDTH, height: float = 190
) -> Drawing:
    """Values over years, one line per series, with a legend underneath."""
    shown = [
        Series(s.label, dict(zip(s.points, _plottable(list(s.points.values())), strict=True)),
               s.color, s.dashed, s.markers)
        for s in series if s.points
    ]  # fmt: skip
    years = sorted({y for s in shown for y in s.points})
    values = [v for s in shown for v in s.points.values()]
    d = _drawing(width, height)
    legend_h = 14 * ((len(shown) + 2) // 3)
    p = LinePlot()
    p.x, p.y = 46, 22 + legend_h
    p.width, p.height = width - 60, height - 36 - legend_h
    p.data = [sorted(s.points.items()) for s in shown] or [[(0, 0.0)]]
    for i, s in enumerate(shown):
        p.lines[i].strokeColor = s.color
        p.lines[i].strokeWidth = 2 if s.markers else 1.2
        if s.dashed:
            p.lines[i].strokeDashArray = (4, 3)
        if s.markers:
            p.lines[i].symbol = makeMarker("FilledCircle", size=4, fillColor=s.color)
    lo, hi = (years[0], years[-1]) if years else (0, 1)
    p.xValueAxis.valueMin, p.xValueAxis.valueMax = lo - 0.3, hi + 0.3
    step = max(1, (hi - lo) // 10 + 1)
    p.xValueAxis.valueSteps = list(range(lo, hi + 1, step))
    p.xValueAxis.labelTextFormat = "%d"
    p.yValueAxis.valueMin = 0
    _value_axis(p.yValueAxis, values)
    for axis in (p.xValueAxis, p.yValueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = FONT_SIZE
        axis.strokeColor = MUTED
    d.add(p)
    d.add(String(4, height - 8, y_title, fontName=REGULAR, fontSize=FONT_SIZE, fillColor=TEXT))
    legend = Legend()
    legend.x, legend.y = 46, legend_h + 2
    legend.alignment = "right"
    legend.fontName = REGULAR
    legend.fontSize = FONT_SIZE
    legend.columnMaximum = 1 if len(shown) <= 3 else 2
    legend.dx, legend.dy = 10, 6
    legend.deltax = (width - 60) / 3
    legend.colorNamePairs = [(s.color, s.label) for s in shown]
    d.add(legend)
    return d


def vbar(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    color: Color = BLUE,
    width: float = CONTENT_WIDTH,
    height: float = 150,
    digits: int = 0,
) -> Drawing:
    """Vertical bars (a distribution: companies per class), the count above each bar."""
    values = _plottable(values)
    d = _drawing(width, height)
    c = VerticalBarChart()
    c.x, c.y = 36, 30
    c.width, c.height = width - 48, height - 42
    c.data = [list(values) or [0.0]]
    slot = c.width / max(1, len(labels)) - 4
    c.categoryAxis.categoryNames = [_wrap(t, slot) for t in labels] or [""]
    c.categoryAxis.labels.fontName = REGULAR
    c.categoryAxis.labels.fontSize = FONT_SIZE
    c.categoryAxis.labels.boxAnchor = "n"
    c.categoryAxis.strokeColor = MUTED
    c.valueAxis.valueMin = 0
    _value_axis(c.valueAxis, values)
    c.bars.strokeColor = None
    c.bars[0].fillColor = color
    c.barLabelFormat = lambda v: fmt_number(v, digits=digits)
    c.barLabels.fontName = REGULAR
    c.barLabels.fontSize = FONT_SIZE
    c.barLabels.boxAnchor = "s"
    c.barLabels.dy = 2
    d.add(c)
    return d
