"""An activity line as a person gives it: the JSON API's body and the period page's form.

Both models share their fields and checks; they differ only in how numbers arrive (a JSON number,
or text typed as ``1 234,5``) and in the form's own fields (the activity search box, the version
an edit was shown at). :func:`line_values` then turns either into the values
:mod:`carbon.db.activity_lines` stores: an activity gives the poste and the factor for the site's
country (methodology rule 5), unless a factor is named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from carbon.accounting.postes import normalise_poste
from carbon.factors.bundled import find_activity
from carbon.inputs.fields import (
    FormFactor,
    FormQuantity,
    JsonFactor,
    JsonQuantity,
    RowId,
    blank_is_none,
)
from carbon.inputs.messages import InputError, message
from carbon.inputs.numbers import MAX_COMMENT, MAX_EVIDENCE_REF

Quality = Literal["measured", "estimated", "extrapolated"]


class LineFields(BaseModel):
    """The fields every way of giving a line has; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    activity_id: str | None = Field(None, max_length=100, examples=["groomer-diesel"])
    poste: str | None = Field(None, max_length=3, examples=["1.2"])
    factor_id: str | None = Field(None, max_length=128, examples=["bundled:diesel-b7-fr"])
    unit: str = Field(
        min_length=1,
        max_length=64,
        examples=["litre"],
        description=(
            "As ADEME or people write it (litre, m3, kWh, MWh, kWh PCS, kWh PCI, Smc, km, "
            "passager.km, t.km, kg, tonne, €, k€, k€ TTC…). It must convert to the unit of the "
            "line's factor (litres for a fuel, kWh for electricity): otherwise 422 names the field."
        ),
    )
    data_quality: Quality = Field(
        "estimated", description="Sets the activity uncertainty; unstated data is an estimate"
    )
    comment: str | None = Field(None, max_length=MAX_COMMENT)
    evidence_ref: str | None = Field(
        None, max_length=MAX_EVIDENCE_REF, description="Invoice number, file name"
    )


class LineIn(LineFields):
    """An activity line: an ``activity_id`` from the catalogue, or a ``poste`` and a ``factor_id``.

    With an activity, the factor follows the site's country (the company's when no site) unless
    ``factor_id`` names another one of the period's library.
    """

    # A line with neither an activity nor a poste and a factor is refused (422 on each missing
    # field): the schema says so too, or clients and the API fuzzer would think it valid.
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

    quantity: JsonQuantity = Field(examples=[1000], description="At most 10¹², not negative")
    site_id: RowId | None = None
    supplier_factor_kgco2e: JsonFactor | None = Field(
        None, description="Supplier-specific factor per unit (market-based scope 2 only)"
    )


class LineUpdate(LineIn):
    """The whole line as it should be, with the ``version_id`` it was read at."""

    version_id: RowId


_FORM_OPTIONAL = ("activity_id", "poste", "factor_id", "comment", "evidence_ref")


class LineForm(LineFields):
    """The period page's add-line and edit-line form (numbers as typed, blanks left out)."""

    q: str = Field("", max_length=200)  # the activity search box: its pick is activity_id
    quantity: FormQuantity
    site_id: Annotated[RowId | None, BeforeValidator(blank_is_none)] = None
    supplier_factor_kgco2e: Annotated[FormFactor | None, BeforeValidator(blank_is_none)] = None
    version_id: Annotated[RowId | None, BeforeValidator(blank_is_none)] = None

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: (None if k in _FORM_OPTIONAL and not str(v).strip() else v)
                    for k, v in data.items()}  # fmt: skip
            if data.get("data_quality") == "":
                data.pop("data_quality")
        return data


LINE_KEYS = (
    "activity_id", "poste", "factor_id", "quantity", "unit", "data_quality", "site_id",
    "supplier_factor_kgco2e", "comment", "evidence_ref",
)  # fmt: skip


def line_values(line: LineIn | LineForm, country_of: Callable[[int | None], str]) -> dict[str, Any]:
    """The values to store; :class:`InputError` when the activity, poste and factor disagree.

    ``country_of(site_id)`` is the country whose factors apply (the site's, else the company's).
    """
    data = {k: getattr(line, k) for k in LINE_KEYS}
    errors: dict[str, str] = {}
    if line.activity_id:
        act = find_activity(line.activity_id)
        if act is None:
            raise InputError.one("activity_unknown", "activity_id")
        if line.poste:
            try:
                if normalise_poste(line.poste) != act.poste:
                    errors["poste"] = message("activity_poste", "poste", {"code": act.poste})
            except ValueError:
                errors["poste"] = message("poste_unknown", "poste", {"value": line.poste})
        data["poste"] = act.poste
        data["factor_id"] = line.factor_id or act.factor_id_for(country_of(line.site_id))
    elif not (line.poste and line.factor_id):
        for key in ("activity_id", "poste", "factor_id"):
            if not getattr(line, key):
                errors[key] = message("activity_or_factor", key)
    if errors:
        raise InputError(errors)
    return data
