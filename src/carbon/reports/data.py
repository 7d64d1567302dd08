"""Filling the reports' plain data (reports/model.py) from the database.

The only module of carbon.reports that knows SQLAlchemy; the PDF and spreadsheet builders take
what it returns, so they are tested without a database. Periods are computed with their pinned
factor library (methodology rule 6), as the pages do, but the lines of all the periods a report
needs are read in one query: a 300-company cohort report must not run 600 queries.

The cohort report's data is filled in data_cohort.py, with the same ``compute_periods``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.gases import DEFAULT_GWP_SET
from carbon.accounting.gwp import restate
from carbon.accounting.headcount import year_fte
from carbon.accounting.montecarlo import monte_carlo as run_monte_carlo
from carbon.accounting.results import ComputationResult
from carbon.db.compute import (
    LINE_COLUMNS,
    compute_many,
    compute_period,
    library_for,
    select_frame,
)
from carbon.db.models import Action, ActivityLine, Company, ReportingPeriod
from carbon.factors.bundled import find_activity
from carbon.factors.gwp import load_gwp_table
from carbon.reports.data_spend import spend_infos
from carbon.reports.data_vsme import vsme_figures
from carbon.reports.model import (
    ActionInfo,
    CompanyInfo,
    Enrolled,
    FactorInfo,
    LineInfo,
    PeriodReport,
    TargetInfo,
    YearTotal,
)

_COLUMNS = (*LINE_COLUMNS, "evidence_ref", "period_id")
# The order actions are listed in a plan: what is under way first, what was dropped last.
_ACTION_ORDER = {"in_progress": 0, "planned": 1, "identified": 2, "done": 3, "abandoned": 4}


def _opt(value: Any) -> Any:
    """None for pandas' missing values (NA, NaN), the value otherwise."""
    return None if value is None or pd.isna(value) else value


def named(obj: Any, locale: str) -> str:
    """``name_it`` (or fr, en) of a row that has the three, falling back to French."""
    return str(getattr(obj, f"name_{locale}", None) or obj.name_fr or "")


def _lines(session: Session, period_ids: Sequence[int]) -> pd.DataFrame:
    cols = [getattr(ActivityLine, c) for c in _COLUMNS]
    stmt = select(*cols).where(ActivityLine.period_id.in_(period_ids)).order_by(ActivityLine.id)
    return select_frame(session, stmt, _COLUMNS).set_index("id", drop=False)


def compute_periods(
    session: Session, periods: Iterable[ReportingPeriod]
) -> tuple[dict[int, ComputationResult | None], pd.DataFrame]:
    """Each period's result (None where its data cannot be computed) and all their lines.

    Results come from :func:`carbon.db.compute.compute_many` (cached, coded once per library,
    the deployment's uncertainty scale); the lines are read for the report's line tables.
    """
    periods = list(periods)
    computed = compute_many(session, [(p.id, p.library_version_id) for p in periods])
    results = {pid: result for pid, (result, _postes) in computed.items()}
    return results, _lines(session, [p.id for p in periods])


def company_info(company: Company) -> CompanyInfo:
    municipality = next((s.municipality for s in company.sites if s.municipality), None)
    return CompanyInfo(
        name=company.name,
        country=company.country,
        sector=company.sector,
        legal_id=company.legal_id,
        municipality=municipality,
        sector_unit_label=company.sector_unit_label,
    )


def _factor_name(row: dict[str, Any], locale: str) -> str:
    for col in (f"name_{locale}", "name_fr", "name_en"):
        if _opt(row.get(col)):
            return str(row[col])
    return str(row["factor_id"])


