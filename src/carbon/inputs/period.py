"""What a person gives to open a reporting period, checked once for the form, the API and the CLI.

A period is a calendar year, or a fiscal year with its first and last day (many mountain firms
close their accounts after the winter season). The figures that intensities divide by (FTE,
turnover, sector activity) are finite, non-negative and bounded, whatever path they come in by.
Messages are translated in the language of the request (or of the CLI's locale) and name the
field they are about; :func:`field_errors` turns a refusal into one message per field.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from carbon.i18n import N_, fmt_number
from carbon.i18n import gettext as _

MIN_YEAR, MAX_YEAR = 1990, 2100
# Upper bounds far above any small firm, low enough that a slip of the keyboard is caught.
MAX_FTE = 100_000.0
MAX_REVENUE_KEUR = 100_000_000.0  # k€: 100 billion euros
MAX_SECTOR_ACTIVITY = 1e12
MAX_FISCAL_DAYS = 371  # a fiscal year may run a few days over twelve months (4-4-5 calendars)

CopyChoice = Literal["none", "quantities", "blank"]


def _refuse(message: str) -> PydanticCustomError:
    # A custom error keeps the message as given (a ValueError would get "Value error, " in front).
    return PydanticCustomError("period_input", message)


class PeriodIn(BaseModel):
    """A new reporting period of one company."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # The bounds are checked (with translated messages) by the validators below; Field states
    # them too, so that the OpenAPI schema publishes them.
    year: int = Field(
        ge=MIN_YEAR, le=MAX_YEAR, description="The reporting year (a fiscal year: the year it ends)"
    )
    starts_on: date | None = Field(None, description="Fiscal year: its first day (YYYY-MM-DD)")
    ends_on: date | None = Field(None, description="Fiscal year: its last day (YYYY-MM-DD)")
    is_base_year: bool = Field(False, description="Make it the base year targets start from")
    copy_last_year: CopyChoice = Field(
        "none",
        description="Start from the latest earlier year's lines: 'quantities' keeps their "
        "quantities, 'blank' sets them to 0 to fill in; comments and history are not copied",
    )
    fte: float | None = Field(
        None, ge=0, le=MAX_FTE, allow_inf_nan=False,
        description="Full-time equivalents over the period",
    )  # fmt: skip
    revenue_keur: float | None = Field(
        None, ge=0, le=MAX_REVENUE_KEUR, allow_inf_nan=False,
        description="Turnover, thousands of euros",
    )  # fmt: skip
    sector_activity: float | None = Field(
        None, ge=0, le=MAX_SECTOR_ACTIVITY, allow_inf_nan=False,
        description="The sector's activity measure (e.g. skier-days)",
    )  # fmt: skip

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> int:
        number = _number(value, whole=True)
        if number is None:
            raise _refuse(_("Give the year, for example 2026."))
        if not MIN_YEAR <= number <= MAX_YEAR:
            raise _refuse(
                _("The year must be between %(low)d and %(high)d.")
                % {"low": MIN_YEAR, "high": MAX_YEAR}
            )
        return int(number)

    @field_validator("starts_on", "ends_on", mode="before")
    @classmethod
    def _date(cls, value: Any) -> date | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise _refuse(_("Give a date as YYYY-MM-DD, for example 2025-10-01.")) from None

    @field_validator("is_base_year", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> bool:
        # An HTML checkbox sends "on" when ticked and nothing otherwise.
        if value in (None, "", False, "false", "0", "off"):
            return False
        if value in (True, "true", "1", "on", "yes"):
            return True
        raise _refuse(_("Answer yes or no."))

    @field_validator("copy_last_year", mode="before")
    @classmethod
    def _copy(cls, value: Any) -> str:
        if value in (None, ""):
            return "none"
        if value not in ("none", "quantities", "blank"):
            raise _refuse(
                _("Choose whether to copy last year's lines, with or without quantities.")
            )
        return str(value)

    @field_validator("fte", "revenue_keur", "sector_activity", mode="before")
    @classmethod
    def _figure(cls, value: Any, info: Any) -> float | None:
        number = _number(value)
        if number is None:
            return None
        limit = {"fte": MAX_FTE, "revenue_keur": MAX_REVENUE_KEUR}.get(
            info.field_name, MAX_SECTOR_ACTIVITY
        )
        if number < 0 or number > limit:
            raise _refuse(
                _("Give a number between 0 and %(limit)s.") % {"limit": fmt_number(limit, digits=0)}
            )
        return number

    @model_validator(mode="after")
    def _fiscal_year(self) -> PeriodIn:
        start, end = self.starts_on, self.ends_on
        if (start is None) != (end is None):
            field = "ends_on" if end is None else "starts_on"
            raise ValidationError.from_exception_data(
                "PeriodIn",
                [_line(field, _("A fiscal year needs both its first and its last day."))],
            )
        if start is not None and end is not None:
            if end <= start or (end - start).days + 1 > MAX_FISCAL_DAYS:
                raise ValidationError.from_exception_data(
                    "PeriodIn",
                    [_line("ends_on", _("The last day must come after the first, at most "
                                        "about twelve months later."))],
                )  # fmt: skip
            if end.year != self.year:
                raise ValidationError.from_exception_data(
                    "PeriodIn",
                    [_line("year", _("A fiscal year is named by the year it ends in: %(year)d.")
                           % {"year": end.year})],
                )  # fmt: skip
        return self


def _line(field: str, message: str) -> Any:
    return {
        "type": PydanticCustomError("period_input", message),
        "loc": (field,),
        "input": None,
    }


def _number(value: Any, *, whole: bool = False) -> float | None:
    """A finite number from a form's text (French decimal comma and spaces accepted), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _refuse(_("Give a number."))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise _refuse(_("Give a number.")) from None
    if not math.isfinite(number):
        raise _refuse(_("Give a number."))
    if whole and not number.is_integer():
        raise _refuse(_("Give a whole number."))
    return number


# Pydantic's own checks (a missing field, a wrong type, an unknown field) in the user's language.
_GENERIC = {
    "missing": N_("This field is required."),
    "extra_forbidden": N_("Unknown field."),
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """One translated message per field (the first when a field has several)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][-1]) if error["loc"] else "year"
        if error["type"] == "period_input":
            message = error["msg"]
        else:
            message = _(_GENERIC.get(error["type"], N_("This value is not valid.")))
        errors.setdefault(field, message)
    return errors
