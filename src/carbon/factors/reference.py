"""The bundled method data that is not a factor: price indices and residual mixes.

``emission_factors/price_index.csv`` (annual consumer price indices, to deflate spends to a
monetary ratio's year) and ``residual_mix.csv`` (AIB residual mixes, for market-based scope 2
without a contract) are read here into :class:`carbon.accounting.reference.ReferenceData`. Both
are checked when read: a value that is not a finite positive number, a duplicate (country, year)
or a zero residual mix (AIB publishes zeros for countries with full disclosure, which are not a
factor) is an error at load time, never a wrong number later. The files are a few dozen rows:
they are read again each time, nothing is kept.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from carbon.accounting.reference import IndexValue, ReferenceData, ResidualMix
from carbon.factors.bundled import BUNDLED_DIR

PRICE_INDEX_FILE = "price_index.csv"
RESIDUAL_MIX_FILE = "residual_mix.csv"


class ReferenceDataError(ValueError):
    """A broken price-index or residual-mix file."""


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise ReferenceDataError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        return [(n, row) for n, row in enumerate(reader, start=2)]


def _key(path: Path, n: int, row: dict[str, str]) -> tuple[str, int]:
    country, year = row["country"].strip(), row["year"].strip()
    if len(country) != 2 or not country.isupper() or not year.isdigit():
        raise ReferenceDataError(f"{path.name}, line {n}: country or year malformed")
    return country, int(year)


def _positive(path: Path, n: int, text: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= limit):
        raise ReferenceDataError(f"{path.name}, line {n}: {text!r} is not in (0, {limit:g}]")
    return value


def _flag(path: Path, n: int, text: str) -> bool:
    if text not in ("true", "false"):
        raise ReferenceDataError(f"{path.name}, line {n}: verified must be true or false")
    return text == "true"


def load_reference_data(folder: Path | None = None) -> ReferenceData:
    folder = folder or BUNDLED_DIR
    index: dict[tuple[str, int], IndexValue] = {}
    path = folder / PRICE_INDEX_FILE
    for n, row in _rows(path, ("country", "year", "value", "series", "verified")):
        key = _key(path, n, row)
        if key in index:
            raise ReferenceDataError(f"{path.name}, line {n}: {key} appears twice")
        index[key] = IndexValue(
            value=_positive(path, n, row["value"], 10_000.0),
            series=row["series"].strip(),
            verified=_flag(path, n, row["verified"]),
        )
    mixes: dict[tuple[str, int], ResidualMix] = {}
    path = folder / RESIDUAL_MIX_FILE
    for n, row in _rows(path, ("country", "year", "kgco2e_per_kwh", "source", "verified")):
        key = _key(path, n, row)
        if key in mixes:
            raise ReferenceDataError(f"{path.name}, line {n}: {key} appears twice")
        mixes[key] = ResidualMix(
            kgco2e_per_kwh=_positive(path, n, row["kgco2e_per_kwh"], 2.0),
            source=row["source"].split(",")[0].strip(),
            verified=_flag(path, n, row["verified"]),
        )
    return ReferenceData(price_index=index, residual_mix=mixes)