def _factor_rows(lib: FactorLibrary, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The library's rows for ``ids`` as plain dicts (a full ADEME library has 20,000)."""
    f = lib.factors
    rows = f.loc[f["factor_id"].isin(list(set(ids)))].to_dict("records")
    return {str(r["factor_id"]): {str(k): v for k, v in r.items()} for r in rows}


def _line_infos(
    result: ComputationResult,
    frame: pd.DataFrame,
    lib: FactorLibrary,
    company: Company,
    locale: str,
) -> tuple[LineInfo, ...]:
    if frame.empty:
        return ()
    detail = result.lines.set_index("line").to_dict("index")
    factors = _factor_rows(lib, frame["factor_id"])
    sites = {s.id: s.name for s in company.sites}
    out = []
    for row in frame.to_dict("records"):
        d = detail[row["id"]]
        activity = find_activity(str(row["activity_id"])) if _opt(row["activity_id"]) else None
        fac = factors[str(row["factor_id"])]
        out.append(
            LineInfo(
                line_id=int(row["id"]),
                poste=str(row["poste"]),
                activity=activity.name(locale) if activity else _factor_name(fac, locale),
                factor_id=str(row["factor_id"]),
                quantity=float(row["quantity"]),
                unit=str(row["unit"]),
                data_quality=str(row["data_quality"]),
                kgco2e=float(d["kgco2e"]),
                kgco2e_in_poste=float(d["kgco2e_in_poste"]),
                upstream_kg=float(d["kgco2e_upstream_4_1"]),
                co2b_kg=float(d["co2b_kg"]),
                uncertainty_pct=float(d["uncertainty_pct"]),
                uncertainty_kg=float(d["uncertainty_kgco2e"]),
                quantity_in_factor_unit=float(d["quantity_in_factor_unit"]),
                factor_unit=str(d["factor_unit"]),
                factor_kg_per_unit=float(fac["total_kgco2e"]),
                site=sites.get(_opt(row["site_id"])),
                comment=_opt(row["comment"]),
                evidence=_opt(row["evidence_ref"]),
                supplier_factor=_opt(row["supplier_factor_kgco2e"]),
            )
        )
    return tuple(out)


def _factor_infos(
    lines: Sequence[LineInfo], lib: FactorLibrary, locale: str
) -> tuple[FactorInfo, ...]:
    used: dict[str, list[LineInfo]] = defaultdict(list)
    for line in lines:
        used[line.factor_id].append(line)
    factors = _factor_rows(lib, used)
    out = []
    for fid, its_lines in used.items():
        row = factors[fid]
        u = _opt(row["uncertainty_pct"])
        out.append(
            FactorInfo(
                factor_id=fid,
                name=_factor_name(row, locale),
                unit=str(_opt(row["unit"]) or ""),
                kg_per_unit=float(row["total_kgco2e"]),
                source=str(_opt(row["source"]) or ""),
                source_ref=_opt(row["source_ref"]),
                library_version=lib.version,
                uncertainty_pct=None if u is None else float(u),
                uncertainty_is_default=bool(row["uncertainty_is_default"]),
                checked=bool(row["checked"]),
                estimate=bool(row["estimate"]),
                lines=len(its_lines),
                kgco2e=sum(line.kgco2e for line in its_lines),
            )
        )
    return tuple(sorted(out, key=lambda f: -f.kgco2e))


def _action_info(a: Action) -> ActionInfo:
    return ActionInfo(
        title=a.title,
        status=a.status,
        postes=tuple(a.poste_list),
        owner=a.owner,
        start=a.start_date,
        end=a.end_date,
        cost_eur=a.cost_eur,
        expected_t_per_year=a.expected_avoided_tco2e_per_year,
        achieved_t=a.achieved_avoided_tco2e,
    )


def period_report(
    session: Session,
    period: ReportingPeriod,
    locale: str,
    today: date | None = None,
    monte_carlo: bool = False,
    gwp_set: str = DEFAULT_GWP_SET,
) -> PeriodReport:
    """Everything the company report and the period exports show; with ``monte_carlo``, the
    seeded Monte Carlo check of the uncertainty for the PDF's method annex (10,000 draws).

    Raises ComputationError when the period's own data cannot be computed (other years that
    cannot be are shown without a total). ``gwp_set`` AR6 restates this period's figures, lines
    and factors (methodology § 10); the other years' history stays as computed (AR5).
    """
    company = period.company
    results, frame = compute_periods(session, company.periods)
    result = results[period.id] or compute_period(session, period)
    lib = library_for(session, period.library_version_id)
    if gwp_set != DEFAULT_GWP_SET:
        result = compute_period(session, period, gwp_set=gwp_set)
        lib = restate(lib, load_gwp_table(), gwp_set)
    own = frame[frame["period_id"] == period.id]
    lines = _line_infos(result, own, lib, company, locale)
    activity_ids = {int(i): _opt(a) for i, a in zip(own["id"], own["activity_id"], strict=True)}

    def total(pid: int) -> float | None:
        r = results.get(pid)
        return None if r is None else r.total_kgco2e

    def uncertainty(pid: int) -> float | None:
        r = results.get(pid)
        return None if r is None else r.uncertainty_kgco2e

    def group(pid: int, scopes: tuple[int, ...]) -> float | None:
        r = results.get(pid)
        return None if r is None else sum(r.by_scope[s] for s in scopes)

    history = tuple(
        YearTotal(
            p.year,
            total(p.id),
            uncertainty(p.id),
            p.status,
            p.is_base_year,
            group(p.id, (1, 2)),
            group(p.id, (3,)),
        )
        for p in sorted(company.periods, key=lambda p: p.year)
    )
    targets = tuple(
        TargetInfo(
            t.base_period.year,
            total(t.base_period_id),
            t.target_year,
            t.reduction_pct,
            t.kind,
            t.intensity_unit,
        )
        for t in sorted(company.targets, key=lambda t: t.target_year)
    )
    actions = sorted(company.actions, key=lambda a: (_ACTION_ORDER.get(a.status, 9), a.title))
    enrolments = tuple(
        Enrolled(
            named(e.cohort.programme, locale),
            e.cohort.name,
            e.cohort.start_date,
            e.cohort.end_date,
        )
        for e in company.enrolments
    )
    validated = period.validated_at.date() if period.validated_at else None
    return PeriodReport(
        company=company_info(company),
        year=period.year,
        status=period.status,
        is_base_year=period.is_base_year,
        result=result,
        lines=lines,
        factors=_factor_infos(lines, lib, locale),
        history=history,
        targets=targets,
        actions=tuple(_action_info(a) for a in actions),
        enrolments=enrolments,
        fte=year_fte(period.fte, company.fte),
        revenue_keur=period.revenue_keur,  # the year's own, as everywhere (methodology §11)
        sector_activity=period.sector_activity,
        validated_on=validated,
        generated_on=today or date.today(),
        monte_carlo=run_monte_carlo(result.lines) if monte_carlo and lines else None,
        vsme=vsme_figures(session, period, result, lib),
        spend=spend_infos(session, period, result, lines, activity_ids, locale),
    )
