"""A period's results: the dashboard, and the drill-down from a poste to its lines and factors.

Every figure of the dashboard links down to the lines behind it, and each line names its factor
(source, identifier, library version, uncertainty), so a figure can be traced to activity data ×
emission factor as the methodology asks. Nothing here writes: the pages are for everyone who
may see the company (its members, its coaches, administrators).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from carbon.accounting.engine import ComputationError, moved_column
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.notices import grouped
from carbon.accounting.postes import (
    ENERGY_POSTES,
    POSTES_BY_CODE,
    Poste,
    normalise_poste,
)
from carbon.accounting.progress import Change
from carbon.accounting.results import ComputationResult
from carbon.db.compute import compute_period, library_for
from carbon.db.models import ReportingPeriod
from carbon.i18n import MISSING, fmt_kg, fmt_number, fmt_pct, fmt_tco2e, get_locale, gettext
from carbon.web.dashboard_data import factor_name, line_infos, load_dashboard
from carbon.web.deps import DashboardsDep, Id, PrincipalDep, SessionDep
from carbon.web.loaders import not_found, period_or_404
from carbon.web.results_view import (
    GroupRow,
    LineInfo,
    YearRow,
    factor_record,
)
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)


# ---- Drill-down: a poste's lines and their factors ---------------------------------------------


@dataclass(frozen=True)
class FactorInfo:
    factor_id: str
    name: str
    unit: str
    total_kgco2e: float  # per unit
    source: str
    source_ref: str
    library_version: str
    uncertainty_pct: float | None  # None: the source gives none (the engine assumes a default)
    uncertainty_is_default: bool
    checked: bool
    estimate: bool
    country: str
    subposts: tuple[tuple[str, str, float], ...]  # (name, kind, kgCO2e per unit)

    @property
    def combustion_kgco2e(self) -> float:
        return sum(v for _n, kind, v in self.subposts if kind == "combustion")


@dataclass(frozen=True)
class PosteLine:
    line: LineInfo
    origin_poste: str  # the line's own poste (an energy poste for "upstream of energy" rows)
    upstream: bool  # this row is the upstream part of an energy line, counted in 4.1
    kgco2e: float  # what this poste counts of the line
    share_pct: float | None
    uncertainty_pct: float
    upstream_kgco2e: float  # for an energy line: the part sent to 4.1
    factor: FactorInfo


@dataclass(frozen=True)
class PosteDetail:
    poste: Poste
    kgco2e: float
    uncertainty_kgco2e: float
    lines: tuple[PosteLine, ...]
    factors: tuple[FactorInfo, ...]
    energy_factors: frozenset[str]  # used by energy lines here: their split matters


def factor_info(library: FactorLibrary, factor_id: str, locale: str) -> FactorInfo:
    f = factor_record(library, factor_id)
    sp = library.subposts[library.subposts["factor_id"] == factor_id]
    return FactorInfo(
        factor_id=factor_id,
        name=factor_name(library, factor_id, locale),
        unit=f["unit"] or "",
        total_kgco2e=float(f["total_kgco2e"]),
        source=f["source"] or "",
        source_ref=f["source_ref"] or "",
        library_version=library.version,
        uncertainty_pct=f["uncertainty_pct"],
        uncertainty_is_default=bool(f["uncertainty_is_default"]),
        checked=bool(f["checked"]),
        estimate=bool(f["estimate"]),
        country=f["country"] or "",
        subposts=tuple(
            (str(r["name"]), str(r["kind"]), float(r["kgco2e"])) for r in sp.to_dict("records")
        ),
    )


def poste_detail(
    result: ComputationResult,
    library: FactorLibrary,
    lines: dict[int, LineInfo],
    code: str,
    locale: str,
) -> PosteDetail:
    """The lines behind a poste; for 4.1 also the upstream part of energy lines of other postes."""
    d = result.lines
    total = result.by_poste[code]
    factors: dict[str, FactorInfo] = {}
    rows = []
    parts = [(d[d["poste"] == code], "kgco2e_in_poste", False)]
    # Parts of energy lines moved here by their sub-post kind (upstream to 4.1, manufacture…).
    moved = moved_column(code)
    if moved in d.columns:
        parts.append((d[d[moved] > 0], moved, True))
    for frame, column, upstream in parts:
        for r in frame.to_dict("records"):
            fid = str(r["factor_id"])
            if fid not in factors:
                factors[fid] = factor_info(library, fid, locale)
            kg = float(r[column])
            rows.append(
                PosteLine(
                    line=lines[int(r["line"])],
                    origin_poste=str(r["poste"]),
                    upstream=upstream,
                    kgco2e=kg,
                    share_pct=100.0 * kg / total if total else None,
                    uncertainty_pct=float(r["uncertainty_pct"]),
                    upstream_kgco2e=0.0 if upstream else float(r["kgco2e_upstream_4_1"]),
                    factor=factors[fid],
                )
            )
    rows.sort(key=lambda row: -row.kgco2e)
    energy = frozenset(r.factor.factor_id for r in rows if r.origin_poste in ENERGY_POSTES)
    return PosteDetail(
        POSTES_BY_CODE[code], total, result.uncertainty_by_poste[code], tuple(rows),
        tuple(factors.values()), energy,
    )  # fmt: skip


# ---- Chart data (the markup is documented at the top of static/app.js) ----------------------


def _tonnes(kg: float) -> float:
    return round(kg / 1000.0, 3)


def breakdown_chart(groups: Sequence[GroupRow]) -> dict[str, object]:
    """A category or scope breakdown; each keeps its colour (palette) when others are absent."""
    shown = [g for g in groups if g.kgco2e > 0]
    return {
        "labels": [g.label for g in shown],
        "series": [{"label": gettext("Emissions"), "values": [_tonnes(g.kgco2e) for g in shown]}],
        "unit": "t CO₂e",
        "palette": [g.key for g in shown],
    }


def history_chart(history: Sequence[YearRow]) -> dict[str, object]:
    """Total per year, with the base-year level drawn as a dashed line to compare against."""
    years = [(y, y.result) for y in history if y.result is not None]
    series: list[dict[str, object]] = [
        {"label": gettext("Total"), "values": [_tonnes(r.total_kgco2e) for _y, r in years]}
    ]
    for y, r in years:
        if y.is_base_year:
            series.append(
                {
                    "label": gettext("Base year %(year)s") % {"year": y.year},
                    "values": [_tonnes(r.total_kgco2e)] * len(years),
                    "dashed": True,
                }
            )
    return {
        "labels": [
            f"{y.year} ({gettext('base year')})" if y.is_base_year else str(y.year)
            for y, _r in years
        ],
        "series": series,
        "unit": "t CO₂e",
    }


def _signed(text: str, value: float) -> str:
    # An increase reads as "+": a bare number next to a decrease would look like a level.
    return "+" + text if value > 0 and text != MISSING else text


def fmt_change(c: Change | None, unit: str = "t") -> str:
    """``+0.6 t CO₂e (+17.1 %)``; ``unit`` "t", "kg", or "pct" for the percentage alone."""
    if c is None or (c.absolute == 0 and c.relative_pct is None):
        return MISSING  # nothing then, nothing now
    pct = MISSING if c.relative_pct is None else _signed(fmt_pct(c.relative_pct), c.relative_pct)
    if unit == "pct":
        return pct
    amount = fmt_tco2e(c.absolute) if unit == "t" else fmt_kg(c.absolute)
    return f"{_signed(amount, c.absolute)} ({pct})"


def fmt_factor(value: float) -> str:
    """A factor as its source writes it (0.052, 3.1, 450): no rounding, no padding zeros."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    digits = max(0, -exponent) if isinstance(exponent, int) else 0
    return fmt_number(value, digits=min(digits, 6))


