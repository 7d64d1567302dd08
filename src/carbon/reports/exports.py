"""The spreadsheet exports: a period's lines (CSV, XLSX), its regulatory BEGES table (XLSX), and a
cohort's table of companies (XLSX).

Cells hold exact values (kg CO₂e, tonnes as numbers with a display format), so a coach can
recompute any figure: a line's emissions are its quantity in the factor's unit times the factor.
All text goes through spreadsheet.neutralise (see spreadsheet.py).
"""

from __future__ import annotations

from carbon.accounting.gases import ALL_GROUPS, DEFAULT_GWP_SET, NOT_BROKEN_DOWN
from carbon.accounting.postes import POSTES, POSTES_BY_CODE
from carbon.i18n import gettext as _
from carbon.i18n import use_locale
from carbon.reports import labels
from carbon.reports.model import PeriodReport
from carbon.reports.model_cohort import CohortReport
from carbon.reports.spreadsheet import (
    Cell,
    add_table,
    new_workbook,
    to_csv,
    workbook_bytes,
)

KG = "#,##0.0"
T = "#,##0.000"
PCT = "0.0"


def _line_header() -> list[str]:
    return [
        _("Line"), _("Site"), _("Poste"), _("Poste label"), _("Activity"),
        _("Quantity"), _("Unit"), _("Data quality"), _("Factor identifier"), _("Factor"),
        _("Factor source"), _("Factor library"), _("Quantity in the factor's unit"),
        _("Factor's unit"), _("Factor, kg CO₂e per unit"), _("Supplier factor, kg CO₂e per unit"),
        _("Emissions, kg CO₂e"), _("of which in the poste, kg CO₂e"),
        _("of which upstream, moved to 4.1, kg CO₂e"), _("Biogenic CO₂, kg"),
        _("Uncertainty, %"), _("Uncertainty, kg CO₂e"), _("Comment"), _("Evidence"),
    ]  # fmt: skip


def _line_rows(r: PeriodReport) -> list[list[Cell]]:
    factors = {f.factor_id: f for f in r.factors}
    rows: list[list[Cell]] = []
    for ln in r.lines:
        f = factors.get(ln.factor_id)
        rows.append([
            ln.line_id, ln.site, ln.poste, labels.poste(ln.poste), ln.activity,
            ln.quantity, ln.unit, labels.quality(ln.data_quality), ln.factor_id,
            f.name if f else None, f.source if f else None, r.result.library_version,
            ln.quantity_in_factor_unit, ln.factor_unit, ln.factor_kg_per_unit, ln.supplier_factor,
            ln.kgco2e, ln.kgco2e_in_poste, ln.upstream_kg, ln.co2b_kg,
            ln.uncertainty_pct, ln.uncertainty_kg, ln.comment, ln.evidence,
        ])  # fmt: skip
    return rows


def lines_csv(r: PeriodReport, locale: str) -> bytes:
    with use_locale(locale):
        return to_csv(_line_header(), _line_rows(r), locale)


def _preamble(r: PeriodReport) -> list[list[Cell]]:
    return [
        [r.company.name],
        [_("Company identifier"), r.company.legal_id],
        [_("Year"), r.year],
        [_("Status"), labels.period_status(r.status)],
        [_("Factor library"), r.result.library_version],
        # Every CO2e figure rests on one GWP set: say which (docs/methodology.md §10).
        [_("Global warming potentials"), labels.gwp_set(r.result.gwp_set)],
    ]


def _results_rows(r: PeriodReport) -> tuple[list[list[Cell]], list[int]]:
    res = r.result
    rows: list[list[Cell]] = []
    for p in POSTES:
        kg = res.by_poste[p.code]
        u = res.uncertainty_by_poste[p.code]
        rows.append([p.category, p.code, labels.poste(p.code), p.scope, kg, u,
                     100.0 * u / abs(kg) if kg else None])  # fmt: skip
    summary: list[tuple[str, float | None]] = [
        (_("Total"), res.total_kgco2e),
        (_("Uncertainty, kg CO₂e"), res.uncertainty_kgco2e),
        (_("Scope 1"), res.by_scope[1]),
        (_("Scope 2, location-based"), res.scope2_location_kgco2e),
        (_("Scope 2, market-based"), res.scope2_market_kgco2e),
        (_("Scope 3"), res.by_scope[3]),
        (_("Biogenic CO₂, reported apart"), res.biogenic_co2_kg),
    ]
    bold = [len(rows)]
    rows += [[None, None, name, None, kg, None, None] for name, kg in summary]
    return rows, bold


