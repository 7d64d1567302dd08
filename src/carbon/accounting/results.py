"""What a computation returns: totals by poste, category and scope, with their uncertainty.

Plain data: the web pages, the PDF reports and the ``carbon compute --json`` output all read the
same object, and every figure carries the factor-library version it was computed with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.postes import POSTE_CODES, POSTES


@dataclass(frozen=True)
class ComputationResult:
    library_version: str
    by_poste: dict[str, float]  # kgCO2e, all 22 postes (1.5 included, though not in the total)
    uncertainty_by_poste: dict[str, float]  # absolute, kgCO2e
    total_kgco2e: float  # without biogenic CO2 and poste 1.5
    uncertainty_kgco2e: float  # absolute, lines combined in quadrature
    biogenic_co2_kg: float
    reported_apart_kgco2e: float  # poste 1.5
    scope2_location_kgco2e: float
    scope2_market_kgco2e: float
    unsplit_energy_lines: int  # energy lines whose factor has no combustion/upstream split
    unknown_factor_uncertainty_lines: int  # lines whose factor had no uncertainty in its source
    _line_detail: Callable[[], pd.DataFrame] | None = field(default=None, repr=False)

    @classmethod
    def from_arrays(
        cls,
        *,
        library_version: str,
        by_poste: npt.NDArray[np.float64],
        var_poste: npt.NDArray[np.float64],
        total_var: float,
        biogenic_co2_kg: float,
        scope2_market_delta: float,
        unsplit_energy_lines: int,
        unknown_factor_uncertainty_lines: int,
        line_detail: Callable[[], pd.DataFrame] | None = None,
    ) -> ComputationResult:
        apart = np.array([p.reported_apart for p in POSTES])
        scope2 = float(by_poste[np.array([p.scope == 2 for p in POSTES])].sum())
        return cls(
            library_version=library_version,
            by_poste={c: float(v) for c, v in zip(POSTE_CODES, by_poste, strict=True)},
            uncertainty_by_poste={
                c: float(v) for c, v in zip(POSTE_CODES, np.sqrt(var_poste), strict=True)
            },
            total_kgco2e=float(by_poste[~apart].sum()),
            uncertainty_kgco2e=float(np.sqrt(total_var)),
            biogenic_co2_kg=biogenic_co2_kg,
            reported_apart_kgco2e=float(by_poste[apart].sum()),
            scope2_location_kgco2e=scope2,
            scope2_market_kgco2e=scope2 + scope2_market_delta,
            unsplit_energy_lines=unsplit_energy_lines,
            unknown_factor_uncertainty_lines=unknown_factor_uncertainty_lines,
            _line_detail=line_detail,
        )

    @property
    def by_category(self) -> dict[int, float]:
        out = {c: 0.0 for c in range(1, 7)}
        for p in POSTES:
            if not p.reported_apart:
                out[p.category] += self.by_poste[p.code]
        return out

    @property
    def by_scope(self) -> dict[int, float]:
        """GHG Protocol view, scope 2 location-based (the BEGES default)."""
        out = {1: 0.0, 2: 0.0, 3: 0.0}
        for p in POSTES:
            if not p.reported_apart:
                out[p.scope] += self.by_poste[p.code]
        return out

    @property
    def uncertainty_pct(self) -> float:
        return 100.0 * self.uncertainty_kgco2e / self.total_kgco2e if self.total_kgco2e else 0.0

    def __getstate__(self) -> dict[str, Any]:
        # The line detail is a closure over the engine's arrays (and, once asked for, a frame
        # of every line): a copy, such as the one a PDF worker process gets, has the figures.
        state = {k: v for k, v in self.__dict__.items() if k != "lines"}
        state["_line_detail"] = None
        return state

    @cached_property
    def lines(self) -> pd.DataFrame:
        """Per-line detail (built on demand: for a million lines it is the costly part)."""
        if self._line_detail is None:
            raise ValueError("this result was built without its line detail")
        return self._line_detail()

    def uncertainty_contributors(self, n: int = 5) -> pd.DataFrame:
        """Lines whose uncertainty weighs most in the total's: what to improve next."""
        df = self.lines
        share = np.square(df["uncertainty_kgco2e"]) / max(
            self.uncertainty_kgco2e * self.uncertainty_kgco2e, 1e-300
        )
        return df.assign(variance_share=share).nlargest(n, "variance_share")

    def to_dict(self) -> dict[str, Any]:
        return {
            "total_kgco2e": self.total_kgco2e,
            "uncertainty_kgco2e": self.uncertainty_kgco2e,
            "uncertainty_pct": self.uncertainty_pct,
            "by_poste": self.by_poste,
            "uncertainty_by_poste": self.uncertainty_by_poste,
            "by_category": {str(k): v for k, v in self.by_category.items()},
            "by_scope": {str(k): v for k, v in self.by_scope.items()},
            "scope2_location_kgco2e": self.scope2_location_kgco2e,
            "scope2_market_kgco2e": self.scope2_market_kgco2e,
            "biogenic_co2_kg": self.biogenic_co2_kg,
            "reported_apart_kgco2e": self.reported_apart_kgco2e,
            "unsplit_energy_lines": self.unsplit_energy_lines,
            "unknown_factor_uncertainty_lines": self.unknown_factor_uncertainty_lines,
            "factor_library": self.library_version,
        }
