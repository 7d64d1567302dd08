"""The company report's "VSME B3 — Energy and GHG emissions" page, and the ESRS E1-6 table.

Banks and large clients ask small companies for EFRAG's VSME basic module B3 (Commission
Recommendation (EU) 2025/1710); the page prints the very objects ``carbon export vsme`` writes
(:func:`carbon.reports.data_vsme.vsme_figures`), so the PDF and the JSON or workbook a company
sends cannot disagree. Energy in MWh with one decimal, emissions in t CO₂e with two, the
intensity per million euros of turnover (the export's per-euro figure × 10⁶, which would
otherwise print as zeros); "turnover not given" beside it when the year has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from carbon.i18n import MISSING
from carbon.i18n import gettext as _
from carbon.reports import labels
from carbon.reports.layout import CONTENT_WIDTH, Col, Heading, para, table
from carbon.reports.text import num

if TYPE_CHECKING:  # annotations only: vsme.py loads openpyxl, which a PDF does not need
    from carbon.reports.vsme import EsrsE16, VsmeB3

W = CONTENT_WIDTH
MWH_DIGITS = 1
T_DIGITS = 2
PER_MEUR = 1_000_000.0


def mwh(value: float) -> str:
    return num(value, MWH_DIGITS)


def tonnes(value: float) -> str:
    return num(value, T_DIGITS)


def intensity_row(label: str, t_per_eur: float | None) -> list[object]:
    """An intensity, printed per million € (the export's per-€ figure × 10⁶); without a
    turnover the label says so and the value is "—"."""
    if t_per_eur is None:
        missing = _("turnover not given")  # outside the f-string: extracted for translation
        return [f"{label} — {missing}", MISSING]
    return [label, num(t_per_eur * PER_MEUR, T_DIGITS)]


def _energy(b3: VsmeB3) -> list[list[object]]:
    indent = "\u00a0" * 6
    return [
        [_("Total energy consumption"), mwh(b3.total_energy_mwh)],
        [indent + _("Electricity, renewable"), mwh(b3.electricity_renewable_mwh)],
        [indent + _("Electricity, non-renewable"), mwh(b3.electricity_non_renewable_mwh)],
        [indent * 2 + _("of which self-generated"), mwh(b3.self_generated_mwh)],
        [indent + _("Fuels, renewable"), mwh(b3.fuels_renewable_mwh)],
        [indent + _("Fuels, non-renewable"), mwh(b3.fuels_non_renewable_mwh)],
        [indent + _("Heat, steam and cooling bought"), mwh(b3.heat_mwh)],
    ]


def _emissions(b3: VsmeB3) -> list[list[object]]:
    return [
        [_("Gross scope 1 GHG emissions"), tonnes(b3.scope1_tco2e)],
        [_("Gross scope 2 GHG emissions, location-based"), tonnes(b3.scope2_location_tco2e)],
        [_("Gross scope 2 GHG emissions, market-based"), tonnes(b3.scope2_market_tco2e)],
        [_("Gross scope 3 GHG emissions"), tonnes(b3.scope3_tco2e)],
        [_("Scope 1 and location-based scope 2"), tonnes(b3.scope1_2_location_tco2e)],
        [_("Biogenic CO₂ (reported apart, in t CO₂)"), tonnes(b3.biogenic_co2_t)],
        [_("Turnover (k€)"), MISSING if b3.turnover_eur is None else num(b3.turnover_eur / 1e3, 0)],
        intensity_row(_("GHG intensity, scopes 1 and 2 (t CO₂e per million € of turnover)"),
                      b3.ghg_intensity_tco2e_per_eur),
    ]  # fmt: skip


def _esrs(e: EsrsE16) -> list[list[object]]:
    indent = "\u00a0" * 6
    rows: list[list[object]] = [
        [_("Gross scope 1 GHG emissions"), tonnes(e.scope1_tco2e)],
        [_("Gross scope 2 GHG emissions, location-based"), tonnes(e.scope2_location_tco2e)],
        [_("Gross scope 2 GHG emissions, market-based"), tonnes(e.scope2_market_tco2e)],
        [_("Gross scope 3 GHG emissions"), tonnes(e.scope3_tco2e)],
    ]
    for key, value in e.scope3_by_category.items():
        number = int(key) if key.isdigit() else None
        name = labels.scope3(number)
        if number is not None:
            name = _("Category %(n)s") % {"n": number} + " — " + name
        rows.append([indent + name, tonnes(value)])
    rows += [
        [_("Total GHG emissions, location-based"), tonnes(e.total_location_tco2e)],
        [_("Total GHG emissions, market-based"), tonnes(e.total_market_tco2e)],
        intensity_row(_("GHG intensity per net revenue, location-based (t CO₂e per million €)"),
                      e.intensity_location_tco2e_per_eur),
        intensity_row(_("GHG intensity per net revenue, market-based (t CO₂e per million €)"),
                      e.intensity_market_tco2e_per_eur),
    ]  # fmt: skip
    return rows


def vsme_b3(b3: VsmeB3, esrs: EsrsE16) -> list[Flowable]:
    """The page: B3's energy and emissions, then ESRS E1-6, each a two-column table."""
    intro = _(
        "VSME basic module, disclosure B3 (Commission Recommendation (EU) 2025/1710), from the "
        "footprint above: GHG Protocol scopes, factor library %(library)s. The same figures as "
        "the VSME export (JSON, EFRAG workbook)."
    ) % {"library": b3.factor_library}
    energy_cols = [Col(_("Energy (B3 §29)"), W - 100), Col(_("MWh"), 100, True)]
    ghg_cols = [Col(_("GHG emissions (B3 §30–31)"), W - 100), Col(_("t CO₂e"), 100, True)]
    esrs_cols = [Col(_("ESRS E1-6"), W - 100), Col(_("t CO₂e"), 100, True)]
    notes = [
        _("Energy on a net calorific basis; grid electricity without a contract counts as "
          "non-renewable."),
    ]  # fmt: skip
    if b3.energy_lines_without_figure:
        notes.append(
            _(
                "%(n)s energy line(s) have no energy figure (a unit such as vehicle.km): not in "
                "the MWh."
            )
            % {"n": b3.energy_lines_without_figure}
        )
    if b3.turnover_eur is None:
        notes.append(
            _("The year's turnover is not given: no intensity. Enter it with the year's figures.")
        )
    esrs_note = _(
        "ESRS E1-6 (Delegated Regulation (EU) 2023/2772): scope 3 by GHG Protocol category, "
        "every non-zero category listed; the company judges which are significant."
    )
    return [
        PageBreak(),
        Heading(_("VSME B3 — Energy and GHG emissions")),
        para(intro),
        Spacer(1, 2 * mm),
        KeepTogether([table(energy_cols, _energy(b3), bold_rows=[0]), Spacer(1, 3 * mm)]),
        KeepTogether([table(ghg_cols, _emissions(b3), bold_rows=[4]), Spacer(1, 2 * mm)]),
        *(para(n, "small") for n in notes),
        Spacer(1, 4 * mm),
        Heading(_("ESRS E1-6 — Gross scopes 1, 2, 3 and total GHG emissions"), level=1),
        KeepTogether([table(esrs_cols, _esrs(esrs)), Spacer(1, 2 * mm), para(esrs_note, "small")]),
        PageBreak(),  # a page of its own, to hand over as it is
    ]
