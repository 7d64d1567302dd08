"""Importing a period's activity lines from a spreadsheet: upload, preview, confirm.

A company keeps its consumption in a sheet; typing each line again is where data gets lost. The
user uploads the sheet, sees every row as it will be stored (with its kgCO2e) and every problem
located by row and by the header they wrote, and confirms; the lines are then stored all at once
or not at all (:func:`carbon.db.activity_lines.add_lines`), each audited.

Between preview and confirm the file is kept on the server, never round-tripped through the
browser: ``<token>.upload`` in a private folder (``app.state.import_dir``, by default
``data/imports`` next to the default SQLite database; files, not memory, so that any worker of the
host can confirm). The random token travels in the confirm form, and the file records an HMAC of
the user, the period and the session's CSRF secret, so only the same sign-in session may use it
(another session, user or period sees an expired preview). Kept files expire after an hour; each
upload sweeps the old ones. A confirm first takes the file (an atomic rename, so a double click
cannot import twice), re-reads and re-validates it, then deletes it: what is stored is what the
checks pass now, not what the browser says.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from carbon.db.activity_lines import add_lines
from carbon.db.compute import library_for, uncertainty_scale
from carbon.db.models import ReportingPeriod
from carbon.i18n import N_, get_locale, ngettext, normalize_locale
from carbon.i18n import gettext as _
from carbon.imports.spreadsheet import (
    ImportIssue,
    ImportPreview,
    UploadError,
    read_upload,
    template_csv,
    template_xlsx,
    validate_rows,
)
from carbon.imports.spreadsheet_issues import SHARED
from carbon.inputs.messages import message
from carbon.web.access import Principal, can_edit_period
from carbon.web.deps import Id, PrincipalDep, SessionDep
from carbon.web.loaders import period_or_404
from carbon.web.security import get_csrf_token
from carbon.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

UPLOAD_TTL_S: Final = 3600
# All kept previews together stay under this many of the largest upload: past it the oldest
# previews go first (their owners upload again), so the disk cannot be filled by previews.
KEPT_UPLOADS: Final = 40
# Boundaries, part headers and the CSRF field around the file in a multipart body.
MULTIPART_SLACK: Final = 16 * 1024
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# base.html's htmx config swaps 4xx answers only for 422 and 429: to htmx, a refusal (too large,
# expired) is a 422 fragment shown in place; a plain form post gets the 413 or 410 page.
HTMX_REFUSAL: Final = 422

# The import's MESSAGES (carbon.imports.spreadsheet_issues), as translatable templates with the
# same parameters. A code missing here falls back to the English message (tests keep them equal).
MESSAGES: Final[dict[str, str]] = {
    "file_too_large": N_("the file is %(size_mb)s MB, larger than the %(limit_mb)s MB limit"),
    "unsupported_format": N_(
        "files of type '%(extension)s' cannot be imported: save the sheet as .xlsx or .csv"
    ),
    "xls_not_supported": N_(
        "this is an old Excel .xls file or a password-protected workbook: "
        "save it as .xlsx (without a password) or as .csv"
    ),
    "workbook_as_csv": N_(
        "this file is an Excel workbook with a .csv name: "
        "upload it with its .xlsx extension, or save it as CSV"
    ),
    "binary_file": N_(
        "this is not a text file (it contains binary data): save the sheet as .csv or .xlsx"
    ),
    "encoding": N_("the text encoding cannot be read (%(detail)s): save the file as 'CSV UTF-8'"),
    "empty_file": N_("the file is empty"),
    "no_data_rows": N_("the file has a header but no data rows"),
    "corrupt_xlsx": N_(
        "the Excel file is damaged or incomplete: open it in Excel or LibreOffice and save it again"
    ),
    "xlsx_too_large": N_("the workbook is too large once uncompressed (over %(limit_mb)s MB)"),
    "xlsx_bomb": N_(
        "the part %(part)s of the workbook expands to %(size_mb)s MB, %(ratio)s times its "
        "compressed size: this is not an ordinary spreadsheet; save the sheet again as .xlsx "
        "or .csv"
    ),
    "too_many_sheets": N_(
        "the workbook has more than %(limit)s sheets: keep only the one to import"
    ),
    "too_many_rows": N_("the file has more than %(limit)s data rows: split it into several files"),
    "csv_malformed": N_("the CSV structure is broken: %(detail)s"),
    "missing_column": N_("missing column(s): %(columns)s"),
    "duplicate_column": N_(
        "the columns '%(first)s' and '%(second)s' both mean %(meaning)s: keep only one"
    ),
    "ragged_row": N_(
        "this row has %(cells)s cells but the header has %(header_cells)s: "
        "a text probably contains '%(separator)s' without quotes"
    ),
    "mixed_separators": N_(
        "this row is separated by '%(row_separator)s' but the header by '%(separator)s'"
    ),
    "formula_text": N_(
        "text starting with '%(char)s' is refused because spreadsheets would run it as a formula: "
        "remove the leading '%(char)s'"
    ),
    "activity_missing": N_(
        "no activity given (write a catalogue activity, or a factor and a poste)"
    ),
    "activity_unknown": N_("unknown activity '%(value)s'"),
    "activity_ambiguous": N_(
        "'%(value)s' names several activities (%(candidates)s): use its identifier"
    ),
    "poste_invalid": N_("unknown BEGES poste '%(value)s' (expected 1.1 … 6.1)"),
    "poste_mismatch": N_(
        "'%(activity)s' belongs to poste %(activity_poste)s; it can only be moved to another "
        "poste of category %(category)s, not to %(value)s"
    ),
    "poste_missing": N_("a poste is required when no activity is given"),
    "factor_unknown": N_("unknown emission factor '%(value)s' in the library %(library)s"),
    "quantity_missing": N_(
        "the quantity is empty (a formula whose result was not saved also reads as empty)"
    ),
    "quantity_ambiguous": N_(
        "'%(value)s' can be read two ways (decimal mark or thousands separator): write it "
        "without thousands separator, with the same decimal mark as the rest of the column"
    ),
    "unit_missing": N_("the unit is empty"),
    "unit_unknown": N_("unknown unit '%(value)s'"),
    "unit_not_allowed": N_("'%(value)s' is not a unit for '%(activity)s': use %(allowed)s"),
    "unit_incompatible": N_(
        "'%(value)s' cannot be converted to the factor's unit '%(factor_unit)s'"
    ),
    "quality_unknown": N_(
        "unknown data quality '%(value)s' (expected measured, estimated or extrapolated; "
        "invoice, facture and fattura count as measured)"
    ),
    "site_unknown": N_("unknown site '%(value)s' (the company's sites: %(known)s)"),
    "text_too_long": N_("this text has %(length)s characters, more than the %(limit)s allowed"),
    "unknown_column": N_("the column '%(name)s' is not recognised and is ignored"),
    "unnamed_column": N_("a column without a header holds data and is ignored"),
    "rows_before_header": N_("rows above the header (1 to %(last)s) are ignored"),
    "site_ignored": N_("the site column is ignored: no sites are defined for the company"),
    "duplicate_row": N_("this row repeats row %(first_row)s: check it is not entered twice"),
    "quantity_zero": N_("the quantity is 0: this line adds no emissions"),
}


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:  # a parameter the import did not give: no crash
        return ""


def issue_text(issue: ImportIssue) -> str:
    """The issue's message in the reader's language, starting with a capital letter."""
    template = MESSAGES.get(issue.code)
    if issue.code in SHARED:  # worded as the form and the API word it
        text = message(issue.code, str(issue.params.get("field", "")), issue.params)
    elif template is None:
        text = issue.message
    else:
        shown = _Params(
            {k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
             for k, v in issue.params.items()}
        )  # fmt: skip
        text = _(template) % shown
        if shown.get("suggestions"):
            text += " " + _("(did you mean: %(suggestions)s?)") % shown
    return text[:1].upper() + text[1:]


def decimals(value: float) -> int:
    """Decimals to show a quantity as typed (1234.5 -> 1, 48250 -> 0), at most 3."""
    text = f"{value:.3f}".rstrip("0")
    return len(text.partition(".")[2])


# --- The kept upload -------------------------------------------------------------------------


def _folder(request: Request) -> Path:
    folder = Path(
        getattr(request.app.state, "import_dir", None)
        or request.app.state.settings.data_dir / "imports"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _binding(request: Request, principal: Principal, period: ReportingPeriod) -> str:
    secret = get_csrf_token(request).encode()
    return hmac.new(secret, f"{principal.id}:{period.id}".encode(), hashlib.sha256).hexdigest()


def _sweep(folder: Path, room: int, cap: int) -> None:
    """Deletes expired previews (and files of an interrupted write), then the oldest previews
    until ``room`` more bytes fit under ``cap``."""
    now = time.time()
    kept: list[tuple[float, int, Path]] = []
    for old in folder.iterdir():
        if old.suffix not in (".upload", ".tmp", ".taken"):
            continue
        try:
            info = old.stat()
        except FileNotFoundError:  # taken or swept by another request meanwhile
            continue
        if now - info.st_mtime > UPLOAD_TTL_S:
            old.unlink(missing_ok=True)
        else:
            kept.append((info.st_mtime, info.st_size, old))
    total = sum(size for _at, size, _path in kept)
    for _at, size, path in sorted(kept, key=lambda item: item[0]):
        if total + room <= cap:
            break
        path.unlink(missing_ok=True)
        total -= size


def keep_upload(request: Request, principal: Principal, period: ReportingPeriod, name: str,
          data: bytes) -> str:  # fmt: skip
    folder = _folder(request)
    _sweep(folder, room=len(data) + 4096,
           cap=KEPT_UPLOADS * request.app.state.settings.max_upload_bytes)  # fmt: skip
    token = secrets.token_urlsafe(32)
    head = json.dumps({"binding": _binding(request, principal, period), "filename": name})
    tmp = folder / f"{token}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(head.encode() + b"\n" + data)
    tmp.replace(folder / f"{token}.upload")
    return token


def claim_upload(request: Request, principal: Principal, period: ReportingPeriod,
           token: str) -> tuple[Path, str, bytes] | None:  # fmt: skip
    """The kept file of ``token``, taken for one confirm: None unless it is this session's, for
    this period, unexpired and not already taken (a double click must not import twice)."""
    if not _TOKEN.fullmatch(token):
        return None
    path = _folder(request) / f"{token}.upload"
    taken = path.with_suffix(".taken")
    try:
        if time.time() - path.stat().st_mtime > UPLOAD_TTL_S:
            return None
        head, _nl, data = path.read_bytes().partition(b"\n")
        meta = json.loads(head)
        if not hmac.compare_digest(str(meta["binding"]), _binding(request, principal, period)):
            return None
        path.rename(taken)  # atomic: of two confirms, the second finds nothing
    except (OSError, ValueError, KeyError):
        return None
    return taken, str(meta.get("filename", "")), data


# --- Pages -----------------------------------------------------------------------------------


def editable_or_403(principal: Principal, period: ReportingPeriod) -> None:
    if can_edit_period(principal, period):
        return
    if period.status != "draft":
        raise HTTPException(403, _("This period is read-only: it has been submitted or validated."))
    raise HTTPException(403, _("Activity data is entered by the company itself."))


def _analyse(session: Session, period: ReportingPeriod, name: str, data: bytes, max_bytes: int,
             locale: str) -> ImportPreview:  # fmt: skip
    """Read and check the file against the period's pinned library and the company's sites."""
    frame = read_upload(name, data, max_bytes)
    sites = period.company.sites
    return validate_rows(
        frame, library_for(session, period.library_version_id),
        {s.name: s.id for s in sites} or None, locale,
        site_countries={s.id: s.country for s in sites}, company_country=period.company.country,
        scale=uncertainty_scale(session),
    )  # fmt: skip


def _page(request: Request, period: ReportingPeriod, status: int = 200, **ctx: Any) -> Response:
    max_bytes = request.app.state.settings.max_upload_bytes
    context = {
        "period": period, "company": period.company, "preview": None, "refusal": None,
        "token": None, "filename": None, "issue_text": issue_text, "decimals": decimals,
        "site_names": {s.id: s.name for s in period.company.sites},
        "limit_mb": max_bytes / 1_048_576, "template_lang": get_locale(), **ctx,
    }  # fmt: skip
    if is_htmx(request) and 400 <= status < 500:
        status = HTMX_REFUSAL  # swapped in place, like a form's errors (see HTMX_REFUSAL)
    return render(request, "import.html", context, blocks=["preview"], status_code=status)


def _too_large(request: Request, period: ReportingPeriod, size: int | None) -> Response:
    limit = request.app.state.settings.max_upload_bytes
    params = {"limit_mb": f"{limit / 1_048_576:.3g}", "size_mb": f"{(size or 0) / 1_048_576:.3g}"}
    refusal = ImportIssue.make("file_too_large", None, None, **params)
    if size is None:  # only the request's size is known: say what the limit is
        text = _("The file is larger than the %(limit_mb)s MB limit.") % params
        refusal = ImportIssue("too_large", text)
    return _page(request, period, 413, refusal=refusal)


@router.get("/import/template.{ext}")
def download_template(ext: str, _signed_in: PrincipalDep, lang: str = "") -> Response:
    """The import template in ``lang`` (fr, it, en; the reader's language by default)."""
    locale = normalize_locale(lang) or get_locale()
    if ext == "csv":
        body, media = template_csv(locale), "text/csv; charset=utf-8"
    elif ext == "xlsx":
        body, media = template_xlsx(locale), XLSX_TYPE
    else:
        raise HTTPException(404)
    filename = f"carbon-import-{locale}.{ext}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media, headers=headers)


@router.get("/periods/{period_id}/import")
def import_page(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep
) -> Response:
    period = period_or_404(session, principal, period_id)
    editable_or_403(principal, period)
    return _page(request, period)


def upload_form(setting: str) -> Callable[[Request], Awaitable[FormData | None]]:
    """A dependency reading the posted file, or None when the declared size is over the
    setting's limit: then the body is refused before it is parsed (spreadsheets and books)."""

    async def _upload_form(request: Request) -> FormData | None:
        limit: int = getattr(request.app.state.settings, setting)
        declared = request.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit + MULTIPART_SLACK:
            return None
        return await request.form(max_files=1, max_fields=8)

    return _upload_form


_upload_form = upload_form("max_upload_bytes")


@router.post("/periods/{period_id}/import")
def upload(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    form: Annotated[FormData | None, Depends(_upload_form)],
) -> Response:  # fmt: skip
    period = period_or_404(session, principal, period_id)
    editable_or_403(principal, period)
    max_bytes: int = request.app.state.settings.max_upload_bytes
    if form is None:
        return _too_large(request, period, None)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        refusal = ImportIssue("no_file", _("Choose a CSV or Excel (.xlsx) file to import."))
        return _page(request, period, 422, refusal=refusal)
    data = file.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        return _too_large(request, period, file.size or len(data))
    try:
        preview = _analyse(session, period, file.filename, data, max_bytes, get_locale())
    except UploadError as exc:
        return _page(request, period, 422, refusal=exc.issue)
    token = keep_upload(request, principal, period, file.filename, data) if preview.ok else None
    status = 200 if preview.ok else 422
    return _page(request, period, status, preview=preview, token=token, filename=file.filename)


async def confirm_form(request: Request) -> FormData:
    """The confirm form of an import preview (spreadsheet or books): its token, no file."""
    return await request.form(max_files=0, max_fields=4)


@router.post("/periods/{period_id}/import/confirm")
def confirm(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    form: Annotated[FormData, Depends(confirm_form)],
) -> Response:  # fmt: skip
    period = period_or_404(session, principal, period_id)
    editable_or_403(principal, period)
    token = str(form.get("token") or "")
    kept = claim_upload(request, principal, period, token)
    if kept is None:
        text = _("This preview has expired or belongs to another session: upload the file again.")
        return _page(request, period, 410, refusal=ImportIssue("expired", text))
    path, name, data = kept
    max_bytes = request.app.state.settings.max_upload_bytes
    try:
        preview = _analyse(session, period, name, data, max_bytes, get_locale())
        if not preview.ok:  # the library or the sites changed since the preview
            return _page(request, period, 422, preview=preview, filename=name)
        lines = add_lines(session, principal.id, period, [asdict(r) for r in preview.rows])
        session.commit()
    except UploadError as exc:  # the same bytes read before: only a changed limit gets here
        return _page(request, period, 422, refusal=exc.issue)
    finally:  # taken: whatever happens, this preview cannot be confirmed again
        path.unlink(missing_ok=True)
    n = len(lines)
    request.session["flash"] = ngettext("%(n)s line imported.", "%(n)s lines imported.", n) % {
        "n": n
    }
    target = f"/periods/{period.id}"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
