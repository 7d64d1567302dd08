"""Benchmark of the FEC import on a mid-size hotel group's year: 100,000 ledger lines.

The ledger is generated in memory (balanced purchase, payroll and sales entries over twelve
months, 400 suppliers, pipe-separated, decimal commas): :func:`read_fec` with all its checks,
then :func:`propose` with the shipped account rules, as the preview does. Goal from issue 17:
read, checked, mapped and previewed in ≤ 5 s and ≤ 500 MiB.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bench.timing import measure
from carbon.imports.fec import FEC_COLUMNS, read_fec
from carbon.imports.fec_mapping import default_rules, layered, propose

N_LINES = 100_000
GOAL_SECONDS = 5.0
GOAL_MIB = 500.0
CHARGES = ("607", "6061", "6063", "6064", "615", "616", "6226", "623", "626", "627", "6251")


def make_fec(n_lines: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    rows = ["|".join(FEC_COLUMNS)]
    number = 0
    while len(rows) - 1 < n_lines:
        number += 1
        day = f"2025{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        num = f"AC{number:07d}"
        cents = rng.randint(1_000, 500_000)
        ht, vat = f"{cents // 100},{cents % 100:02d}", cents // 5
        ttc = cents + vat
        supplier = f"F{rng.randint(1, 400):04d}"
        for account, aux, debit, credit in (
            (rng.choice(CHARGES), "", ht, "0,00"),
            ("44566", "", f"{vat // 100},{vat % 100:02d}", "0,00"),
            ("401", supplier, "0,00", f"{ttc // 100},{ttc % 100:02d}"),
        ):
            rows.append(
                "|".join(
                    [
                        "AC",
                        "Achats",
                        num,
                        day,
                        account,
                        "Libelle du compte",
                        aux,
                        f"Fournisseur {aux}" if aux else "",
                        num,
                        day,
                        "Facture fournisseur",
                        debit,
                        credit,
                        "",
                        "",
                        day,
                        "",
                        "",
                    ]
                )
            )
    return ("\r\n".join(rows) + "\r\n").encode("iso-8859-15")


def run() -> list[dict[str, Any]]:
    data = make_fec(N_LINES)
    rules = layered(default_rules())

    def preview() -> int:
        ledger = read_fec(data, "123456782FEC20251231.txt")
        return len(propose(ledger, rules, date(2025, 1, 1), date(2025, 12, 31)).lines)

    seconds, peak, lines = measure(preview)
    if not lines:
        raise AssertionError("the benchmark ledger gave no spend line")
    size = f"{N_LINES:,} lines, {len(data) / 1e6:.1f} MB"
    return [
        {
            "benchmark": f"fec: read_fec() + propose() {size}",
            "seconds": seconds,
            "peak_mib": peak,
            "goal": f"≤ {GOAL_SECONDS:g} s, ≤ {GOAL_MIB:g} MiB",
            "ok": seconds <= GOAL_SECONDS and peak <= GOAL_MIB,
        },
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.run import print_rows

    print_rows(run())
