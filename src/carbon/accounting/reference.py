"""Method data that is not an emission factor: price indices and residual mixes.

Monetary ratios are at their reference year's prices, so a spend of another year is deflated with a
consumer price index (methodology §8); a market-based scope 2 without a contract uses the
country's residual mix (methodology §5). Both are published tables, kept as data under
``emission_factors/`` and read by :mod:`carbon.factors.reference`; the core only looks values up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndexValue:
    value: float
    series: str  # the series named by its publisher (e.g. "INSEE 001759970")
    verified: bool  # checked against the publisher's own table


@dataclass(frozen=True)
class ResidualMix:
    kgco2e_per_kwh: float
    source: str
    verified: bool


@dataclass(frozen=True)
class ReferenceData:
    # (ISO country, year) -> annual average of the country's consumer price index
    price_index: Mapping[tuple[str, int], IndexValue] = field(default_factory=dict)
    # (ISO country, year) -> residual mix of the country's electricity
    residual_mix: Mapping[tuple[str, int], ResidualMix] = field(default_factory=dict)

    def residual(self, country: str, year: int | None) -> tuple[int, ResidualMix] | None:
        """The residual mix of ``country`` for ``year``, else of its latest year before it, else
        of its earliest year (a mix is published a year and a half after its year)."""
        years = sorted(y for c, y in self.residual_mix if c == country)
        if not years:
            return None
        if year is None:
            chosen = years[-1]
        else:
            before = [y for y in years if y <= year]
            chosen = before[-1] if before else years[0]
        return chosen, self.residual_mix[(country, chosen)]
