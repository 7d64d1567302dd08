"""The document around the flowables: A4 pages, a running footer with "page n of m", PDF
bookmarks for the headings, and a table of contents once a report runs long.

Reports hand :func:`build` a function that makes their story: the story is laid out once without
a table of contents and, only if that gives ``toc_from_pages`` pages or more, again with one (the
page count is not known before the pages are laid out, and flowables cannot be laid out twice).
A report built again is laid out once when its headings land where they did the last time.
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
from carbon.lru import Lru
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


# Where each long report's headings landed last time, by its title, footer and language: built
# again after a small change (a line edited), a report mostly keeps its headings on the same
# pages, so its contents are filled from that and it is laid out once instead of twice. The
# guess is checked against where the headings then land, as the second pass always is.
_landed: Lru[tuple[str, str, str, int | None], list[Heading]] = Lru(512)


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
    the contents of a single second pass, checked against where the headings then land. When
    the same report was built before, the headings' pages from then are tried first: one pass
    when they still hold.
    """
    styles()  # fonts registered before any flowable measures text
    canvas = _footer_canvas(footer)
    report = (title, footer, get_locale(), toc_from_pages)
    guess = _landed.get(report)
    if guess is not None and toc_from_pages is not None:
        pdf, doc = _laid_out(make_story(True), guess, title, author, canvas)
        # Still long enough for contents (the contents page left out), headings where guessed.
        if doc.page - 1 >= toc_from_pages and doc.headings == guess:
            return pdf
        _landed.discard(report)  # not tried again: the passes below find where they land now
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.build(make_story(False), canvasmaker=canvas)
    if toc_from_pages is None or doc.page < toc_from_pages:
        return buffer.getvalue()
    expected = [(lvl, text, page + 1, key) for lvl, text, page, key in doc.headings]
    pdf, doc = _laid_out(make_story(True), expected, title, author, canvas)
    if doc.headings == expected:
        _landed.put(report, expected)
        return pdf
    # The contents ran over one page: let reportlab iterate.
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.multiBuild(make_story(True), canvasmaker=canvas)
    return buffer.getvalue()


def _laid_out(
    story: list[Flowable], contents: list[Heading], title: str, author: str, canvas: type[Canvas]
) -> tuple[bytes, ReportDoc]:
    """The story laid out once, its table of contents filled with ``contents``."""
    for flowable in story:
        if isinstance(flowable, TableOfContents):
            flowable._lastEntries = list(contents)
    buffer = BytesIO()
    doc = ReportDoc(buffer, title=title, author=author)
    doc.build(story, canvasmaker=canvas)
    return buffer.getvalue(), doc


def clear_cache() -> None:
    _landed.clear()
