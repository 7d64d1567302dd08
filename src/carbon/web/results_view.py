"""What the results pages and the results API show, derived from a period's computation.

The dashboard, its htmx blocks, the drill-down by poste and ``GET /api/periods/{id}/results``
must show the same figures, so they are derived once, here, from a
:class:`~carbon.accounting.results.ComputationResult`, the factor library it used and plain
facts about the period. Templates only format; tests check each figure without a browser.
:func:`build_dashboard` is pure; ``carbon.web.dashboard_data.load_dashboard`` gathers its
inputs from the database first. It is two steps: :func:`own_figures`, from the period alone,
and :func:`compare_years`, against the base year and the company's history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from carbon.accounting.engine import moved_column
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.postes import CATEGORY_LABELS, POSTE_CODES, POSTES, Poste
from carbon.accounting.progress import Change, change, intensity
from carbon.accounting.results import ComputationResult
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.i18n import N_, gettext
from carbon.web.spend_view import SpendRow, spend_rows

TOP_SOURCES = 5
TOP_IMPROVEMENTS = 5
MIN_IMPROVEMENT_SHARE = 0.005  # of the total's variance


@dataclass(frozen=True)
class LineInfo:
    """What the pages say about an activity line besides the engine's figures."""

    line_id: int
    label: str  # the activity's name in the reader's language, else the factor's
    data_quality: str
    quantity: float
    unit: str
    comment: str | None = None
    evidence_ref: str | None = None  # "FEC <digest> <account>/<supplier>" for a line from books
    activity_id: str | None = None


@dataclass(frozen=True)
class PeriodFacts:
    """The denominators of the intensities (methodology: per FTE, per k€, per sector unit)."""

    year: int
    fte: float | None = None
    revenue_keur: float | None = None
    sector_activity: float | None = None
    sector_unit_label: str | None = None


@dataclass(frozen=True)
class PosteRow:
    poste: Poste
    kgco2e: float
    uncertainty_kgco2e: float
    share_pct: float | None  # of the total; None for poste 1.5, reported apart
    change: Change | None  # vs the base year
    empty: bool  # no line behind it: shown muted


@dataclass(frozen=True)
class GroupRow:
    """A BEGES category or a GHG Protocol scope, with the postes it sums."""

    key: int
    label: str
    kgco2e: float
    share_pct: float | None
    change: Change | None
    postes: tuple[PosteRow, ...]


@dataclass(frozen=True)
class LineRow:
    """A line in the top sources, or an emission source in "what to improve next" (named by
    its largest line; ``lines`` is how many lines of one factor, poste and quality it holds)."""

    line: LineInfo
    poste: str
    factor_id: str
    kgco2e: float
    share_pct: float | None  # of the total emissions (sources) or of its variance (improve)
    uncertainty_pct: float
    hint: str = ""
    lines: int = 1


@dataclass(frozen=True)
class Reliance:
    """Emissions resting on factors of one kind (unchecked against ADEME, labelled estimates)."""

    lines: int
    kgco2e: float
    share_pct: float


@dataclass(frozen=True)
class IntensityRow:
    key: str  # the ReportingPeriod column: fte, revenue_keur, sector_activity
    label: str
    denominator: float | None
    kg_per_unit: float | None
    base_kg_per_unit: float | None
    change: Change | None
    in_tonnes: bool  # per FTE reads best in tonnes, per k€ or per skier-day in kilograms
    unit: str  # of the denominator: FTE, k€, skier-day


@dataclass(frozen=True)
class YearRow:
    period_id: int
    year: int
    is_base_year: bool
    status: str
    result: ComputationResult | None  # None when the period cannot be computed


@dataclass(frozen=True)
class BaseYear:
    year: int
    result: ComputationResult
    facts: PeriodFacts


@dataclass(frozen=True)
class Dashboard:
    result: ComputationResult
    categories: tuple[GroupRow, ...]
    scopes: tuple[GroupRow, ...]
    change: Change | None
    base_year: int | None
    sources: tuple[LineRow, ...]
    improvements: tuple[LineRow, ...]
    intensities: tuple[IntensityRow, ...]
    unchecked: Reliance
    estimates: Reliance
    history: tuple[YearRow, ...]
    spend: tuple[SpendRow, ...] = ()  # the spend lines to replace first (spend_view)


