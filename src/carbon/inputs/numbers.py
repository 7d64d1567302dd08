"""The range of every number a person gives carbon, and the one check that enforces it.

A quantity of ``1e200`` or ``NaN`` is never a real activity: it is a typing error or an attack,
and once stored it broke every page that formats it (issue 15). Each kind of number a user can
enter has a :class:`Bound` here, named, with the reason for its limits; the form, the JSON API
and the spreadsheet import all check through :func:`number_issue` (or its column form
:func:`number_issues`), so the three refuse the same values with the same message.

The bounds are far beyond any real mountain firm and far below what a float's arithmetic or
babel's formatting chokes on: 1e200 litres of diesel once made every page of a cohort answer 500.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.imports.tabular import parse_decimal

# Identifiers are 32-bit integers in PostgreSQL: a larger one is simply not found.
MAX_ID: Final = 2**31 - 1

# More than any small firm's year in any unit (10¹² kWh is a large country's electricity): a
# typing error. The spreadsheet import has refused larger quantities since it was written.
MAX_QUANTITY: Final = 1e12
# kgCO2e per unit: the largest ADEME factors (per tonne of rare materials, per k€) stay far below.
MAX_FACTOR_KGCO2E: Final = 1e6
# Full-time equivalents of a small or medium firm; a thousand times the programmes' largest.
MAX_FTE: Final = 1e6
# Turnover in k€ (10⁹ k€ = 1,000 billion euros).
MAX_TURNOVER_KEUR: Final = 1e9
# An action's cost in euros: a thousand times what the programmes' firms invest in a year.
MAX_COST_EUR: Final = 1e9
# Tonnes CO2e avoided by one action (a year, or so far): above any member's whole footprint.
MAX_AVOIDED_TCO2E: Final = 1e6
# Characters of free text kept with a line (evidence_ref is a VARCHAR(500)).
MAX_COMMENT: Final = 2000
MAX_EVIDENCE_REF: Final = 500


@dataclass(frozen=True, slots=True)
class Bound:
    """The closed range ``[low, high]`` a finite number must fall in."""

    low: float
    high: float


QUANTITY: Final = Bound(0.0, MAX_QUANTITY)
FACTOR_KGCO2E: Final = Bound(0.0, MAX_FACTOR_KGCO2E)
FTE: Final = Bound(0.0, MAX_FTE)
TURNOVER_KEUR: Final = Bound(0.0, MAX_TURNOVER_KEUR)
PERCENT: Final = Bound(0.0, 100.0)
COST_EUR: Final = Bound(0.0, MAX_COST_EUR)
AVOIDED_TCO2E: Final = Bound(0.0, MAX_AVOIDED_TCO2E)


def number_issue(value: float, bound: Bound) -> tuple[str, dict[str, float]] | None:
    """The message code (and its parameters) that refuses ``value``, or None when it is fine."""
    if not math.isfinite(value):
        return "number_not_finite", {}
    if value < bound.low:
        return (
            ("number_negative", {}) if bound.low == 0 else ("number_too_small", {"min": bound.low})
        )
    if value > bound.high:
        return "number_too_large", {"max": bound.high}
    return None


def number_issues(values: npt.ArrayLike, bound: Bound) -> npt.NDArray[np.object_]:
    """:func:`number_issue`'s code for each value of a column ("" when fine; NaN is not
    checked here: a column's empty or unreadable cells are reported by its reader)."""
    v = np.asarray(values, dtype=np.float64)
    codes = np.full(v.shape, "", dtype=object)
    codes[np.isinf(v)] = "number_not_finite"
    with np.errstate(invalid="ignore"):
        codes[np.isfinite(v) & (v < bound.low)] = (
            "number_negative" if bound.low == 0 else "number_too_small"
        )
        codes[np.isfinite(v) & (v > bound.high)] = "number_too_large"
    return codes


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers as people type them (``1 234,5``, ``1.234,5``, ``1e6``); NaN where a cell is not
    a number. ``NaN``, ``inf`` and ``Infinity`` are read as what they say, so that the bound
    check refuses them as not finite instead of as unreadable, with the same message whichever
    way they came in (form, JSON, spreadsheet)."""
    parsed = parse_decimal(values)
    unread = parsed.isna() & values.notna()
    if unread.any():
        parsed[unread] = values[unread].map(_python_float)
    return parsed


def parse_number(text: str) -> float | None:
    """:func:`parse_numbers` for one text; None when it is not a number."""
    value = parse_numbers(pd.Series([text], dtype=object)).iloc[0]
    return None if pd.isna(value) and not _names_nan(text) else float(value)


def _python_float(text: object) -> float:
    try:
        return float(str(text).strip())
    except ValueError:
        return math.nan


NAN_WORDS: Final = frozenset({"nan", "+nan", "-nan"})


def names_nan(values: pd.Series) -> npt.NDArray[np.bool_]:
    """Cells that write NaN itself (which :func:`parse_numbers` cannot tell from unreadable)."""
    return values.astype("string").fillna("").str.strip().str.lower().isin(NAN_WORDS).to_numpy()


def _names_nan(text: str) -> bool:
    return str(text).strip().lower() in NAN_WORDS
