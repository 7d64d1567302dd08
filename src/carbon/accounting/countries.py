"""A line's country chooses its factor: an Italian site's electricity is not the French mix.

When a line says where it happened (its own ``country``, else its site's or its company's) and its
factor is for another country, the library's variant of that factor for the line's country is used:
the valid factor of the same category and unit for that country, of the same year when there is
one, else of the latest year. Without a variant the line is computed with the factor it names and
a warning says so (methodology §6). Monaco is on the French grid and in the French customs and VAT
territory: a French factor is Monaco's own when the library has no Monegasque one. Lines of the
use and end of life of sold products (5.1, 5.3) are left alone: they happen where the products
are, and their factor names that country (methodology §16).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.notices import LineWarning, warn
from carbon.accounting.postes import POSTES, SOLD_PRODUCT_POSTES
from carbon.i18n import N_

# Countries whose lines may use another country's factors without a warning.
SAME_FACTORS_AS: dict[str, str] = {"MC": "FR"}


_SOLD = np.array([p.code in SOLD_PRODUCT_POSTES for p in POSTES] + [False])


def where_emitted(
    country: npt.NDArray[np.object_], poste_idx: npt.NDArray[np.intp]
) -> npt.NDArray[np.object_]:
    """The country that chooses each line's variant: none ("") for the use and end of life of
    sold products (5.1, 5.3), whose factor names the country where the products are."""
    # A bad poste (-1) takes the trailing False: its line is refused anyway.
    return np.where(_SOLD[poste_idx], "", country).astype(object)


def _variant(library: FactorLibrary, pos: int, country: str) -> int:
    """Position of the factor's variant for ``country`` (-1 when none)."""
    f = library.factors
    row = f.iloc[pos]
    path = row["category_path"]
    if pd.isna(path) or not str(path).strip():
        return -1
    same = (
        (
            (f["category_path"] == path)
            & (f["unit"] == row["unit"])
            & (f["country"] == country)
            & (f["status"] == "valid")
        )
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    candidates = np.flatnonzero(same)
    if not len(candidates):
        return -1
    years = f["valid_year"].to_numpy(dtype="float64", na_value=np.nan)[candidates]
    year = row["valid_year"]
    if pd.notna(year) and (years == float(year)).any():
        return int(candidates[np.flatnonzero(years == float(year))[0]])
    order = np.argsort(np.nan_to_num(years, nan=-1.0), kind="stable")
    return int(candidates[order[-1]])


def choose_variants(
    library: FactorLibrary,
    factor_pos: npt.NDArray[np.intp],
    country: npt.NDArray[np.object_],
    line_no: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.intp], list[LineWarning]]:
    """Factor positions with each line's country variant, and a warning per line concerned."""
    f_country = library.factors["country"].astype("string").fillna("").to_numpy(dtype=object)
    ids = library.factors["factor_id"].to_numpy(dtype=object)
    known = factor_pos >= 0
    f_c = np.where(known, f_country[np.maximum(factor_pos, 0)], "")
    other = known & (country != "") & (f_c != "") & (f_c != country)
    if not other.any():
        return factor_pos, []
    out = factor_pos.copy()
    warnings: list[LineWarning] = []
    pairs = {(int(p), str(c)) for p, c in zip(factor_pos[other], country[other], strict=True)}
    for pos, c in sorted(pairs):
        mask = other & (factor_pos == pos) & (country == c)
        found = _variant(library, pos, c)
        if found >= 0:
            out[mask] = found
            warnings += warn(
                line_no[mask],
                N_("Factor %(given)s is for %(factor_country)s: its %(country)s variant "
                   "%(used)s was used."),
                given=ids[pos], factor_country=f_country[pos], country=c, used=ids[found],
            )  # fmt: skip
        elif SAME_FACTORS_AS.get(c) != f_country[pos]:
            warnings += warn(
                line_no[mask],
                N_("Factor %(given)s is for %(factor_country)s, the line is in %(country)s: "
                   "computed with it, as the library has no %(country)s variant."),
                given=ids[pos], factor_country=f_country[pos], country=c,
            )  # fmt: skip
    return out, warnings
