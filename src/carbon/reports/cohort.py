"""The cohort report (PDF) for coaches and the programme's funders (Région Sud, Interreg).

Programme KPIs first (programmes.md: companies, footprints validated, actions identified, actions
with a quantified target, tCO2e avoided expected and achieved), then the cohort's footprint by
category, the table of companies (names can be anonymised), distributions, and the factor-library
versions behind the figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import pairwise
from statistics import median

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from carbon.accounting.gases import DEFAULT_GWP_SET
from carbon.i18n import MISSING, use_locale
from carbon.i18n import gettext as _
from carbon.reports import labels
from carbon.reports.charts import hbar, vbar
from carbon.reports.document import build, toc
from carbon.reports.layout import (
    BLUE_LIGHT,
    CONTENT_WIDTH,
    GRID,
    PALETTE,
    Col,
    Heading,
    kpi_grid,
    para,
    table,
    table_style,
)
from carbon.reports.model_cohort import STAGES, CohortReport
from carbon.reports.text import date_range, day, num, pct, t, tco2e

W = CONTENT_WIDTH
# Classes of change since the base year, in %: (low, high], open at both ends.
CHANGE_EDGES = (-20.0, -10.0, -5.0, 0.0, 5.0)


def _cover(r: CohortReport) -> list[Flowable]:
    k = r.kpis
    facts = [
        (_("Cohort"), r.cohort),
        (_("Dates"), date_range(r.start, r.end)),
        (_("Companies"), str(k.companies)),
        (_("Coaches"), ", ".join(r.coaches) or MISSING),
        (_("Report generated on"), day(r.generated_on)),
    ]
    if r.anonymised:
        facts.append((_("Names"), _("anonymised: companies are numbered by decreasing footprint")))
    info = Table([[para(a, "small"), para(b)] for a, b in facts], colWidths=[45 * mm, W - 45 * mm])
    info.setStyle(
        table_style(
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")
        )
    )
    band = Table(
        [
            [para(tco2e(k.latest_total_kg), "title")],
            [para(_("footprint of the cohort's companies, latest year of each"))],
        ],
        colWidths=[W],
    )
    band.setStyle(
        table_style(
            ("BACKGROUND", (0, 0), (-1, -1), BLUE_LIGHT),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, 0), 10),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        )
    )
    return [
        Spacer(1, 30 * mm),
        para(_("Programme report"), "subtitle"),
        Spacer(1, 4 * mm),
        para(r.programme, "title"),
        Spacer(1, 3 * mm),
        para(r.cohort, "subtitle"),
        Spacer(1, 10 * mm),
        band,
        Spacer(1, 10 * mm),
        info,
        PageBreak(),
    ]


def _kpis(r: CohortReport) -> list[Flowable]:
    k = r.kpis
    cells = [
        (str(k.companies), _("companies in the cohort")),
        (str(k.footprints_measured), _("companies with a measured footprint")),
        (str(k.companies_validated), _("companies with a footprint validated by a coach")),
        (str(k.footprints_validated), _("footprints validated (years, all companies)")),
        (str(k.actions), _("decarbonisation actions identified")),
        (str(k.quantified), _("actions with a quantified target")),
        (num(k.expected_t), _("t CO₂e avoided a year, expected")),
        (num(k.achieved_t), _("t CO₂e avoided, achieved (where measured)")),
    ]
    return [
        Heading(_("Programme indicators")),
        kpi_grid(cells),
        Spacer(1, 2 * mm),
        para(
            _("Actions identified include abandoned ones; the expected savings leave them out."),
            "small",
        ),
    ]


def _by_category(r: CohortReport) -> list[Flowable]:
    cats = r.by_category
    total = sum(cats.values())
    names = [f"{n}. {labels.category(n)}" for n in cats]
    rows: list[list[object]] = [
        [name, t(kg), pct(100.0 * kg / total) if total else MISSING]
        for name, kg in zip(names, cats.values(), strict=True)
    ]
    rows.append([_("Total"), t(total), pct(100.0) if total else MISSING])
    cols = [Col(_("Category"), W - 160), Col(_("t CO₂e"), 80, True), Col(_("Share"), 80, True)]
    chart = hbar(names, [kg / 1000 for kg in cats.values()], colors=PALETTE)
    return [
        Heading(_("The cohort's footprint by category")),
        KeepTogether([chart, Spacer(1, 3 * mm), table(cols, rows, bold_rows=[6])]),
    ]


def _companies(r: CohortReport) -> list[Flowable]:
    rows = [
        [
            c.name,
            labels.sector(c.sector),
            str(c.base_year or MISSING),
            t(c.base_kg),
            str(c.latest_year or MISSING),
            t(c.latest_kg),
            pct(c.change_pct, signed=True),
            num(c.t_per_fte, 1),
            labels.stage(c.stage),
            f"{c.actions} / {c.quantified}",
        ]
        for c in r.companies
    ]
    cols = [
        Col(_("Company"), 78),
        Col(_("Sector"), 58),
        Col(_("Base year"), 41, True),  # "Anno di riferimento": headers shrink to fit (layout)
        Col(_("t CO₂e"), 46, True),
        Col(_("Latest year"), 36, True),
        Col(_("t CO₂e"), 46, True),
        Col(_("Change"), 42, True),
        Col(_("t CO₂e per FTE"), 40, True),
        Col(_("Stage"), 52),
        Col(_("Actions / quantified"), 54, True),
    ]
    return [Heading(_("Companies")), table(cols, rows)]


def change_classes(values: list[float]) -> list[tuple[str, int]]:
    """How many companies fall in each class of change since their base year."""
    names = [f"≤ {pct(CHANGE_EDGES[0], 0)}"]
    names += [f"{pct(lo, 0)} … {pct(hi, 0)}" for lo, hi in pairwise(CHANGE_EDGES)]
    names.append(f"> {pct(CHANGE_EDGES[-1], 0)}")
    counts = [0] * len(names)
    for v in values:
        counts[sum(1 for edge in CHANGE_EDGES if v > edge)] += 1
    return list(zip(names, counts, strict=True))


def _distributions(r: CohortReport) -> list[Flowable]:
    out: list[Flowable] = [Heading(_("Distributions"))]
    changes = [c.change_pct for c in r.companies if c.change_pct is not None]
    if changes:
        classes = change_classes(changes)
        out += [
            Heading(_("Change since the base year (companies)"), 1),
            vbar([n for n, _c in classes], [c for _n, c in classes]),
        ]
    stages = Counter(c.stage for c in r.companies)
    out += [
        Heading(_("Where the companies are (companies per stage)"), 1),
        vbar([labels.stage(s) for s in STAGES], [stages.get(s, 0) for s in STAGES]),
    ]
    by_sector: dict[str, list[float]] = defaultdict(list)
    for c in r.companies:
        if c.t_per_fte is not None:
            by_sector[c.sector].append(c.t_per_fte)
    if by_sector:
        ordered = sorted(by_sector.items(), key=lambda kv: -median(kv[1]))
        names = [f"{labels.sector(s)} ({len(v)})" for s, v in ordered]
        out += [
            Heading(_("Median t CO₂e per FTE, by sector (number of companies)"), 1),
            hbar(names, [median(v) for _s, v in ordered], digits=1),
        ]
    return out


def _libraries(r: CohortReport) -> list[Flowable]:
    rows = [[label, str(n)] for label, n in r.library_versions.items()]
    cols = [
        Col(_("Factor library version"), W - 120),
        Col(_("Periods computed with it"), 120, True),
    ]
    note = _(
        "Each period is computed with the library version pinned to it; the latest year "
        "of each company is added up, whatever its status (see the Stage column)."
    )
    # Cohort figures are the companies' results as computed, on ADEME's GWP set (§ 10).
    gwp = _("Global warming potentials: %(gwp)s") % {"gwp": labels.gwp_set(DEFAULT_GWP_SET)}
    return [
        Heading(_("Factor libraries and method")),
        table(cols, rows) if rows else para(MISSING),
        Spacer(1, 2 * mm),
        para(note, "small"),
        para(gwp, "small"),
    ]


def cohort_report_pdf(report: CohortReport, locale: str) -> bytes:
    with use_locale(locale):
        title = _("Programme report")

        def story(with_toc: bool) -> list[Flowable]:
            out = _cover(report)
            if with_toc:
                out += [*toc(), PageBreak()]
            out += _kpis(report) + _by_category(report)
            out += [PageBreak(), *_companies(report)]
            out += _distributions(report) + _libraries(report)
            return out

        return build(
            story,
            title=f"{report.programme} — {report.cohort}",
            footer=f"{report.programme} · {report.cohort} · {title}",
        )
