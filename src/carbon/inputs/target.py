"""The plan's reduction target as a person gives it: base period, year, percentage, kind.

Its checks need the company's periods (the base year must be one of them, the target year after
it): the caller passes them as the validation context, ``{"period_years": {id: year}}``, so the
model stays free of the database. Each field keeps the plan's own message ("Enter a year after
the base year."), translated through :mod:`carbon.inputs.messages`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from carbon.db.models_reporting import IntensityUnit, TargetKind
from carbon.i18n import N_
from carbon.inputs.fields import blank_is_none
from carbon.inputs.numbers import parse_number

LAST_TARGET_YEAR = 2100


def _percentage(value: Any) -> Any:
    """Text as people type it (``42,5``); unreadable is refused with the field's own message."""
    if isinstance(value, str):
        number = parse_number(value.strip()) if value.strip() else None
        if number is None:
            raise ValueError("not a number")
        return number
    return value


class TargetForm(BaseModel):
    """The target form; ``base_period_id`` must be a key of the context's ``period_years``."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    MESSAGES: ClassVar[dict[str, str]] = {
        "base_period_id": N_("Choose the base year among the company's periods."),
        "target_year": N_("Enter a year after the base year."),
        "reduction_pct": N_("Enter a percentage between 0 and 100."),
        "kind": N_("Choose an absolute or an intensity target."),
        "intensity_unit": N_("Choose what the intensity is measured per."),
    }

    base_period_id: str
    target_year: str
    reduction_pct: Annotated[float, BeforeValidator(_percentage)]
    kind: TargetKind
    # Checked even when the form leaves it out: an intensity target needs one.
    intensity_unit: Annotated[str | None, BeforeValidator(blank_is_none)] = Field(
        None, validate_default=True
    )

    @field_validator("base_period_id")
    @classmethod
    def _among_periods(cls, value: str, info: ValidationInfo) -> str:
        if value not in _period_years(info):
            raise ValueError("not one of the company's periods")
        return value

    @field_validator("target_year")
    @classmethod
    def _after_base(cls, value: str, info: ValidationInfo) -> str:
        base = _period_years(info).get(info.data.get("base_period_id", ""))
        # ASCII digits only: "²".isdigit() is true and int("²") fails (a 500 before); at most
        # four digits so that a thousand-digit year is not converted for nothing.
        if not (value.isascii() and value.isdigit() and len(value) <= 4):
            raise ValueError("not a year")
        if base is None or not base < int(value) <= LAST_TARGET_YEAR:
            raise ValueError("not after the base year")
        return value

    @field_validator("reduction_pct")
    @classmethod
    def _percent(cls, value: float) -> float:
        if not (math.isfinite(value) and 0 < value <= 100):
            raise ValueError("out of (0, 100]")
        return value

    @field_validator("intensity_unit", mode="after")
    @classmethod
    def _unit(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind is None:  # the kind was refused: its message says enough
            return value
        if kind != TargetKind.intensity:
            return None  # only an intensity target has a unit
        if value not in {u.value for u in IntensityUnit}:
            raise ValueError("unknown unit")
        return value

    @property
    def year(self) -> int:
        return int(self.target_year)


def _period_years(info: ValidationInfo) -> dict[str, int]:
    context = info.context or {}
    return {str(k): int(v) for k, v in context.get("period_years", {}).items()}
