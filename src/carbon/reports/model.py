"""Plain data the reports are built from: no database, no web framework.

``reports/data.py`` fills these from the database; tests fill them by hand, so every PDF and
spreadsheet can be checked without a database. Derived figures (change vs the base year,
intensities, trajectories, programme KPIs) are computed here, with carbon.accounting.progress,
once: the PDF and the spreadsheets then cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from carbon.accounting import progress
from carbon.accounting.montecarlo import MonteCarloResult
from carbon.accounting.postes import POSTES_BY_CODE
from carbon.accounting.results import ComputationResult, scope3_split
from carbon.accounting.uncertainty import rank_sources

if TYPE_CHECKING:  # the annotation only: vsme.py loads openpyxl, which a PDF does not need
    from carbon.reports.vsme import EsrsE16, VsmeB3

# Statuses of an action that count in the plan (an abandoned action is history, not a plan).
LIVE_ACTION_STATUSES = ("identified", "planned", "in_progress", "done")


@dataclass(frozen=True)
class CompanyInfo:
    name: str
    country: str
    sector: str
    legal_id: str | None = None
    municipality: str | None = None
    sector_unit_label: str | None = None  # "skier-day", "overnight stay"…


@dataclass(frozen=True)
class Enrolled:
    """A cohort the company follows, as named in the reader's language."""

    programme: str
    cohort: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class YearTotal:
    year: int
    total_kg: float | None  # None when the period cannot be computed
    uncertainty_kg: float | None
    status: str
    is_base_year: bool = False
    scopes_1_2_kg: float | None = None  # scope 2 location-based; for the SBTi references
    scope_3_kg: float | None = None


@dataclass(frozen=True)
class TargetInfo:
    base_year: int
    base_kg: float | None
    target_year: int
    reduction_pct: float
    kind: str = "absolute"  # or "intensity" (then intensity_unit says per what)
    intensity_unit: str | None = None


@dataclass(frozen=True)
class ActionInfo:
    title: str
    status: str
    postes: tuple[str, ...] = ()
    owner: str | None = None
    start: date | None = None
    end: date | None = None
    cost_eur: float | None = None
    expected_t_per_year: float | None = None
    achieved_t: float | None = None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ACTION_STATUSES

    @property
    def is_quantified(self) -> bool:
        return self.is_live and bool(self.expected_t_per_year)


@dataclass(frozen=True)
class LineInfo:
    """An activity line with what the engine made of it."""

    line_id: int
    poste: str
    activity: str  # the activity's name, or the factor's where the line has no activity
    factor_id: str
    quantity: float
    unit: str
    data_quality: str
    kgco2e: float  # the whole line: its poste's part plus the upstream part moved to 4.1
    kgco2e_in_poste: float
    upstream_kg: float
    co2b_kg: float
    uncertainty_pct: float
    uncertainty_kg: float
    quantity_in_factor_unit: float
    factor_unit: str
    factor_kg_per_unit: float
    site: str | None = None
    comment: str | None = None
    evidence: str | None = None
    supplier_factor: float | None = None


@dataclass(frozen=True)
class FactorInfo:
    """A factor the period used, for the methodology annex (methodology.md: traceability)."""

    factor_id: str
    name: str
    unit: str
    kg_per_unit: float
    source: str
    source_ref: str | None
    library_version: str
    uncertainty_pct: float | None
    uncertainty_is_default: bool
    checked: bool  # checked against the official ADEME export
    estimate: bool  # a labelled estimate, not a published value
    lines: int
    kgco2e: float


@dataclass(frozen=True)
class Source:
    """One of the largest sources: an activity in a poste, its lines added up."""

    activity: str
    poste: str
    kgco2e: float
    share_pct: float


FINAL_STATUSES = frozenset({"validated", "locked"})


@dataclass(frozen=True)
class UncertaintySource:
    """An emission source (lines of one factor, poste and data quality), named by its largest
    line, with its share of the total's variance (methodology.md § 9)."""

    line: LineInfo
    lines: int
    kgco2e: float
    uncertainty_kg: float
    variance_share_pct: float


@dataclass(frozen=True)
class SpendInfo:
    """A spend line to replace with physical data first (methodology.md § 17)."""

    activity: str
    poste: str
    kgco2e: float
    share_total_pct: float
    share_uncertainty_pct: float
    hint: str  # the physical data that would replace it, in the report's language


