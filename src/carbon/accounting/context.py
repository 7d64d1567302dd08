"""Where and when a line happened, and its VAT category: the optional columns of the method.

``country`` (ISO 3166 alpha-2; the caller fills it from the line's site or company) chooses
country factors and the VAT rate; ``year`` (the reporting year unless the line has its own)
chooses the residual mix's year and the price index a spend is deflated from; ``vat_category``
chooses the VAT rate of a VAT-included spend. Each is checked here, every bad value reported with
its line, like the engine's other columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

MIN_YEAR, MAX_YEAR = 1990, 2100  # the years a footprint (and a price index) can be for
_COUNTRY = re.compile(r"^[A-Z]{2}$")

Flag = Callable[[npt.NDArray[np.bool_], str, str], None]


@dataclass(frozen=True)
class LineContext:
    country: npt.NDArray[np.object_]  # "" when unknown
    year: npt.NDArray[np.float64]  # NaN when unknown
    vat_category: npt.NDArray[np.object_]  # "" when not given
    has_country: bool


def _text(lines: pd.DataFrame, column: str, n: int) -> npt.NDArray[np.object_]:
    """The column's cleaned text (missing = ""), cleaning each distinct value once."""
    if column not in lines.columns:  # a read-only view: no million-line array for nothing
        return np.broadcast_to(np.array([""], dtype=object), (n,))
    codes, uniques = pd.factorize(lines[column], use_na_sentinel=True)
    cleaned = np.asarray([str(u).strip() for u in uniques] + [""], dtype=object)
    return cleaned[codes]  # the sentinel -1 picks the last one, ""


def read_context(lines: pd.DataFrame, year: int | None, flag: Flag) -> LineContext:
    """The optional columns of ``lines``, checked; ``year`` stands in for lines without one."""
    n = len(lines)
    country = _text(lines, "country", n)
    if "country" in lines.columns:
        codes, uniques = pd.factorize(country)
        upper = np.asarray([u.upper() for u in uniques], dtype=object)
        wrong = np.asarray([bool(u) and not _COUNTRY.match(u) for u in upper], dtype=bool)
        bad = wrong[codes]
        flag(bad, "country", "not an ISO 3166 two-letter country code (FR, IT, CH…)")
        upper[wrong] = ""
        country = upper[codes]
    years = np.broadcast_to(np.float64(np.nan if year is None else year), (n,))
    if "year" in lines.columns:
        text = _text(lines, "year", n)
        given = text != ""
        parsed = pd.to_numeric(pd.Series(text), errors="coerce").to_numpy(dtype="float64")
        wrong = given & ~(
            np.isfinite(parsed)
            & (parsed == np.round(parsed))
            & (parsed >= MIN_YEAR)
            & (parsed <= MAX_YEAR)
        )
        flag(wrong, "year", f"not a year between {MIN_YEAR} and {MAX_YEAR}")
        years = np.where(given & ~wrong, parsed, years)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        flag(np.ones(n, dtype=bool), "year", f"not a year between {MIN_YEAR} and {MAX_YEAR}")
    return LineContext(
        country=country,
        year=years,
        vat_category=_text(lines, "vat_category", n),
        has_country="country" in lines.columns and bool((country != "").any()),
    )
