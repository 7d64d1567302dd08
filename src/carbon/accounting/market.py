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

import numpy as np
import numpy.typing as npt

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.notices import LineWarning, warn
from carbon.accounting.reference import ReferenceData
from carbon.i18n import N_

_SAME_GRID_AS = {"MC": "FR"}  # Monaco is supplied by the French grid


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
    todo[todo] = library.arrays.grid_electricity[factor_pos[todo]]
    rows = np.flatnonzero(todo)
    if not len(rows):
        return supplier, []
    f = library.factors
    f_country = f["country"].astype("string").fillna("").to_numpy(dtype=object)
    f_year = f["valid_year"].to_numpy(dtype="float64", na_value=np.nan)
    pos = factor_pos[rows]
    where = np.where(country[rows] != "", country[rows], f_country[pos])
    when = np.where(np.isfinite(year[rows]), year[rows], f_year[pos])
    out = supplier.copy()
    warnings: list[LineWarning] = []
    keys = {(str(c), float(y)) for c, y in zip(where, when, strict=True)}
    for c, y in sorted(keys, key=lambda k: (k[0], np.nan_to_num(k[1]))):
        mine = (where == c) & ((when == y) if np.isfinite(y) else ~np.isfinite(when))
        wanted = int(y) if np.isfinite(y) else None
        found = reference.residual(_SAME_GRID_AS.get(c, c), wanted)
        if found is None:
            warnings += warn(
                line_no[rows[mine]],
                N_("No residual mix for %(country)s: the market-based figure uses the "
                   "location-based factor."),
                country=c or "?",
            )  # fmt: skip
            continue
        mix_year, mix = found
        out[rows[mine]] = mix.kgco2e_per_kwh  # the factor is per kWh (grid_electricity)
        warnings += warn(
            line_no[rows[mine]],
            N_("No supplier contract: market-based scope 2 uses the residual mix of "
               "%(country)s %(year)s (%(value)s kgCO2e/kWh, %(source)s)."),
            country=_SAME_GRID_AS.get(c, c), year=mix_year, value=f"{mix.kgco2e_per_kwh:g}",
            source=mix.source,
        )  # fmt: skip
    return out, warnings
