"""The bundled GWP table (``emission_factors/gwp.csv``): 100-year GWPs under AR5 and AR6.

Read and checked here (every value a finite positive number, each gas once, a source for each
set), kept apart from the accounting core, which receives a :class:`GwpTable`. The table covers
the gases the restatement needs: CO2, fossil and biogenic CH4, N2O, SF6, NF3 and the HFCs of the
bundled refrigerants; a blend is restated through its components (docs/methodology.md § 10).
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path

from carbon.accounting.gases import GwpTable, canonical_gas
from carbon.resources import resource

GWP_FILE = "gwp.csv"
_COLUMNS = ("gas", "ar5_gwp100", "ar6_gwp100", "ar5_source", "ar6_source", "checked")


class GwpTableError(ValueError):
    """A broken gwp.csv: refused when read, never a wrong figure later."""


def load_gwp_table(folder: Path | None = None) -> GwpTable:
    return _load(Path(folder or resource("emission_factors")).resolve())


@cache
def _load(folder: Path) -> GwpTable:
    path = folder / GWP_FILE
    values: dict[str, tuple[float, float]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise GwpTableError(f"{GWP_FILE}: missing columns {', '.join(sorted(missing))}")
        for n, row in enumerate(reader, start=2):
            gas = canonical_gas(row["gas"])
            if not gas or gas in values:
                raise GwpTableError(f"{GWP_FILE}, line {n}: gas {row['gas']!r} empty or repeated")
            pair = []
            for column in ("ar5_gwp100", "ar6_gwp100"):
                try:
                    value = float(row[column])
                except ValueError:
                    value = math.nan
                if not (math.isfinite(value) and 0 < value <= 100_000):
                    raise GwpTableError(f"{GWP_FILE}, line {n}, column {column}: not a GWP")
                pair.append(value)
            if not row["ar5_source"].strip() or not row["ar6_source"].strip():
                raise GwpTableError(f"{GWP_FILE}, line {n}: each value needs its source")
            values[gas] = (pair[0], pair[1])
    return GwpTable(values)
