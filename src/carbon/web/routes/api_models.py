"""The JSON API's request and response shapes (pydantic), which the OpenAPI document publishes.

Kept apart from the routes so that /api/openapi.json, the tests and any client read one
definition of each resource. Numbers are kgCO2e unless a field name says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from carbon.bounds import MAX_FACTOR_KGCO2E, MAX_QUANTITY
from carbon.web.deps import MAX_ID

Quality = Literal["measured", "estimated", "extrapolated"]


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


class LineIn(BaseModel):
    """An activity line: an ``activity_id`` from the catalogue, or a ``poste`` and a ``factor_id``.

    With an activity, the factor follows the site's country (the company's when no site) unless
    ``factor_id`` names another one of the period's library.
    """

    # api_lines refuses a line with neither an activity nor a poste and a factor (422 on each
    # missing field): the schema says so too, or clients and the fuzzer would think it valid.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["activity_id"], "properties": {"activity_id": {"type": "string"}}},
                {
                    "required": ["poste", "factor_id"],
                    "properties": {"poste": {"type": "string"}, "factor_id": {"type": "string"}},
                },
            ]
        },
    )

    activity_id: str | None = Field(None, max_length=100, examples=["groomer-diesel"])
    poste: str | None = Field(None, max_length=3, examples=["1.2"])
    factor_id: str | None = Field(None, max_length=128, examples=["bundled:diesel-b7-fr"])
    quantity: Annotated[
        float, Field(strict=True, ge=0, le=MAX_QUANTITY, allow_inf_nan=False, examples=[1000])
    ]
    unit: str = Field(min_length=1, max_length=64, examples=["litre"])
    data_quality: Quality = Field(
        "estimated", description="Sets the activity uncertainty; unstated data is an estimate"
    )
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    comment: str | None = Field(None, max_length=2000)
    evidence_ref: str | None = Field(None, max_length=500, description="Invoice number, file name")
    supplier_factor_kgco2e: Annotated[
        float | None, Field(strict=True, ge=0, le=MAX_FACTOR_KGCO2E, allow_inf_nan=False)
    ] = Field(None, description="Supplier-specific factor per unit (market-based scope 2 only)")


class LineUpdate(LineIn):
    """The whole line as it should be, with the ``version_id`` it was read at."""

    version_id: int = Field(ge=1, le=MAX_ID)


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


class ResultsOut(BaseModel):
    """``ComputationResult.to_dict()`` of the period, plus labelled categories and intensities."""

    period_id: int
    year: int
    factor_library: str
    total_kgco2e: float
    uncertainty_kgco2e: float
    uncertainty_pct: float
    by_poste: dict[str, float]
    uncertainty_by_poste: dict[str, float]
    by_category: dict[str, float]
    by_scope: dict[str, float]
    scope2_location_kgco2e: float
    scope2_market_kgco2e: float
    biogenic_co2_kg: float
    reported_apart_kgco2e: float
    unsplit_energy_lines: int
    unknown_factor_uncertainty_lines: int
    base_year: int | None
    change_vs_base_year: ChangeOut | None
    categories: list[CategoryOut]
    intensities: list[IntensityOut]
    unchecked_factors: RelianceOut = Field(
        description="Emissions resting on bundled factors not checked against the ADEME export"
    )
    estimated_factors: RelianceOut = Field(description="Emissions resting on labelled estimates")
