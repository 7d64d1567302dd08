"""Figures that look wrong: a poste far outside the range of the rest of the cohort.

Most wrong footprints are unit slips (kWh typed as MWh, litres as m³, € as k€), which move a
poste by a factor of 1,000. Comparing each poste's intensity per employee with the cohort's
catches them without knowing anything about the company: a value outside Tukey's far fences
[Q1 − 3×IQR, Q3 + 3×IQR], or more than 10 times the median, is flagged for the coach to check.
The flag is a question ("is this right?"), not a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

FENCE_IQR = 3.0
MEDIAN_MULTIPLE = 10.0
# Below four values the quartiles are one or two companies' figures: no fence is drawn.
MIN_VALUES = 4


@dataclass(frozen=True)
class Fences:
    q1: float
    median: float
    q3: float
    n: int

    @property
    def low(self) -> float:
        return self.q1 - FENCE_IQR * (self.q3 - self.q1)

    @property
    def high(self) -> float:
        return self.q3 + FENCE_IQR * (self.q3 - self.q1)

    def is_outlier(self, x: float) -> bool:
        far = self.median > 0 and x > MEDIAN_MULTIPLE * self.median
        return far or x < self.low or x > self.high


def fences(values: Sequence[float] | np.ndarray) -> Fences | None:
    """Quartiles by linear interpolation (numpy's default), or None with too few values."""
    if len(values) < MIN_VALUES:
        return None
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return Fences(float(q1), float(median), float(q3), len(values))


@dataclass(frozen=True)
class Outlier:
    poste: str
    value: float  # the company's intensity (kgCO2e per FTE)
    median: float  # the cohort's median for the poste


def outlier_postes(
    intensities: Mapping[int, Mapping[str, float]],
) -> dict[int, list[Outlier]]:
    """Company id → its postes outside the cohort's fences, from ``{company: {poste: value}}``.

    Only companies that report a poste are compared on it (a zero means "not entered", which the
    completeness column shows), and each poste needs :data:`MIN_VALUES` companies.
    """
    by_poste: dict[str, list[tuple[int, float]]] = {}
    for company_id, postes in intensities.items():
        for poste, value in postes.items():
            if value > 0:
                by_poste.setdefault(poste, []).append((company_id, value))
    found: dict[int, list[Outlier]] = {}
    for poste in sorted(by_poste):
        pairs = by_poste[poste]
        values = np.fromiter((v for _, v in pairs), dtype=float, count=len(pairs))
        f = fences(values)
        if f is None:
            continue
        # Fences.is_outlier on every value at once (a cohort page tests thousands of them).
        far = values > MEDIAN_MULTIPLE * f.median if f.median > 0 else np.zeros(len(pairs), bool)
        for i in np.flatnonzero(far | (values < f.low) | (values > f.high)):
            company_id, value = pairs[i]
            found.setdefault(company_id, []).append(Outlier(poste, value, f.median))
    return found
