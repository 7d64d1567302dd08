"""Checking the rows of an uploaded spreadsheet and turning them into activity lines.

A row names a catalogue activity (its id, or its name in French, Italian or English), which gives
its BEGES poste and default factor; a factor column may override the factor for users who know
what they want. Everything a user can get wrong is reported at once, each problem located by row
and by the header the user wrote, so that one round trip through the spreadsheet fixes the lot.
The engine's own :func:`encode_lines` then checks factor, unit and poste exactly as a computation
will, and gives each line its kgCO2e for the preview.

Checks work on whole columns; Python loops run over distinct values (activities, units, sites…)
or over rows already in error, never over every row.

Choices made here, for the users described in programmes.md:

* Text that a spreadsheet would run as a formula (a cell starting with ``=``, ``+``, ``-`` or
  ``@`` that is not a number) is refused, not silently rewritten: stored activity data must be
  what the user wrote, and the export is then safe to open. XLSX formula cells never get here:
  the reader keeps the value Excel saved.
* A cell holding only dashes (``-``, ``—``) is a spreadsheet's way of writing "nothing": empty.
* The poste column may move an activity only within its BEGES category (fuel of a generator 1.1
  ↔ 1.2, freight 3.1 ↔ 3.2), never across categories, which would change what the line means.
* A unit must be one the activity lists (``L`` and ``litres`` both mean its ``litre``) unless a
  factor is given, in which case the engine checks that the unit converts to the factor's.
* A row without a data quality is an estimate (the engine's default), not a meter reading.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.engine import ComputationError, compute_encoded, encode_lines
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.postes import normalise_poste
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.accounting.units import UnitError, canonical
from carbon.factors.bundled import Activity, activities
from carbon.factors.bundled import fold as name_fold
from carbon.imports.spreadsheet_issues import ImportIssue
from carbon.imports.spreadsheet_read import COLUMNS, DEFAULT_HEADERS, QUANTITY_NUMBER
from carbon.imports.tabular import fold, parse_decimal

LOCALES = ("fr", "it", "en")
MAX_QUANTITY = 1e12  # more than any small firm's year in any unit: a typing error
TEXT_LIMITS = {"comment": 2000, "evidence_ref": 500}  # evidence_ref is a VARCHAR(500)
_POSTE_PREFIX = re.compile(r"\s*(\d)\s*[.,]\s*(\d)(?!\d)")  # "1.2 Émissions directes…"
# Words for data quality beyond the engine's (uncertainty.QUALITY_ALIASES), as people write them.
_QUALITY_WORDS = {
    "releve": "measured", "releve compteur": "measured", "factures": "measured",
    "bolletta": "measured", "fatture": "measured", "lettura contatore": "measured",
    "invoices": "measured", "metered": "measured", "meter reading": "measured",
    "mesuree": "measured", "estimee": "estimated", "stime": "estimated", "estimates": "estimated",
    "extrapolee": "extrapolated",
}  # fmt: skip


def normalise_locale(locale: str | None) -> str:
    """``fr``, ``it`` or ``en`` from ``fr_FR``, ``it-IT``…; French when unknown (most users)."""
    code = (locale or "").strip().lower()[:2]
    return code if code in LOCALES else "fr"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row, resolved to what will be stored as an activity line, with its estimate."""

    row: int
    activity_id: str | None
    activity_name: str | None  # in the preview's locale
    poste: str
    factor_id: str
    quantity: float  # in ``unit``
    unit: str
    site_id: int | None
    data_quality: str  # measured, estimated or extrapolated
    comment: str | None
    evidence_ref: str | None
    kgco2e: float


@dataclass
class ImportPreview:
    """Rows that passed every check, and every problem found; store only when :attr:`ok`."""

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


class _Check:
    """Rows under validation: their numbers, which cells already failed, the errors found."""

    def __init__(self, rows: npt.NDArray[np.int64], headers: Mapping[str, str]):
        self.rows = rows
        self.headers = headers
        self.failed = {c: np.zeros(len(rows), dtype=bool) for c in COLUMNS}
        self.errors: list[ImportIssue] = []

    def header(self, column: str) -> str:
        return self.headers.get(column, DEFAULT_HEADERS[column])

    def add(self, i: int, column: str, code: str, **params: Any) -> None:
        self.errors.append(ImportIssue.make(code, int(self.rows[i]), self.header(column), **params))
        self.failed[column][i] = True

    def flag(
        self,
        mask: npt.ArrayLike,
        column: str,
        code: str,
        per_row: Mapping[str, Sequence[Any]] | None = None,
        **params: Any,
    ) -> None:
        """Report ``code`` on rows of ``mask`` whose ``column`` has not failed already."""
        where = np.asarray(mask, dtype=bool) & ~self.failed[column]
        for i in np.flatnonzero(where):
            own = {k: v[i] for k, v in (per_row or {}).items()}
            self.add(int(i), column, code, **own, **params)

    def bad(self) -> npt.NDArray[np.bool_]:
        return np.logical_or.reduce(list(self.failed.values()))


def _texts(df: pd.DataFrame) -> dict[str, pd.Series]:
    out = {}
    for col in COLUMNS:
        s = (
            df[col].astype("string").fillna("").str.strip()
            if col in df
            else pd.Series("", index=df.index, dtype="string")
        )
        out[col] = s.mask(s.str.fullmatch(r"[-–—]+"), "")
    return out


def _mask(s: pd.Series) -> npt.NDArray[np.bool_]:
    return s.fillna(False).to_numpy(dtype=bool)


