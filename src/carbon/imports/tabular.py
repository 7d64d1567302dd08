"""Reading the CSV files people really produce, into a frame of strings with line numbers.

French and Italian spreadsheets write ``;`` separators, decimal commas and thousands separators
(``1 234,5``, ``1.234,5``), in cp1252 or UTF-8 with or without a BOM. This module decodes the
bytes, finds the separator, maps French/Italian/English header names to ours and parses numbers,
keeping each row's line number in the file so that every error can cite it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd


class TableError(ValueError):
    """A file that cannot be read as a table; the message says where and why."""

    def __init__(self, message: str, line: int | None = None, column: str | None = None):
        self.line = line
        self.column = column
        where = ", ".join(
            p for p in (f"line {line}" if line else "", f"column {column}" if column else "") if p
        )
        super().__init__(f"{where}: {message}" if where else message)


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: the key used to recognise header names."""
    # NFKD does not decompose the ligatures: "Bœuf" would lose its "oe".
    text = str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.replace("_", " ").lower().split())


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes cleanly, else cp1252; binary is refused."""
    if b"\x00" in data[:4096]:
        raise TableError("this is not a text file (it contains binary data); expected a CSV file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError("the text is neither UTF-8 nor Windows-1252", line=line) from None


def sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    sep = max(counts, key=lambda s: counts[s])
    return sep if counts[sep] else ";"


def read_csv_table(
    data: bytes, aliases: Mapping[str, str], required: Iterable[str]
) -> pd.DataFrame:
    """Strings per cell, columns renamed through ``aliases`` (folded names), index = file line.

    Blank lines are skipped but counted, so the index is always the physical line number
    (header = line 1) for files without multi-line quoted cells.
    """
    text = decode(data)
    if not text.strip():
        raise TableError("the file is empty")
    first = text.splitlines()[0]
    sep = sniff_separator(first)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+), saw (\d+)", str(exc))
        if m:
            raise TableError(
                f"{m.group(2)} fields where the header has fewer", int(m.group(1))
            ) from None
        raise TableError(str(exc)) from None
    renamed: dict[str, str] = {}
    for col in df.columns:
        key = aliases.get(fold(col))
        if key is None:
            continue
        if key in renamed.values():
            raise TableError(f"two columns mean {key!r}", line=1, column=str(col))
        renamed[col] = key
    df = df.rename(columns=renamed)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise TableError(f"missing column(s): {', '.join(missing)}", line=1)
    df.index = pd.RangeIndex(2, len(df) + 2)
    blank = (df.apply(lambda s: s.str.strip()) == "").all(axis=1)
    df = df.loc[~blank]
    if df.empty:
        raise TableError("the file has a header but no data rows")
    return df


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_decimal(values: pd.Series) -> pd.Series:
    """Numbers as French, Italian or English write them; NaN where a cell is not a number.

    In a cell with both ``,`` and ``.`` the last one is the decimal mark. Where the column uses
    ``,`` as its decimal mark anywhere, dots that group digits by three are thousands separators
    (``1.234`` is 1234) while ``12.5`` stays a decimal.
    """
    s = values.astype("string").fillna("").str.replace(_SPACES, "", regex=True)
    last_comma = s.str.rfind(",")
    last_dot = s.str.rfind(".")
    comma_decimal_column = bool(((last_comma > last_dot) & (s.str.count(",") == 1)).any())
    both = (last_comma >= 0) & (last_dot >= 0)
    comma_is_decimal = (last_comma > last_dot) & (s.str.count(",") == 1)
    out = s.copy()
    # A comma that is the decimal mark: drop dots (thousands), make the comma a point.
    out = out.mask(comma_is_decimal, s.str.replace(".", "", regex=False).str.replace(",", "."))
    # A point that is the decimal mark while commas also appear: commas are thousands.
    out = out.mask(both & ~comma_is_decimal, s.str.replace(",", "", regex=False))
    if comma_decimal_column:
        # Only a dot that groups thousands (1.234 or 12.345.678) is a separator there; 12.5 is
        # still twelve and a half, whatever its neighbours use.
        grouped = (last_comma < 0) & s.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+")
        out = out.mask(grouped, s.str.replace(".", "", regex=False))
    # Several dots and no comma: thousands separators (1.234.567).
    out = out.mask((last_comma < 0) & (s.str.count(r"\.") > 1), s.str.replace(".", "", regex=False))
    nums = pd.to_numeric(out.where(out != ""), errors="coerce")
    return nums.astype("float64").where(np.isfinite(nums.astype("float64")))
