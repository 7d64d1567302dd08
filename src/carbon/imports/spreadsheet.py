"""Spreadsheet import of activity lines for a company's workspace: the web layer's entry point.

A company keeps its consumption in a spreadsheet; this lets it upload the file instead of typing
each line again. :func:`read_upload` reads the file (CSV or XLSX, fr/it/en headers),
:func:`validate_rows` checks every row against the activity catalogue and the factor library and
returns an :class:`ImportPreview` for the user to confirm, and the caller stores the previewed
rows in one transaction. :func:`template_csv` and :func:`template_xlsx` give a file to start from.

The work is split into modules with one job each:

- :mod:`spreadsheet_read`, :mod:`spreadsheet_xlsx`: reading the file, refusing unreadable ones;
- :mod:`spreadsheet_headers`: recognising fr/it/en headers;
- :mod:`spreadsheet_checks`: cell checks (formulas, quantities, quality, site);
- :mod:`spreadsheet_resolve`: activities, postes, units and factors against catalogue and library;
- :mod:`spreadsheet_validate`: the preview; :mod:`spreadsheet_issues`: problem codes;
- :mod:`spreadsheet_template`: the downloadable templates.
"""

from __future__ import annotations

from carbon.imports.spreadsheet_headers import ALIASES, COLUMNS
from carbon.imports.spreadsheet_issues import MESSAGES, ImportIssue, UploadError
from carbon.imports.spreadsheet_read import MAX_ROWS, read_upload
from carbon.imports.spreadsheet_template import TEMPLATE_HEADERS, template_csv, template_xlsx
from carbon.imports.spreadsheet_validate import (
    ImportPreview,
    PreviewRow,
    normalise_locale,
    validate_rows,
)

__all__ = [
    "ALIASES",
    "COLUMNS",
    "MAX_ROWS",
    "MESSAGES",
    "TEMPLATE_HEADERS",
    "ImportIssue",
    "ImportPreview",
    "PreviewRow",
    "UploadError",
    "normalise_locale",
    "read_upload",
    "template_csv",
    "template_xlsx",
    "validate_rows",
]
