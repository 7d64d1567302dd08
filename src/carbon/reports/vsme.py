"""The VSME basic-module disclosure B3 (energy and GHG emissions), as JSON and as a workbook.

Banks and large clients now ask small companies for EFRAG's VSME standard (Commission
Recommendation (EU) 2025/1710, Annex I), whose B3 holds: total energy consumption in MWh (§29),
gross scope 1 and location-based scope 2 emissions in tCO2e (§30, GHG Protocol 2004; market-based
scope 2 and scope 3 where computed), and the GHG intensity per euro of turnover (§31). carbon
has all of it for a year: the emissions from the engine's result, the energy from
:mod:`carbon.accounting.energy`, the turnover from the period.

EFRAG's digital template (an Excel workbook) locates each datapoint by a defined name equal to its
XBRL element: :func:`fill_workbook` writes by those names, never by cell address, so a newer
template with moved cells still receives the figures; a name the workbook lacks is reported, not
written elsewhere. :func:`new_workbook` lays out carbon's own sheet with the same names, for
companies that have not downloaded the template.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName

from carbon.accounting.energy import EnergyUse
from carbon.accounting.results import ComputationResult

# XBRL element names of the VSME taxonomy, as EFRAG's template names its cells. The first eight are
# quoted in ../shared/reference/accounting-and-disclosure.md or in published converters; the
# electricity split's non-renewable member follows the renewable member's pattern.
ELEMENTS: Final[Mapping[str, str]] = {
    "total_energy_mwh": "TotalEnergyConsumption",
    "electricity_renewable_mwh": "EnergyConsumptionFromElectricity_RenewableEnergyMember",
    "electricity_non_renewable_mwh": "EnergyConsumptionFromElectricity_NonRenewableEnergyMember",
    "scope1_tco2e": "GrossScope1GreenhouseGasEmissions",
    "scope2_location_tco2e": "GrossLocationBasedScope2GreenhouseGasEmissions",
    "scope2_market_tco2e": "GrossMarketBasedScope2GreenhouseGasEmissions",
    "scope3_tco2e": "GrossScope3GreenhouseGasEmissions",
    "scope1_2_location_tco2e": "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
    "turnover_eur": "Turnover",
}
LABELS: Final[Mapping[str, str]] = {
    "total_energy_mwh": "Total energy consumption (MWh)",
    "electricity_renewable_mwh": "Electricity, renewable (MWh)",
    "electricity_non_renewable_mwh": "Electricity, non-renewable (MWh)",
    "scope1_tco2e": "Gross scope 1 GHG emissions (tCO2e)",
    "scope2_location_tco2e": "Gross location-based scope 2 GHG emissions (tCO2e)",
    "scope2_market_tco2e": "Gross market-based scope 2 GHG emissions (tCO2e)",
    "scope3_tco2e": "Gross scope 3 GHG emissions (tCO2e)",
    "scope1_2_location_tco2e": "Scope 1 and location-based scope 2 (tCO2e)",
    "turnover_eur": "Turnover (EUR)",
}


@dataclass(frozen=True)
class VsmeB3:
    company: str
    year: int
    status: str
    factor_library: str
    total_energy_mwh: float
    electricity_renewable_mwh: float
    electricity_non_renewable_mwh: float
    self_generated_mwh: float
    fuels_renewable_mwh: float
    fuels_non_renewable_mwh: float
    heat_mwh: float
    energy_lines_without_figure: int
    scope1_tco2e: float
    scope2_location_tco2e: float
    scope2_market_tco2e: float
    scope3_tco2e: float
    scope1_2_location_tco2e: float
    biogenic_co2_t: float
    turnover_eur: float | None
    ghg_intensity_tco2e_per_eur: float | None

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["xbrl"] = {element: data[key] for key, element in ELEMENTS.items()}
        data["standard"] = "VSME basic module B3, Commission Recommendation (EU) 2025/1710"
        return data


def build_b3(
    result: ComputationResult,
    energy: EnergyUse,
    *,
    company: str,
    year: int,
    status: str,
    revenue_keur: float | None,
) -> VsmeB3:
    """B3's figures for one year; tonnes from the engine's kilograms, MWh from the energy use."""
    scopes = result.by_scope
    scope1, scope2, scope3 = (scopes[s] / 1000.0 for s in (1, 2, 3))
    turnover = revenue_keur * 1000.0 if revenue_keur else None
    return VsmeB3(
        company=company,
        year=year,
        status=status,
        factor_library=result.library_version,
        total_energy_mwh=energy.total(),
        electricity_renewable_mwh=energy.total("electricity", True)
        + energy.total("self_generated", True),
        electricity_non_renewable_mwh=energy.total("electricity", False)
        + energy.total("self_generated", False),
        self_generated_mwh=energy.total("self_generated"),
        fuels_renewable_mwh=energy.total("fuel", True),
        fuels_non_renewable_mwh=energy.total("fuel", False),
        heat_mwh=energy.total("heat"),
        energy_lines_without_figure=len(energy.lines_without_energy),
        scope1_tco2e=scope1,
        scope2_location_tco2e=scope2,
        scope2_market_tco2e=result.scope2_market_kgco2e / 1000.0,
        scope3_tco2e=scope3,
        scope1_2_location_tco2e=scope1 + scope2,
        biogenic_co2_t=result.biogenic_co2_kg / 1000.0,
        turnover_eur=turnover,
        ghg_intensity_tco2e_per_eur=(scope1 + scope2) / turnover if turnover else None,
    )


def fill_workbook(template: bytes, b3: VsmeB3) -> tuple[bytes, list[str]]:
    """The template with B3's figures in the cells named after their XBRL elements, and the
    elements the template has no cell for."""
    book = load_workbook(io.BytesIO(template))
    values = b3.to_dict()
    missing = []
    for key, element in ELEMENTS.items():
        defined = book.defined_names.get(element)
        if defined is None:
            missing.append(element)
            continue
        for sheet, coordinate in defined.destinations:
            book[sheet][coordinate.replace("$", "")] = values[key]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), missing


def new_workbook() -> bytes:
    """carbon's own B3 sheet: a label and a value cell per datapoint, named as in the template."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "B3"
    sheet.append(["VSME B3 — energy and greenhouse gas emissions", ""])
    for row, (key, element) in enumerate(ELEMENTS.items(), start=2):
        sheet.cell(row=row, column=1, value=LABELS[key])
        book.defined_names[element] = DefinedName(element, attr_text=f"'B3'!$B${row}")
    sheet.column_dimensions["A"].width = 52
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class EsrsE16:
    """ESRS E1-6 (Delegated Regulation (EU) 2023/2772) from the same result, in tCO2e."""

    scope1_tco2e: float
    scope2_location_tco2e: float
    scope2_market_tco2e: float
    # GHG Protocol scope 3 category -> tCO2e ("other" gathers poste 3.4 and 6.1's remainder);
    # significance is the company's call: every non-zero category is listed.
    scope3_by_category: dict[str, float]
    scope3_tco2e: float
    total_location_tco2e: float
    total_market_tco2e: float
    biogenic_co2_t: float
    net_revenue_eur: float | None
    intensity_location_tco2e_per_eur: float | None
    intensity_market_tco2e_per_eur: float | None