# ---- Pages -------------------------------------------------------------------------------------


def _base_context(period: ReportingPeriod) -> dict[str, Any]:
    return {
        "period": period,
        "company": period.company,
        "errors": [],
        "fmt_change": fmt_change,
        "fmt_factor": fmt_factor,
    }


@router.get("/periods/{period_id}/results")
def results_page(
    request: Request,
    period_id: Id,
    session: SessionDep,
    principal: PrincipalDep,
    kept: DashboardsDep,
    breakdown: Annotated[Literal["categories", "scopes"], Query()] = "categories",
) -> Response:
    """The dashboard; an htmx request gets only the breakdown block (categories ⇄ scopes)."""
    period = period_or_404(session, principal, period_id)
    ctx = _base_context(period) | {"breakdown": breakdown}
    try:
        dash = load_dashboard(session, period, kept)
    except ComputationError as exc:
        ctx["errors"] = exc.errors
        return render(request, "results.html", ctx)
    groups = dash.categories if breakdown == "categories" else dash.scopes
    ctx.update(
        dash=dash,
        result=dash.result,
        warning_groups=grouped(dash.result.warnings),
        groups=groups,
        breakdown_chart=breakdown_chart(groups),
        history_chart=history_chart(dash.history),
    )
    return render(request, "results.html", ctx, blocks=["breakdown"])


@router.get("/periods/{period_id}/postes/{code}")
def poste_page(
    request: Request, period_id: Id, code: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    period = period_or_404(session, principal, period_id)
    try:
        code = normalise_poste(code)
    except ValueError:
        raise not_found() from None
    ctx = _base_context(period)
    try:
        result = compute_period(session, period)
    except ComputationError as exc:
        ctx["errors"] = exc.errors
        return render(request, "poste.html", ctx | {"poste": POSTES_BY_CODE[code]})
    locale = get_locale()
    library = library_for(session, period.library_version_id)
    detail = poste_detail(
        result, library, line_infos(session, period, library, locale), code, locale
    )
    return render(request, "poste.html", ctx | {"poste": detail.poste, "detail": detail})
