"""The document around the flowables: A4 pages, a running footer with "page n of m", PDF
bookmarks for the headings, a table of contents once a report runs long, and a "draft"
watermark on every page of a report whose figures are not validated yet.

Reports hand :func:`build` a function that makes their story. The story is laid out once
without a table of contents to count its pages (flowables cannot be laid out twice, hence the
function); when that gives ``toc_from_pages`` pages or more, reportlab's ``multiBuild`` lays it
out again with a ``TableOfContents``, which each heading feeds from ``afterFlowable``
(``TOCEntry``), until the contents' page numbers settle.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from carbon.i18n import get_locale
from carbon.i18n import gettext as _
from carbon.reports.fonts import REGULAR
from carbon.reports.layout import (
    BLUE,
    BORDER,
    CONTENT_WIDTH,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    styles,
)


def _footer_canvas(left: str, watermark: str | None = None) -> type[Canvas]:
    """A canvas class that holds pages back until the end, to print "page n of m" on each, and
    ``watermark`` (if any) across every page."""

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:  # the cover has no footer
                    self._footer(count)
                if watermark:
                    self._watermark(watermark)
                super().showPage()
            super().save()

        def _watermark(self, text: str) -> None:
            # Drawn over the page, light and transparent: it must show on tables and charts,
            # which would hide a mark drawn underneath, and still leave the figures readable.
            self.saveState()
            self.setFont(REGULAR, 64)
            self.setFillColor(BLUE, alpha=0.12)
            self.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            self.rotate(45)
            self.drawCentredString(0, -22, text)
            self.restoreState()

        def _footer(self, count: int) -> None:
            self.saveState()
            self.setFont(REGULAR, 7.5)
            self.setFillColor(MUTED)
            self.setStrokeColor(BORDER)
            self.line(MARGIN, 12 * mm, PAGE_WIDTH - MARGIN, 12 * mm)
            self.drawString(MARGIN, 8 * mm, left)
            page = _("Page %(n)s of %(m)s") % {"n": self._pageNumber, "m": count}
            self.drawRightString(PAGE_WIDTH - MARGIN, 8 * mm, page)
            self.restoreState()

    return FooterCanvas


Heading = tuple[int, str, int, str]  # level, text, page, bookmark


class ReportDoc(BaseDocTemplate):
    def __init__(self, buffer: BytesIO, *, title: str, author: str) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=title,
            author=author,
            creator="carbon",
            lang=get_locale(),
            displayDocTitle=True,
            initialFontName=REGULAR,
        )
        frame = Frame(
            MARGIN,
            MARGIN + 4 * mm,
            CONTENT_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - 4 * mm,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.headings: list[Heading] = []

    def beforeDocument(self) -> None:
        self.headings = []

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is None or not isinstance(flowable, Paragraph):
            return
        text = flowable.getPlainText()
        key = f"h{len(self.headings) + 1}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=False)
        entry = (level, text, self.page, key)
        self.headings.append(entry)
        self.notify("TOCEntry", entry)


def toc() -> list[Flowable]:
    st = styles()
    contents = TableOfContents(levelStyles=[st["toc1"], st["toc2"]], dotsMinLevel=0)
    return [Paragraph(escape(_("Contents")), st["h1"]), contents]


def build(
    make_story: Callable[[bool], list[Flowable]],
    *,
    title: str,
    footer: str,
    author: str = "carbon",
    toc_from_pages: int | None = 6,
    draft: bool = False,
) -> bytes:
    """The PDF of ``make_story(with_toc)``; a table of contents only for long reports, and a
    watermark saying "draft" on every page when ``draft``."""
    styles()  # fonts registered before any flowable measures text
    canvas = _footer_canvas(footer, _("DRAFT") if draft else None)
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.build(make_story(False), canvasmaker=canvas)
    if toc_from_pages is None or doc.page < toc_from_pages:
        return buffer.getvalue()
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.multiBuild(make_story(True), canvasmaker=canvas)
    return buffer.getvalue()
