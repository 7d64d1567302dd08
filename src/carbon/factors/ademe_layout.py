"""The physical layout of the ADEME export: bytes, encoding, records, header, line numbers.

Kept apart from :mod:`carbon.factors.ademe` (which maps the columns to factors) because this is the
part that must never guess: it decides the encoding without corrupting accents, checks that the
header is the published 67-column one and that every record has as many fields, and keeps the
physical line of every record so that any refusal, here or in the mapping, names the line a person
sees in a text editor. pandas' own errors count records, not lines, and miss short rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

# The published column order (format of version 23.x). Compared after :func:`fold`, so a copy
# re-saved with other apostrophes or accents decomposed still matches.
COLUMNS: tuple[str, ...] = (
    "Type Ligne", "Identifiant de l'élément", "Structure", "Type de l'élément",
    "Statut de l'élément", "Nom base français", "Nom base anglais", "Nom base espagnol",
    "Nom attribut français", "Nom attribut anglais", "Nom attribut espagnol",
    "Nom frontière français", "Nom frontière anglais", "Nom frontière espagnol",
    "Code de la catégorie", "Tags français", "Tags anglais", "Tags espagnol", "Unité français",
    "Unité anglais", "Unité espagnol", "Contributeur", "Autres Contributeurs", "Programme",
    "Url du programme", "Source", "Localisation géographique",
    "Sous-localisation géographique français", "Sous-localisation géographique anglais",
    "Sous-localisation géographique espagnol", "Date de création", "Date de modification",
    "Période de validité", "Incertitude", "Réglementations", "Transparence", "Qualité",
    "Qualité TeR", "Qualité GR", "Qualité TiR", "Qualité C", "Qualité P", "Qualité M",
    "Commentaire français", "Commentaire anglais", "Commentaire espagnol", "Type poste",
    "Nom poste français", "Nom poste anglais", "Nom poste espagnol", "Total poste non décomposé",
    "CO2f", "CH4f", "CH4b", "N2O", "Code gaz supplémentaire 1", "Valeur gaz supplémentaire 1",
    "Code gaz supplémentaire 2", "Valeur gaz supplémentaire 2", "Code gaz supplémentaire 3",
    "Valeur gaz supplémentaire 3", "Code gaz supplémentaire 4", "Valeur gaz supplémentaire 4",
    "Code gaz supplémentaire 5", "Valeur gaz supplémentaire 5", "Autres GES", "CO2b",
)  # fmt: skip

_QUOTE, _SEP, _LF, _CR = ord('"'), ord(";"), ord("\n"), ord("\r")


class AdemeFormatError(ValueError):
    """A file that is not the ADEME export as published; nothing of it is imported.

    ``line`` is the 1-based physical line (the header is line 1), ``column`` the ADEME column name;
    either is None when the problem is not tied to one.
    """

    def __init__(self, problem: str, *, line: int | None = None, column: str | None = None):
        self.problem = problem
        self.line = line
        self.column = column
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            position = f"{COLUMNS.index(column) + 1} " if column in COLUMNS else ""
            where.append(f'column {position}"{column}"')
        prefix = f"ADEME export, {', '.join(where)}" if where else "ADEME export"
        super().__init__(f"{prefix}: {problem}")


def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: how names are compared."""
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("’", "'").replace("‘", "'").casefold().split())


