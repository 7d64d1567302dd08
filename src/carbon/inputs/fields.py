"""pydantic field types shared by the input models: bounded numbers, form text, ids.

A JSON number arrives as a float; a form's number as text (``1 234,5``). Both end in the same
:func:`carbon.inputs.numbers.number_issue` check, raised as a pydantic error whose ``type`` is
our message code (:mod:`carbon.inputs.messages`), so every path answers with the same sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, ValidationInfo
from pydantic_core import PydanticCustomError

from carbon.inputs.messages import english
from carbon.inputs.numbers import (
    FACTOR_KGCO2E,
    MAX_ID,
    QUANTITY,
    Bound,
    number_issue,
    parse_number,
)


def _refusal(code: str, info: ValidationInfo, **params: Any) -> PydanticCustomError:
    field_name = info.field_name or ""
    text = english(code, field_name, params).replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(code, text, {k: v for k, v in params.items()})


def within(bound: Bound) -> Callable[[float, ValidationInfo], float]:

    def check(value: float, info: ValidationInfo) -> float:
        issue = number_issue(value, bound)
        if issue is not None:
            code, params = issue
            raise _refusal(code, info, **params)
        return value

    return check


def from_text(value: Any, info: ValidationInfo) -> Any:
    """A form's number: text as people type it; blank is missing (a required number)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        raise _refusal("number_required", info)
    number = parse_number(text)
    if number is None:
        raise _refusal("number_invalid", info, value=text[:40])
    return number


def blank_is_none(value: Any) -> Any:
    """A form sends an empty field for an optional value left out."""
    return None if isinstance(value, str) and not value.strip() else value


def published(bound: Bound) -> Any:
    """The bound in the OpenAPI schema (checked by ``within``, which words the refusal)."""
    return Field(json_schema_extra={"minimum": bound.low, "maximum": bound.high})


# A JSON number (a string is refused, as the API always did) and a number typed in a form.
_JSON = (Strict(), Field(allow_inf_nan=True))
_FORM = (Field(allow_inf_nan=True), BeforeValidator(from_text))
FORM_NUMBER = _FORM  # for models elsewhere: Annotated[float, *FORM_NUMBER, AfterValidator(...)]
JsonQuantity = Annotated[float, *_JSON, AfterValidator(within(QUANTITY)), published(QUANTITY)]
JsonFactor = Annotated[
    float, *_JSON, AfterValidator(within(FACTOR_KGCO2E)), published(FACTOR_KGCO2E)
]
FormQuantity = Annotated[float, *_FORM, AfterValidator(within(QUANTITY))]
FormFactor = Annotated[float, *_FORM, AfterValidator(within(FACTOR_KGCO2E))]


def _within_context(value: float, info: ValidationInfo) -> float:
    bound: Bound = (info.context or {})["bound"]
    return within(bound)(value, info)


# A form's number whose bound is given at validation (context={"bound": ...}): the figures of
# the plan's and the administrator's forms, through carbon.inputs.validate.form_numbers.
FormNumber = Annotated[float, *_FORM, AfterValidator(_within_context)]

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
