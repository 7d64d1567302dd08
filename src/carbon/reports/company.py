"""The company's progress report (PDF): what a firm shows its staff, its bank, its coach.

Cover, key figures, the breakdown by category, the BEGES table and the GHG Protocol view, the
evolution against the target and the reference trajectories, the largest sources, the action plan,
data quality and completeness, and a methodology annex listing every factor used. The sections
after the key figures live in company_sections.py and company_annex.py.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from carbon.i18n import MISSING, use_locale
from carbon.i18n import gettext as _
from carbon.reports import company_annex as annex
from carbon.reports import company_sections as sections
from carbon.reports import company_vsme, labels
from carbon.reports.document import build, toc
from carbon.reports.layout import (
    BLUE_LIGHT,
    CONTENT_WIDTH,
    GRID,
    Heading,
    kpi_grid,
    para,
    table_style,
)
from carbon.reports.model import PeriodReport
from carbon.reports.text import date_range, day, num, pct, tco2e


def intensity_phrases(report: PeriodReport) -> list[tuple[str, str]]:
    """(value, what it is per) for each intensity the period can show."""
    out = []
    for key, kg_per_unit in report.intensities:
        if key == "fte":
            out.append((num(kg_per_unit / 1000, 2), _("t CO₂e per FTE")))
        elif key == "revenue_keur":
            out.append((num(kg_per_unit, 1), _("kg CO₂e per k€ of revenue")))
        else:
            unit = report.company.sector_unit_label or _("unit of activity")
            out.append((num(kg_per_unit, 2), _("kg CO₂e per %(unit)s") % {"unit": unit}))
    return out


def _cover(r: PeriodReport) -> list[Flowable]:
    res = r.result
    story: list[Flowable] = [
        Spacer(1, 30 * mm),
        para(_("Greenhouse-gas emissions report"), "subtitle"),
        Spacer(1, 4 * mm),
        para(r.company.name, "title"),
        Spacer(1, 3 * mm),
        para(_("Carbon footprint %(year)s") % {"year": r.year}, "subtitle"),
    ]
    status = labels.period_status(r.status)
    if r.is_base_year:
        status += " · " + _("base year")
    story += [para(status, "body"), Spacer(1, 10 * mm)]
    headline = Table(
        [
            [para(tco2e(res.total_kgco2e), "title")],
            [
                para(
                    _("± %(u)s (%(pct)s)")
                    % {"u": tco2e(res.uncertainty_kgco2e), "pct": pct(res.uncertainty_pct)}
                )
            ],
        ],
        colWidths=[CONTENT_WIDTH],
    )
    headline.setStyle(
        table_style(
            ("BACKGROUND", (0, 0), (-1, -1), BLUE_LIGHT),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, 0), 10),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        )
    )
    story += [headline, Spacer(1, 10 * mm)]
    facts: list[tuple[str, str]] = []
    for e in r.enrolments:
        facts.append((_("Programme"), f"{e.programme} — {e.cohort} ({date_range(e.start, e.end)})"))
    location = ", ".join(x for x in (r.company.municipality, r.company.country) if x)
    facts += [
        (_("Company identifier"), r.company.legal_id or MISSING),
        (_("Location"), location or MISSING),
        (_("Sector"), labels.sector(r.company.sector)),
        (_("Method"), _("BEGES v5 (2022), ISO 14064-1 categories; GHG Protocol scopes")),
        (_("Factor library"), res.library_version),
        (_("Validated on"), day(r.validated_on)),
        (_("Report generated on"), day(r.generated_on)),
    ]
    rows = [[para(k, "small"), para(v)] for k, v in facts]
    info = Table(rows, colWidths=[45 * mm, CONTENT_WIDTH - 45 * mm])
    info.setStyle(
        table_style(
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")
        )
    )
    story += [info, PageBreak()]
    return story


def _key_figures(r: PeriodReport) -> list[Flowable]:
    res = r.result
    cells = [
        (tco2e(res.total_kgco2e), _("Total emissions (BEGES categories 1 to 6)")),
        (
            "± " + pct(res.uncertainty_pct),
            _("Uncertainty (± %(t)s)") % {"t": tco2e(res.uncertainty_kgco2e)},
        ),
    ]
    change = r.change_vs_base
    base = r.base
    if change is not None and base is not None:
        cells.append(
            (
                pct(change.relative_pct, signed=True),
                _("Change since the base year %(year)s (%(t)s)")
                % {"year": base.year, "t": tco2e(change.absolute)},
            )
        )
    elif r.is_base_year:
        cells.append((str(r.year), _("Base year: the reference for progress")))
    else:
        cells.append((MISSING, _("No base year chosen yet")))
    scopes = res.by_scope
    cells += [
        (tco2e(scopes[1]), _("Scope 1")),
        (tco2e(res.scope2_location_kgco2e), _("Scope 2, location-based")),
        (tco2e(res.scope2_market_kgco2e), _("Scope 2, market-based")),
        (tco2e(scopes[3]), _("Scope 3")),
    ]
    cells += intensity_phrases(r)
    if res.biogenic_co2_kg:
        cells.append((tco2e(res.biogenic_co2_kg), _("Biogenic CO₂, reported apart")))
    if res.reported_apart_kgco2e:
        cells.append((tco2e(res.reported_apart_kgco2e), _("Biomass (poste 1.5), reported apart")))
    story: list[Flowable] = [Heading(_("Key figures")), kpi_grid(cells), Spacer(1, 4 * mm)]
    for target in r.targets:
        text = _("Target: %(pct)s below %(base)s by %(year)s") % {
            "pct": pct(target.reduction_pct, 0),
            "base": target.base_year,
            "year": target.target_year,
        }
        if target.kind == "intensity":
            text += " " + _("(intensity target)")
        story.append(para(text))
    return story


def company_report_pdf(report: PeriodReport, locale: str) -> bytes:
    """The PDF, in ``locale`` (fr, it or en)."""
    with use_locale(locale):
        title = _("Carbon footprint %(year)s") % {"year": report.year}

        def story(with_toc: bool) -> list[Flowable]:
            out = _cover(report)
            if with_toc:
                out += [*toc(), PageBreak()]
            out += _key_figures(report)
            out += sections.by_category(report)
            out += sections.beges_table(report)
            out += sections.scopes(report)
            out += sections.evolution(report)
            out += sections.largest_sources(report)
            out += sections.spend_to_replace(report)
            out += sections.action_plan(report)
            if report.vsme is not None:
                out += company_vsme.vsme_b3(*report.vsme)
            out += annex.data_quality(report)
            out += [PageBreak(), *annex.methodology(report)]
            return out

        return build(
            story,
            title=f"{report.company.name} — {title}",
            footer=f"{report.company.name} · {title}",
            # The usual report is 6–7 pages; a contents page pays off past that.
            toc_from_pages=8,
            draft=report.is_draft,
        )