@dataclass(frozen=True)
class PeriodReport:
    company: CompanyInfo
    year: int
    status: str
    is_base_year: bool
    result: ComputationResult
    lines: tuple[LineInfo, ...]
    factors: tuple[FactorInfo, ...]
    history: tuple[YearTotal, ...]  # every period of the company, oldest first
    targets: tuple[TargetInfo, ...] = ()
    actions: tuple[ActionInfo, ...] = ()
    enrolments: tuple[Enrolled, ...] = ()
    fte: float | None = None
    revenue_keur: float | None = None
    sector_activity: float | None = None  # in company.sector_unit_label
    validated_on: date | None = None
    generated_on: date = field(default_factory=date.today)
    monte_carlo: MonteCarloResult | None = None  # the method annex's check, when asked for
    # VSME B3 and ESRS E1-6, the objects `carbon export vsme` writes (reports/data_vsme.py)
    vsme: tuple[VsmeB3, EsrsE16] | None = None
    spend: tuple[SpendInfo, ...] = ()  # the biggest spend lines, biggest first (data_spend.py)

    @property
    def base(self) -> YearTotal | None:
        return next((y for y in self.history if y.is_base_year), None)

    @property
    def is_draft(self) -> bool:
        """Not validated by the coach yet (draft, submitted or reopened): the figures may move,
        so every page says so."""
        return self.status not in FINAL_STATUSES

    @property
    def change_vs_base(self) -> progress.Change | None:
        """Change of the total since the base year; None in the base year itself."""
        base = self.base
        if base is None or base.year == self.year or base.total_kg is None:
            return None
        return progress.change(self.result.total_kgco2e, base.total_kg)

    @property
    def intensities(self) -> list[tuple[str, float]]:
        """(denominator, kgCO2e per unit) for each denominator the period has."""
        total = self.result.total_kgco2e
        out: list[tuple[str, float]] = []
        for key, denominator in (
            ("fte", self.fte),
            ("revenue_keur", self.revenue_keur),
            ("sector_activity", self.sector_activity),
        ):
            value = progress.intensity(total, denominator)
            if value is not None:
                out.append((key, value))
        return out

    def trajectories(self) -> dict[str, dict[int, float]]:
        """Reference paths from the base year, one per SBTi scope group (scopes 1+2 at 4.2 %/yr,
        1.5 °C; scope 3 at 2.5 %/yr, well below 2 °C; never 4.2 % of the whole), and the target."""
        base = self.base
        if base is None or base.total_kg is None:
            return {}
        end = max([self.year, base.year + 5, *(t.target_year for t in self.targets)])
        years = range(base.year, end + 1)
        out: dict[str, dict[int, float]] = {}
        if base.scopes_1_2_kg is not None and base.scope_3_kg is not None:
            out["sbti_s12"] = progress.linear_trajectory(
                base.scopes_1_2_kg, base.year, progress.SBTI_1_5C, years
            )
            out["sbti_s3"] = progress.linear_trajectory(
                base.scope_3_kg, base.year, progress.WELL_BELOW_2C, years
            )
        for t in self.targets:
            if t.kind == "absolute" and t.base_kg is not None and t.target_year > t.base_year:
                out["target"] = progress.target_trajectory(
                    t.base_kg, t.base_year, t.target_year, t.reduction_pct, years
                )
                break
        return out

    def largest_sources(self, n: int = 10) -> list[Source]:
        """Activities by emissions (any poste kept out of the total left out), largest first."""
        sums: dict[tuple[str, str], float] = {}
        for line in self.lines:
            if POSTES_BY_CODE[line.poste].reported_apart:
                continue
            key = (line.activity, line.poste)
            sums[key] = sums.get(key, 0.0) + line.kgco2e
        total = self.result.total_kgco2e
        ranked = sorted(sums.items(), key=lambda kv: -kv[1])[:n]
        return [Source(a, p, kg, 100.0 * kg / total if total else 0.0) for (a, p), kg in ranked]

    def quality_shares(self) -> dict[str, tuple[int, float]]:
        """Per data quality: number of lines and share (%) of the emissions."""
        total = sum(abs(line.kgco2e) for line in self.lines) or 1.0
        out: dict[str, tuple[int, float]] = {}
        for line in self.lines:
            n, kg = out.get(line.data_quality, (0, 0.0))
            out[line.data_quality] = (n + 1, kg + abs(line.kgco2e))
        return {q: (n, 100.0 * kg / total) for q, (n, kg) in out.items()}

    def uncertainty_sources(self, n: int = 5) -> list[UncertaintySource]:
        """The sources weighing most in the total's uncertainty: what to improve next."""
        if not self.lines:
            return []
        by_id = {line.line_id: line for line in self.lines}
        frame = pd.DataFrame(
            {
                "line": [ln.line_id for ln in self.lines],
                "factor_id": [ln.factor_id for ln in self.lines],
                "poste": [ln.poste for ln in self.lines],
                "data_quality": [ln.data_quality for ln in self.lines],
                "kgco2e": [ln.kgco2e for ln in self.lines],
                "uncertainty_pct": [ln.uncertainty_pct for ln in self.lines],
            }
        )
        ranked = rank_sources(frame, self.result.uncertainty_kgco2e, n)
        return [
            UncertaintySource(by_id[int(r["line"])], int(r["lines"]), float(r["kgco2e"]),
                              float(r["uncertainty_kgco2e"]), 100.0 * float(r["variance_share"]))
            for r in ranked.to_dict("records")
        ]  # fmt: skip

    @property
    def postes_with_data(self) -> set[str]:
        return {line.poste for line in self.lines}

    def scope3_by_category(self) -> dict[int | None, float]:
        """Scope 3 by GHG Protocol category; None is poste 3.4, which has no category: the
        split of the ESRS E1-6 table (upstream energy in 4.1 is category 3), from the report's
        own lines (a report is rendered apart from its result's line detail)."""
        return scope3_split(self.result.by_poste, sum(line.upstream_kg for line in self.lines))