def period_xlsx(r: PeriodReport, locale: str) -> bytes:
    """Lines, results by poste and the factors used, one sheet each."""
    with use_locale(locale):
        wb = new_workbook()
        add_table(wb, _("Lines"), _line_header(), _line_rows(r),
                  formats={16: KG, 17: KG, 18: KG, 19: KG, 20: PCT, 21: KG},
                  widths={3: 40, 4: 36, 9: 40, 10: 40, 22: 30})  # fmt: skip
        header = [_("Category"), _("Poste"), _("Label"), _("Scope"), _("Emissions, kg CO₂e"),
                  _("Uncertainty, kg CO₂e"), _("Uncertainty, %")]  # fmt: skip
        rows, bold = _results_rows(r)
        add_table(wb, _("Results"), header, rows, formats={4: KG, 5: KG, 6: PCT},
                  widths={2: 55}, preamble=_preamble(r), bold_rows=bold)  # fmt: skip
        fheader = [_("Factor identifier"), _("Factor"), _("Unit"), _("Factor, kg CO₂e per unit"),
                   _("Source"), _("Source identifier"), _("Factor library"), _("Uncertainty, %"),
                   _("Checked against the official export"), _("Estimate"), _("Lines"),
                   _("Emissions, kg CO₂e")]  # fmt: skip
        frows: list[list[Cell]] = [
            [f.factor_id, f.name, f.unit, f.kg_per_unit, f.source, f.source_ref,
             f.library_version, f.uncertainty_pct, labels.yes_no(f.checked),
             labels.yes_no(f.estimate), f.lines, f.kgco2e]
            for f in r.factors
        ]  # fmt: skip
        add_table(wb, _("Factors"), fheader, frows, formats={11: KG}, widths={1: 45, 4: 45})
        return workbook_bytes(wb)


def _gas_cells(by_gas: dict[str, float] | None, kg: float) -> list[float]:
    """The per-gas columns of a BEGES row, in tonnes CO₂e (all "not broken down" when the
    result has no breakdown)."""
    gases = by_gas or {NOT_BROKEN_DOWN: kg}
    return [gases.get(g, 0.0) / 1000 for g in ALL_GROUPS]


def beges_xlsx(r: PeriodReport, locale: str) -> bytes:
    """The regulatory table: 6 categories, 22 postes, in tonnes, with the columns by gas.

    Emissions by gas (CO₂ fossil, CH₄ fossil and biogenic, N₂O, other gases) come from the
    factors' breakdown where the source gives one; the rest is in "not broken down", which the
    sheet explains, rather than guessed (docs/methodology.md § 10).
    """
    res = r.result
    co2b: dict[str, float] = {}
    for ln in r.lines:
        co2b[ln.poste] = co2b.get(ln.poste, 0.0) + ln.co2b_kg
    with use_locale(locale):
        header = [_("Category"), _("Poste"), _("Label"), _("Total, t CO₂e"),
                  *(labels.gas_column(g) for g in ALL_GROUPS), _("CO₂b, t"),
                  _("Uncertainty, t CO₂e"), _("Uncertainty, %")]  # fmt: skip
        n_gas = len(ALL_GROUPS)
        rows: list[list[Cell]] = []
        bold: list[int] = []
        for cat in range(1, 7):
            bold.append(len(rows))
            in_cat = [p for p in POSTES if p.category == cat]
            cat_gas = [
                sum(
                    _gas_cells(res.by_poste_gas.get(p.code), res.by_poste[p.code])[i]
                    for p in in_cat
                    if not p.reported_apart
                )
                for i in range(n_gas)
            ]
            rows.append([cat, None, labels.category(cat), res.by_category[cat] / 1000, *cat_gas,
                         sum(co2b.get(p.code, 0.0) for p in in_cat) / 1000,
                         None, None])  # fmt: skip
            for p in in_cat:
                kg, u = res.by_poste[p.code], res.uncertainty_by_poste[p.code]
                label = labels.poste(p.code)
                if POSTES_BY_CODE[p.code].reported_apart:
                    label += " (" + _("reported apart, not in the total") + ")"
                rows.append([cat, p.code, label, kg / 1000,
                             *_gas_cells(res.by_poste_gas.get(p.code), kg),
                             co2b.get(p.code, 0.0) / 1000,
                             u / 1000, 100.0 * u / abs(kg) if kg else None])  # fmt: skip
        bold.append(len(rows))
        total_gas = res.by_gas
        rows.append([None, None, _("Total"), res.total_kgco2e / 1000,
                     *(total_gas[g] / 1000 for g in ALL_GROUPS), res.biogenic_co2_kg / 1000,
                     res.uncertainty_kgco2e / 1000, res.uncertainty_pct])  # fmt: skip
        # BEGES v5's table gives biogenic CO2 on its own line, outside the total.
        rows.append([None, None, _("Biogenic CO₂ (hors bilan), t"), None, *([None] * n_gas),
                     res.biogenic_co2_kg / 1000, None, None])  # fmt: skip
        preamble: list[list[Cell]] = [
            *_preamble(r),
            [_("Method"), _("BEGES v5 (2022), ISO 14064-1 categories; GHG Protocol scopes")],
        ]
        preamble += [[note] for note in labels.gas_notes(res)]
        wb = new_workbook()
        formats = {3: T, **{4 + i: T for i in range(n_gas + 2)}, 6 + n_gas: PCT}
        add_table(wb, _("BEGES"), header, rows, formats=formats, widths={2: 60},
                  preamble=preamble, bold_rows=bold)  # fmt: skip
        return workbook_bytes(wb)


