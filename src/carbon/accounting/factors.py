"""The shape of an emission-factor library, as the engine consumes it.

A library is two pandas frames: one row per factor and one row per sub-post. Loaders (the bundled
CSV library, the ADEME export importer, the database) all produce a :class:`FactorLibrary`, so the
engine never cares where a factor came from, and every result can name the version it used.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.gases import GAS_COLUMNS, GasArrays, empty_gases, gas_arrays
from carbon.accounting.subposts import DESTINATION, SubpostKind, subpost_kind

__all__ = ["FactorLibrary", "LibraryArrays", "subpost_kind"]

# One row per factor. ``factor_id`` is unique within a library (the ADEME "Identifiant de
# l'élément" for the official export, a stable slug such as ``bundled:elec-fr-2022`` otherwise).
FACTOR_COLUMNS: dict[str, str] = {
    "factor_id": "string",
    "name_fr": "string",
    "name_en": "string",
    "name_it": "string",
    "frontier": "string",  # ADEME "Nom frontière": tells variants apart (e.g. production mix)
    "category_path": "string",  # ADEME "Code de la catégorie", ``>``-separated
    "unit": "string",  # activity unit as written after ``kgCO2e/`` (``kWh PCS``, ``litre``…)
    "total_kgco2e": "float64",  # kgCO2e per activity unit
    "co2b_kg": "float64",  # biogenic CO2 per unit, reported apart (0 when not given)
    "uncertainty_pct": "float64",  # relative uncertainty in %, NaN when unknown
    "uncertainty_is_default": "bool",  # True when the % is an ADEME default class, not given
    "country": "string",  # ISO 3166 alpha-2 when known (FR, IT…), empty otherwise
    "location": "string",  # location as written by the source ("France continentale")
    "status": "string",  # "valid" or "archived"
    "valid_year": "Int64",  # the year the factor is for, when known
    "source": "string",  # e.g. "ADEME Base Empreinte", "Nos Gestes Climat 3.4.0 (NGC)"
    "source_ref": "string",  # identifier in that source, when known
    "checked": "bool",  # checked against the official ADEME export
    "estimate": "bool",  # a labelled estimate, not a published value
    "note": "string",
}

# One row per sub-post (ADEME "Poste" rows); values add up to the factor's total.
SUBPOST_COLUMNS: dict[str, str] = {
    "factor_id": "string",
    "name": "string",  # "Combustion", "Amont", "Transport et distribution"…
    "kind": "string",  # a SubpostKind value: where the part goes (see accounting/subposts.py)
    "kgco2e": "float64",
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def empty_factors() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in FACTOR_COLUMNS.items()})


def empty_subposts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in SUBPOST_COLUMNS.items()})


class LibraryError(ValueError):
    """A factor library that breaks its own invariants (duplicate ids, sub-posts not adding up)."""


@dataclass(frozen=True)
class FactorLibrary:
    """A named, versioned set of factors; ``version`` is recorded with every result.

    ``gases`` is the breakdown by gas where the source gives one (accounting/gases.py);
    ``gwp_set`` the GWPs its CO2e values rest on (AR5 as published; AR6 once restated by
    accounting/gwp.py, which lists in ``kept_ar5`` the factors that could not be restated).
    """

    version: str
    factors: pd.DataFrame
    subposts: pd.DataFrame = field(default_factory=empty_subposts)
    gases: pd.DataFrame = field(default_factory=empty_gases)
    gwp_set: str = "AR5"
    kept_ar5: frozenset[str] = frozenset()
    # Restated copies (accounting/gwp.py), kept per GWP set and table; never copied by
    # dataclasses.replace, whose library is another content.
    _restated: dict[tuple[object, ...], FactorLibrary] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        missing = set(FACTOR_COLUMNS) - set(self.factors.columns)
        if missing:
            raise LibraryError(f"factor table lacks columns: {', '.join(sorted(missing))}")
        dup = self.factors["factor_id"][self.factors["factor_id"].duplicated()]
        if len(dup):
            raise LibraryError(f"duplicate factor identifiers: {', '.join(map(str, dup[:5]))}")
        missing = set(GAS_COLUMNS) - set(self.gases.columns)
        if missing:
            raise LibraryError(f"gas table lacks columns: {', '.join(sorted(missing))}")

    def __len__(self) -> int:
        return len(self.factors)

    # Derived once per library and reused by every computation (the library is immutable).
    @cached_property
    def index(self) -> pd.Index:
        return pd.Index(self.factors["factor_id"].astype("string").to_numpy(dtype=object))

    @cached_property
    def arrays(self) -> LibraryArrays:
        return build_arrays(self)

    def combustion_share(self) -> pd.DataFrame:
        """Per factor: kgCO2e of the combustion sub-post, and whether the factor is split at all.

        A factor without sub-posts keeps its whole value in the line's poste (``has_split`` False,
        which results report). A split factor keeps only its combustion sub-posts there.
        """
        ids = self.factors["factor_id"]
        sp = self.subposts
        if len(sp):
            comb = sp.loc[sp["kind"] == "combustion"].groupby("factor_id")["kgco2e"].sum()
            has = pd.Index(sp["factor_id"].unique())
        else:
            comb = pd.Series(dtype="float64")
            has = pd.Index([])
        has_split = ids.isin(has).to_numpy()
        combustion = np.where(
            has_split,
            ids.map(comb).fillna(0.0).to_numpy(dtype="float64"),
            self.factors["total_kgco2e"].to_numpy(dtype="float64"),
        )
        return pd.DataFrame(
            {"factor_id": ids.to_numpy(), "combustion_kgco2e": combustion, "has_split": has_split}
        )

    def moved_by_destination(self) -> dict[str, npt.NDArray[np.float64]]:
        """Per destination poste other than 4.1: kgCO2e per unit of each factor's sub-posts that
        go there from an energy line (only destinations some factor uses). 4.1 takes the rest
        of what leaves the line's poste."""
        sp = self.subposts
        out: dict[str, npt.NDArray[np.float64]] = {}
        if not len(sp):
            return out
        dest = sp["kind"].map(lambda k: DESTINATION.get(SubpostKind(k), "") if k in _KINDS else "")
        ids = self.factors["factor_id"]
        for poste in sorted(set(dest) - {"", DESTINATION[SubpostKind.upstream]}):
            sums = sp.loc[dest == poste].groupby("factor_id")["kgco2e"].sum()
            values = ids.map(sums).fillna(0.0).to_numpy(dtype="float64")
            if values.any():
                out[poste] = values
        return out

    def search(self, text: str, limit: int = 20) -> pd.DataFrame:
        """Factors whose id, names or unit contain every word of ``text`` (accent-insensitive)."""
        f = self.factors
        hay = (
            f["factor_id"].fillna("") + " " + f["name_fr"].fillna("") + " "
            + f["name_en"].fillna("") + " " + f["name_it"].fillna("") + " "
            + f["frontier"].fillna("") + " " + f["unit"].fillna("") + " " + f["country"].fillna("")
        ).map(_fold)  # fmt: skip
        mask = pd.Series(True, index=f.index)
        for word in _fold(text).split():
            mask &= hay.str.contains(word, regex=False)
        hits = f.loc[mask]
        # Current factors first: an archived value is only there for old reports.
        order = (hits["status"] != "valid").astype(int)
        return hits.assign(_o=order).sort_values(["_o", "factor_id"]).drop(columns="_o").head(limit)


