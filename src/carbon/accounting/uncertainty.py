"""Uncertainty of activity data and its combination (IPCC 2006 vol. 1 ch. 3, Approach 1).

A line's relative uncertainty is sqrt(u_factor² + u_activity²); totals combine absolute
uncertainties in quadrature. The data-quality scale is configurable because programmes disagree
on how harsh to be with estimates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

DEFAULT_QUALITY_PCT: dict[str, float] = {"measured": 5.0, "estimated": 30.0, "extrapolated": 50.0}

# Words people write in the data-quality column of a spreadsheet, in our three languages.
QUALITY_ALIASES: dict[str, str] = {
    "measured": "measured", "measure": "measured", "mesure": "measured", "invoice": "measured",
    "facture": "measured", "meter": "measured", "compteur": "measured", "fattura": "measured",
    "misurato": "measured", "misura": "measured", "contatore": "measured",
    "estimated": "estimated", "estimate": "estimated", "estime": "estimated",
    "estimation": "estimated", "stima": "estimated", "stimato": "estimated",
    "extrapolated": "extrapolated", "extrapolation": "extrapolated", "extrapole": "extrapolated",
    "estrapolato": "extrapolated", "estrapolazione": "extrapolated",
}  # fmt: skip


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip().lower()


@dataclass(frozen=True)
class UncertaintyScale:
    """Relative uncertainty (%) by data quality, plus the defaults used where nothing is given."""

    quality_pct: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_QUALITY_PCT))
    # A line that states no data quality is treated as an estimate, not as a meter reading.
    default_quality: str = "estimated"
    # ADEME leaves "Incertitude" empty for some factors; such lines get this value and are counted.
    unknown_factor_pct: float = 20.0

    def normalise_quality(self, text: object) -> str:
        """Canonical quality of a label (``facture`` -> ``measured``); ValueError if unknown."""
        if text is None or (isinstance(text, float) and np.isnan(text)) or str(text).strip() == "":
            return self.default_quality
        key = _fold(str(text))
        canon = QUALITY_ALIASES.get(key, key)
        if canon not in self.quality_pct:
            known = ", ".join(self.quality_pct)
            raise ValueError(f"unknown data quality {text!r} (expected one of: {known})")
        return canon

    def activity_fraction(self, qualities: pd.Series) -> npt.NDArray[np.float64]:
        """Relative activity uncertainty (fraction) per line, mapping only the distinct labels."""
        codes, uniques = pd.factorize(qualities.astype("string").fillna(""), sort=False)
        per_unique = np.array(
            [self.quality_pct[self.normalise_quality(u)] / 100.0 for u in uniques], dtype="float64"
        )
        return per_unique[codes] if len(uniques) else np.zeros(len(qualities))


def line_relative(u_factor: npt.ArrayLike, u_activity: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Relative uncertainty of a line from its factor's and its activity's (same scale in, out)."""
    return np.sqrt(np.square(u_factor) + np.square(u_activity))


def quadrature(absolute: npt.ArrayLike) -> float:
    """Combined absolute uncertainty of a sum of independent terms."""
    return float(np.sqrt(np.sum(np.square(absolute))))
