"""Reading a French *Fichier des Écritures Comptables* (FEC) into a frame of checked entries.

Small companies have no consumption spreadsheet, but every French company keeps its general ledger
and must be able to export it as a FEC (article A47 A-1 of the Livre des procédures fiscales;
doctrine BOI-CF-IOR-60-40-20). This module reads that export exactly as the law lays it out —
18 columns in a fixed order, one separator (tab or ``|``) for the whole file, dates ``AAAAMMJJ``,
amounts with a decimal comma and no thousands separator, ISO-8859-15 or UTF-8 — and checks it:
known columns, parseable dates and amounts, balanced entries. A file with any problem is refused
as a whole, with every problem located by line and column, so nothing is imported from half a
ledger. What the entries mean for a footprint is :mod:`carbon.imports.fec_mapping`'s job.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final, cast

import numpy as np
import pandas as pd

# The 18 fields of article A47 A-1, in the order the law gives them.
FEC_COLUMNS: Final = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
)  # fmt: skip
# Some software writes one signed amount and its direction instead of Debit and Credit; the
# doctrine allows it (BOI-CF-IOR-60-40-20 § 80), so it is read too.
MONTANT_SENS: Final = ("Montant", "Sens")
FILE_NAME = re.compile(r"^(?P<siren>\d{9})FEC(?P<closing>\d{8})(?:\.[A-Za-z]+)?$")
# A 100,000-entry ledger is about 15 MB; past this size the file is not one company's year.
MAX_BYTES: Final = 200 * 1024 * 1024
MAX_ISSUES: Final = 50
# Entries balance to the cent; a rounding tolerance of half a cent covers float sums.
BALANCE_TOLERANCE: Final = 0.005
# A thousand billion euros: no ledger line of a small or mid-size firm comes near it. Past it
# (or at 400 digits, which reads as infinity) the amount is refused where it is, instead of
# slipping through the balance check as a NaN and into the lines.
MAX_AMOUNT_EUR: Final = 1e12
_AMOUNT = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class FecIssue:
    """One problem of the file, where it is (1-based line of the file, column name)."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (f"line {self.line}" if self.line else "", self.column or "") if p
        )
        return f"{where}: {self.message}" if where else self.message


class FecError(ValueError):
    """The file cannot be imported; ``issues`` lists every problem found (up to a limit)."""

    def __init__(self, issues: list[FecIssue], file_name: str = "") -> None:
        self.issues = issues
        self.file_name = file_name
        head = f"{file_name}: " if file_name else ""
        more = "" if len(issues) <= 5 else f" (and {len(issues) - 5} more)"
        super().__init__(head + "; ".join(str(i) for i in issues[:5]) + more)


@dataclass
class FecLedger:
    """The checked entries of one FEC file.

    ``entries`` has one row per ledger line: ``line`` (line of the file), ``journal``, ``num``,
    ``date``, ``account``, ``account_label``, ``aux``, ``aux_label``, ``label`` and ``amount``
    (debit minus credit, in euros).
    """

    entries: pd.DataFrame
    file_name: str
    digest: str
    siren: str | None = None
    closing_date: date | None = None
    warnings: list[FecIssue] = field(default_factory=list)


def _decode(data: bytes) -> str:
    # The law allows ASCII or ISO-8859-15; UTF-8 (with or without BOM) is what software writes.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-15")


def _separator(header: str) -> str:
    if "\t" in header:
        return "\t"
    if "|" in header:
        return "|"
    raise FecError(
        [
            FecIssue(
                1, None, "the header is separated neither by tabs nor by '|', as the FEC must be"
            )
        ]
    )


def _check_header(names: list[str]) -> list[str]:
    """The header's names as the law writes them; FecError when the layout is not the FEC's."""
    folded = [n.strip().lower() for n in names]
    expected = [c.lower() for c in FEC_COLUMNS]
    with_sens = [c.lower() for c in FEC_COLUMNS[:11]] + [c.lower() for c in MONTANT_SENS]
    if folded == expected:
        return list(FEC_COLUMNS)
    if folded[: len(with_sens)] == with_sens:
        return list(FEC_COLUMNS[:11]) + list(MONTANT_SENS) + names[len(with_sens) :]
    issues = []
    for position, want in enumerate(FEC_COLUMNS, start=1):
        got = names[position - 1].strip() if position <= len(names) else ""
        if got.lower() != want.lower():
            issues.append(
                FecIssue(1, f"column {position}", f"expected '{want}', found '{got or 'nothing'}'")
            )
    if len(names) > len(FEC_COLUMNS):
        issues.append(
            FecIssue(1, None, f"{len(names)} columns where the FEC has {len(FEC_COLUMNS)}")
        )
    raise FecError(issues[:MAX_ISSUES])


def _amounts(
    values: pd.Series, column: str, lines: np.ndarray, issues: list[FecIssue]
) -> pd.Series:
    text = values.fillna("").str.strip().str.replace("\u00a0", "", regex=False)
    empty = text == ""
    bad = ~empty & ~text.str.match(_AMOUNT)
    for position in np.flatnonzero(bad.to_numpy())[:MAX_ISSUES]:
        issues.append(
            FecIssue(
                int(lines[position]),
                column,
                f"'{values.iloc[position]}' is not an amount "
                "(decimal comma, no thousands separator)",
            )
        )
    # Strings to floats directly: pd.to_numeric keeps a 400-digit integer as a Python int,
    # which then overflows converting to float; a string past a float's range reads as inf.
    numbers = text.where(~bad & ~empty, "0").str.replace(",", ".", regex=False).astype(float)
    huge = ~(numbers.abs() <= MAX_AMOUNT_EUR)  # also infinite
    for position in np.flatnonzero(huge.to_numpy())[:MAX_ISSUES]:
        issues.append(
            FecIssue(
                int(lines[position]),
                column,
                f"'{values.iloc[position]}' is larger than a ledger line can be "
                "(a thousand billion euros)",
            )
        )
    return numbers.where(~huge, 0.0)


