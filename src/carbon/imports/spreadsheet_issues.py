"""What the spreadsheet import reports: one coded issue per problem, located by row and column.

The people importing are owners and office managers, not carbon experts, reading French, Italian
or English. So every problem carries a stable ``code`` and its ``params`` (the web layer renders
them through its own translations), plus an English ``message`` for logs, the CLI and as a
fallback. :data:`MESSAGES` is the single list of codes: a code missing from it is a programming
error, caught by the tests.

Values quoted in messages come from the uploaded file: whoever renders them must escape them
(Jinja autoescaping does).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from carbon.imports.tabular import TableError
from carbon.inputs.messages import english

# code -> English message; ``{name}`` placeholders are filled from the issue's params.
MESSAGES: dict[str, str] = {
    # The file as a whole (raised by read_upload as UploadError).
    "file_too_large": "the file is {size_mb} MB, larger than the {limit_mb} MB limit",
    "unsupported_format": (
        "files of type '{extension}' cannot be imported: save the sheet as .xlsx or .csv"
    ),
    "xls_not_supported": (
        "this is an old Excel .xls file or a password-protected workbook: "
        "save it as .xlsx (without a password) or as .csv"
    ),
    "workbook_as_csv": (
        "this file is an Excel workbook with a .csv name: "
        "upload it with its .xlsx extension, or save it as CSV"
    ),
    "binary_file": (
        "this is not a text file (it contains binary data): save the sheet as .csv or .xlsx"
    ),
    "encoding": "the text encoding cannot be read ({detail}): save the file as 'CSV UTF-8'",
    "empty_file": "the file is empty",
    "no_data_rows": "the file has a header but no data rows",
    "corrupt_xlsx": (
        "the Excel file is damaged or incomplete: open it in Excel or LibreOffice and save it again"
    ),
    "xlsx_too_large": "the workbook is too large once uncompressed (over {limit_mb} MB)",
    "too_many_rows": "the file has more than {limit} data rows: split it into several files",
    "xlsx_bomb": (
        "the part {part} of the workbook expands to {size_mb} MB, {ratio} times its compressed "
        "size: this is not an ordinary spreadsheet; save the sheet again as .xlsx or .csv"
    ),
    "too_many_sheets": "the workbook has more than {limit} sheets: keep only the one to import",
    "csv_malformed": "the CSV structure is broken: {detail}",
    "missing_column": "missing column(s): {columns}",
    "duplicate_column": "the columns '{first}' and '{second}' both mean {meaning}: keep only one",
    # One row (in ImportPreview.errors).
    "ragged_row": (
        "this row has {cells} cells but the header has {header_cells}: "
        "a text probably contains '{separator}' without quotes"
    ),
    "mixed_separators": (
        "this row is separated by '{row_separator}' but the header by '{separator}'"
    ),
    "formula_text": (
        "text starting with '{char}' is refused because spreadsheets would run it as a formula: "
        "remove the leading '{char}'"
    ),
    "activity_missing": "no activity given (write a catalogue activity, or a factor and a poste)",
    "activity_unknown": "unknown activity '{value}'",
    "activity_ambiguous": "'{value}' names several activities ({candidates}): use its identifier",
    "poste_invalid": "unknown BEGES poste '{value}' (expected 1.1 … 6.1)",
    "poste_mismatch": (
        "'{activity}' belongs to poste {activity_poste}; it can only be moved to another poste of "
        "category {category}, not to {value}"
    ),
    "poste_missing": "a poste is required when no activity is given",
    "factor_unknown": "unknown emission factor '{value}' in the library {library}",
    "quantity_missing": (
        "the quantity is empty (a formula whose result was not saved also reads as empty)"
    ),
    "quantity_ambiguous": (
        "'{value}' can be read two ways (decimal mark or thousands separator): write it without "
        "thousands separator, with the same decimal mark as the rest of the column"
    ),
    "unit_missing": "the unit is empty",
    "unit_unknown": "unknown unit '{value}'",
    "unit_not_allowed": "'{value}' is not a unit for '{activity}': use {allowed}",
    "unit_incompatible": "'{value}' cannot be converted to the factor's unit '{factor_unit}'",
    "quality_unknown": (
        "unknown data quality '{value}' (expected measured, estimated or extrapolated; "
        "invoice, facture and fattura count as measured)"
    ),
    "site_unknown": "unknown site '{value}' (the company's sites: {known})",
    "text_too_long": "this text has {length} characters, more than the {limit} allowed",
    "line_invalid": "{detail}",
    # Warnings: the import can go ahead, but the user should know.
    "unknown_column": "the column '{name}' is not recognised and is ignored",
    "unnamed_column": "a column without a header holds data and is ignored",
    "rows_before_header": "rows above the header (1 to {last}) are ignored",
    "site_ignored": "the site column is ignored: no sites are defined for the company",
    "duplicate_row": "this row repeats row {first_row}: check it is not entered twice",
    "quantity_zero": "the quantity is 0: this line adds no emissions",
}


# Codes shared with the form and the API: carbon.inputs.messages words them, naming the field.
SHARED: frozenset[str] = frozenset(
    {"number_invalid", "number_not_finite", "number_negative", "number_too_large"}
)


def render(code: str, params: Mapping[str, Any]) -> str:
    """The English message of ``code``; lists are joined, suggestions appended."""
    if code in SHARED:
        return english(code, str(params.get("field", "")), params)
    shown = {
        k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in params.items()
    }
    text = MESSAGES[code].format(**shown)
    if params.get("suggestions"):
        text += f" (did you mean: {shown['suggestions']}?)"
    return text


@dataclass(frozen=True)
class ImportIssue:
    """One problem (error or warning) of an import: where it is, its code, its English text.

    ``row`` is the spreadsheet row number (header = 1), ``column`` the header as the user wrote
    it; either is None where it would mean nothing (a file that cannot be read at all).
    Named ImportIssue rather than ImportError so as not to shadow Python's built-in.
    """

    code: str
    message: str
    row: int | None = None
    column: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def make(
        cls, code: str, row: int | None = None, column: str | None = None, **params: Any
    ) -> ImportIssue:
        return cls(code, render(code, params), row, column, params)

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (
                f"row {self.row}" if self.row else "",
                self.column and f"column {self.column}",
            )
            if p
        )
        return f"{where}: {self.message}" if where else self.message


class UploadError(TableError):
    """A file that cannot be imported at all; ``code`` and ``params`` as for :class:`ImportIssue`.

    A :class:`~carbon.imports.tabular.TableError`, so callers of the CSV readers catch both alike.
    """

    def __init__(
        self, code: str, line: int | None = None, column: str | None = None, **params: Any
    ) -> None:
        self.code = code
        self.params = params
        super().__init__(render(code, params), line, column)

    @property
    def issue(self) -> ImportIssue:
        return ImportIssue.make(self.code, self.line, self.column, **self.params)
