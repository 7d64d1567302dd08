"""The document around the flowables: A4 pages, a running footer with "page n of m", PDF
bookmarks for the headings, and a table of contents once a report runs long.

Reports hand :func:`build` a function that makes their story: the story is laid out once without
a table of contents and, only if that gives ``toc_from_pages`` pages or more, again with one (the
page count is not known before the pages are laid out, and flowables cannot be laid out twice).
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

from carbon.reports.fonts import REGULAR
from carbon.reports.layout import (
    BORDER,
    CONTENT_WIDTH,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    styles,
)
from carbon.web.i18n import get_locale
from carbon.web.i18n import gettext as _


def _footer_canvas(left: str) -> type[Canvas]:
    """A canvas class that holds pages back until the end, to print "page n of m" on each."""

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
                super().showPage()
            super().save()

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
        self.headings: list[tuple[int, str, int, str]] = []  # level, text, page, bookmark

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
) -> bytes:
    """The PDF of ``make_story(with_toc)``; a table of contents only for long reports.

    reportlab's own way to a table of contents (``multiBuild``) lays the document out until the
    page numbers settle, twice at least. Here the pass without contents, needed anyway to count
    the pages, gives the headings' pages: shifted by the one page the contents take, they fill
    the contents of a single second pass, checked against where the headings then land.
    """
    styles()  # fonts registered before any flowable measures text
    canvas = _footer_canvas(footer)
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.build(make_story(False), canvasmaker=canvas)
    if toc_from_pages is None or doc.page < toc_from_pages:
        return buffer.getvalue()
    expected = [(lvl, text, page + 1, key) for lvl, text, page, key in doc.headings]
    story = make_story(True)
    for flowable in story:
        if isinstance(flowable, TableOfContents):
            flowable._lastEntries = list(expected)
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.build(story, canvasmaker=canvas)
    if doc.headings == expected:
        return buffer.getvalue()
    # The contents ran over one page: let reportlab iterate.
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.multiBuild(make_story(True), canvasmaker=canvas)
    return buffer.getvalue()
