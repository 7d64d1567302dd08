"""The sections of the company report after its key figures and before its annex (see
company.py and company_annex.py).

Each function returns the flowables of one section, a heading first; a chart always sits next to
a table of the same figures.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from carbon.accounting.postes import POSTES
from carbon.i18n import MISSING
from carbon.i18n import gettext as _
from carbon.plan.trajectory import RULE_SCOPE_3, RULE_SCOPES_1_2
from carbon.reports import labels
from carbon.reports.charts import Series, hbar, year_lines
from carbon.reports.layout import BLUE, CONTENT_WIDTH, PALETTE, Col, Heading, para, table
from carbon.reports.model import PeriodReport
from carbon.reports.text import date_range, num, pct, t

ORANGE = colors.HexColor("#e69f00")  # the scope groups and their SBTi paths share a colour
PINK = colors.HexColor("#cc79a7")

W = CONTENT_WIDTH


def _share(kg: float, total: float) -> str:
    return pct(100.0 * kg / total) if total else MISSING


def by_category(r: PeriodReport) -> list[Flowable]:
    cats = r.result.by_category
    total = r.result.total_kgco2e
    names = [f"{n}. {labels.category(n)}" for n in cats]
    chart = hbar(names, [kg / 1000 for kg in cats.values()], colors=PALETTE)
    rows = [[name, t(kg), _share(kg, total)] for name, kg in zip(names, cats.values(), strict=True)]
    rows.append([_("Total"), t(total), _share(total, total)])
    cols = [Col(_("Category"), W - 160), Col(_("t CO₂e"), 80, True), Col(_("Share"), 80, True)]
    return [
        Heading(_("Emissions by category")),
        KeepTogether([chart, Spacer(1, 3 * mm), table(cols, rows, bold_rows=[6])]),
    ]


def beges_table(r: PeriodReport) -> list[Flowable]:
    res = r.result
    with_data = r.postes_with_data
    cols = [
        Col(_("Poste"), 36),
        Col(_("Label"), W - 276),
        Col(_("t CO₂e"), 80, True),
        Col(_("Uncertainty, t CO₂e"), 85, True),
        Col(_("Uncertainty"), 75, True),
    ]
    rows: list[list[object]] = []
    shaded: list[int] = []
    for cat in range(1, 7):
        shaded.append(len(rows))
        rows.append([str(cat), labels.category(cat), t(res.by_category[cat]), "", ""])
        for p in (p for p in POSTES if p.category == cat):
            kg, u = res.by_poste[p.code], res.uncertainty_by_poste[p.code]
            label = labels.poste(p.code)
            if p.reported_apart:
                label += " — " + _("reported apart, not in the total")
            empty = p.code not in with_data and not kg
            rows.append(
                [
                    p.code,
                    label,
                    MISSING if empty else t(kg),
                    MISSING if empty else t(u),
                    MISSING if empty or not kg else pct(100.0 * u / abs(kg)),
                ]
            )
    rows.append(
        ["", _("Total"), t(res.total_kgco2e), t(res.uncertainty_kgco2e), pct(res.uncertainty_pct)]
    )
    notes = [
        _(
            "“—”: no data for this poste. Uncertainties combine the lines' in quadrature "
            "(IPCC 2006, Approach 1)."
        ),
        _("Biogenic CO₂ (reported apart): %(t)s t.") % {"t": t(res.biogenic_co2_kg)},
    ]
    return [
        Heading(_("BEGES table (6 categories, 22 postes)")),
        table(cols, rows, bold_rows=[len(rows) - 1], shaded_rows=shaded),
        Spacer(1, 2 * mm),
        *(para(n, "small") for n in notes),
    ]


def scopes(r: PeriodReport) -> list[Flowable]:
    res = r.result
    total = res.total_kgco2e
    by_scope = res.by_scope
    rows: list[list[object]] = [
        [_("Scope 1: direct emissions"), t(by_scope[1]), _share(by_scope[1], total)],
        [
            _("Scope 2, location-based"),
            t(res.scope2_location_kgco2e),
            _share(res.scope2_location_kgco2e, total),
        ],
        [_("Scope 2, market-based"), t(res.scope2_market_kgco2e), ""],
        [_("Scope 3: other indirect emissions"), t(by_scope[3]), _share(by_scope[3], total)],
    ]
    for number, kg in r.scope3_by_category().items():
        if kg:
            prefix = _("Category %(n)s") % {"n": number} + " — " if number else ""
            rows.append(["\u00a0" * 6 + prefix + labels.scope3(number), t(kg), _share(kg, total)])
    rows.append([_("Total (scope 2 location-based)"), t(total), _share(total, total)])
    cols = [Col(_("GHG Protocol"), W - 160), Col(_("t CO₂e"), 80, True), Col(_("Share"), 80, True)]
    note = _(
        "The market-based scope 2 uses the supplier's factor where the company has a "
        "contract that gives one, the grid mix otherwise. It is shown, not added."
    )
    return [
        Heading(_("GHG Protocol view")),
        # The note explains the table: never left alone at the top of the next page.
        KeepTogether(
            [table(cols, rows, bold_rows=[len(rows) - 1]), Spacer(1, 2 * mm), para(note, "small")]
        ),
    ]


def evolution(r: PeriodReport) -> list[Flowable]:
    known = {y.year: y.total_kg / 1000 for y in r.history if y.total_kg is not None}
    s12 = {y.year: y.scopes_1_2_kg / 1000 for y in r.history if y.scopes_1_2_kg is not None}
    s3 = {y.year: y.scope_3_kg / 1000 for y in r.history if y.scope_3_kg is not None}
    paths = r.trajectories()
    names = {
        "target": (_("Target"), colors.HexColor("#009e73")),
        "sbti_s12": (_("SBTi 1.5 °C path, scopes 1 and 2 (−4.2 %%/year)") % {}, ORANGE),
        "sbti_s3": (_("SBTi well below 2 °C path, scope 3 (−2.5 %%/year)") % {}, PINK),
    }
    series = [
        Series(_("Footprint"), known, BLUE, markers=True),
        Series(_("Scopes 1 and 2"), s12, ORANGE, markers=True),
        Series(_("Scope 3"), s3, PINK, markers=True),
    ]
    for key, (label, color) in names.items():
        if key in paths:
            series.append(Series(label, {y: v / 1000 for y, v in paths[key].items()}, color, True))
    out: list[Flowable] = [Heading(_("Evolution, target and reference trajectories"))]
    if len(known) > 1 or paths:
        out += [year_lines(series, y_title=_("t CO₂e")), Spacer(1, 3 * mm)]
    base = r.base
    rows = []
    for y in r.history:
        change = (
            pct(100.0 * (y.total_kg - base.total_kg) / base.total_kg, signed=True)
            if base and base.total_kg and y.total_kg is not None and y.year != base.year
            else MISSING
        )
        sbti = paths.get("sbti_s12", {}).get(y.year)
        rows.append(
            [
                str(y.year) + (" *" if y.is_base_year else ""),
                t(y.total_kg),
                t(y.uncertainty_kg),
                labels.period_status(y.status),
                change,
                t(sbti),
            ]
        )
    cols = [
        Col(_("Year"), 60),
        Col(_("t CO₂e"), 75, True),
        Col(_("± t CO₂e"), 70, True),
        Col(_("Status"), W - 365),
        Col(_("vs base year"), 80, True),
        Col(_("SBTi 1.5 °C path, scopes 1+2"), 80, True),
    ]
    out += [
        table(cols, rows),
        Spacer(1, 2 * mm),
        para(_("* base year"), "small"),
        para(_(RULE_SCOPES_1_2) % {} + " " + _(RULE_SCOPE_3) % {}, "small"),
    ]
    return out


def largest_sources(r: PeriodReport, n: int = 10) -> list[Flowable]:
    sources = r.largest_sources(n)
    out: list[Flowable] = [Heading(_("Largest sources"))]
    if not sources:
        return [*out, para(_("No activity line yet."))]
    chart = hbar(
        [s.activity for s in sources], [s.kgco2e / 1000 for s in sources], label_share=0.45
    )
    rows = [
        [str(i), s.activity, s.poste, t(s.kgco2e), pct(s.share_pct)]
        for i, s in enumerate(sources, start=1)
    ]
    cols = [
        Col("#", 20),
        Col(_("Activity"), W - 230),
        Col(_("Poste"), 50),
        Col(_("t CO₂e"), 80, True),
        Col(_("Share"), 80, True),
    ]
    return [*out, KeepTogether([chart, Spacer(1, 3 * mm), table(cols, rows)])]


def spend_to_replace(r: PeriodReport) -> list[Flowable]:
    """The results page's "replace the biggest spend lines first" (methodology.md § 17); nothing
    when the year has no spend line."""
    if not r.spend:
        return []
    out: list[Flowable] = [
        Heading(_("Replace the biggest spend lines first"), level=1),
        para(
            _(
                "These lines convert euros spent into emissions with average ratios, the least "
                "precise factors. Giving the physical data instead (kWh, kg, km) makes the "
                "footprint more accurate and shows what your own actions change. Share of the "
                "uncertainty: each line's part of the variance of the total; lines of one "
                "factor, poste and data quality share their source's in proportion to their "
                "emissions."
            )
        ),
        Spacer(1, 2 * mm),
    ]
    rows = [
        [s.activity, s.poste, t(s.kgco2e), pct(s.share_total_pct),
         pct(s.share_uncertainty_pct), s.hint]
        for s in r.spend
    ]  # fmt: skip
    cols = [
        Col(_("Spend line"), 110),
        Col(_("Poste"), 40),
        Col(_("t CO₂e"), 50, True),
        # The msgids the results page uses; a template's "%%" is a literal percent sign.
        Col(_("%% of total") % {}, 50, True),
        Col(_("%% of uncertainty") % {}, 60, True),
        Col(_("Physical data that would replace it"), W - 310),
    ]
    return [*out, table(cols, rows)]


def action_plan(r: PeriodReport) -> list[Flowable]:
    out: list[Flowable] = [Heading(_("Action plan"))]
    if not r.actions:
        return [*out, para(_("No action recorded yet."))]
    live = [a for a in r.actions if a.is_live]
    expected = sum(a.expected_t_per_year or 0.0 for a in live)
    achieved = sum(a.achieved_t or 0.0 for a in live)
    out.append(
        para(
            _(
                "%(n)s actions in the plan, %(q)s with a quantified target: %(e)s t CO₂e "
                "avoided a year expected, %(a)s t CO₂e achieved."
            )
            % {
                "n": len(live),
                "q": sum(1 for a in live if a.is_quantified),
                "e": num(expected),
                "a": num(achieved),
            }
        )
    )
    out.append(Spacer(1, 2 * mm))
    rows = [
        [
            a.title,
            ", ".join(a.postes),
            labels.action_status(a.status),
            a.owner or "",
            date_range(a.start, a.end) if (a.start or a.end) else MISSING,
            num(a.expected_t_per_year),
            num(a.achieved_t),
        ]
        for a in r.actions
    ]
    cols = [
        Col(_("Action"), W - 343),
        Col(_("Postes"), 38),
        Col(_("Status"), 55),
        Col(_("Owner"), 60),
        Col(_("Dates"), 86),
        Col(_("Expected t CO₂e/yr"), 52, True),
        Col(_("Achieved t CO₂e"), 52, True),
    ]
    out.append(table(cols, rows))
    return out
