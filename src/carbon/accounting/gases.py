"""Greenhouse gases: a factor's breakdown by gas, the gas groups results show, and GWP sets.

Why this exists: a factor is a total in kgCO2e, but the ADEME export also gives its split by gas
(columns CO2f, CH4f, CH4b, N2O, five coded supplementary gases and "Autres GES"), in kgCO2e of
each gas per activity unit, computed with the base's GWPs (AR5). Keeping that split lets results
be shown by gas (BEGES table) and restated with another GWP set (AR6) from the gas masses it
implies. A library's breakdown is a long frame (``GAS_COLUMNS``): one row per factor, part and
gas, ``part`` "" for the whole factor or the name of one of its sub-posts. Rules and sources:
docs/methodology.md § 10.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

GAS_COLUMNS: dict[str, str] = {
    "factor_id": "string",
    "part": "string",  # "" = the whole factor; else the name of one of its sub-posts
    "gas": "string",  # canonical code (CO2f, CH4f, CH4b, N2O, HFC-134a…), "other" if unnamed
    "kgco2e": "float64",  # kgCO2e of that gas per activity unit, AR5 (as the source gives it)
}

# What results show: the four gases ADEME gives columns for, then every other gas together.
GROUPS: tuple[str, ...] = ("co2_fossil", "ch4_fossil", "ch4_biogenic", "n2o", "other")
NOT_BROKEN_DOWN = "not_broken_down"
ALL_GROUPS: tuple[str, ...] = (*GROUPS, NOT_BROKEN_DOWN)
_GROUP_OF: dict[str, int] = {"CO2f": 0, "CH4f": 1, "CH4b": 2, "N2O": 3}
OTHER_GAS = "other"  # ADEME's "Autres GES": no gas named, so it cannot be restated
OTHER_GROUP = len(GROUPS) - 1

# A breakdown is used when its gases add up to the part's total within this share: sources round
# the parts (ADEME to about three significant figures; the bundled R-blends' totals to whole
# kilograms). Within it the parts are scaled to the total; beyond it the part is "not broken
# down" (methodology § 10).
BREAKDOWN_TOLERANCE = 0.01

GWP_SETS: tuple[str, ...] = ("AR5", "AR6")
DEFAULT_GWP_SET = "AR5"


def empty_gases() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in GAS_COLUMNS.items()})


def normalise_gwp_set(text: str) -> str:
    """``ar6`` -> ``AR6``; anything else than the known sets is a ValueError."""
    value = str(text).strip().upper()
    if value not in GWP_SETS:
        raise ValueError(f"unknown GWP set {text!r}: use {' or '.join(GWP_SETS)}")
    return value


_ALIASES = {"CO2": "CO2f", "CO2F": "CO2f", "CH4F": "CH4f", "CH4B": "CH4b", "N2O": "N2O"}


def canonical_gas(code: str) -> str:
    """A gas code as gwp.csv names it: ``R134a``, ``HFC134a``, ``hfc-134a`` -> ``HFC-134a``;
    ``SF6``; an unknown code is returned stripped, as written."""
    text = str(code).strip()
    key = re.sub(r"[\s_-]", "", text).upper()
    if key in _ALIASES:
        return _ALIASES[key]
    if key in ("SF6", "NF3"):
        return key
    m = re.fullmatch(r"HFC(\d+[A-Z]*)", key) or re.fullmatch(r"R(32|125|134A|143A|152A|23)", key)
    if m:
        number = m.group(1)
        digits = number.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return "HFC-" + digits + number[len(digits) :].lower()
    return text


def group_index(gas: pd.Series) -> npt.NDArray[np.intp]:
    """Each gas row's group (index into GROUPS)."""
    return np.asarray(gas.map(_GROUP_OF).fillna(OTHER_GROUP), dtype=np.intp)


@dataclass(frozen=True)
class GwpTable:
    """100-year GWPs per gas code under each set (emission_factors/gwp.csv)."""

    values: Mapping[str, tuple[float, float]]  # gas -> (AR5, AR6)

    def ratio(self, gas: str, gwp_set: str) -> float | None:
        """Multiplier from the AR5 kgCO2e the sources give to ``gwp_set``; None if unknown."""
        pair = self.values.get(gas)
        if pair is None:
            return None
        return pair[GWP_SETS.index(gwp_set)] / pair[0]

    def key(self) -> tuple[tuple[str, float, float], ...]:
        return tuple(sorted((g, a, b) for g, (a, b) in self.values.items()))


@dataclass(frozen=True)
class PartSums:
    """Per part (factor or sub-post): kgCO2e per gas group, and whether the breakdown is used."""

    by_group: npt.NDArray[np.float64]  # (parts, groups), scaled to the part's total when complete
    complete: npt.NDArray[np.bool_]


def part_sums(
    gases: pd.DataFrame, factor_ids: pd.Series, parts: pd.Series, totals: npt.NDArray[np.float64]
) -> PartSums:
    """The breakdown of each part ``(factor_ids[i], parts[i])`` of total ``totals[i]``."""
    n = len(factor_ids)
    raw = np.zeros((n, len(GROUPS)))
    complete = np.zeros(n, dtype=bool)
    if not len(gases) or not n:
        return PartSums(raw, complete)
    keys = pd.MultiIndex.from_arrays(
        [factor_ids.astype("string").to_numpy(dtype=object), parts.astype("string").fillna("")
         .to_numpy(dtype=object)]
    )  # fmt: skip
    gkeys = pd.MultiIndex.from_arrays(
        [gases["factor_id"].to_numpy(dtype=object), gases["part"].fillna("").to_numpy(dtype=object)]
    )
    row = keys.get_indexer(gkeys)
    found = row >= 0
    values = gases["kgco2e"].to_numpy(dtype="float64")
    np.add.at(raw, (row[found], group_index(gases["gas"])[found]), values[found])
    has = np.zeros(n, dtype=bool)
    has[row[found]] = True
    total_of_gases = raw.sum(axis=1)
    gap = np.abs(total_of_gases - totals)
    # A part of zero needs no gases to be fully broken down (nothing to split).
    complete = (has | (totals == 0)) & np.isfinite(totals)
    complete &= gap <= BREAKDOWN_TOLERANCE * np.abs(totals) + 1e-12
    scale = np.divide(totals, total_of_gases, out=np.zeros(n), where=total_of_gases != 0)
    by_group = np.where(complete[:, None], raw * scale[:, None], 0.0)
    return PartSums(by_group, complete)


