"""Validating a posted form or a row against an input model, with our messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from carbon.inputs.messages import InputError, field_errors

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], values: Mapping[str, Any]) -> M:
    """``model`` from ``values``; :class:`InputError` with one translated message per field."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        raise InputError(field_errors(exc.errors())) from None