def read_bytes(source: str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    data = source.read()
    if not isinstance(data, bytes):
        raise TypeError("the ADEME export must be opened in binary mode ('rb')")
    return data


@dataclass(frozen=True)
class ParsedExport:
    """The cells the importer uses, as text, and the physical line of each data row."""

    frame: pd.DataFrame  # one row per data record, columns named as in COLUMNS
    lines: np.ndarray  # int64, aligned with ``frame``


def more_wrong(n: int) -> str:
    """A note on further bad lines: the first is named, the rest only counted."""
    return "" if n < 1 else f" ({n} more line{'s are' if n > 1 else ' is'} wrong too)"


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def detect_encoding(raw: bytes) -> tuple[str, int]:
    """``(python codec, bytes to skip)``: UTF-8 when it decodes cleanly, else Windows-1252.

    A cp1252 file with accents is, in practice, never valid UTF-8, and a UTF-8 file read as cp1252
    would turn "é" into "Ã©" silently: so UTF-8 is tried first and strictly.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:4096]:
        # Excel's "Unicode text" is UTF-16: every other byte is zero, and no ';' would be found.
        raise AdemeFormatError(
            "the file is UTF-16 text or binary data, not the ADEME CSV export "
            "(Windows-1252 or UTF-8): save it again as CSV",
            line=1,
        )
    bom = len(codecs.BOM_UTF8)
    if raw.startswith(codecs.BOM_UTF8):
        try:
            raw[bom:].decode("utf-8")
        except UnicodeDecodeError as e:
            at = bom + e.start
            raise AdemeFormatError(
                f"the file starts with a UTF-8 byte-order mark, but byte 0x{raw[at]:02x} "
                "is not UTF-8",
                line=_line_of(raw, at),
            ) from None
        return "utf-8", bom
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", 0
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError as e:
        raise AdemeFormatError(
            f"byte 0x{raw[e.start]:02x} is neither UTF-8 nor Windows-1252: is this the CSV export?",
            line=_line_of(raw, e.start),
        ) from None
    return "cp1252", 0


def _scan(raw: bytes, start: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Physical line and field count of every non-blank record, vectorised.

    Inside a quoted field an odd number of quotes has been seen, so separators and newlines are
    told apart from their quoted look-alikes by the parity of the quotes before them. That holds
    only when every quote opens a field or doubles another; otherwise (a literal ``17"`` inside an
    unquoted field) None is returned and the caller takes the slow, exact path.
    """
    b = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(b == _QUOTE)
    if len(quotes):
        opening = quotes[0::2]  # every other quote opens a quoted run (or doubles a quote)
        before = b[np.maximum(opening - 1, 0)]
        ok = (opening == start) | (before == _SEP) | (before == _LF) | (before == _QUOTE)
        if not ok.all() or len(quotes) % 2:
            return None
    newlines = np.flatnonzero(b == _LF)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    if not len(ends) or ends[-1] != len(b) - 1:
        ends = np.append(ends, len(b))  # the last line has no newline
    starts = np.concatenate(([start], ends[:-1] + 1))
    seps = np.flatnonzero(b == _SEP)
    seps = seps[np.searchsorted(quotes, seps) % 2 == 0]
    fields = np.bincount(np.searchsorted(ends, seps), minlength=len(ends)) + 1
    lines = np.searchsorted(newlines, starts) + 1
    # pandas skips blank and whitespace-only lines; they have no separator, so only those few
    # one-field records need a look.
    blank = np.zeros(len(ends), dtype=bool)
    for i in np.flatnonzero(fields == 1):
        blank[i] = not raw[starts[i] : ends[i]].strip()
    keep = ~blank
    return lines[keep], fields[keep]


def _scan_exactly(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Physical line and field count of each record, by the csv module (rare files only)."""
    lines, fields = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    first = 1
    for row in reader:
        if not (len(row) <= 1 and not "".join(row).strip()):
            lines.append(first)
            fields.append(len(row))
        first = reader.line_num + 1
    return np.array(lines, dtype=np.int64), np.array(fields, dtype=np.int64)


def _header_fields(raw: bytes, start: int, encoding: str) -> list[str]:
    end = raw.find(b"\n", start)
    text = raw[start : end if end >= 0 else len(raw)].decode(encoding)
    try:
        return next(csv.reader([text.rstrip("\r")], delimiter=";"), [])
    except csv.Error as exc:  # a stray carriage return or NUL: not the export's header
        raise AdemeFormatError(f"the header line cannot be read ({exc})", line=1) from None


def check_header(names: list[str]) -> None:
    """Refuse a header that is not the 67 published names in order, naming the first difference.

    A trailing ``;`` (an empty 68th name) is tolerated: spreadsheet tools add one.
    """
    got = [fold(n) for n in names]
    while len(got) > len(COLUMNS) and not got[-1]:
        got.pop()
    want = [fold(c) for c in COLUMNS]
    for i in range(max(len(got), len(want))):
        if i < len(got) and i < len(want) and got[i] == want[i]:
            continue
        if i >= len(got):
            problem = f"the header stops after {len(got)} columns; {len(want)} expected"
            raise AdemeFormatError(
                f"{problem}, column {i + 1} is missing", line=1, column=COLUMNS[i]
            )
        if i >= len(want):
            raise AdemeFormatError(
                f"column {i + 1} {names[i]!r} is one too many: the export has {len(want)} columns",
                line=1,
            )
        if i + 1 < len(want) and got[i] == want[i + 1]:
            problem = f"column {i + 1} is missing from the header"
            raise AdemeFormatError(problem, line=1, column=COLUMNS[i])
        if i + 1 < len(got) and got[i + 1] == want[i]:
            raise AdemeFormatError(
                f"column {i + 1} {names[i]!r} is not an ADEME column", line=1, column=COLUMNS[i]
            )
        raise AdemeFormatError(
            f"column {i + 1} is named {names[i]!r}, expected {COLUMNS[i]!r}",
            line=1,
            column=COLUMNS[i],
        )


def _check_row_starts(raw: bytes, start: int, lines: np.ndarray, encoding: str) -> None:
    """Refuse a row that swallowed the next ones through a quote left open.

    The swallowing row can still have the right number of fields, so the sign looked for is a line
    inside a row (after a quoted line break) that begins like a row of its own.
    """
    b = np.frombuffer(raw, dtype=np.uint8)
    line_starts = np.concatenate(([start], np.flatnonzero(b == _LF) + 1))
    inside = np.ones(len(line_starts), dtype=bool)
    inside[lines - 1] = False
    candidates = np.flatnonzero(inside & (line_starts < len(b)))
    candidates = candidates[np.isin(b[line_starts[candidates]], (ord("E"), ord("P")))]
    row_starts = tuple(p.encode(encoding) for p in ("Elément;", "Poste;"))
    for k in candidates:
        if raw.startswith(row_starts, line_starts[k]):
            owner = int(lines[np.searchsorted(lines, k + 1, side="right") - 1])
            raise AdemeFormatError(
                f"a quote opened in this row is not closed: line {k + 1}, which starts a new "
                "row, is read as part of it",
                line=owner,
            )


def parse(raw: bytes, usecols: list[str]) -> ParsedExport:
    """Check the layout of the whole file and read the ``usecols`` cells of every data row."""
    if not raw.removeprefix(codecs.BOM_UTF8).strip():
        raise AdemeFormatError("the file is empty")
    if raw.startswith(b"PK\x03\x04"):
        raise AdemeFormatError("this is a zip archive or an Excel workbook, not the CSV export")
    if b"\n" not in raw and b"\r" in raw:
        raw = raw.replace(b"\r", b"\n")  # old Mac line ends, which pandas reads as lines too
    encoding, start = detect_encoding(raw)
    header = _header_fields(raw, start, encoding)
    check_header(header)

    scanned = _scan(raw, start)
    if scanned is None:
        lines, fields = _scan_exactly(raw[start:].decode(encoding))
    else:
        lines, fields = scanned
    _check_row_starts(raw, start, lines, encoding)
    bad = np.flatnonzero(fields[1:] != len(header)) + 1
    if len(bad):
        i = bad[0]
        more = more_wrong(len(bad) - 1)
        raise AdemeFormatError(
            f"{fields[i]} fields where the header has {len(header)}: a missing or extra ';', "
            f"or a quote left open{more}",
            line=int(lines[i]),
        )
    if len(lines) < 2:
        raise AdemeFormatError("the file has a header but no data rows", line=1)

    positions = [COLUMNS.index(c) for c in usecols]
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            sep=";",
            quotechar='"',
            header=0,
            usecols=positions,
            dtype=str,
            na_filter=False,
            encoding="utf-8-sig" if encoding == "utf-8" else encoding,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as e:
        raise AdemeFormatError(f"unreadable CSV: {e}") from None
    frame.columns = pd.Index([COLUMNS[p] for p in sorted(positions)])
    if len(frame) != len(lines) - 1:
        raise AdemeFormatError(
            f"{len(frame)} rows read but {len(lines) - 1} records found: "
            "a quote left open or a stray line break"
        )
    return ParsedExport(frame=frame, lines=lines[1:].astype(np.int64))
