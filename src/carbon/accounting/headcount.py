"""Full-time equivalents (FTE): one definition and one rounding for every page, report and
intensity.

A year's FTE is the figure entered on its reporting period; when the period has none, the
company's current figure stands in (a small firm often gives its headcount once). It is kept
to one decimal, rounded half up as people round by hand, and that rounded figure is both the
one shown and the one intensities per FTE divide by: a page never shows "39 FTE" beside a
"per FTE" figure computed with 38.84, nor a PDF "38.8" where the company page says "38".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

FTE_DIGITS = 1


def year_fte(period_fte: float | None, company_fte: float | None) -> float | None:
    """The FTE of a year: the period's figure, else the company's; None when neither is a
    positive finite number (an intensity per zero employees means nothing)."""
    for value in (period_fte, company_fte):
        if value is not None and math.isfinite(value) and value > 0:
            return round_fte(value)
    return None


def round_fte(value: float) -> float:
    """``38.84`` -> ``38.8``; ``12.25`` -> ``12.3`` (half up, from the number as written)."""
    if abs(value) >= 1e15:
        # Beyond any headcount (a stored value out of the input bounds): a tenth means nothing
        # there, and Decimal's 28 digits could not hold the quantized number.
        return value
    step = Decimal(1).scaleb(-FTE_DIGITS)
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))
