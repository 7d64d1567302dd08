"""Benchmark of the ADEME export importer on a full-size export (version 23.6's shape).

The file is generated (12,800 Elément + 5,800 Poste rows, cp1252, realistic field widths, about
10 MB) in a temporary directory by the tests' fixture builder. Rows: ``read_ademe_export`` with
all its checks, and the floor, a bare ``pandas.read_csv`` of the same file with every column as
text. Goal: the import in < 5 s, since users wait for it in the browser.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from bench.timing import measure
from carbon.factors.ademe import read_ademe_export

N_ELEMENTS = 12_800
N_POSTES = 5_800
GOAL_SECONDS = 5.0


def run() -> list[dict[str, Any]]:
    # The builder lives with the tests, which the repository root makes importable.
    from tests.factors.ademe_fixture import write_ademe_file

    with tempfile.TemporaryDirectory() as tmp:
        made = write_ademe_file(Path(tmp) / "Base_Carbone_V23.6.csv", N_ELEMENTS, N_POSTES)
        path = made.path
        assert path is not None
        lib = read_ademe_export(path, "bench")
        expected = made.n_factors_valid + made.n_factors_archived
        if len(lib) != expected or len(lib.subposts) != made.n_subposts_of_factors:
            raise AssertionError("the benchmark file did not import to the expected counts")
        t_import, m_import, _ = measure(lambda: read_ademe_export(path, "bench"))
        t_floor, m_floor, _ = measure(
            lambda: pd.read_csv(path, sep=";", encoding="cp1252", dtype=str)
        )
    size = f"{made.n_rows:,} rows, {made.n_bytes / 1e6:.1f} MB cp1252"
    return [
        {"benchmark": f"ademe: read_ademe_export() {size}", "seconds": t_import,
         "peak_mib": m_import, "goal": f"< {GOAL_SECONDS:g} s", "ok": t_import < GOAL_SECONDS},
        {"benchmark": "floor: pandas.read_csv(dtype=str), same file", "seconds": t_floor,
         "peak_mib": m_floor, "goal": "reference", "ok": True},
    ]  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.run import print_rows

    print_rows(run())
