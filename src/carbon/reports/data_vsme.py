"""A period's VSME B3 and ESRS E1-6 figures from the database, for the export and the PDF alike.

``carbon export vsme`` and the company report both call :func:`vsme_figures`, so the JSON or
workbook a company sends its bank and the page of its PDF are the same objects
(:func:`carbon.reports.vsme.build_b3`, :func:`~carbon.reports.vsme.build_esrs_e1_6`): the
period's result, the energy of its lines (carbon.accounting.energy) and the period's own
turnover (the year's, never another year's or the company's).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from carbon.accounting.energy import energy_use
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.results import ComputationResult
from carbon.db.compute import compute_period, library_for, period_lines
from carbon.db.models import ReportingPeriod
from carbon.factors.energy_contents import load_energy_contents
from carbon.reports.vsme import EsrsE16, VsmeB3, build_b3, build_esrs_e1_6


def vsme_figures(
    session: Session,
    period: ReportingPeriod,
    result: ComputationResult | None = None,
    library: FactorLibrary | None = None,
) -> tuple[VsmeB3, EsrsE16]:
    """B3 and E1-6 of ``period``; ``result`` and its pinned ``library`` when the caller has them
    already. ComputationError when the period's lines cannot be computed."""
    result = result or compute_period(session, period)
    lines = period_lines(session, period.id)
    library = library or library_for(session, period.library_version_id)
    energy = energy_use(lines, library, load_energy_contents())
    b3 = build_b3(result, energy, company=period.company.name, year=period.year,
                  status=period.status, revenue_keur=period.revenue_keur)  # fmt: skip
    return b3, build_esrs_e1_6(result, period.revenue_keur)
