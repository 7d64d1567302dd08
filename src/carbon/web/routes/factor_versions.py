"""Factor-library versions: the yearly ADEME import, the default version, and comparisons.

Administrators upload the official ADEME export as downloaded (about 11 MB) and choose which
version new reporting periods pin. The importer either reads the whole file or refuses it with
the line and column at fault; nothing of a refused file is stored, and the same content uploaded
twice is the same version (its digest), not a copy.

``/periods/{id}/compare`` answers "what would this year be with another library?" and "how much of
the change since last year is ours, how much the factors'?". Both are recomputations shown on the
page only: a period keeps its pinned library, so a validated year never changes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from carbon.accounting.engine import ComputationError
from carbon.db.audit import record
from carbon.db.factor_store import (
    FactorStoreError,
    content_digest,
    list_versions,
    save_library,
    set_default_version,
)
from carbon.db.models import LibraryVersion, ReportingPeriod
from carbon.factors.ademe import AdemeFormatError, read_ademe_export
from carbon.i18n import gettext as _
from carbon.plan.compare import compare_versions, previous_period, split_change
from carbon.web.deps import Id, PrincipalDep, QueryId, SessionDep
from carbon.web.loaders import period_or_404
from carbon.web.routes.admin import AdminDep, get_or_404
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)


def _versions_context(session: Session, **ctx: Any) -> dict[str, Any]:
    pinned = dict(
        session.execute(
            select(ReportingPeriod.library_version_id, func.count()).group_by(
                ReportingPeriod.library_version_id
            )
        ).all()
    )
    ctx.setdefault("form", {})
    ctx.setdefault("errors", {})
    return {"versions": list_versions(session), "pinned": pinned, **ctx}


def _page(request: Request, session: Session, status: int = 200, **ctx: Any) -> Response:
    ctx = _versions_context(session, **ctx)
    # After an import the list changes too (swapped out of band); otherwise only the form does.
    blocks = ["import_form", "versions"] if ctx.get("imported") else ["import_form"]
    return render(request, "factor_versions.html", ctx, blocks=blocks, status_code=status)


@router.get("/admin/factors")
def versions_page(request: Request, session: SessionDep, _admin: AdminDep) -> Response:
    return _page(request, session)


def _import(
    session: Session, data: bytes, label: str, make_default: bool | None
) -> tuple[Any, bool]:
    """Read and store the export (a full file takes seconds: the route is a plain def, run in a
    worker thread).

    Returns the version and whether it already existed; raises AdemeFormatError or
    FactorStoreError, with nothing stored.
    """
    library = read_ademe_export(data, label)
    existing = session.scalar(
        select(LibraryVersion).where(LibraryVersion.content_digest == content_digest(library))
    )
    if existing is not None:
        return existing, True
    version = save_library(session, library, source="ademe", label=label, make_default=make_default)
    return version, False


async def _export_form(request: Request) -> FormData | None:
    """The posted export, or None when the declared size is over the limit: then the body is
    refused before its parts are parsed."""
    limit = request.app.state.settings.max_factor_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit + 64 * 1024:
        return None
    return await request.form()


@router.post("/admin/factors")
def upload_export(
    request: Request, session: SessionDep, admin: AdminDep,
    raw: Annotated[FormData | None, Depends(_export_form)],
) -> Response:  # fmt: skip
    limit = request.app.state.settings.max_factor_upload_bytes
    too_large = _("The file is larger than %(mb)s MB, the limit set for uploads.") % {
        "mb": f"{limit / 1_000_000:.0f}"
    }
    if raw is None:
        return _page(request, session, 413, errors={"file": too_large})
    upload = raw.get("file")
    label = str(raw.get("label", "")).strip()
    form = {"label": label, "make_default": str(raw.get("make_default", ""))}
    errors: dict[str, str] = {}
    if not label or len(label) > 100:
        errors["label"] = _("Name the version, for example “ADEME Base Empreinte 23.6”.")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = _("Choose the export file (CSV) downloaded from ADEME.")
    elif (upload.size or 0) > limit:
        errors["file"] = too_large
    if errors or not isinstance(upload, UploadFile):
        return _page(request, session, 422, form=form, errors=errors)
    data = upload.file.read()
    try:
        # Unticked: the first official library still becomes the default (factor_store).
        version, existed = _import(session, data, label, form["make_default"] == "1" or None)
    except AdemeFormatError as exc:
        session.rollback()
        message = _("The file was refused and nothing was stored: %(reason)s")
        return _page(request, session, 422, form=form, errors={"file": message % {"reason": exc}})
    except FactorStoreError:
        session.rollback()
        errors = {"label": _("Another version already has this name.")}
        return _page(request, session, 422, form=form, errors=errors)
    if not existed:
        after = {
            "label": version.label,
            "source": version.source,
            "factor_count": version.factor_count,
            "digest": version.content_digest,
        }
        record(session, admin.id, "import", "library_version", version.id, None, after)
    session.commit()
    return _page(request, session, imported=version, existed=existed)


@router.post("/admin/factors/{version_id}/default")
def make_default(
    request: Request, version_id: Id, session: SessionDep, admin: AdminDep
) -> Response:
    version: LibraryVersion = get_or_404(session, LibraryVersion, version_id)
    previous = session.scalar(select(LibraryVersion.id).where(LibraryVersion.is_default))
    set_default_version(session, version)
    record(session, admin.id, "make_default", "library_version", version.id,
           {"default_version_id": previous}, {"default_version_id": version.id})  # fmt: skip
    session.commit()
    return RedirectResponse("/admin/factors", status_code=303)


@router.get("/periods/{period_id}/compare")
def compare_page(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    version: QueryId | None = None,
) -> Response:  # fmt: skip
    period = period_or_404(session, principal, period_id)
    ctx: dict[str, Any] = {
        "period": period,
        "company": period.company,
        "versions": list_versions(session),
        "chosen": None,
        "comparison": None,
        "comparison_error": None,
        "split": None,
        "split_error": None,
        "previous": previous_period(session, period),
    }
    if version is not None and version != period.library_version_id:
        ctx["chosen"] = get_or_404(session, LibraryVersion, version)
        try:
            ctx["comparison"] = compare_versions(session, period, version)
        except ComputationError as exc:
            ctx["comparison_error"] = str(exc)
    if ctx["previous"] is not None:
        try:
            ctx["split"] = split_change(session, ctx["previous"], period)
        except ComputationError as exc:
            ctx["split_error"] = str(exc)
    return render(request, "compare.html", ctx)
