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

from carbon.accounting.gases import ALL_GROUPS, DEFAULT_GWP_SET, NOT_BROKEN_DOWN
from carbon.accounting.notices import LineWarning
from carbon.accounting.postes import POSTE_CODES, POSTES, UPSTREAM_ENERGY_POSTE
from carbon.accounting.spend import TOP_SPEND_LINES, rank_spend_lines
from carbon.accounting.uncertainty import UNCERTAINTY_METHOD, rank_sources


@dataclass(frozen=True)
class ComputationResult:
    library_version: str
    by_poste: dict[str, float]  # kgCO2e, all 22 postes
    uncertainty_by_poste: dict[str, float]  # absolute, kgCO2e
    total_kgco2e: float  # every poste (1.5 included), without biogenic CO2
    uncertainty_kgco2e: float  # absolute, per emission source (methodology.md § 9)
    biogenic_co2_kg: float
    reported_apart_kgco2e: float  # postes kept out of the total: none since 1.5 counts (0.0)
    scope2_location_kgco2e: float
    scope2_market_kgco2e: float
    unsplit_energy_lines: int  # energy lines whose factor has no combustion/upstream split
    unknown_factor_uncertainty_lines: int  # lines whose factor had no uncertainty in its source
    uncertainty_method: str = UNCERTAINTY_METHOD
    _line_detail: Callable[[], pd.DataFrame] | None = field(default=None, repr=False)
    # What the method did to some lines that the user must know (carbon.accounting.notices)
    warnings: tuple[LineWarning, ...] = ()
    warnings_omitted: int = 0  # beyond notices.MAX_WARNINGS
    # kgCO2e per poste and gas group (gases.ALL_GROUPS, "not_broken_down" last); § 10
    by_poste_gas: dict[str, dict[str, float]] = field(default_factory=dict)
    gwp_set: str = DEFAULT_GWP_SET  # the GWPs every CO2e figure rests on
    gwp_kept_ar5_lines: int = 0  # under AR6: lines whose factor could not be restated
    gwp_kept_ar5_factors: tuple[str, ...] = ()  # and those factors

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
        warnings: tuple[LineWarning, ...] = (),
        warnings_omitted: int = 0,
        by_gas_poste: npt.NDArray[np.float64] | None = None,
        gwp_set: str = DEFAULT_GWP_SET,
        gwp_kept_ar5_lines: int = 0,
        gwp_kept_ar5_factors: tuple[str, ...] = (),
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
            warnings=warnings,
            warnings_omitted=warnings_omitted,
            by_poste_gas={}
            if by_gas_poste is None
            else {
                c: {g: float(v) for g, v in zip(ALL_GROUPS, row, strict=True)}
                for c, row in zip(POSTE_CODES, by_gas_poste, strict=True)
            },
            gwp_set=gwp_set,
            gwp_kept_ar5_lines=gwp_kept_ar5_lines,
            gwp_kept_ar5_factors=gwp_kept_ar5_factors,
        )

    @property
    def by_gas(self) -> dict[str, float]:
        """kgCO2e of the total per gas group; ``not_broken_down`` where no breakdown is known.
        They add up to the total."""
        out = dict.fromkeys(ALL_GROUPS, 0.0)
        for p in POSTES:
            if not p.reported_apart:
                row = self.by_poste_gas.get(p.code)
                if row is None:  # a result built without the breakdown
                    out[NOT_BROKEN_DOWN] += self.by_poste[p.code]
                    continue
                for g, v in row.items():
                    out[g] += v
        return out

    @property
    def by_category(self) -> dict[int, float]:
        out = {c: 0.0 for c in range(1, 7)}
        for p in POSTES:
            if not p.reported_apart:
                out[p.category] += self.by_poste[p.code]
        return out

    def scope3_by_category(self) -> dict[int | None, float]:
        """Scope 3 by GHG Protocol category (kg), from the line detail: see
        :func:`scope3_split`."""
        detail = self.lines
        upstream = float(detail["kgco2e_upstream_4_1"].sum()) if len(detail) else 0.0
        return scope3_split(self.by_poste, upstream)

    @property
    def by_scope(self) -> dict[int, float]:
        """GHG Protocol view, scope 2 location-based (the BEGES default)."""
        out = {1: 0.0, 2: 0.0, 3: 0.0}
        for p in POSTES:
            if not p.reported_apart:
                out[p.scope] += self.by_poste[p.code]
        return out

    def _group_uncertainty(self, key: str) -> dict[int, float]:
        # A source sits in one poste (its upstream part in 4.1, another category and scope), so a
        # group's variance is the sum of its postes'.
        var: dict[int, float] = {}
        for p in POSTES:
            if not p.reported_apart:
                k = getattr(p, key)
                var[k] = var.get(k, 0.0) + self.uncertainty_by_poste[p.code] ** 2
        return {k: float(np.sqrt(v)) for k, v in sorted(var.items())}

    @property
    def uncertainty_by_category(self) -> dict[int, float]:
        """Absolute uncertainty (kgCO2e) of each BEGES category."""
        return self._group_uncertainty("category")

    @property
    def uncertainty_by_scope(self) -> dict[int, float]:
        """Absolute uncertainty (kgCO2e) of each scope, scope 2 location-based."""
        return self._group_uncertainty("scope")

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
        """Emission sources whose uncertainty weighs most in the total's: what to improve next.

        One row per source (see :func:`carbon.accounting.uncertainty.rank_sources`), largest share
        of the total's variance first; ``line`` is the source's largest line.
        """
        return rank_sources(self.lines, self.uncertainty_kgco2e, n)

    def spend_to_replace(self, n: int = TOP_SPEND_LINES) -> pd.DataFrame:
        """The spend lines (monetary ratios) to replace with physical data first, with their
        shares of the total and of its uncertainty (:func:`.spend.rank_spend_lines`)."""
        return rank_spend_lines(self.lines, self.total_kgco2e, self.uncertainty_kgco2e, n)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total_kgco2e": self.total_kgco2e,
            "uncertainty_kgco2e": self.uncertainty_kgco2e,
            "uncertainty_pct": self.uncertainty_pct,
            "by_poste": self.by_poste,
            "uncertainty_method": self.uncertainty_method,
            "uncertainty_by_poste": self.uncertainty_by_poste,
            "by_category": {str(k): v for k, v in self.by_category.items()},
            "uncertainty_by_category": {str(k): v for k, v in self.uncertainty_by_category.items()},
            "by_scope": {str(k): v for k, v in self.by_scope.items()},
            "uncertainty_by_scope": {str(k): v for k, v in self.uncertainty_by_scope.items()},
            "scope2_location_kgco2e": self.scope2_location_kgco2e,
            "scope2_market_kgco2e": self.scope2_market_kgco2e,
            "biogenic_co2_kg": self.biogenic_co2_kg,
            "reported_apart_kgco2e": self.reported_apart_kgco2e,
            "unsplit_energy_lines": self.unsplit_energy_lines,
            "unknown_factor_uncertainty_lines": self.unknown_factor_uncertainty_lines,
            "factor_library": self.library_version,
            "gwp_set": self.gwp_set,
            "by_gas": self.by_gas,
            "by_poste_gas": self.by_poste_gas,
            "gwp_kept_ar5_lines": self.gwp_kept_ar5_lines,
            "gwp_kept_ar5_factors": list(self.gwp_kept_ar5_factors),
            "warnings": [w.to_dict() for w in self.warnings],
            "warnings_omitted": self.warnings_omitted,
        }


def scope3_split(by_poste: dict[str, float], upstream_kg: float) -> dict[int | None, float]:
    """Scope 3 by GHG Protocol category (kg); None is poste 3.4, which has none.

    Poste 4.1 holds both purchases (category 1) and the upstream part of energy moved there
    (category 3, "fuel- and energy-related activities"), ``upstream_kg`` of it. One split for
    the PDF's scope view and the ESRS E1-6 table alike.
    """
    out: dict[int | None, float] = {}
    for p in POSTES:
        if p.scope != 3 or p.reported_apart:
            continue
        kg = by_poste[p.code]
        if p.code == UPSTREAM_ENERGY_POSTE:
            out[3] = out.get(3, 0.0) + upstream_kg
            kg -= upstream_kg
        out[p.scope3_category] = out.get(p.scope3_category, 0.0) + kg
    return dict(sorted(out.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))