_KINDS = frozenset(k.value for k in SubpostKind)
_DESTINATION_BY_KIND = {k.value: poste for k, poste in DESTINATION.items()}

FLAG_UNSPLIT = 1
FLAG_UNKNOWN_U = 2


@dataclass(frozen=True)
class LibraryArrays:
    """A library's columns as numpy arrays, positioned like ``FactorLibrary.factors``' rows.

    Shaped for the engine's hot path: the part of a factor that leaves the line's poste
    (``upstream``) is precomputed, so a computation gathers it instead of re-deriving it.
    """

    units: tuple[str, ...]  # distinct activity units of the library
    unit_code: npt.NDArray[np.intp]  # per factor, index into ``units``
    total: npt.NDArray[np.float64]
    upstream: npt.NDArray[np.float64]  # total minus combustion; 0 for an unsplit factor
    unsplit: npt.NDArray[np.bool_]
    co2b: npt.NDArray[np.float64]
    u_factor_pct: npt.NDArray[np.float64]  # NaN where the source gives none
    u_unknown: npt.NDArray[np.bool_]
    flags: npt.NDArray[np.uint8]  # FLAG_UNSPLIT | FLAG_UNKNOWN_U per factor
    grid_electricity: npt.NDArray[np.bool_]  # per kWh of the grid (market-based: residual mix)
    # Of ``upstream``, the kgCO2e per unit that goes to another poste than 4.1 (manufacture to
    # 4.2, end of life to 4.3), keyed by that poste; empty when every moved part goes to 4.1.
    moved: Mapping[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    # The breakdown by gas (None when the library gives none), and under a restated GWP set the
    # factors left at AR5 (None under AR5).
    gas: GasArrays | None = None
    kept_ar5: npt.NDArray[np.bool_] | None = None
    _u2_cache: dict[float, npt.NDArray[np.float64]] = field(default_factory=dict, repr=False)

    @property
    def any_co2b(self) -> bool:
        return bool(self.co2b.any())

    def u_factor_squared(self, unknown_pct: float) -> npt.NDArray[np.float64]:
        """Squared relative factor uncertainty, ``unknown_pct`` standing in for missing ones."""
        if unknown_pct not in self._u2_cache:
            u = np.where(self.u_unknown, unknown_pct, self.u_factor_pct) / 100.0
            self._u2_cache[unknown_pct] = u * u
        return self._u2_cache[unknown_pct]


def build_arrays(library: FactorLibrary) -> LibraryArrays:
    f = library.factors
    codes, uniques = pd.factorize(f["unit"].astype("string").fillna(""), sort=False)
    share = library.combustion_share()
    total = f["total_kgco2e"].to_numpy(dtype="float64", na_value=np.nan)
    has_split = share["has_split"].to_numpy(dtype=bool)
    u_pct = f["uncertainty_pct"].to_numpy(dtype="float64", na_value=np.nan)
    return LibraryArrays(
        units=tuple(str(u) for u in uniques),
        unit_code=codes.astype(np.intp),
        total=total,
        upstream=np.where(has_split, total - share["combustion_kgco2e"].to_numpy(), 0.0),
        unsplit=~has_split,
        co2b=f["co2b_kg"].fillna(0.0).to_numpy(dtype="float64"),
        u_factor_pct=u_pct,
        u_unknown=np.isnan(u_pct),
        flags=(~has_split * FLAG_UNSPLIT + np.isnan(u_pct) * FLAG_UNKNOWN_U).astype(np.uint8),
        grid_electricity=_grid_electricity(f, codes, uniques),
        moved=library.moved_by_destination(),
        gas=gas_arrays(f, library.subposts, library.gases, _DESTINATION_BY_KIND),
        kept_ar5=(
            f["factor_id"].isin(list(library.kept_ar5)).to_numpy()
            if library.gwp_set != "AR5"
            else None
        ),
    )


def _grid_electricity(
    f: pd.DataFrame, unit_codes: npt.NDArray[np.intp], units: pd.Index
) -> npt.NDArray[np.bool_]:
    """Electricity taken from the grid, per kWh: a category ``Electricité > Réseau…`` or
    ``…mix…`` (ADEME's and the bundled library's paths). Each distinct path and unit is looked
    at once: an export has thousands of factors but few of them."""
    from carbon.accounting.units import UnitError, conversion_factor

    codes, paths = pd.factorize(f["category_path"].astype("string").fillna(""))
    folded = [_fold(str(p)) for p in paths]
    by_path = np.array(
        [p.startswith("electricit") and ("reseau" in p or "mix" in p) for p in folded] + [False]
    )

    def per_kwh(unit: str) -> bool:
        try:
            return conversion_factor(unit, "kWh") == 1.0
        except UnitError:
            return False

    by_unit = np.array([per_kwh(str(u)) for u in units] + [False])
    return by_path[codes] & by_unit[unit_codes]
