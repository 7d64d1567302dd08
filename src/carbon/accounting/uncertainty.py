"""Uncertainty of activity data and its combination per emission source (IPCC 2006 vol. 1 ch. 3).

A line's relative uncertainty is sqrt(u_factor² + u_activity²). Lines of one factor, poste and
data quality are one source: twelve monthly bills of one meter share the factor's error and the
way the data was got, so their absolute uncertainties add linearly; sources then combine in
quadrature (Approach 1 per source, methodology.md § 9). Entering the same data in more lines
therefore never makes a result look more certain. The data-quality scale is configurable because
programmes disagree on how harsh to be with estimates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.postes import POSTES

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


# The rule the analytic figures follow, named in every serialised result (methodology.md § 9).
UNCERTAINTY_METHOD = "ipcc-approach-1-per-source"

# A source, in frames (line detail, reports): the lines of one factor, one poste (which fixes the
# factor's sub-post routing) and one data quality. The engine codes the same triple as one integer.
SOURCE_COLUMNS = ("factor_id", "poste", "data_quality")

# Below this many possible sources per line, sums go into one dense array (a bincount, no sort);
# above it (a small company against a large library) the sources present are found by sorting.
_DENSE_PER_LINE = 2
_DENSE_ALWAYS = 4096


def source_key(
    factor_pos: npt.NDArray[np.intp],
    poste_idx: npt.NDArray[np.intp],
    quality_idx: npt.NDArray[np.intp],
    n_factors: int,
    n_qualities: int,
) -> npt.NDArray[np.int64]:
    """One integer per line naming its source: ``(poste × n_qualities + quality) × n_factors +
    factor``; poste-major, so that a dense array of sources sums per poste along its rows."""
    key = poste_idx.astype(np.int64) * n_qualities
    key += quality_idx
    key *= n_factors
    key += factor_pos
    return key


@dataclass(frozen=True)
class SourceVariance:
    """Absolute variances (kgCO2e²) of the per-source combination."""

    by_poste: npt.NDArray[np.float64]  # each poste's, 4.1 with the upstream parts moved there
    total: float  # the total's (postes reported apart left out)
    # Summed quantity per (poste, factor), when asked for: the per-gas results read it rather
    # than pass over the lines again (gases.by_poste_and_gas). Columns are every factor of the
    # library (``factors`` None), or only the factors in ``factors`` (few sources).
    quantities: npt.NDArray[np.float64] | None = None
    factors: npt.NDArray[np.intp] | None = None


def combine_per_source(
    key: npt.NDArray[np.int64],
    quantity: npt.NDArray[np.float64],
    factor_total: npt.NDArray[np.float64],
    factor_upstream: npt.NDArray[np.float64],
    energy: npt.NDArray[np.bool_],
    u2_factor: npt.NDArray[np.float64],
    u2_quality: npt.NDArray[np.float64],
    counted: npt.NDArray[np.bool_],
    upstream_poste: int,
    dense: bool | None = None,
    moved: Mapping[int, npt.NDArray[np.float64]] | None = None,
    quantities: bool = False,
) -> SourceVariance:
    """IPCC 2006 vol. 1 ch. 3, Approach 1 applied per source (methodology.md § 9).

    Lines of one source share their factor's and their data's error, so their absolute
    uncertainties add linearly: the source's is ``u × |Σ kgCO2e|``, with
    ``u² = u_factor² + u_activity²`` (eq. 3.1). Sources are independent and combine in quadrature
    (eq. 3.2). A split energy factor's combustion part (in the line's poste) and upstream part
    (in 4.1) are one source: in the total they add before squaring.

    All lines of a source have one factor and quantities >= 0, so its emissions are its summed
    quantity × the factor (whole, or split for an energy poste): only quantities are summed per
    source, in one ``bincount``. ``key`` comes from :func:`source_key`; ``factor_total`` and
    ``factor_upstream`` (the part an energy poste sends to 4.1) and ``u2_factor`` (relative,
    squared) are per factor, ``u2_quality`` per data quality, ``energy`` and ``counted`` (False
    for postes reported apart) per poste. ``moved`` (poste index -> kgCO2e per factor unit) is the
    part of ``factor_upstream`` that a sub-post's kind sends elsewhere than ``upstream_poste``
    (manufacture to 4.2, end of life to 4.3): each part's variance goes to its own poste.
    ``dense`` forces one way of grouping (tests). ``quantities`` also returns the summed
    quantity per (poste, factor).
    """
    moved = dict(moved or {})
    to_upstream = factor_upstream - sum(moved.values()) if moved else factor_upstream
    n_postes, n_q, n_f = len(counted), len(u2_quality), len(u2_factor)
    n_sources = n_postes * n_q * n_f
    combustion = factor_total - factor_upstream
    if dense is None:
        dense = n_sources <= max(_DENSE_PER_LINE * len(key), _DENSE_ALWAYS)
    if dense:
        # Every possible source in one array, poste-major: row p holds (quality, factor) pairs.
        sq = np.bincount(key, weights=quantity, minlength=n_sources).reshape(n_postes, n_q * n_f)
        per_factor = sq.reshape(n_postes, n_q, n_f).sum(axis=1) if quantities else None
        sq *= sq
        u2 = (u2_quality[:, None] + u2_factor[None, :]).ravel()
        # einsum rather than ``@``: no BLAS threads for a matrix-vector product this small.
        whole = np.einsum("pk,k->p", sq, u2 * np.tile(factor_total * factor_total, n_q))
        total = float(whole[counted].sum())
        by_poste = whole
        if energy.any():
            e = sq[energy]
            by_poste[energy] = np.einsum("pk,k->p", e, u2 * np.tile(combustion * combustion, n_q))
            for poste, part in ((upstream_poste, to_upstream), *moved.items()):
                up = np.einsum("pk,k->p", e, u2 * np.tile(part * part, n_q))
                by_poste[poste] += float(up.sum())
        return SourceVariance(by_poste, total, per_factor)
    sources, which = np.unique(key, return_inverse=True)
    f = sources % n_f
    p = sources // (n_f * n_q)
    u2s = u2_factor[f] + u2_quality[(sources // n_f) % n_q]
    summed = np.bincount(which, weights=quantity, minlength=len(sources))
    w = summed * summed * u2s  # u² × (Σ quantity)²: × factor² gives the source's variance
    on_energy = energy[p]
    in_poste = np.where(on_energy, combustion[f], factor_total[f])
    by_poste = np.bincount(p, weights=w * in_poste * in_poste, minlength=n_postes).astype(
        np.float64
    )
    total = float(np.dot(w * counted[p], factor_total[f] * factor_total[f]))
    for poste, part in ((upstream_poste, to_upstream), *moved.items()):
        up = part[f] * on_energy
        by_poste[poste] += float(np.dot(w, up * up))
    grouped, used = None, None
    if quantities:
        # Only the factors these sources use: a period of 300 lines against a 20,000-factor
        # library makes a 22 × (a few hundred) matrix, not 22 × 20,000.
        used, column = np.unique(f, return_inverse=True)
        flat = np.bincount(p * len(used) + column, weights=summed, minlength=n_postes * len(used))
        grouped = flat.astype(np.float64).reshape(n_postes, len(used))
    return SourceVariance(by_poste, total, grouped, used)


RANKING_COLUMNS = (
    "line", "poste", "factor_id", "data_quality", "lines", "kgco2e", "uncertainty_pct",
    "uncertainty_kgco2e", "variance_share",
)  # fmt: skip


def rank_sources(lines: pd.DataFrame, total_u: float, n: int = 5) -> pd.DataFrame:
    """The ``n`` sources weighing most in the total's variance (what to improve next).

    ``lines`` has one row per line with ``line``, :data:`SOURCE_COLUMNS`, ``kgco2e`` (the whole
    line, upstream part included) and ``uncertainty_pct`` (the line's relative uncertainty, the
    same for every line of a source). A source's absolute uncertainty is that % of its summed
    emissions, and its share is its variance over the total's (``total_u``, kgCO2e). Postes
    reported apart are not in the total, so not in the ranking. ``line`` is the source's largest
    line, to name and link it.
    """
    apart = [p.code for p in POSTES if p.reported_apart]
    df = lines.loc[~lines["poste"].isin(apart), ["line", *SOURCE_COLUMNS, "kgco2e",
                                                  "uncertainty_pct"]]  # fmt: skip
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RANKING_COLUMNS})
    df = df.iloc[np.argsort(-np.abs(df["kgco2e"].to_numpy()), kind="stable")]
    g = df.groupby(list(SOURCE_COLUMNS), sort=False, dropna=False)
    out = g.agg(
        line=("line", "first"),
        lines=("line", "size"),
        kgco2e=("kgco2e", "sum"),
        uncertainty_pct=("uncertainty_pct", "max"),
    ).reset_index()
    out["uncertainty_kgco2e"] = out["uncertainty_pct"] / 100.0 * out["kgco2e"].abs()
    out["variance_share"] = np.square(out["uncertainty_kgco2e"]) / max(total_u**2, 1e-300)
    return out.nlargest(n, "variance_share")[list(RANKING_COLUMNS)].reset_index(drop=True)
