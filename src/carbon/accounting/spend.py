"""Spend lines to replace first: the monetary-ratio lines ranked by what they weigh.

A first footprint from the books (FEC, FatturaPA) or from spends typed in k€ rests on monetary
ratios (kgCO2e per k€ HT), the least precise factors there are. ADEME's method (Bilan Carbone /
BEGES guide: improve first the data that weigh most) and the GHG Protocol's uncertainty guidance
(Corporate Standard ch. 7; Scope 3 Standard ch. 7, replacing spend-based data with
supplier-specific or average physical data where the category is significant) ask to replace first
the spend data that weigh most, both in the total and in its uncertainty (methodology.md § 17).

:func:`rank_spend_lines` takes the engine's line detail and returns the spend lines (those whose
factor is per currency unit) with two shares:

- of the total: the line's kgCO2e over the total's;
- of the uncertainty: the line's part of the total's variance. Lines of one factor, poste and data
  quality are one emission source whose absolute uncertainty is ``u × |S|`` (``S`` its summed
  kgCO2e, uncertainty.combine_per_source), so the source's variance is ``u² × S²``. It is shared
  among its lines in proportion to their emissions (Euler allocation: ``x_i × ∂V/∂x_i / 2 =
  u² × S × x_i``, which sums to ``u² × S²`` over the source), then divided by the total's variance.

Lines are ranked by their share of the total, then by their share of the uncertainty. Pure:
no database, no web; the hint of what would replace a line is the caller's (a mapping rule's
``physical_hint``, a poste's).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from carbon.accounting.postes import POSTES
from carbon.accounting.uncertainty import SOURCE_COLUMNS
from carbon.accounting.units import is_money

TOP_SPEND_LINES: Final = 10
SPEND_COLUMNS: Final = (
    "line", "poste", "factor_id", "data_quality", "factor_unit", "kgco2e", "uncertainty_pct",
    "share_total_pct", "share_uncertainty_pct",
)  # fmt: skip


def spend_mask(lines: pd.DataFrame) -> pd.Series:
    """True for the lines whose factor is per currency unit (k€ HT, €): one check per unit."""
    units = lines["factor_unit"].astype(str)
    money = {u: is_money(u) for u in units.unique()}
    return units.map(money).astype(bool)


def rank_spend_lines(
    lines: pd.DataFrame, total_kgco2e: float, total_uncertainty_kgco2e: float,
    n: int = TOP_SPEND_LINES,
) -> pd.DataFrame:  # fmt: skip
    """The ``n`` spend lines to replace first, with :data:`SPEND_COLUMNS`; empty without any.

    ``lines`` is :attr:`ComputationResult.lines` (``line``, :data:`SOURCE_COLUMNS`,
    ``factor_unit``, ``kgco2e``, ``uncertainty_pct``); the totals are the result's (kgCO2e, and
    its absolute uncertainty). Postes reported apart are in neither total, so not ranked.
    """
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in SPEND_COLUMNS})
    if lines.empty:
        return empty
    apart = [p.code for p in POSTES if p.reported_apart]
    df = lines.loc[~lines["poste"].isin(apart)]
    df = df.loc[spend_mask(df)]
    if df.empty:
        return empty
    df = df[["line", *SOURCE_COLUMNS, "factor_unit", "kgco2e", "uncertainty_pct"]].copy()
    keys = list(SOURCE_COLUMNS)
    source_kg = df.groupby(keys, sort=False, dropna=False)["kgco2e"].transform("sum")
    u = df["uncertainty_pct"].to_numpy(dtype="float64") / 100.0
    variance = u * u * np.abs(source_kg.to_numpy()) * np.abs(df["kgco2e"].to_numpy())
    total_var = total_uncertainty_kgco2e**2
    df["share_total_pct"] = 100.0 * df["kgco2e"] / total_kgco2e if total_kgco2e else 0.0
    df["share_uncertainty_pct"] = 100.0 * variance / total_var if total_var > 0 else 0.0
    df = df.sort_values(
        ["share_total_pct", "share_uncertainty_pct", "line"],
        ascending=[False, False, True],
        kind="stable",
    )
    return df.head(n)[list(SPEND_COLUMNS)].reset_index(drop=True)
