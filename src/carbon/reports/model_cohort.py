"""Plain data of the cohort report and the participation certificates (see reports/model.py).

A cohort is seen through each company's base and latest years and its action plan; the
programme KPIs (programmes.md: actions identified, actions with a quantified target, tCO2e
avoided expected and achieved) are sums over the companies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from carbon.accounting import progress

# How far a company has come in a coached programme, in order (reports/data.py: stage_of).
STAGES = ("not_started", "measuring", "submitted", "validated", "planning", "acting")


# The smallest group of companies a sector or a country may describe in an anonymised report.
ANONYMITY_GROUP = 3


@dataclass(frozen=True)
class CohortCompany:
    """One company of a cohort as the coach and the funders see it."""

    company_id: int
    name: str
    country: str
    sector: str
    fte: float | None
    base_year: int | None
    base_kg: float | None
    latest_year: int | None
    latest_kg: float | None
    latest_status: str | None
    latest_by_category: Mapping[int, float]
    stage: str
    validated: bool  # at least one validated or locked footprint
    # Counted as on the coach's cohort page (carbon.coaching.dashboard), so that the page and
    # the report given to the funders agree: every action identified, abandoned ones included,
    # and those with an expected avoided tCO2e; the expected tonnes leave abandoned ones out.
    actions: int
    quantified: int
    expected_t: float  # tCO2e a year
    achieved_t: float
    validated_periods: int = 0  # footprints (years) validated or locked

    @property
    def change_pct(self) -> float | None:
        if self.base_kg is None or self.latest_kg is None or self.latest_year == self.base_year:
            return None
        return progress.change(self.latest_kg, self.base_kg).relative_pct

    @property
    def t_per_fte(self) -> float | None:
        value = None if self.latest_kg is None else progress.intensity(self.latest_kg, self.fte)
        return None if value is None else value / 1000.0


@dataclass(frozen=True)
class CohortKpis:
    companies: int
    footprints_measured: int  # companies with a footprint
    companies_validated: int  # companies with at least one validated footprint
    footprints_validated: int  # validated footprints (years), all companies together
    actions: int
    quantified: int
    expected_t: float
    achieved_t: float
    latest_total_kg: float


@dataclass(frozen=True)
class CohortReport:
    programme: str
    programme_code: str
    cohort: str
    start: date | None
    end: date | None
    companies: tuple[CohortCompany, ...]
    coaches: tuple[str, ...] = ()
    library_versions: Mapping[str, int] = field(default_factory=dict)  # label -> periods
    anonymised: bool = False
    generated_on: date = field(default_factory=date.today)

    @property
    def kpis(self) -> CohortKpis:
        cs = self.companies
        return CohortKpis(
            companies=len(cs),
            footprints_measured=sum(1 for c in cs if c.latest_kg is not None and c.latest_kg > 0),
            companies_validated=sum(1 for c in cs if c.validated),
            footprints_validated=sum(c.validated_periods for c in cs),
            actions=sum(c.actions for c in cs),
            quantified=sum(c.quantified for c in cs),
            expected_t=sum(c.expected_t for c in cs),
            achieved_t=sum(c.achieved_t for c in cs),
            latest_total_kg=sum(c.latest_kg or 0.0 for c in cs),
        )

    @property
    def by_category(self) -> dict[int, float]:
        """The cohort's footprint by category: each company's latest year, added up."""
        out = {c: 0.0 for c in range(1, 7)}
        for company in self.companies:
            for cat, kg in company.latest_by_category.items():
                out[cat] += kg
        return out

    def anonymise(self, word: str) -> CohortReport:
        """Names replaced by ``word 01``…, numbered by decreasing footprint, not by name.

        In a small cohort the only Italian company, or the only hotel, is named by its country
        or sector as surely as by its name: a sector is kept only when at least
        :data:`ANONYMITY_GROUP` companies of the cohort share it (else "other"), a country
        likewise (else left blank).
        """
        sectors = Counter(c.sector for c in self.companies)
        countries = Counter(c.country for c in self.companies)
        ordered = sorted(self.companies, key=lambda c: (-(c.latest_kg or 0.0), c.company_id))
        width = max(2, len(str(len(ordered))))
        renamed = tuple(
            replace(
                c,
                name=f"{word} {i:0{width}d}",
                sector=c.sector if sectors[c.sector] >= ANONYMITY_GROUP else "other",
                country=c.country if countries[c.country] >= ANONYMITY_GROUP else "",
            )
            for i, c in enumerate(ordered, start=1)
        )
        return replace(self, companies=renamed, anonymised=True)


@dataclass(frozen=True)
class Certificate:
    company: str
    programme: str
    cohort: str
    start: date | None
    end: date | None
    footprint_year: int | None
    footprint_kg: float | None
    footprint_validated: bool  # the year shown is validated (or locked), not merely another one
    footprint_status: str | None  # that year's status: draft, submitted, validated, locked
    actions: int
    quantified: int
    expected_t: float
    issued_on: date


def certificates(report: CohortReport) -> list[Certificate]:
    """One certificate per company of the cohort, in name order."""
    return [
        Certificate(
            company=c.name,
            programme=report.programme,
            cohort=report.cohort,
            start=report.start,
            end=report.end,
            footprint_year=c.latest_year if c.latest_kg else None,
            footprint_kg=c.latest_kg or None,
            # The year the certificate names, not any year: an older validated year does not
            # make this one validated.
            footprint_validated=c.latest_status in ("validated", "locked"),
            footprint_status=c.latest_status if c.latest_kg else None,
            actions=c.actions,
            quantified=c.quantified,
            expected_t=c.expected_t,
            issued_on=report.generated_on,
        )
        for c in sorted(report.companies, key=lambda c: c.name.casefold())
    ]