def _share(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def _poste_rows(
    result: ComputationResult, used: set[str], base: ComputationResult | None
) -> dict[str, PosteRow]:
    rows = {}
    for p in POSTES:
        kg = result.by_poste[p.code]
        rows[p.code] = PosteRow(
            poste=p,
            kgco2e=kg,
            uncertainty_kgco2e=result.uncertainty_by_poste[p.code],
            share_pct=None if p.reported_apart else _share(kg, result.total_kgco2e),
            change=None if base is None else change(kg, base.by_poste[p.code]),
            empty=p.code not in used,
        )
    return rows


def used_postes(detail: pd.DataFrame) -> set[str]:
    """Postes with a line behind them, 4.1 included when an energy line sends upstream there."""
    used = set(detail["poste"]) if len(detail) else set()
    for code in POSTE_CODES:
        moved = moved_column(code)
        if len(detail) and moved in detail.columns and (detail[moved] > 0).any():
            used.add(code)
    return used


def _reliance(detail: pd.DataFrame, mask: pd.Series, total: float) -> Reliance:
    kg = float(detail.loc[mask, "kgco2e"].sum())
    return Reliance(int(mask.sum()), kg, _share(kg, total) or 0.0)


HINT_QUALITY = {
    "estimated": N_("Use invoices or meter readings instead of an estimate."),
    "extrapolated": N_("Replace the extrapolation with real figures (meter readings, invoices)."),
}
HINT_SPEND = N_(
    "This factor converts euros spent: give physical quantities (kg, kWh, km) where you can."
)
HINT_ESTIMATE = N_(
    "The factor is a rough estimate: ask your supplier for its own figure or pick a closer one."
)
HINT_FACTOR = N_(
    "Your quantity is already measured: a more specific emission factor (your supplier's own "
    "figure, the exact product) is what would narrow this."
)


def improvement_hint(
    data_quality: str,
    factor_u_pct: float | None,
    factor_unit: str,
    factor_estimate: bool,
    scale: UncertaintyScale,
) -> str:
    """Plain-language advice for a line whose uncertainty weighs on the total, under the
    deployment's data-quality ``scale``."""
    u_activity = scale.quality_pct.get(data_quality, scale.quality_pct[scale.default_quality])
    u_factor = scale.unknown_factor_pct if factor_u_pct is None else factor_u_pct
    if data_quality in HINT_QUALITY and u_activity >= u_factor:
        return gettext(HINT_QUALITY[data_quality])
    if "€" in factor_unit:
        return gettext(HINT_SPEND)
    if factor_estimate:
        return gettext(HINT_ESTIMATE)
    if data_quality in HINT_QUALITY:
        return gettext(HINT_QUALITY[data_quality])
    return gettext(HINT_FACTOR)


def factor_record(library: FactorLibrary, factor_id: str) -> dict[str, Any]:
    """One factor's columns by name, missing values as None."""
    pos = int(library.index.get_indexer(pd.Index([factor_id]))[0])
    if pos < 0:
        raise KeyError(factor_id)
    row = library.factors.iloc[pos]
    return {str(k): (None if pd.isna(v) else v) for k, v in row.to_dict().items()}


def _line_rows(
    frame: pd.DataFrame,
    lines: Mapping[int, LineInfo],
    shares: pd.Series,
    library: FactorLibrary | None = None,
    scale: UncertaintyScale | None = None,
) -> tuple[LineRow, ...]:
    """Rows of the engine's line detail; with ``library``, each with its improvement hint."""
    rows = []
    for r, share in zip(frame.to_dict("records"), shares.tolist(), strict=True):
        info = lines[int(r["line"])]
        hint = ""
        if library is not None:
            f = factor_record(library, str(r["factor_id"]))
            hint = improvement_hint(info.data_quality, f["uncertainty_pct"], str(f["unit"]),
                                    bool(f["estimate"]), scale or UncertaintyScale())  # fmt: skip
        rows.append(
            LineRow(info, str(r["poste"]), str(r["factor_id"]), float(r["kgco2e"]), float(share),
                    float(r["uncertainty_pct"]), hint, int(r.get("lines", 1)))
        )  # fmt: skip
    return tuple(rows)


def intensities(
    total: float, facts: PeriodFacts, base: BaseYear | None
) -> tuple[IntensityRow, ...]:
    unit = facts.sector_unit_label
    specs = (
        ("fte", gettext("per full-time equivalent (FTE)"), True, gettext("FTE")),
        ("revenue_keur", gettext("per k€ of revenue"), False, "k€"),
        ("sector_activity", gettext("per %(unit)s") % {"unit": unit} if unit else "", False,
         unit or ""),
    )  # fmt: skip
    rows = []
    for key, label, tonnes, denominator_unit in specs:
        if not label:
            continue  # the company has no sector unit
        value = intensity(total, getattr(facts, key))
        base_value = None
        if base is not None:
            base_value = intensity(base.result.total_kgco2e, getattr(base.facts, key))
        moved = None
        if value is not None and base_value is not None:
            moved = change(value, base_value)
        rows.append(
            IntensityRow(key, label, getattr(facts, key), value, base_value, moved, tonnes,
                         denominator_unit)
        )  # fmt: skip
    return tuple(rows)


@dataclass(frozen=True)
class OwnFigures:
    """What the dashboard derives from the period alone (its lines, its library), in one
    language: the costly part, reusable while another year of the company changes."""

    result: ComputationResult
    used: frozenset[str]  # postes with lines behind them
    sources: tuple[LineRow, ...]
    improvements: tuple[LineRow, ...]
    unchecked: Reliance
    estimates: Reliance
    spend: tuple[SpendRow, ...] = ()
    rules: tuple[Any, ...] = ()  # the account rules' revision the spend hints were read at


def own_figures(
    result: ComputationResult,
    library: FactorLibrary,
    lines: Mapping[int, LineInfo],
    scale: UncertaintyScale | None = None,
    spend_hints: Mapping[int, str] | None = None,
) -> OwnFigures:
    """The period's largest lines, the emission sources whose uncertainty weighs most (with advice
    under the deployment's data-quality ``scale``), and how much of the total rests on unchecked
    or estimated factors; and the spend lines to replace first, with ``spend_hints`` (line id ->
    its account rule's physical hint, spend_view.rule_hints)."""
    detail = result.lines
    total = result.total_kgco2e
    # Poste 1.5 is reported apart: its lines are neither sources of the total nor in its shares.
    counted = detail[~detail["poste"].isin([p.code for p in POSTES if p.reported_apart])]
    flags = library.factors.set_index("factor_id")
    checked = counted["factor_id"].map(flags["checked"]).fillna(False).astype(bool)
    estimate = counted["factor_id"].map(flags["estimate"]).fillna(False).astype(bool)

    top = counted.nlargest(TOP_SOURCES, "kgco2e")
    top = top[top["kgco2e"] > 0]
    sources = _line_rows(top, lines, top["kgco2e"] / total * 100.0 if total else top["kgco2e"])
    improvements: tuple[LineRow, ...] = ()
    if result.uncertainty_kgco2e > 0 and len(detail):
        worst = result.uncertainty_contributors(TOP_IMPROVEMENTS)
        # A source below half a percent would read "0 %": not worth the reader's attention.
        keep = worst["variance_share"] >= MIN_IMPROVEMENT_SHARE
        keep.iloc[:1] = worst["variance_share"].iloc[:1] > 0
        worst = worst[keep]
        improvements = _line_rows(worst, lines, worst["variance_share"] * 100.0, library, scale)
    return OwnFigures(
        result=result,
        used=frozenset(used_postes(detail)),
        sources=sources,
        improvements=improvements,
        unchecked=_reliance(counted, ~checked, total),
        estimates=_reliance(counted, estimate, total),
        spend=spend_rows(result, lines, spend_hints),
    )


def build_dashboard(
    result: ComputationResult,
    library: FactorLibrary,
    lines: Mapping[int, LineInfo],
    facts: PeriodFacts,
    locale: str,
    base: BaseYear | None = None,
    history: Sequence[YearRow] = (),
    scale: UncertaintyScale | None = None,
) -> Dashboard:
    """Everything the dashboard shows. ``base`` is None for the base year itself, or without one."""
    own = own_figures(result, library, lines, scale)
    return compare_years(own, facts, locale, base, history)


def compare_years(
    own: OwnFigures,
    facts: PeriodFacts,
    locale: str,
    base: BaseYear | None = None,
    history: Sequence[YearRow] = (),
) -> Dashboard:
    """The dashboard from the period's own figures, set against its base year and history."""
    result = own.result
    total = result.total_kgco2e
    base_result = None if base is None else base.result
    postes = _poste_rows(result, set(own.used), base_result)
    categories = tuple(
        GroupRow(
            key=n,
            label=CATEGORY_LABELS[n].get(locale, CATEGORY_LABELS[n]["fr"]),
            kgco2e=kg,
            share_pct=_share(kg, total),
            change=None if base_result is None else change(kg, base_result.by_category[n]),
            postes=tuple(postes[p.code] for p in POSTES if p.category == n),
        )
        for n, kg in result.by_category.items()
    )
    scopes = tuple(
        GroupRow(
            key=s,
            label=gettext("Scope %(n)s") % {"n": s},
            kgco2e=kg,
            share_pct=_share(kg, total),
            change=None if base_result is None else change(kg, base_result.by_scope[s]),
            postes=tuple(postes[p.code] for p in POSTES if p.scope == s and not p.reported_apart),
        )
        for s, kg in result.by_scope.items()
    )
    return Dashboard(
        result=result,
        categories=categories,
        scopes=scopes,
        change=None if base_result is None else change(total, base_result.total_kgco2e),
        base_year=None if base is None else base.year,
        sources=own.sources,
        improvements=own.improvements,
        intensities=intensities(total, facts, base),
        unchecked=own.unchecked,
        estimates=own.estimates,
        history=tuple(history),
        spend=own.spend,
    )
