"""The cell checks of the spreadsheet import (used by :mod:`spreadsheet_validate`).

Each check takes whole columns and loops only over distinct values (a quality word, a site…) or
over rows already in error, so a file of thousands of rows costs a few dozen lookups. A cell that
failed one check is not reported again by a later one (:class:`Check` remembers), so that one
mistake gives one message. Resolving activities, postes, units and factors against the catalogue
and the library is in :mod:`spreadsheet_resolve`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.uncertainty import UncertaintyScale
from carbon.imports.spreadsheet_headers import COLUMNS, DEFAULT_HEADERS
from carbon.imports.spreadsheet_issues import ImportIssue
from carbon.imports.spreadsheet_read import QUANTITY_NUMBER
from carbon.imports.tabular import fold, parse_decimal
from carbon.inputs.numbers import QUANTITY, names_nan, number_issues, parse_numbers

Mask = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]

# Words for data quality beyond the engine's (uncertainty.QUALITY_ALIASES), as people write them.
_QUALITY_WORDS = {
    "releve": "measured", "releve compteur": "measured", "factures": "measured",
    "bolletta": "measured", "fatture": "measured", "lettura contatore": "measured",
    "invoices": "measured", "metered": "measured", "meter reading": "measured",
    "mesuree": "measured", "estimee": "estimated", "stime": "estimated", "estimates": "estimated",
    "extrapolee": "extrapolated",
}  # fmt: skip


class Check:
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
        per_row: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> None:
        """Report ``code`` on the rows of ``mask`` whose ``column`` has not failed already."""
        where = np.asarray(mask, dtype=bool) & ~self.failed[column]
        for i in np.flatnonzero(where):
            # Plain Python values: params go to JSON and templates, numpy scalars would not.
            own = {k: _plain(v[i]) for k, v in (per_row or {}).items()}
            self.add(int(i), column, code, **own, **params)

    def bad(self) -> Mask:
        return np.logical_or.reduce(list(self.failed.values()))


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def texts(df: pd.DataFrame) -> dict[str, pd.Series]:
    """Each of our columns as stripped text; absent columns and dash placeholders are ""."""
    out = {}
    for col in COLUMNS:
        s = (
            df[col].astype("string").fillna("").str.strip()
            if col in df
            else pd.Series("", index=df.index, dtype="string")
        )
        out[col] = s.mask(s.str.fullmatch(r"[-–—]+").fillna(False), "")
    return out


def mask(s: pd.Series) -> Mask:
    return s.fillna(False).to_numpy(dtype=bool)


def formulas(chk: Check, t: Mapping[str, pd.Series]) -> None:
    for col in COLUMNS:
        lead = mask(t[col].str.match(r"[=+\-@]"))
        if lead.any():
            numeric = parse_decimal(t[col].where(lead, "")).notna().to_numpy()
            chk.flag(lead & ~numeric, col, "formula_text", {"char": t[col].str[0].to_numpy()})


def quantities(chk: Check, df: pd.DataFrame, t: Mapping[str, pd.Series]) -> npt.NDArray[np.float64]:
    """Quantities as numbers: XLSX numbers as they are, text through ``parse_decimal``."""
    text = t["quantity"]
    number = (
        df[QUANTITY_NUMBER].astype("float64")
        if QUANTITY_NUMBER in df
        else pd.Series(np.nan, index=df.index)
    )
    typed = text.where(number.isna(), "")  # cells written as text: every cell of a CSV
    # parse_numbers reads "inf" and "1e400" as infinite, so that they are refused as such.
    q = number.fillna(parse_numbers(typed)).to_numpy(dtype="float64", na_value=np.nan)
    written = {"value": text.to_numpy()}
    empty = mask(text == "")
    chk.flag(empty, "quantity", "quantity_missing")
    ambiguous = _ambiguous(typed, df.attrs.get("separator"))
    chk.flag(ambiguous, "quantity", "quantity_ambiguous", written)
    # The range and the messages of the form and the API (carbon.inputs): same refusal, same words.
    chk.flag(names_nan(typed), "quantity", "number_not_finite", field="quantity")
    chk.flag(~empty & np.isnan(q), "quantity", "number_invalid", written, field="quantity")
    codes = number_issues(q, QUANTITY)
    for code in ("number_not_finite", "number_negative", "number_too_large"):
        chk.flag(codes == code, "quantity", code, field="quantity", max=QUANTITY.high)
    return np.asarray(q, dtype=np.float64)


def _ambiguous(typed: pd.Series, separator: str | None) -> Mask:
    """Cells that ``parse_decimal`` would read one way while the column or file says the other.

    ``parse_decimal`` decides per column: one ``2,5`` makes every lone ``.`` a thousands mark, so
    ``12.5`` would become 125; and it reads ``1,234`` as 1.234, although next to ``12.5``, or in
    a comma-separated (English) file, it means 1234. Such a cell is refused, never guessed.
    """
    s = typed.str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    commas, dots = s.str.count(","), s.str.count(r"\.")
    last_comma, last_dot = s.str.rfind(","), s.str.rfind(".")
    three = s.str.extract(r"[.,](\d*)$")[0].str.len() == 3  # digits after the last mark
    comma_column = bool(mask((commas == 1) & (last_comma > last_dot)).any())
    dots_only = mask((dots >= 1) & (commas == 0))
    thousands_dots = dots_only & ~mask(s.str.contains(r"\.(?!\d{3}(?:\.|$))"))
    point_decimal = (dots_only & mask((dots == 1) & ~three)) | mask(
        (commas >= 1) & (dots == 1) & (last_dot > last_comma)
    )
    comma_thousands = mask((commas == 1) & (dots == 0) & three)
    english = point_decimal.any() or separator == ","
    return (comma_column & dots_only & ~thousands_dots) | (comma_thousands & english)


def qualities(chk: Check, t: Mapping[str, pd.Series], scale: UncertaintyScale) -> Objects:
    codes, uniques = pd.factorize(t["data_quality"])
    canon = []
    for k, text in enumerate(uniques):
        try:
            canon.append(scale.normalise_quality(_QUALITY_WORDS.get(fold(text), text)))
        except ValueError:
            canon.append("")
            chk.flag(codes == k, "data_quality", "quality_unknown", value=text)
    return np.array(canon, dtype=object)[codes] if len(uniques) else np.array([], dtype=object)


def sites(
    chk: Check,
    t: Mapping[str, pd.Series],
    known: Mapping[str, int] | None,
    warnings: list[ImportIssue],
) -> Objects:
    given = mask(t["site"] != "")
    if known is None:
        if given.any():
            column = chk.header("site")
            warnings.append(ImportIssue.make("site_ignored", None, column))
        return np.full(len(given), None, dtype=object)
    by_name = {fold(name): site_id for name, site_id in known.items()}
    codes, uniques = pd.factorize(t["site"])
    ids = np.array([by_name.get(fold(u)) if u else None for u in uniques], dtype=object)[codes]
    names = sorted(known)
    per_row = {"value": t["site"].to_numpy()}
    chk.flag(given & pd.isna(ids), "site", "site_unknown", per_row, known=names)
    return ids
