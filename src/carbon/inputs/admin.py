"""The administrator's programme and cohort forms as a person gives them.

Codes, names, an edition number and dates, checked once with the forms' own messages ("Give a
short code…"). What needs stored data (a code or a cohort name already taken, a programme that
exists) stays with the route, which has the session.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from carbon.i18n import N_
from carbon.inputs.numbers import MAX_ID

END_BEFORE_START = N_("The end date comes before the start date.")


def _cut(limit: int) -> BeforeValidator:
    """The optional texts are shortened to their column, as the form always did, not refused."""
    return BeforeValidator(lambda v: v.strip()[:limit] if isinstance(v, str) else v)


def plain_id(value: Any) -> Any:
    """ASCII digits within MAX_ID, as :func:`carbon.web.deps.form_id` reads an id."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or not (
        1 <= int(text) <= MAX_ID
    ):
        raise ValueError("not an id")
    return int(text)


def _optional_id(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else plain_id(value)


def _iso_date(value: Any) -> Any:
    """A date field sends ``YYYY-MM-DD``; blank is no date."""
    if not isinstance(value, str):
        return value
    return date.fromisoformat(value) if value else None  # ValueError: "Enter a date."


class ProgrammeForm(BaseModel):
    """A funded programme: a short code, its names in fr (required), it and en, a description."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    MESSAGES: ClassVar[dict[str, str]] = {
        "code": N_("Give a short code (16 characters at most), for example PZCM."),
        "name_fr": N_("Give the programme's name in French."),
    }

    code: str = Field(min_length=1, max_length=16)
    name_fr: Annotated[str, _cut(200)] = Field(min_length=1)
    name_it: Annotated[str, _cut(200)] = ""
    name_en: Annotated[str, _cut(200)] = ""
    description: Annotated[str, _cut(2000)] = ""


class CohortForm(BaseModel):
    """A cohort of a programme: its name, edition number and dates (the end not before start)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    MESSAGES: ClassVar[dict[str, str]] = {
        "programme_id": N_("Choose a programme."),
        "name": N_("Give the cohort a name, for example “Cohort 2”."),
        "edition": N_("The edition is a number, for example 2."),
        "start_date": N_("Enter a date."),
        "end_date": N_("Enter a date."),
    }

    programme_id: Annotated[int, BeforeValidator(plain_id)]
    name: str = Field(min_length=1, max_length=200)
    edition: Annotated[int | None, BeforeValidator(_optional_id)] = None
    start_date: Annotated[date | None, BeforeValidator(_iso_date)] = None
    end_date: Annotated[date | None, BeforeValidator(_iso_date)] = None

    @field_validator("end_date")
    @classmethod
    def _after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if start and end and end < start:
            raise PydanticCustomError("said", END_BEFORE_START, {"text": END_BEFORE_START})
        return end
