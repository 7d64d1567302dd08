"""Category 5 in the BEGES export and the company PDF: a manufacturer's 5.1 and 5.3 (issue 14).

A small equipment maker (no database): 100 MWh of French grid electricity used by its products
sold in the year, over their life, × 0.052 = 5,200 kg in 5.1 (measured, 5 %; factor 10 %:
sqrt(10² + 5²) = 11.18 % -> 581.4 kg); 60 t of steel of those products recycled at their end of
life × 30 = 1,800 kg in 5.3 (estimated, 30 %; factor 50 %: sqrt(50² + 30²) = 58.31 % ->
1,049.6 kg). Total 7,000 kg = 7.0 t ± sqrt(581.4² + 1,049.6²) = 1,199.8 kg = 17.1 %.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from carbon.i18n import gettext, use_locale
from carbon.reports import exports
from carbon.reports.company import company_report_pdf
from carbon.reports.model import PeriodReport, YearTotal

from . import sample
from .pdf import follows, lines

STEEL_EOL = "bundled:eol-steel-recycling"


def manufacturer() -> PeriodReport:
    result = sample.result_of([
        (1, "5.1", sample.ELEC, 100.0, "MWh", "measured"),
        (2, "5.3", STEEL_EOL, 60.0, "tonne", "estimated"),
    ])  # fmt: skip
    infos = sample.line_infos(
        result,
        {1: "Électricité consommée par les produits vendus", 2: "Fin de vie\u00a0: acier recyclé"},
    )
    fields: dict[str, Any] = {
        "result": result,
        "lines": infos,
        "factors": (
            sample.factor_info(sample.ELEC, 1, 5200.0),
            sample.factor_info(STEEL_EOL, 1, 1800.0, estimate=True),
        ),
        # Scopes 1+2 = 0; scope 3 = 7,000.
        "history": (
            YearTotal(2024, 7000.0, result.uncertainty_kgco2e, "validated", True, 0.0, 7000.0),
        ),
        "actions": (),
    }
    return sample.period_a(**fields)


def test_the_engine_gives_the_hand_computed_figures() -> None:
    r = manufacturer().result
    assert r.by_poste["5.1"] == pytest.approx(5200.0)
    assert r.by_poste["5.3"] == pytest.approx(1800.0)
    assert r.uncertainty_by_poste["5.1"] == pytest.approx(581.4, abs=0.1)
    assert r.uncertainty_by_poste["5.3"] == pytest.approx(1049.6, abs=0.1)
    assert r.uncertainty_kgco2e == pytest.approx(1199.8, abs=0.2)


def _fr(text: str) -> str:
    with use_locale("fr"):
        return gettext(text)


def test_beges_export_carries_5_1_and_5_3_in_tonnes() -> None:
    data = exports.beges_xlsx(manufacturer(), "fr")
    ws = load_workbook(io.BytesIO(data))["BEGES"]
    assert isinstance(ws, Worksheet)
    rows = [r for r in ws.values if any(v is not None for v in r)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == _fr("Category"))
    table = rows[header_at + 1 :]
    postes = {r[1]: r for r in table if r[1]}
    header = rows[header_at]
    total, u = (header.index(_fr(name)) for name in ("Total, t CO₂e", "Uncertainty, t CO₂e"))
    assert postes["5.1"][total] == pytest.approx(5.2)  # 5,200 kg
    assert postes["5.1"][u] == pytest.approx(0.5814, abs=1e-4)
    assert postes["5.3"][total] == pytest.approx(1.8)  # 1,800 kg
    assert postes["5.3"][u] == pytest.approx(1.0496, abs=1e-4)
    assert "produits vendus" in str(postes["5.1"][2]) and "Fin de vie" in str(postes["5.3"][2])
    total = table[-2]
    assert total[3] == pytest.approx(7.0)


def test_company_pdf_shows_5_1_and_5_3_with_their_values() -> None:
    seq = lines(company_report_pdf(manufacturer(), "fr"))
    # 5.1: 5,2 t ± 0,6 t (11,2 %); 5.3: 1,8 t ± 1,0 t (58,3 %); total 7,0 ± 1,2 (17,1 %).
    assert follows(seq, "5.1", "Utilisation des produits vendus", "5,2", "0,6", "11,2 %")
    assert follows(seq, "5.3", "Fin de vie des produits vendus", "1,8", "1,0", "58,3 %")
    assert follows(seq, "Total", "7,0", "1,2", "17,1 %")