def _poste_code(text: str) -> str | None:
    for candidate in (text, "{}.{}".format(*m.groups()) if (m := _POSTE_PREFIX.match(text)) else ""):
        try:
            return normalise_poste(candidate)
        except ValueError:
            continue
    return None


def _suggest(text: str, acts: Sequence[Activity], lang: str) -> list[str]:
    """Up to three activities the user may have meant, by spelling, then by keyword."""
    key = name_fold(text)
    names = {name_fold(a.name(lang)): a for a in acts} | {a.activity_id: a for a in acts}
    hits = [names[c] for c in difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)]
    if not hits:
        words = [w[:5] for w in key.replace("'", " ").split() if len(w) >= 3]
        hay = {a: name_fold(" ".join((a.name(lang), *a.keywords))) for a in acts}
        hits = [a for a in acts if words and all(w in hay[a] for w in words)][:3]
    return list(dict.fromkeys(a.name(lang) for a in hits))


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

    ``sites`` maps the company's site names to their ids (matched case- and accent-insensitively);
    None when the company has none. ``site_countries`` (site id -> ISO code) and
    ``company_country`` choose country factors such as the Italian grid (methodology rule 5).
    """
    lang = normalise_locale(locale)
    scale = scale or UncertaintyScale()
    acts = list(catalogue) if catalogue is not None else activities()
    n = len(df)
    chk = _Check(np.asarray(df.index, dtype=np.int64), df.attrs.get("headers", {}))
    warnings = list(df.attrs.get("warnings", []))
    read_issues: list[ImportIssue] = list(df.attrs.get("row_issues", []))
    chk.errors.extend(read_issues)
    split_bad = np.isin(chk.rows, [i.row for i in read_issues])
    for col in COLUMNS:  # a row that was not split properly: its cells mean nothing
        chk.failed[col] |= split_bad
    t = _texts(df)

    for col in COLUMNS:
        lead = _mask(t[col].str.match(r"[=+\-@]"))
        if lead.any():
            numeric = parse_decimal(t[col].where(lead, "")).notna().to_numpy()
            chk.flag(lead & ~numeric, col, "formula_text", {"char": t[col].str[0].to_numpy()})

    act, act_codes = _activities(chk, t, acts, lang)
    has_act = np.array([a is not None for a in act], dtype=bool)[act_codes]
    has_fac = _mask(t["factor_id"] != "")
    act_poste = np.array([a.poste if a else "" for a in act], dtype=object)[act_codes]
    poste = _postes(chk, t, act, act_codes, act_poste, has_act, has_fac)

    quantity = _quantities(chk, t, df, warnings)
    unit = _units(chk, t, act, act_codes, has_act & ~has_fac, lang)
    quality = _qualities(chk, t, scale)
    site_id = _sites(chk, t, sites, warnings)
    for col, limit in TEXT_LIMITS.items():
        length = t[col].str.len().to_numpy()
        chk.flag(length > limit, col, "text_too_long", {"length": length}, limit=limit)

    countries = pd.Series(
        [(site_countries or {}).get(s, company_country) if s else company_country
         for s in site_id] if site_countries else [company_country] * n, dtype="string",
    ).fillna("").str.upper().to_numpy(dtype=object)  # fmt: skip
    factor = _factors(t, library, act, act_codes, has_act & ~has_fac, countries)

    kg = np.full(n, np.nan)
    good = ~chk.bad()
    for _attempt in range(2):  # the engine's errors are per line: the rest passes the 2nd time
        if not good.any():
            break
        lines = pd.DataFrame(
            {"poste": poste[good], "factor_id": factor[good], "quantity": quantity[good],
             "unit": unit[good], "data_quality": quality[good]}
        )  # fmt: skip
        try:
            enc = encode_lines(lines, library, scale, line_numbers=chk.rows[good])
        except ComputationError as exc:
            _engine_errors(chk, exc, library, has_fac, factor, t)
            good = ~chk.bad()
            continue
        kg[good] = compute_encoded(enc, library, scale.unknown_factor_pct).lines()["kgco2e"]
        break
    good = ~chk.bad()

    frame = pd.DataFrame({c: t[c] for c in COLUMNS})
    dup = frame.duplicated(keep="first").to_numpy()
    if dup.any():
        first = pd.Series(chk.rows).groupby(frame.groupby(list(COLUMNS), sort=False).ngroup().to_numpy())
        first_row = first.transform("first").to_numpy()
        for i in np.flatnonzero(dup):
            warnings.append(ImportIssue.make("duplicate_row", int(chk.rows[i]), first_row=int(first_row[i])))

    names = np.array([a.name(lang) if a else None for a in act], dtype=object)[act_codes]
    ids = np.array([a.activity_id if a else None for a in act], dtype=object)[act_codes]
    rows = [
        PreviewRow(
            row=int(chk.rows[i]), activity_id=ids[i], activity_name=names[i], poste=poste[i],
            factor_id=factor[i], quantity=float(quantity[i]), unit=unit[i], site_id=site_id[i],
            data_quality=quality[i], comment=t["comment"].iat[i] or None,
            evidence_ref=t["evidence_ref"].iat[i] or None, kgco2e=float(kg[i]),
        )
        for i in np.flatnonzero(good)
    ]  # fmt: skip
    chk.errors.sort(key=lambda e: e.row or 0)
    warnings.sort(key=lambda e: e.row or 0)
    return ImportPreview(rows, chk.errors, warnings, library.version)
