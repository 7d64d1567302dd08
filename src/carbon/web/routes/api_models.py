"""The JSON API's request and response shapes (pydantic), which the OpenAPI document publishes.

Kept apart from the routes so that /api/openapi.json, the tests and any client read one
definition of each resource. Numbers are kgCO2e unless a field name says otherwise.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The request bodies are the shared input models: the forms and the import check the same way.
from carbon.inputs.line import LineIn, LineUpdate, Quality

__all__ = ["LineIn", "LineUpdate"]


class ErrorOut(BaseModel):
    detail: str | list[dict[str, object]] = Field(
        description="A message, or for 422 one entry per field: loc (['body', field]), msg, type."
    )


class ConflictOut(BaseModel):
    detail: str
    current: LineOut | None = Field(
        description="The line as it is now (null once deleted): merge, then send its version_id"
    )


class CompanyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    country: str = Field(description="ISO 3166 alpha-2: chooses country-specific factors")
    sector: str
    fte: float | None
    revenue_keur: float | None
    sector_unit_label: str | None = Field(description="e.g. skier-day: the sector intensity unit")


class PeriodOut(BaseModel):
    id: int
    company_id: int
    year: int
    starts_on: date | None = Field(description="A fiscal year's first day; null: calendar year")
    ends_on: date | None = Field(description="A fiscal year's last day; null: calendar year")
    is_base_year: bool
    status: Literal["draft", "submitted", "validated", "locked"]
    factor_library: str = Field(description="Label of the factor-library version it is pinned to")
    fte: float | None
    revenue_keur: float | None
    sector_activity: float | None
    version_id: int
    editable: bool = Field(description="Whether the signed-in user may change its lines now")


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    period_id: int
    activity_id: str | None
    poste: str
    factor_id: str
    quantity: float
    unit: str
    data_quality: Quality
    site_id: int | None
    supplier_factor_kgco2e: float | None
    comment: str | None
    evidence_ref: str | None
    version_id: int = Field(description="Send it back with PUT: a stale one gets 409")
    created_at: datetime
    updated_at: datetime | None


class ChangeOut(BaseModel):
    absolute: float = Field(description="This year minus the base year")
    relative_pct: float | None = Field(description="In %; null when the base-year value is zero")


class CategoryOut(BaseModel):
    category: int
    label: str
    kgco2e: float
    share_pct: float | None
    postes: dict[str, float]
    change_vs_base_year: ChangeOut | None


class IntensityOut(BaseModel):
    key: Literal["fte", "revenue_keur", "sector_activity"]
    label: str
    denominator: float | None
    kgco2e_per_unit: float | None
    base_year_kgco2e_per_unit: float | None
    change_vs_base_year: ChangeOut | None


class RelianceOut(BaseModel):
    lines: int
    kgco2e: float
    share_pct: float


class WarningOut(BaseModel):
    """What the method did to one activity line (a VAT-included spend converted, a factor of
    another country, the residual mix used…), in the request's language."""

    line: int = Field(description="the activity line's id")
    message: str


class ResultsOut(BaseModel):
    """``ComputationResult.to_dict()`` of the period, plus labelled categories and intensities."""

    period_id: int
    year: int
    factor_library: str
    total_kgco2e: float
    uncertainty_kgco2e: float
    uncertainty_pct: float
    uncertainty_method: str = Field(
        description="The rule the uncertainty follows: ipcc-approach-1-per-source (lines of one "
        "factor, poste and data quality add linearly; sources combine in quadrature)"
    )
    by_poste: dict[str, float]
    uncertainty_by_poste: dict[str, float]
    by_category: dict[str, float]
    uncertainty_by_category: dict[str, float]
    by_scope: dict[str, float]
    uncertainty_by_scope: dict[str, float]
    scope2_location_kgco2e: float
    scope2_market_kgco2e: float
    biogenic_co2_kg: float
    gwp_set: str = Field(description="The GWP set every CO2e figure rests on: AR5 (100 years)")
    by_gas: dict[str, float] = Field(
        description="kgCO2e by gas group (co2_fossil, ch4_fossil, ch4_biogenic, n2o, other) and "
        "not_broken_down, for factors whose source gives no breakdown by gas; they add up to "
        "the total"
    )
    reported_apart_kgco2e: float
    unsplit_energy_lines: int
    unknown_factor_uncertainty_lines: int
    warnings: list[WarningOut]
    warnings_omitted: int = Field(description="warnings beyond the first 1,000, not listed")
    base_year: int | None
    change_vs_base_year: ChangeOut | None
    categories: list[CategoryOut]
    intensities: list[IntensityOut]
    unchecked_factors: RelianceOut = Field(
        description="Emissions resting on bundled factors not checked against the ADEME export"
    )
    estimated_factors: RelianceOut = Field(description="Emissions resting on labelled estimates")
