"""Checking the rows of an uploaded spreadsheet and turning them into activity lines.

A row names a catalogue activity (its id, or its name in French, Italian or English), which gives
its BEGES poste and default factor; a factor column may override the factor for users who know
what they want. Everything a user can get wrong is reported at once, each problem located by row
and by the header the user wrote, so that one round trip through the spreadsheet fixes the lot.
The engine's own :func:`encode_lines` then checks factor, unit and poste exactly as a computation
will, and gives each line its kgCO2e for the preview.

Choices made here, for the users described in programmes.md:

* Text that a spreadsheet would run as a formula (a cell starting with ``=``, ``+``, ``-`` or
  ``@`` that is not a number) is refused, not silently rewritten: stored activity data stays what
  the user wrote, and nothing stored can fire when an export is opened. XLSX formula cells never
  get here: the reader keeps the value Excel saved with them.
* A cell holding only dashes (``-``, ``—``) is a spreadsheet's way of writing "nothing": empty.
* The poste column may move an activity only within its BEGES category (a generator's fuel 1.1 ↔
  1.2, freight 3.1 ↔ 3.2), never across categories, which would change what the line means.
* A unit must be one the activity lists (``L`` and ``litres`` both mean its ``litre``, stored as
  the catalogue spells it) unless a factor is given; then the engine checks that it converts.
* A row without a data quality is an estimate (the engine's default), not a meter reading.
* The import is all or nothing: the caller stores :attr:`ImportPreview.rows` only when ``ok``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carbon.accounting.engine import ComputationError, compute_encoded, encode_lines
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.factors.bundled import Activity, activities
from carbon.factors.reference import load_reference_data
from carbon.imports import spreadsheet_checks as checks
from carbon.imports import spreadsheet_resolve as resolve
from carbon.imports.spreadsheet_headers import COLUMNS
from carbon.imports.spreadsheet_issues import ImportIssue

LOCALES = ("fr", "it", "en")
TEXT_LIMITS = {"comment": 2000, "evidence_ref": 500}  # evidence_ref is a VARCHAR(500)


def normalise_locale(locale: str | None) -> str:
    """``fr``, ``it`` or ``en`` from ``fr_FR``, ``it-IT``…; French when unknown (most users)."""
    code = (locale or "").strip().lower()[:2]
    return code if code in LOCALES else "fr"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row, resolved to what will be stored as an activity line, with its estimate."""

    row: int  # spreadsheet row number (header = 1)
    activity_id: str | None  # None for a row given by factor and poste only
    activity_name: str | None  # in the preview's locale
    poste: str
    factor_id: str
    quantity: float  # in ``unit``
    unit: str
    site_id: int | None
    data_quality: str  # measured, estimated or extrapolated
    comment: str | None
    evidence_ref: str | None
    kgco2e: float  # computed by the engine with the library given to validate_rows


@dataclass
class ImportPreview:
    """Rows that passed every check, and every problem found; store the rows only when ``ok``."""

    rows: list[PreviewRow]
    errors: list[ImportIssue]
    warnings: list[ImportIssue] = field(default_factory=list)
    library_version: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_kgco2e(self) -> float:
        return float(sum(r.kgco2e for r in self.rows))