@dataclass(frozen=True)
class GasArrays:
    """Per factor, kgCO2e per unit of each gas group (0 where not broken down), for the engine.

    ``whole`` is the factor's breakdown (a line outside the energy postes); ``kept`` the part an
    energy line keeps in its poste (the combustion sub-posts of a split factor, the whole of an
    unsplit one); ``moved`` the parts it sends elsewhere, by destination poste code. A split
    factor whose sub-posts are not all broken down has nothing in ``kept`` and ``moved``.
    """

    whole: npt.NDArray[np.float64]  # (factors, groups)
    kept: npt.NDArray[np.float64]
    moved: Mapping[str, npt.NDArray[np.float64]]
    has_breakdown: npt.NDArray[np.bool_]  # the whole factor is broken down


def gas_arrays(
    factors: pd.DataFrame,
    subposts: pd.DataFrame,
    gases: pd.DataFrame,
    destination: Mapping[str, str],
) -> GasArrays | None:
    """The library's gas matrices, or None when it gives no breakdown at all.

    ``destination`` maps a non-combustion sub-post kind to the poste it goes to from an energy
    line (accounting/subposts.py).
    """
    if not len(gases):
        return None
    ids = factors["factor_id"]
    totals = factors["total_kgco2e"].to_numpy(dtype="float64", na_value=np.nan)
    whole = part_sums(gases, ids, pd.Series([""] * len(ids), dtype="string"), totals)
    n = len(ids)
    kept = whole.by_group.copy()
    moved: dict[str, npt.NDArray[np.float64]] = {}
    if len(subposts):
        sp = part_sums(
            gases, subposts["factor_id"], subposts["name"],
            subposts["kgco2e"].to_numpy(dtype="float64"),
        )  # fmt: skip
        pos = pd.Index(ids.astype("string").to_numpy(dtype=object)).get_indexer(
            subposts["factor_id"].to_numpy(dtype=object)
        )
        ok = pos >= 0
        split = np.zeros(n, dtype=bool)
        split[pos[ok]] = True
        all_done = np.ones(n, dtype=bool)
        np.logical_and.at(all_done, pos[ok], sp.complete[ok])
        usable = split & all_done
        kept[split] = 0.0
        kinds = subposts["kind"].astype("string").fillna("").to_numpy(dtype=object)
        dest = np.array(
            ["" if k == "combustion" else destination.get(str(k), destination["other"])
             for k in kinds], dtype=object,
        )  # fmt: skip
        take = ok & usable[np.maximum(pos, 0)]
        for poste in sorted(set(dest[take])):
            sel = take & (dest == poste)
            target = kept if poste == "" else moved.setdefault(poste, np.zeros((n, len(GROUPS))))
            np.add.at(target, pos[sel], sp.by_group[sel])
    return GasArrays(whole=whole.by_group, kept=kept, moved=moved, has_breakdown=whole.complete)


def by_poste_and_gas(
    gas: GasArrays | None,
    per_factor: npt.NDArray[np.float64] | None,
    factors: npt.NDArray[np.intp] | None,
    by_poste: npt.NDArray[np.float64],
    energy: npt.NDArray[np.bool_],
    poste_index: Mapping[str, int],
) -> npt.NDArray[np.float64]:
    """kgCO2e per poste and gas group (ALL_GROUPS: the last column is what no breakdown covers).

    ``per_factor`` is the summed quantity per (poste, factor) that the engine's uncertainty
    grouping already made, so the lines are not read again: two small matrix products with the
    per-factor gas matrices, then the parts energy lines move out of their poste (§ 10). Its
    columns are the library's factors, or those listed in ``factors``. ``energy`` flags the
    energy postes, ``poste_index`` maps a poste code to its row.
    """
    out = np.zeros((len(by_poste), len(ALL_GROUPS)))
    if gas is not None and per_factor is not None:

        def rows(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            return matrix if factors is None else matrix[factors]

        # (gases × factors) @ (factors × postes): BLAS's best layout for these shapes.
        out[:, :-1] = np.where(
            energy[:, None],
            (rows(gas.kept).T @ per_factor.T).T,
            (rows(gas.whole).T @ per_factor.T).T,
        )
        if gas.moved:
            energy_qty = per_factor[energy].sum(axis=0)
            for poste, matrix in gas.moved.items():
                out[poste_index[poste], :-1] += energy_qty @ rows(matrix)
    rest = by_poste - out[:, :-1].sum(axis=1)
    # Float rounding of two ways of summing the same lines is far below 1e-10 of the poste:
    # a remainder that small is not an emission "not broken down" (and none smaller is lost
    # than 1 kg in 10,000 t).
    rest[np.abs(rest) <= 1e-10 * np.maximum(np.abs(by_poste), 1.0)] = 0.0
    out[:, -1] = rest
    return out
