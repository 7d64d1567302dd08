"""What every PDF's pages are made of: the tool's colours, paragraph styles in DejaVu Sans,
headings, data tables that split across pages with their header repeated, and figure grids.

The document itself (page template, footer, contents, building) is in document.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from carbon.reports.fonts import BOLD, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# The web app's colours (static/app.css): one blue, and the chart palette by BEGES category.
BLUE = colors.HexColor("#000091")
BLUE_LIGHT = colors.HexColor("#e3e3fd")
TEXT = colors.HexColor("#161616")
MUTED = colors.HexColor("#3a3a3a")
BORDER = colors.HexColor("#c8c8c8")
GRID = colors.HexColor("#e5e5e5")
SURFACE_ALT = colors.HexColor("#f6f6f6")
PALETTE = tuple(
    colors.HexColor(c) for c in ("#000091", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#7a5c00")
)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9.5, leading=13, textColor=TEXT)

    def s(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": s("body", spaceAfter=3),
        "small": s("small", fontSize=8, leading=10.5, textColor=MUTED),
        "h1": s(
            "h1",
            fontName=BOLD,
            fontSize=15,
            leading=19,
            textColor=BLUE,
            spaceBefore=4,
            spaceAfter=8,
        ),
        "h2": s("h2", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4),
        "title": s("title", fontName=BOLD, fontSize=24, leading=30, textColor=BLUE),
        "subtitle": s("subtitle", fontSize=14, leading=19),
        "center": s("center", alignment=TA_CENTER),
        "cert_title": s(
            "cert_title",
            fontName=BOLD,
            fontSize=26,
            leading=32,
            textColor=BLUE,
            alignment=TA_CENTER,
        ),
        "cert_name": s(
            "cert_name",
            fontName=BOLD,
            fontSize=20,
            leading=26,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=6,
        ),
        "cert_body": s("cert_body", fontSize=12, leading=17, alignment=TA_CENTER),
        "kpi_value": s("kpi_value", fontName=BOLD, fontSize=14, leading=18, textColor=BLUE),
        "kpi_label": s("kpi_label", fontSize=8, leading=10, textColor=MUTED),
        "cell": s("cell", fontSize=8, leading=10),
        "cell_bold": s("cell_bold", fontName=BOLD, fontSize=8, leading=10),
        "cell_num": s("cell_num", fontSize=8, leading=10, alignment=TA_RIGHT),
        "head": s("head", fontName=BOLD, fontSize=8, leading=10),
        "head_num": s("head_num", fontName=BOLD, fontSize=8, leading=10, alignment=TA_RIGHT),
        "toc1": s("toc1", fontSize=10.5, leading=15),
        "toc2": s("toc2", fontSize=9.5, leading=13, leftIndent=12),
    }


def para(text: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text: escaped, since names and titles come from users."""
    return Paragraph(escape("" if text is None else str(text)), styles()[style])


def markup(xml: str, style: str = "body") -> Paragraph:
    """A paragraph of trusted markup (<b>, <br/>): callers escape what they interpolate."""
    return Paragraph(xml, styles()[style])


class Heading(Paragraph):
    """A heading that goes into the bookmarks and, when there is one, the table of contents."""

    def __init__(self, text: str, level: int = 0) -> None:
        super().__init__(escape(text), styles()["h1" if level == 0 else "h2"])
        self.toc_level = level
        self.keepWithNext = True


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A TableStyle in the report's font: a table sets its cells' font even when they hold
    paragraphs, and the default would embed Helvetica for nothing."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


CELL_PADDING = 3  # points, left and right (the table's LEFTPADDING and RIGHTPADDING)
MIN_FONT_SIZE = 5.0


def _fit(style: ParagraphStyle, text: str, width: float) -> ParagraphStyle:
    """``style``, its font made smaller when the longest word of ``text`` would not fit a
    column ``width`` wide: reportlab would cut the word ("Anno di rif|erimento", "agroaliment|
    are" in narrow Italian columns). Never below MIN_FONT_SIZE: a longer word is cut there."""
    room = width - 2 * CELL_PADDING - 1  # a point to spare: reportlab's own sums round
    longest = max((stringWidth(w, style.fontName, 1.0) for w in text.split()), default=0.0)
    if not longest or longest * style.fontSize <= room:
        return style
    size = max(MIN_FONT_SIZE, math.floor(100 * room / longest) / 100)
    return _sized(style, size)


@cache
def _sized(style: ParagraphStyle, size: float) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size,
                          leading=size * style.leading / style.fontSize)  # fmt: skip


def _text_cell(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), _fit(style, text, width))


@dataclass(frozen=True)
class Col:
    """A table column: header, width in points, and whether it holds numbers (right-aligned)."""

    header: str
    width: float
    num: bool = False


def table(
    cols: Sequence[Col],
    rows: Sequence[Sequence[object]],
    *,
    bold_rows: Sequence[int] = (),
    shaded_rows: Sequence[int] = (),
) -> Table:
    """A data table; text cells wrap, numbers (already formatted) align right.

    Number cells stay plain strings when they fit their column: a plain string never wraps, and
    a Paragraph per cell is what makes a 300-company table slow to lay out. One that does not
    fit ("20 % (par défaut)", "0,0520 / passager.km") would be drawn over the next column: it
    becomes a right-aligned paragraph that wraps.
    """
    st = styles()

    def number(text: str, c: Col) -> str | Paragraph:
        if stringWidth(text, REGULAR, 8) <= c.width - 2 * CELL_PADDING:
            return text
        return _text_cell(text, st["cell_num"], c.width)

    head = [
        Paragraph(escape(c.header), _fit(st["head_num" if c.num else "head"], c.header, c.width))
        for c in cols
    ]
    body = []
    for i, row in enumerate(rows):
        text_style = st["cell_bold" if i in bold_rows else "cell"]
        body.append(
            [
                cell
                if isinstance(cell, Flowable)
                else number("" if cell is None else str(cell), c)
                if c.num
                else _text_cell("" if cell is None else str(cell), text_style, c.width)
                for c, cell in zip(cols, row, strict=True)
            ]
        )
    t = Table([head, *body], colWidths=[c.width for c in cols], repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("BACKGROUND", (0, 0), (-1, 0), BLUE_LIGHT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, BLUE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    for j, c in enumerate(cols):
        if c.num:
            commands.append(("ALIGN", (j, 1), (j, -1), "RIGHT"))
    for i in bold_rows:
        commands.append(("FONTNAME", (0, i + 1), (-1, i + 1), BOLD))
    for i in shaded_rows:
        commands.append(("BACKGROUND", (0, i + 1), (-1, i + 1), SURFACE_ALT))
    for i in bold_rows:
        commands.append(("LINEABOVE", (0, i + 1), (-1, i + 1), 0.6, TEXT))
    t.setStyle(TableStyle(commands))
    return t


def kpi_grid(cells: list[tuple[str, str]]) -> Table:
    """Figures in three columns: the value large, what it is underneath."""
    rows: list[list[object]] = []
    row: list[object] = []
    for value, label in cells:
        row.append([markup(escape(value), "kpi_value"), markup(escape(label), "kpi_label")])
        if len(row) == 3:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (3 - len(row)))  # a short last row keeps its column widths
    grid = Table(rows, colWidths=[CONTENT_WIDTH / 3] * 3)
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return grid
