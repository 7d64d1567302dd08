"""Validating a posted form or a row against an input model, with our messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from carbon.inputs.fields import FormNumber
from carbon.inputs.messages import InputError, field_errors, message, pydantic_code
from carbon.inputs.numbers import Bound

M = TypeVar("M", bound=BaseModel)


def validated(
    model: type[M], values: Mapping[str, Any], context: Mapping[str, Any] | None = None
) -> M:
    """``model`` from ``values``; :class:`InputError` with one translated message per field.

    ``context`` carries what a model's checks need from stored data (the company's periods)."""
    try:
        return model.model_validate(dict(values), context=dict(context or {}))
    except ValidationError as exc:
        own = getattr(model, "MESSAGES", None)
        raise InputError(field_errors(exc.errors(), own)) from None


def form_numbers(
    form: Mapping[str, str], bounds: Mapping[str, Bound]
) -> tuple[dict[str, float | None], dict[str, str]]:
    """The optional numbers of a form (blank is None), each checked against its bound as the
    line's quantity is: field -> value, and field -> message for each refused one."""
    values: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    for key, bound in bounds.items():
        text = form.get(key, "").strip()
        values[key] = None
        if not text:
            continue
        try:
            values[key] = _ADAPTER.validate_python(text, context={"bound": bound})
        except ValidationError as exc:
            code, params = pydantic_code(exc.errors()[0])
            errors[key] = message(code, key, params)
    return values, errors


_ADAPTER: TypeAdapter[float] = TypeAdapter(FormNumber)
