"""Restating a factor library under another GWP set (AR6) from its breakdown by gas.

The sources give CO2e with the IPCC AR5 GWPs (ADEME's base, the bundled refrigerants). A factor
whose gases are all known can be restated: each gas's kgCO2e is its mass times its AR5 GWP, so
its AR6 kgCO2e is that value times AR6/AR5, and the factor's total (and each sub-post's) is the
sum of its restated gases. A factor without a usable breakdown, or with a gas that has no AR6
value (ADEME's unnamed "Autres GES", a code gwp.csv lacks), stays at AR5 and is listed in
``kept_ar5``, which results count and name (docs/methodology.md § 10). The engine then computes
the restated library like any other, so the GWP choice costs nothing on the hot path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon.accounting.factors import FACTOR_COLUMNS, SUBPOST_COLUMNS, FactorLibrary
from carbon.accounting.gases import (
    DEFAULT_GWP_SET,
    GAS_COLUMNS,
    GwpTable,
    normalise_gwp_set,
    part_sums,
)


def restatable(library: FactorLibrary, table: GwpTable, gwp_set: str) -> pd.Series:
    """Per factor (aligned with ``library.factors``): True when it can be restated."""
    f, sp, g = library.factors, library.subposts, library.gases
    ids = f["factor_id"]
    if not len(g):
        return pd.Series(False, index=f.index)
    totals = f["total_kgco2e"].to_numpy(dtype="float64", na_value=np.nan)
    whole = part_sums(g, ids, pd.Series([""] * len(ids), dtype="string"), totals).complete
    known = g["gas"].map(lambda gas: table.ratio(str(gas), gwp_set) is not None).astype(bool)
    unknown_ids = set(g.loc[~known, "factor_id"])
    ok = whole & ~ids.isin(list(unknown_ids)).to_numpy()
    if len(sp):
        done = part_sums(g, sp["factor_id"], sp["name"], sp["kgco2e"].to_numpy(dtype="float64"))
        bad_split = set(sp.loc[~done.complete, "factor_id"])
        ok &= ~ids.isin(list(bad_split)).to_numpy()
    return pd.Series(ok, index=f.index)


def restate(library: FactorLibrary, table: GwpTable, gwp_set: str) -> FactorLibrary:
    """``library`` with CO2e values under ``gwp_set`` (itself for AR5); kept per library."""
    gwp_set = normalise_gwp_set(gwp_set)
    if gwp_set == library.gwp_set or gwp_set == DEFAULT_GWP_SET:
        return library
    key = (gwp_set, table.key())
    kept = library._restated.get(key)
    if kept is None:
        kept = _restate(library, table, gwp_set)
        library._restated[key] = kept
    return kept


def _restate(library: FactorLibrary, table: GwpTable, gwp_set: str) -> FactorLibrary:
    f = library.factors.copy()
    ok = restatable(library, table, gwp_set).to_numpy()
    done_ids = set(f.loc[ok, "factor_id"])
    g = library.gases.copy()
    mine = g["factor_id"].isin(list(done_ids)).to_numpy()
    ratio = g["gas"].map(lambda gas: table.ratio(str(gas), gwp_set) or 1.0).to_numpy(dtype=float)
    g["kgco2e"] = np.where(mine, g["kgco2e"].to_numpy(dtype=float) * ratio, g["kgco2e"])
    sums = g.loc[mine].groupby(["factor_id", "part"])["kgco2e"].sum()
    # A restated part with no gas rows is a part of zero (gases.part_sums): 0 stays 0.
    whole = f["factor_id"].map(lambda fid: sums.get((fid, ""), 0.0))
    f["total_kgco2e"] = np.where(ok, whole.to_numpy(dtype=float), f["total_kgco2e"])
    sp = library.subposts.copy()
    if len(sp):
        new = [
            sums.get((fid, name), 0.0)
            for fid, name in zip(sp["factor_id"], sp["name"], strict=True)
        ]
        done = sp["factor_id"].isin(list(done_ids)).to_numpy()
        sp["kgco2e"] = np.where(done, np.asarray(new, dtype=float), sp["kgco2e"])
    return FactorLibrary(
        version=library.version,
        factors=f.astype(FACTOR_COLUMNS),
        subposts=sp.astype(SUBPOST_COLUMNS),
        gases=g.astype(GAS_COLUMNS),
        gwp_set=gwp_set,
        kept_ar5=frozenset(str(i) for i in f.loc[~ok, "factor_id"]),
    )
