"""Spend-based lines: monetary ratios are per euro excluding VAT, at their reference year's prices.

ADEME's monetary ratios are kgCO2e per k€ HT "for a given year" (methodology §8). A spend written
VAT-included ("k€ TTC", "€ IVA inclusa") is brought to excluding VAT with the rate of the line's
country and VAT category; when the rate cannot be known (no country, a country whose rates are
not here, an unknown category) the line is refused. A spend of another year than the ratio's is
deflated with the consumer price index of the line's country (the ratio's when the line has none):
``spend × index(ratio year) / index(spend year)``. Each converted line earns a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from carbon.accounting.notices import LineWarning, warn
from carbon.accounting.reference import ReferenceData
from carbon.i18n import N_

# VAT rates in % by country and category. France: CGI art. 278 (standard 20 %), 279 (intermediate
# 10 %), 278-0 bis (reduced 5.5 %); Monaco applies the French VAT (Franco-Monegasque tax
# convention of 18 May 1963). Italy: DPR 633/1972 art. 16 (aliquota ordinaria 22 %, ridotta 10 %,
# minima 4 %; the 5 % of Tabella A parte II-bis is also accepted as a rate).
VAT_RATES: dict[str, dict[str, float]] = {
    "FR": {"standard": 20.0, "intermediate": 10.0, "reduced": 5.5},
    "MC": {"standard": 20.0, "intermediate": 10.0, "reduced": 5.5},
    "IT": {"standard": 22.0, "intermediate": 10.0, "reduced": 4.0, "reduced-5": 5.0},
}
# Folded names a user may write for a category, in fr/it/en.
_CATEGORY_ALIASES: dict[str, str] = {
    **dict.fromkeys(("standard", "normal", "normale", "ordinaire", "ordinaria", "taux normal",
                     "aliquota ordinaria"), "standard"),
    **dict.fromkeys(("intermediate", "intermediaire", "taux intermediaire", "ridotta",
                     "aliquota ridotta"), "intermediate"),
    **dict.fromkeys(("reduced", "reduit", "taux reduit", "minima", "super ridotta",
                     "super-ridotta", "aliquota minima"), "reduced"),
}  # fmt: skip

# What the deflation says of each spend line (the imports from the books show these in their plan).
NO_PRICE_YEAR = N_("Spend not deflated: the monetary ratio states no price year.")
NO_PRICE_INDEX = N_(
    "Spend of %(spend)s not deflated to %(ratio)s: no price index of %(country)s for both years."
)
DEFLATED = N_(
    "Spend of %(spend)s deflated to %(ratio)s prices with %(series)s: "
    "× %(ratio_value)s / %(spend_value)s."
)
DEFLATED_UNVERIFIED = N_(
    "Spend of %(spend)s deflated to %(ratio)s prices with %(series)s: "
    "× %(ratio_value)s / %(spend_value)s (index values not verified against "
    "the publisher's table)."
)
PRICE_NOTICES = frozenset({NO_PRICE_YEAR, NO_PRICE_INDEX, DEFLATED, DEFLATED_UNVERIFIED})

_VAT_INCLUDED = re.compile(r"(?:^|\s)(ttc|iva inclusa|ivato|incl\.? vat|vat incl\.?|tva comprise)$")


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())


def includes_vat(unit: str) -> bool:
    """True for a money unit written VAT-included ("k€ TTC", "€ IVA inclusa")."""
    return bool(_VAT_INCLUDED.search(_fold(unit)))


def vat_rate(country: str, category: str) -> float:
    """The rate in % of ``country`` for ``category`` (empty: the standard rate); ValueError if the
    rate cannot be known. A percentage that is one of the country's rates is accepted as is."""
    rates = VAT_RATES.get(country)
    if rates is None:
        where = f"country {country!r}" if country else "a line without a country"
        raise ValueError(
            f"the VAT rate of {where} is not known: give the amount excluding VAT (HT)"
        )
    key = _fold(category).rstrip("%").strip().replace(",", ".")
    if not key:
        return rates["standard"]
    if key in _CATEGORY_ALIASES:
        return rates[_CATEGORY_ALIASES[key]]
    try:
        pct = float(key)
    except ValueError:
        pct = float("nan")
    if pct in rates.values():
        return pct
    allowed = ", ".join(f"{k} ({v:g} %)" for k, v in rates.items() if k != "reduced-5")
    raise ValueError(f"unknown VAT category {category!r} for {country}: use {allowed}")


@dataclass
class MoneyAdjustment:
    """What :func:`adjust` did to some lines: multipliers, warnings, refusals (line, message)."""

    multiplier: npt.NDArray[np.float64]
    warnings: list[LineWarning] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, message


def adjust(
    *,
    unit: str,
    line_no: npt.NDArray[np.int64],
    country: npt.NDArray[np.object_],
    vat_category: npt.NDArray[np.object_],
    spend_year: npt.NDArray[np.float64],
    ratio_year: npt.NDArray[np.float64],
    ratio_country: npt.NDArray[np.object_],
    reference: ReferenceData,
) -> MoneyAdjustment:
    """Multipliers bringing spends written in ``unit`` to excluding VAT at the ratio's prices.

    Arrays are for the lines concerned only (all written in ``unit``, all on a monetary ratio).
    """
    n = len(line_no)
    out = MoneyAdjustment(multiplier=np.ones(n))
    if includes_vat(unit):
        for key in sorted({(str(c), str(v)) for c, v in zip(country, vat_category, strict=True)}):
            mask = (country == key[0]) & (vat_category == key[1])
            try:
                rate = vat_rate(*key)
            except ValueError as exc:
                out.errors += [(int(ln), "unit", str(exc)) for ln in line_no[mask]]
                continue
            out.multiplier[mask] /= 1.0 + rate / 100.0
            out.warnings += warn(
                line_no[mask],
                N_("VAT-included spend converted to excluding VAT at %(rate)s %% (%(country)s)."),
                rate=f"{rate:g}",
                country=key[0],
            )
    _deflate(out, line_no, country, spend_year, ratio_year, ratio_country, reference)
    return out


def _deflate(
    out: MoneyAdjustment,
    line_no: npt.NDArray[np.int64],
    country: npt.NDArray[np.object_],
    spend_year: npt.NDArray[np.float64],
    ratio_year: npt.NDArray[np.float64],
    ratio_country: npt.NDArray[np.object_],
    reference: ReferenceData,
) -> None:
    known = np.isfinite(spend_year)
    no_ratio_year = known & ~np.isfinite(ratio_year)
    out.warnings += warn(line_no[no_ratio_year], NO_PRICE_YEAR)
    differ = known & np.isfinite(ratio_year) & (spend_year != ratio_year)
    index_country = np.where(country != "", country, ratio_country)
    for c, s, r in sorted(
        {(str(c), int(s), int(r)) for c, s, r in
         zip(index_country[differ], spend_year[differ], ratio_year[differ], strict=True)}
    ):  # fmt: skip
        mask = differ & (index_country == c) & (spend_year == s) & (ratio_year == r)
        base = reference.price_index.get((c, r))
        now = reference.price_index.get((c, s))
        if base is None or now is None:
            out.warnings += warn(line_no[mask], NO_PRICE_INDEX, spend=s, ratio=r, country=c or "?")
            continue
        out.multiplier[mask] *= base.value / now.value
        template = DEFLATED if base.verified and now.verified else DEFLATED_UNVERIFIED
        out.warnings += warn(
            line_no[mask], template, spend=s, ratio=r, series=now.series,
            ratio_value=f"{base.value:g}", spend_value=f"{now.value:g}",
        )  # fmt: skip