def build_esrs_e1_6(result: ComputationResult, revenue_keur: float | None) -> EsrsE16:
    """Scope 1, scope 2 both ways, scope 3 by category, totals and intensities both ways."""
    # The upstream part of energy (in poste 4.1) is category 3, not 1: the same split as the
    # company PDF's scope view (ComputationResult.scope3_by_category).
    by_category: dict[str, float] = {}
    for category, kg in result.scope3_by_category().items():
        if kg:
            key = str(category) if category else "other"
            by_category[key] = by_category.get(key, 0.0) + kg / 1000.0
    scopes = result.by_scope
    scope1, scope2, scope3 = (scopes[s] / 1000.0 for s in (1, 2, 3))
    market = result.scope2_market_kgco2e / 1000.0
    revenue = revenue_keur * 1000.0 if revenue_keur else None
    location, market_total = scope1 + scope2 + scope3, scope1 + market + scope3
    return EsrsE16(
        scope1_tco2e=scope1,
        scope2_location_tco2e=scope2,
        scope2_market_tco2e=market,
        scope3_by_category=dict(sorted(by_category.items())),
        scope3_tco2e=scope3,
        total_location_tco2e=location,
        total_market_tco2e=market_total,
        biogenic_co2_t=result.biogenic_co2_kg / 1000.0,
        net_revenue_eur=revenue,
        intensity_location_tco2e_per_eur=location / revenue if revenue else None,
        intensity_market_tco2e_per_eur=market_total / revenue if revenue else None,
    )