def cohort_xlsx(r: CohortReport, locale: str) -> bytes:
    """Programme KPIs, the companies with their base and latest years, and their categories."""
    with use_locale(locale):
        k = r.kpis
        wb = new_workbook()
        kpis: list[list[Cell]] = [
            [_("Companies"), k.companies],
            [_("Companies with a measured footprint"), k.footprints_measured],
            [_("Companies with a validated footprint"), k.companies_validated],
            [_("Footprints validated (years)"), k.footprints_validated],
            [_("Actions identified"), k.actions],
            [_("Actions with a quantified target"), k.quantified],
            [_("t CO₂e avoided a year, expected"), k.expected_t],
            [_("t CO₂e avoided, achieved"), k.achieved_t],
            [_("Footprint of the cohort, latest years, t CO₂e"), k.latest_total_kg / 1000],
            [_("Global warming potentials"), labels.gwp_set(DEFAULT_GWP_SET)],
        ]
        add_table(wb, _("Indicators"), [r.programme, r.cohort], kpis, widths={0: 50, 1: 30})
        header = [_("Company"), _("Country"), _("Sector"), _("FTE"), _("Base year"),
                  _("Base year, t CO₂e"), _("Latest year"), _("Latest year, t CO₂e"),
                  _("Change, %"), _("t CO₂e per FTE"), _("Status of the latest year"), _("Stage"),
                  _("Validated footprint"), _("Actions"), _("Quantified actions"),
                  _("Expected t CO₂e avoided a year"), _("Achieved t CO₂e avoided"),
                  *(f"{n}. {labels.category(n)}, t CO₂e" for n in range(1, 7))]  # fmt: skip
        rows: list[list[Cell]] = [
            [c.name, c.country, labels.sector(c.sector), c.fte, c.base_year,
             None if c.base_kg is None else c.base_kg / 1000, c.latest_year,
             None if c.latest_kg is None else c.latest_kg / 1000, c.change_pct, c.t_per_fte,
             labels.period_status(c.latest_status), labels.stage(c.stage),
             labels.yes_no(c.validated), c.actions, c.quantified, c.expected_t, c.achieved_t,
             *(c.latest_by_category.get(n, 0.0) / 1000 if c.latest_by_category else None
               for n in range(1, 7))]
            for c in r.companies
        ]  # fmt: skip
        formats = {5: T, 7: T, 8: PCT, 9: T, **{i: T for i in range(17, 23)}}
        add_table(wb, _("Companies"), header, rows, formats=formats, widths={0: 36})
        versions: list[list[Cell]] = [[label, n] for label, n in r.library_versions.items()]
        add_table(wb, _("Factor libraries"), [_("Factor library"), _("Periods")], versions,
                  widths={0: 40})  # fmt: skip
        return workbook_bytes(wb)