def _dates(values: pd.Series, column: str, lines: np.ndarray, issues: list[FecIssue]) -> pd.Series:
    text = values.fillna("").str.strip()
    parsed = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    for position in np.flatnonzero(parsed.isna().to_numpy())[:MAX_ISSUES]:
        issues.append(
            FecIssue(
                int(lines[position]),
                column,
                f"'{values.iloc[position]}' is not a date written AAAAMMJJ",
            )
        )
    return parsed


def read_fec(data: bytes, file_name: str = "") -> FecLedger:
    """Read and check a FEC file; :class:`FecError` lists what is wrong, and where."""
    if len(data) > MAX_BYTES:
        raise FecError([FecIssue(None, None, "the file is larger than a FEC can be")], file_name)
    if b"\x00" in data[:4096]:
        raise FecError([FecIssue(None, None, "this is not a text file")], file_name)
    text = _decode(data)
    header_line, _, _ = text.partition("\n")
    if not header_line.strip():
        raise FecError([FecIssue(1, None, "the file is empty")], file_name)
    separator = _separator(header_line)
    names = _check_header(header_line.rstrip("\r").split(separator))
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            skiprows=1,
            names=names,
            dtype=str,
            keep_default_na=False,
            quoting=3,  # csv.QUOTE_NONE: the FEC has no quoting; a quote is part of a label
            engine="c",
            on_bad_lines="error",
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise FecError(
            [
                FecIssue(
                    line, None, f"this line does not have the {len(names)} fields of the header"
                )
            ],
            file_name,
        ) from None
    if raw.empty:
        raise FecError([FecIssue(2, None, "the file has a header but no entries")], file_name)
    lines = np.arange(2, len(raw) + 2)
    issues: list[FecIssue] = []
    for column in ("JournalCode", "EcritureNum", "CompteNum"):
        blank = raw[column].str.strip() == ""
        for position in np.flatnonzero(blank.to_numpy())[:MAX_ISSUES]:
            issues.append(FecIssue(int(lines[position]), column, "empty, but the FEC requires it"))
    dates = _dates(raw["EcritureDate"], "EcritureDate", lines, issues)
    if "Debit" in raw.columns:
        amount = _amounts(raw["Debit"], "Debit", lines, issues) - _amounts(
            raw["Credit"], "Credit", lines, issues
        )
    else:
        signed = _amounts(raw["Montant"], "Montant", lines, issues)
        sens = raw["Sens"].str.strip().str.upper().str[:1]
        wrong = ~sens.isin(["D", "C", "+", "-"])
        for position in np.flatnonzero(wrong.to_numpy())[:MAX_ISSUES]:
            issues.append(FecIssue(int(lines[position]), "Sens", "expected D or C"))
        amount = signed.where(sens.isin(["D", "+"]), -signed)
    entries = pd.DataFrame(
        {
            "line": lines,
            "journal": raw["JournalCode"].str.strip(),
            "num": raw["EcritureNum"].str.strip(),
            "date": dates,
            "account": raw["CompteNum"].str.strip(),
            "account_label": raw["CompteLib"].str.strip(),
            "aux": raw["CompAuxNum"].str.strip(),
            "aux_label": raw["CompAuxLib"].str.strip(),
            "label": raw["EcritureLib"].str.strip(),
            "amount": amount.round(2),
        }
    )
    if not issues:
        issues += _unbalanced(entries)
    if issues:
        raise FecError(issues[:MAX_ISSUES], file_name)
    ledger = FecLedger(entries, file_name, hashlib.sha256(data).hexdigest())
    _read_file_name(ledger)
    return ledger


def _unbalanced(entries: pd.DataFrame) -> list[FecIssue]:
    """Each entry (journal and number) sums to zero: debits equal credits."""
    sums = entries.groupby(["journal", "num"], sort=False).agg(
        total=("amount", "sum"), line=("line", "min")
    )
    off = sums[sums["total"].abs() > BALANCE_TOLERANCE]
    issues = []
    for key, row in off.head(MAX_ISSUES).iterrows():
        journal, num = cast(tuple[str, str], key)
        issues.append(
            FecIssue(
                int(row["line"]),
                "EcritureNum",
                f"entry {num} of journal {journal} is not balanced: debits exceed credits by "
                f"{row['total']:.2f}",
            )
        )
    return issues


def _read_file_name(ledger: FecLedger) -> None:
    """SIREN and closing date from ``<SIREN>FEC<AAAAMMJJ>.txt``; a warning when it is not so."""
    name = ledger.file_name.rsplit("/", 1)[-1]
    match = FILE_NAME.match(name)
    if not match:
        if name:
            ledger.warnings.append(
                FecIssue(
                    None,
                    None,
                    f"the file name '{name}' is not <SIREN>FEC<AAAAMMJJ>.txt as the law names it",
                )
            )
        return
    ledger.siren = match.group("siren")
    try:
        closing = match.group("closing")
        ledger.closing_date = date(int(closing[:4]), int(closing[4:6]), int(closing[6:]))
    except ValueError:
        ledger.warnings.append(FecIssue(None, None, f"'{name}': the closing date is not a date"))
