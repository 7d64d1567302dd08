"""FTE: one definition (the year's figure, else the company's) and one rounding (one decimal,
half up), so that every page, PDF and intensity shows and divides by the same number."""

from __future__ import annotations

import math
import sys

import pytest

from carbon.accounting.headcount import round_fte, year_fte
from carbon.i18n import fmt_fte


@pytest.mark.parametrize(("period", "company", "expected"), [
    (38.84, 40.0, 38.8),  # the year's own figure wins
    (None, 12.25, 12.3),  # else the company's; 12.25 rounds half up (float round() gives 12.2)
    (0.0, 9.0, 9.0),  # zero employees is no denominator: the company's figure stands in
    (math.nan, None, None),
    (None, None, None),
    (-3.0, math.inf, None),
])  # fmt: skip
def test_year_fte(period: float | None, company: float | None, expected: float | None) -> None:
    assert year_fte(period, company) == expected


def test_rounding_is_the_one_the_pages_show() -> None:
    # Every FTE shown goes through fmt_fte, which rounds as round_fte does: what is shown is
    # what intensities divide by.
    for value in (12.25, 0.05, 38.849, 1234.45):
        assert fmt_fte(round_fte(value), "en") == fmt_fte(value, "en")
    assert fmt_fte(12.25, "fr") == "12,3"
    assert fmt_fte(1234.45, "en") == "1,234.5"
    assert fmt_fte(None, "en") == "—"


def test_a_stored_value_beyond_any_headcount_is_kept_as_it_is() -> None:
    # 1e200 (stored before the bounds existed) cannot be quantized to a tenth with Decimal's
    # 28 digits; the pages show it as it is instead of failing.
    assert year_fte(1e200, None) == 1e200
    assert year_fte(sys.float_info.max, None) == sys.float_info.max
