"""Participation certificates (PDF): one landscape page per company of a cohort.

Handed out at the programme's closing event (programmes.md: at the end of PZCM cohort 1 "each
firm received a certificate"). A certificate says what the company did in the programme: its
footprint measured, its action plan; it carries no page footer, being meant to be printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
)

from carbon.i18n import get_locale, ngettext, use_locale
from carbon.i18n import gettext as _
from carbon.reports.layout import BLUE, BLUE_LIGHT, para, styles
from carbon.reports.model_cohort import Certificate
from carbon.reports.text import date_range, day, num, tco2e

PAGE = landscape(A4)
MARGIN = 22 * mm


def _border(canvas: Canvas, _doc: Any) -> None:
    width, height = PAGE
    canvas.saveState()
    canvas.setStrokeColor(BLUE)
    canvas.setLineWidth(2.5)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setStrokeColor(BLUE_LIGHT)
    canvas.setLineWidth(6)
    canvas.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)
    canvas.restoreState()


def achievements(c: Certificate) -> list[str]:
    """What the company achieved, one sentence each: only what its data says is true.

    A footprint still in draft is named without its figure (it may change); a submitted one
    says its review is under way; only a validated one says the coach validated it.
    """
    out = []
    if c.footprint_year is not None and c.footprint_kg is not None:
        if c.footprint_status == "draft":
            out.append(
                _("Started measuring its carbon footprint for %(year)s (a draft, not yet "
                  "reviewed by its coach).") % {"year": c.footprint_year}
            )  # fmt: skip
        else:
            out.append(
                _("Measured its carbon footprint for %(year)s: %(total)s.")
                % {"year": c.footprint_year, "total": tco2e(c.footprint_kg)}
            )
            if c.footprint_validated:
                out.append(_("Its footprint was reviewed and validated by its coach."))
            else:
                out.append(_("Its footprint was submitted to its coach, who is reviewing it."))
    if c.actions:
        sentence = ngettext(
            "Built an action plan of %(n)s action, %(q)s with a quantified target.",
            "Built an action plan of %(n)s actions, %(q)s with a quantified target.",
            c.actions,
        ) % {"n": c.actions, "q": c.quantified}
        out.append(sentence)
        if c.expected_t:
            out.append(_("Expected savings: %(t)s t CO₂e a year.") % {"t": num(c.expected_t)})
    return out


def _page(c: Certificate) -> list[Flowable]:
    story: list[Flowable] = [
        Spacer(1, 8 * mm),
        para(_("Certificate of participation"), "cert_title"),
        Spacer(1, 8 * mm),
        para(_("awarded to"), "cert_body"),
        para(c.company, "cert_name"),
        para(_("for taking part in the programme"), "cert_body"),
        para(c.programme, "cert_name"),
        para(f"{c.cohort} · {date_range(c.start, c.end)}", "cert_body"),
        Spacer(1, 8 * mm),
    ]
    story += [para(sentence, "cert_body") for sentence in achievements(c)]
    story += [
        Spacer(1, 12 * mm),
        para(_("Issued on %(date)s") % {"date": day(c.issued_on)}, "cert_body"),
    ]
    return story


def certificates_pdf(items: Sequence[Certificate], locale: str) -> bytes:
    """One page per certificate, in ``locale``."""
    with use_locale(locale):
        styles()  # registers the fonts
        buffer = BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=PAGE,
            title=_("Certificates of participation"),
            author="carbon",
            creator="carbon",
            lang=get_locale(),
        )
        frame = Frame(MARGIN, MARGIN, PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN, id="body")
        doc.addPageTemplates([PageTemplate(id="certificate", frames=[frame], onPage=_border)])
        story: list[Flowable] = []
        for i, c in enumerate(items):
            if i:
                story.append(PageBreak())
            story += _page(c)
        if not story:
            story = [para(_("This cohort has no company yet."), "cert_body")]
        doc.build(story)
        return buffer.getvalue()
