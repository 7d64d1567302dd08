"""The number rules of carbon.inputs, without a database: one check, in two shapes, and the
same refusal whether a number came as text, as a JSON number or in a spreadsheet column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon.i18n import use_locale
from carbon.inputs.line import LineForm, LineIn
from carbon.inputs.messages import InputError
from carbon.inputs.numbers import QUANTITY, number_issue, number_issues, parse_number, parse_numbers
from carbon.inputs.validate import validated

EDGES = [0.0, 1e12, -0.0, -1e-300, 1e12 * (1 + 1e-15), 1e200, math.inf, -math.inf, 12.5]


@given(st.lists(st.floats(allow_nan=False) | st.sampled_from(EDGES), max_size=30))
def test_the_column_check_agrees_with_the_single_check(values: list[float]) -> None:
    codes = number_issues(np.array(values, dtype=np.float64), QUANTITY)
    single = [(number_issue(v, QUANTITY) or ("", {}))[0] for v in values]
    assert list(codes) == single


@pytest.mark.parametrize(("text", "value"), [
    ("1 234,5", 1234.5), ("1.234,5", 1234.5), ("1e200", 1e200), ("-1", -1.0),
    ("inf", math.inf), ("-Infinity", -math.inf), ("1e400", math.inf), ("beaucoup", None),
])  # fmt: skip
def test_typed_numbers(text: str, value: float | None) -> None:
    assert parse_number(text) == value
    parsed = parse_numbers(pd.Series([text], dtype=object)).iloc[0]
    assert math.isnan(parsed) if value is None else parsed == value


def test_nan_typed_is_a_number_to_refuse_not_an_unreadable_one() -> None:
    assert math.isnan(parse_number("NaN") or 0.0)


@pytest.mark.parametrize("number", [1e200, math.nan, math.inf, -1.0])
def test_form_and_json_models_refuse_with_the_same_words(number: float) -> None:
    json_body = {"activity_id": "groomer-diesel", "unit": "litre", "quantity": number}
    form = {**json_body, "quantity": repr(number)}  # "1e+200", "nan", "inf", "-1.0"
    with use_locale("fr"):
        with pytest.raises(InputError) as by_json:
            validated(LineIn, json_body)
        with pytest.raises(InputError) as by_form:
            validated(LineForm, form)
    assert by_json.value.errors == by_form.value.errors
    assert by_json.value.errors["quantity"].startswith("Quantité\u00a0: ")
