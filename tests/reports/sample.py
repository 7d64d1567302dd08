"""Report data built by hand, without a database: the web tests' World, period_a, as plain data.

period_a (company A, 2024, base year): 10 MWh of French grid electricity × 0.052 = 520 kg in
2.1, and 1,000 L of diesel × 3.10 = 3,100 kg in 1.2; total 3,620 kg = 3.6 t. Both measured
(5 %): electricity sqrt(10² + 5²) = 11.18 % -> 58.14 kg, diesel sqrt(5² + 5²) = 7.07 % ->
219.20 kg; total ± sqrt(58.14² + 219.20²) = 226.8 kg = 6.3 %.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pandas as pd

from carbon.accounting.engine import compute
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.results import ComputationResult
from carbon.factors.bundled import load_bundled_library
from carbon.reports.model import (
    ActionInfo,
    CompanyInfo,
    Enrolled,
    FactorInfo,
    LineInfo,
    PeriodReport,
    YearTotal,
)
from carbon.reports.model_cohort import CohortCompany, CohortReport

ELEC = "bundled:elec-fr-2022"
DIESEL = "bundled:diesel-b7-fr"
TODAY = date(2026, 3, 2)


@cache
def library() -> FactorLibrary:
    return load_bundled_library()


def result_of(lines: list[tuple[int, str, str, float, str, str]]) -> ComputationResult:
    """(id, poste, factor_id, quantity, unit, data quality) lines through the real engine."""
    frame = pd.DataFrame(lines, columns=["id", "poste", "factor_id", "quantity", "unit",
                                         "data_quality"])  # fmt: skip
    return compute(frame, library(), line_numbers=frame["id"].to_numpy())


def line_infos(result: ComputationResult, activities: dict[int, str]) -> tuple[LineInfo, ...]:
    factors = library().factors.set_index("factor_id")
    out = []
    for row in result.lines.to_dict("records"):
        out.append(LineInfo(
            line_id=row["line"], poste=row["poste"], activity=activities[row["line"]],
            factor_id=row["factor_id"], quantity=row["quantity_in_factor_unit"],
            unit=row["factor_unit"], data_quality="measured", kgco2e=row["kgco2e"],
            kgco2e_in_poste=row["kgco2e_in_poste"], upstream_kg=row["kgco2e_upstream_4_1"],
            co2b_kg=row["co2b_kg"], uncertainty_pct=row["uncertainty_pct"],
            uncertainty_kg=row["uncertainty_kgco2e"],
            quantity_in_factor_unit=row["quantity_in_factor_unit"],
            factor_unit=row["factor_unit"],
            factor_kg_per_unit=float(factors.loc[row["factor_id"], "total_kgco2e"]),
        ))  # fmt: skip
    return tuple(out)


def factor_info(factor_id: str, lines: int, kg: float, **kw: Any) -> FactorInfo:
    row = library().factors.set_index("factor_id").loc[factor_id]
    fields: dict[str, Any] = {
        "factor_id": factor_id, "name": row["name_fr"], "unit": row["unit"],
        "kg_per_unit": float(row["total_kgco2e"]), "source": row["source"], "source_ref": None,
        "library_version": library().version, "uncertainty_pct": float(row["uncertainty_pct"]),
        "uncertainty_is_default": True, "checked": False, "estimate": False, "lines": lines,
        "kgco2e": kg,
    }  # fmt: skip
    return FactorInfo(**(fields | kw))


def period_a(**kw: Any) -> PeriodReport:
    result = result_of([
        (1, "2.1", ELEC, 10.0, "MWh", "measured"),
        (2, "1.2", DIESEL, 1000.0, "litre", "measured"),
    ])  # fmt: skip
    lines = line_infos(result, {1: "Électricité des bâtiments", 2: "Gazole des dameuses (GNR)"})
    fields: dict[str, Any] = {
        "company": CompanyInfo("Alpha Remontées", "FR", "lift", "000000001", "Vars", "skier-day"),
        "year": 2024,
        "status": "validated",
        "is_base_year": True,
        "result": result,
        "lines": lines,
        "factors": (factor_info(DIESEL, 1, 3100.0), factor_info(ELEC, 1, 520.0)),
        # Scopes 1+2 = 520 (2.1) + 3,100 (1.2) = 3,620; scope 3 = 0.
        "history": (
            YearTotal(2024, 3620.0, result.uncertainty_kgco2e, "validated", True, 3620.0, 0.0),
        ),
        "targets": (),
        "actions": (
            ActionInfo(
                "Éco-conduite des dameuses",
                "done",
                ("1.2",),
                "Direction",
                expected_t_per_year=0.2,
                achieved_t=0.1,
            ),
            ActionInfo("Variateurs de vitesse", "planned", ("2.1",), expected_t_per_year=0.05),
            ActionInfo("Abandoned idea", "abandoned", ("2.1",), expected_t_per_year=9.0),
        ),
        "enrolments": (
            Enrolled(
                "Parcours Zéro Carbone Montagne", "Cohorte 2", date(2026, 3, 2), date(2026, 11, 2)
            ),
        ),
        "fte": 25.0,
        "revenue_keur": 4200.0,
        "sector_activity": None,
        "generated_on": TODAY,
    }
    return PeriodReport(**(fields | kw))


def cohort_company(company_id: int, name: str, **kw: Any) -> CohortCompany:
    fields: dict[str, Any] = {
        "company_id": company_id, "name": name, "country": "FR", "sector": "lift", "fte": 10.0,
        "base_year": 2023, "base_kg": 10_000.0, "latest_year": 2025, "latest_kg": 9_000.0,
        "latest_status": "validated", "latest_by_category": {1: 6_000.0, 2: 3_000.0},
        "stage": "planning", "validated": True, "actions": 2, "quantified": 1,
        "expected_t": 1.5, "achieved_t": 0.0, "validated_periods": 2,
    }  # fmt: skip
    return CohortCompany(**(fields | kw))


def cohort(**kw: Any) -> CohortReport:
    """Three companies: two measured (9 t, 3 t), one not started."""
    companies = (
        cohort_company(1, "Remontées du Vallon"),
        cohort_company(2, "Hôtel Les Mélèzes", sector="hotel", base_kg=4_000.0, latest_kg=3_000.0,
                       latest_by_category={1: 1_000.0, 4: 2_000.0}, fte=5.0, actions=3,
                       quantified=2, expected_t=2.25, achieved_t=0.5, stage="acting"),
        cohort_company(3, "Fromagerie de la Tinée", sector="agrifood", base_year=None,
                       base_kg=None, latest_year=None, latest_kg=None, latest_status=None,
                       latest_by_category={}, stage="not_started", validated=False, actions=0,
                       validated_periods=0,
                       quantified=0, expected_t=0.0),
    )  # fmt: skip
    fields: dict[str, Any] = {
        "programme": "Parcours Zéro Carbone Montagne", "programme_code": "PZCM",
        "cohort": "Cohorte 2", "start": date(2026, 3, 2), "end": date(2026, 11, 2),
        "companies": companies, "coaches": ("Carol Coach",),
        "library_versions": {library().version: 4}, "generated_on": TODAY,
    }  # fmt: skip
    return CohortReport(**(fields | kw))
