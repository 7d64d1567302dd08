"""Importing a period's lines from the books (FEC, FatturaPA): upload → preview → confirm.

Small companies have their accounts, not a consumption sheet (issue 17). The user uploads the
French general ledger export (FEC, ``.txt``) or Italian e-invoices (FatturaPA ``.xml`` or a
``.zip`` of them), sees the lines it would give (account or supplier, amount, poste, factor,
kgCO2e, whose rule mapped it), what is left out and why (excluded accounts, accounts that want
physical data, unmapped accounts, spend already measured physically), and the file's problems
with their line and column; then confirms. Storing goes through the same steps as
``carbon import fec|fatturapa`` (:mod:`carbon.web.books_preview`): all or nothing, audited, and
a file already imported into the period changes nothing.

Between preview and confirm the file is kept exactly as the spreadsheet import keeps it
(:mod:`carbon.web.routes.imports`: a private file bound to the session, the user and the period,
taken once by the confirm, which reads and plans the bytes again). Its name is kept with a
``books:`` mark, so a spreadsheet preview's token is not a books preview's.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from carbon.db.activity_lines import PeriodReadOnly
from carbon.db.mapping_rules import LAYER_LABELS
from carbon.db.models import ReportingPeriod
from carbon.i18n import gettext as _
from carbon.i18n import ngettext
from carbon.web.books_preview import KIND_NAMES, BooksPreview, BooksRefusal, analyse, store
from carbon.web.deps import Id, PrincipalDep, SessionDep
from carbon.web.loaders import period_or_404
from carbon.web.routes.imports import (
    HTMX_REFUSAL,
    claim_upload,
    confirm_form,
    decimals,
    editable_or_403,
    keep_upload,
    upload_form,
)
from carbon.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

MARK: Final = "books:"


def _page(request: Request, period: ReportingPeriod, status: int = 200, **ctx: Any) -> Response:
    limit = request.app.state.settings.max_books_upload_bytes
    context = {
        "period": period, "company": period.company, "preview": None, "refusal": None,
        "token": None, "limit_mb": limit / 1_048_576, "decimals": decimals,
        "layer_labels": LAYER_LABELS, "kind_names": KIND_NAMES, **ctx,
    }  # fmt: skip
    if is_htmx(request) and 400 <= status < 500:
        status = HTMX_REFUSAL  # swapped in place, like the spreadsheet import's refusals
    return render(request, "import_books.html", context, blocks=["preview"], status_code=status)


def _refused(
    request: Request, period: ReportingPeriod, status: int, code: str, text: str
) -> Response:
    return _page(request, period, status, refusal={"code": code, "text": text})


def _too_large(request: Request, period: ReportingPeriod, size: int | None) -> Response:
    limit = request.app.state.settings.max_books_upload_bytes
    params = {"limit_mb": f"{limit / 1_048_576:.3g}", "size_mb": f"{(size or 0) / 1_048_576:.3g}"}
    if size is None:  # only the request's declared size is known
        text = _("The file is larger than the %(limit_mb)s MB limit.") % params
    else:
        text = _("The file is %(size_mb)s MB, larger than the %(limit_mb)s MB limit.") % params
    return _refused(request, period, 413, "file_too_large", text)


@router.get("/periods/{period_id}/import/books")
def books_page(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep
) -> Response:
    period = period_or_404(session, principal, period_id)
    editable_or_403(principal, period)
    return _page(request, period)


_upload_form = upload_form("max_books_upload_bytes")


@router.post("/periods/{period_id}/import/books")
def books_upload(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    form: Annotated[FormData | None, Depends(_upload_form)],
) -> Response:  # fmt: skip
    period = period_or_404(session, principal, period_id)
    editable_or_403(principal, period)
    limit: int = request.app.state.settings.max_books_upload_bytes
    if form is None:
        return _too_large(request, period, None)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        text = _("Choose a FEC (.txt) or FatturaPA (.xml, .zip) file to import.")
        return _refused(request, period, 422, "no_file", text)
    data = file.file.read(limit + 1)
    if len(data) > limit:
        return _too_large(request, period, file.size or len(data))
    name = file.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    try:
        preview = analyse(session, period, name, data)
    except BooksRefusal as exc:
        return _refused(request, period, 422, exc.code, exc.message)
    token = None
    if preview.ok and preview.lines and not preview.already_imported:
        token = keep_upload(request, principal, period, MARK + name, data)
    return _page(request, period, 200 if preview.ok else 422, preview=preview, token=token)


@router.post("/periods/{period_id}/import/books/confirm")
def books_confirm(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    form: Annotated[FormData, Depends(confirm_form)],
) -> Response:  # fmt: skip
    period = period_or_404(session, principal, period_id)
    editable_or_403(principal, period)
    kept = claim_upload(request, principal, period, str(form.get("token") or ""))
    if kept is None or not kept[1].startswith(MARK):
        if kept is not None:
            kept[0].unlink(missing_ok=True)
        text = _("This preview has expired or belongs to another session: upload the file again.")
        return _refused(request, period, 410, "expired", text)
    path, name, data = kept
    try:
        preview: BooksPreview = analyse(session, period, name.removeprefix(MARK), data)
        if not preview.ok:  # the rules or the library changed since the preview
            return _page(request, period, 422, preview=preview)
        stored = store(session, principal.id, period, preview)
        session.commit()
    except BooksRefusal as exc:  # the same name was accepted before: cannot happen
        return _refused(request, period, 422, exc.code, exc.message)
    except PeriodReadOnly:
        session.rollback()
        text = _("This period is read-only: it has been submitted or validated.")
        return _refused(request, period, 403, "read_only", text)
    finally:  # taken: whatever happens, this preview cannot be confirmed again
        path.unlink(missing_ok=True)
    if preview.already_imported:
        request.session["flash"] = _(
            "This file was already imported into this period: nothing changed."
        )
    else:
        request.session["flash"] = ngettext(
            "%(n)s line imported from %(file)s.", "%(n)s lines imported from %(file)s.", stored
        ) % {"n": stored, "file": preview.filename}
    target = f"/periods/{period.id}"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
