"""Scope 2 market-based: a contract's factor where there is one, else the residual mix.

The GHG Protocol Scope 2 Guidance (2015, ch. 6, table 6.2) ranks market-based factors: energy
attribute certificates and contracts, supplier-specific factors, then the residual mix, the
grid's mix once the certified attributes are taken out. Using the plain grid mix instead counts the
renewable attributes sold to others twice. So an electricity line from the grid without a
supplier-specific factor gets, for its market-based figure, the AIB European Residual Mix of its
country and year (methodology §5); without a residual mix for its country the location-based
factor stays and a warning says so. A published zero is never used (it is not bundled).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.notices import LineWarning, warn
from carbon.accounting.reference import ReferenceData
from carbon.accounting.units import UnitError, conversion_factor
from carbon.i18n import N_

_SAME_GRID_AS = {"MC": "FR"}  # Monaco is supplied by the French grid


def _fold(text: object) -> str:
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()


def grid_electricity(
    library: FactorLibrary, positions: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Which of the factors at ``positions`` are electricity taken from the grid (per kWh)."""
    f = library.factors.iloc[positions]
    # Fold each distinct category once: a large export has thousands of factors but few paths.
    codes, paths = pd.factorize(f["category_path"].fillna(""))
    folded = [_fold(p) for p in paths]
    grid_path = np.array(
        [p.startswith("electricit") and ("reseau" in p or "mix" in p) for p in folded] + [False]
    )
    is_grid = grid_path[codes]
    units = f["unit"].to_numpy(dtype=object)
    for i in np.flatnonzero(is_grid):
        try:
            is_grid[i] = conversion_factor(str(units[i]), "kWh") == 1.0
        except UnitError:
            is_grid[i] = False
    return is_grid


def residual_mix_factors(
    library: FactorLibrary,
    factor_pos: npt.NDArray[np.intp],
    in_scope2: npt.NDArray[np.bool_],
    supplier: npt.NDArray[np.float64],
    country: npt.NDArray[np.object_],
    year: npt.NDArray[np.float64],
    line_no: npt.NDArray[np.int64],
    reference: ReferenceData,
) -> tuple[npt.NDArray[np.float64], list[LineWarning]]:
    """``supplier`` with the residual mix filled in for grid lines without a contract."""
    todo = in_scope2 & ~np.isfinite(supplier) & (factor_pos >= 0)
    if not todo.any():
        return supplier, []
    distinct = np.unique(factor_pos[todo])
    grid = np.zeros(len(library), dtype=bool)
    grid[distinct] = grid_electricity(library, distinct)
    todo &= grid[np.maximum(factor_pos, 0)]
    if not todo.any():
        return supplier, []
    f = library.factors
    f_country = f["country"].astype("string").fillna("").to_numpy(dtype=object)
    f_year = f["valid_year"].to_numpy(dtype="float64", na_value=np.nan)
    where = np.where(country != "", country, f_country[np.maximum(factor_pos, 0)])
    when = np.where(np.isfinite(year), year, f_year[np.maximum(factor_pos, 0)])
    out = supplier.copy()
    warnings: list[LineWarning] = []
    keys = {(str(c), float(y)) for c, y in zip(where[todo], when[todo], strict=True)}
    for c, y in sorted(keys, key=lambda k: (k[0], np.nan_to_num(k[1]))):
        mask = todo & (where == c) & ((when == y) if np.isfinite(y) else ~np.isfinite(when))
        wanted = int(y) if np.isfinite(y) else None
        found = reference.residual(_SAME_GRID_AS.get(c, c), wanted)
        if found is None:
            warnings += warn(
                line_no[mask],
                N_(
                    "No residual mix for %(country)s: the market-based figure uses the "
                    "location-based factor."
                ),
                country=c or "?",
            )
            continue
        mix_year, mix = found
        out[mask] = mix.kgco2e_per_kwh  # the factor is per kWh (grid_electricity checks it)
        warnings += warn(
            line_no[mask],
            N_("No supplier contract: market-based scope 2 uses the residual mix of "
               "%(country)s %(year)s (%(value)s kgCO2e/kWh, %(source)s)."),
            country=_SAME_GRID_AS.get(c, c), year=mix_year, value=f"{mix.kgco2e_per_kwh:g}",
            source=mix.source,
        )  # fmt: skip
    return out, warnings
