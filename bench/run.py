"""One command for every benchmark: ``python -m bench.run`` (or ``make bench``), prints a table.

Targets live here, not in timed unit tests; record what you measure in docs/performance.md.
"""

from __future__ import annotations

import importlib
import math
import platform
import sys
from typing import Any

MODULES = (
    "bench.engine",
    "bench.montecarlo",
    "bench.ademe_import",
    "bench.cohort_dashboard",
    "bench.reports",
    "bench.fec",
    "bench.fatturapa",
    "bench.fec_web",
)


def print_rows(rows: list[dict[str, Any]]) -> None:
    width = max(len(r["benchmark"]) for r in rows)
    print(f"{'benchmark':<{width}}  {'seconds':>9}  {'peak MiB':>9}  {'goal':<24}  ok")
    for r in rows:
        peak = "" if math.isnan(r["peak_mib"]) else f"{r['peak_mib']:9.1f}"
        ok = "yes" if r["ok"] else "NO"
        print(f"{r['benchmark']:<{width}}  {r['seconds']:9.3f}  {peak:>9}  {r['goal']:<24}  {ok}")


def main(names: list[str]) -> int:
    print(f"# {platform.node()} {platform.machine()} python {platform.python_version()}")
    rows: list[dict[str, Any]] = []
    for name in names or MODULES:
        module = importlib.import_module(name)
        rows.extend(module.run())
    print_rows(rows)
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