def validate_rows(
    df: pd.DataFrame,
    library: FactorLibrary,
    sites: Mapping[str, int] | None,
    locale: str,
    *,
    site_countries: Mapping[int, str] | None = None,
    company_country: str | None = None,
    scale: UncertaintyScale | None = None,
    catalogue: Sequence[Activity] | None = None,
) -> ImportPreview:
    """Check every row of ``df`` (from :func:`read_upload`) and resolve it to an activity line.

    ``sites`` maps the company's site names to their ids (matched case- and accent-insensitively),
    None when it has none. ``site_countries`` (site id -> ISO code) and ``company_country`` pick
    country factors such as the Italian grid (methodology rule 5). ``catalogue`` defaults to the
    bundled activity catalogue.
    """
    lang = normalise_locale(locale)
    scale = scale or UncertaintyScale()
    acts = list(catalogue) if catalogue is not None else activities()
    chk = checks.Check(np.asarray(df.index, dtype=np.int64), df.attrs.get("headers", {}))
    warnings: list[ImportIssue] = list(df.attrs.get("warnings", []))
    split_issues: list[ImportIssue] = list(df.attrs.get("row_issues", []))
    chk.errors.extend(split_issues)
    unsplit = np.isin(chk.rows, [i.row for i in split_issues if i.row is not None])
    for col in COLUMNS:  # a row that was not split properly: its cells mean nothing
        chk.failed[col] |= unsplit
    t = checks.texts(df)

    checks.formulas(chk, t)
    act, act_codes = resolve.resolve_activities(chk, t, acts, lang)
    has_act = np.array([a is not None for a in act], dtype=bool)[act_codes]
    has_fac = checks.mask(t["factor_id"] != "")
    from_catalogue = has_act & ~has_fac
    act_poste = np.array([a.poste if a else "" for a in act], dtype=object)[act_codes]
    poste = resolve.postes(chk, t, act_poste, has_act, has_fac)
    quantity = checks.quantities(chk, df, t)
    unit = resolve.units(chk, t, act, act_codes, from_catalogue, lang)
    quality = checks.qualities(chk, t, scale)
    site_id = checks.sites(chk, t, sites, warnings)
    for col, limit in TEXT_LIMITS.items():
        length = t[col].str.len().to_numpy()
        chk.flag(length > limit, col, "text_too_long", {"length": length}, limit=limit)
    # The site's country picks country variants (an Italian site's grid), else the company's.
    country = pd.Series(site_id, dtype=object).map(dict(site_countries or {}))
    country = country.astype("string").fillna(company_country or "").str.upper()
    countries = country.to_numpy(dtype=object)
    factor = resolve.factors(t, library, act, act_codes, from_catalogue, countries)

    kg = np.full(len(df), np.nan)
    # The engine refuses per line, and each refusal takes a row out of ``good``: this ends, and
    # the last pass computes every row still good.
    while (good := ~chk.bad()).any():
        lines = pd.DataFrame(
            {"poste": poste[good], "factor_id": factor[good], "quantity": quantity[good],
             "unit": unit[good], "data_quality": quality[good], "country": countries[good]}
        )  # fmt: skip
        try:
            enc = encode_lines(lines, library, scale, line_numbers=chk.rows[good],
                               reference=load_reference_data())  # fmt: skip
        except ComputationError as exc:
            resolve.engine_errors(chk, exc, library, has_fac, factor, t)
            continue
        result = compute_encoded(enc, library, scale.unknown_factor_pct)
        kg[good] = result.lines["kgco2e"].to_numpy(dtype="float64")
        break
    good = ~chk.bad()
    zero = good & (quantity == 0)
    warnings += [
        ImportIssue.make("quantity_zero", int(r), chk.header("quantity")) for r in chk.rows[zero]
    ]
    warnings += _duplicates(chk, t)

    names = np.array([a.name(lang) if a else None for a in act], dtype=object)[act_codes]
    ids = np.array([a.activity_id if a else None for a in act], dtype=object)[act_codes]
    comment, evidence = (
        t["comment"].to_numpy(dtype=object),
        t["evidence_ref"].to_numpy(dtype=object),
    )
    rows = [
        PreviewRow(
            row=int(chk.rows[i]), activity_id=ids[i], activity_name=names[i], poste=poste[i],
            factor_id=factor[i], quantity=float(quantity[i]), unit=unit[i], site_id=site_id[i],
            data_quality=quality[i], comment=comment[i] or None, evidence_ref=evidence[i] or None,
            kgco2e=float(kg[i]),
        )
        for i in np.flatnonzero(good)
    ]  # fmt: skip
    chk.errors.sort(key=lambda e: e.row or 0)  # stable: within a row, the order of the checks
    warnings.sort(key=lambda e: e.row or 0)
    return ImportPreview(rows, chk.errors, warnings, library.version)


def _duplicates(chk: checks.Check, t: Mapping[str, pd.Series]) -> list[ImportIssue]:
    """Rows identical to an earlier one: often the same invoice entered twice."""
    frame = pd.DataFrame({c: t[c].to_numpy() for c in COLUMNS})
    dup = frame.duplicated(keep="first").to_numpy()
    if not dup.any():
        return []
    group = frame.groupby(list(COLUMNS), sort=False).ngroup().to_numpy()
    first = pd.Series(chk.rows).groupby(group).transform("first").to_numpy()
    return [
        ImportIssue.make("duplicate_row", int(chk.rows[i]), first_row=int(first[i]))
        for i in np.flatnonzero(dup)
    ]
