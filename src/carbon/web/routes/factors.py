"""The factor browser: search a stored library and read a factor (name, unit, value, source,
uncertainty, validity, sub-posts), for anyone signed in.

Factor libraries are public data (ADEME Base Empreinte, the bundled library's public sources),
so every signed-in user may read them; what a line's factor says is one click from the line.
The search runs in the database (a name or identifier containing every word typed), so an
official library of 12,000 factors is never loaded into memory for it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from carbon.db.factor_store import default_version, list_versions
from carbon.db.models import Factor, FactorGas, FactorSubpost, LibraryVersion
from carbon.i18n import get_locale
from carbon.web.deps import Id, PrincipalDep, SessionDep
from carbon.web.loaders import not_found
from carbon.web.routes.results import fmt_factor
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_RESULTS = 50
MAX_QUERY = 100


def _version(session: Session, raw: str) -> LibraryVersion | None:
    """The library asked for (by id), else the default one, else the latest imported."""
    chosen = session.get(LibraryVersion, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if chosen is not None:
        return chosen
    versions = list_versions(session)
    return default_version(session) or (versions[0] if versions else None)


def _search(version_id: int, text: str) -> Select[Any]:
    """Factors whose name (any language) or identifier contains every word of ``text``."""
    query = select(Factor).where(Factor.library_version_id == version_id)
    for word in text.split()[:8]:
        pattern = f"%{word.lower()}%"
        fields = (Factor.name_fr, Factor.name_it, Factor.name_en, Factor.factor_id)
        query = query.where(or_(*(func.lower(f).like(pattern) for f in fields)))
    return query.order_by(Factor.status, Factor.name_fr).limit(MAX_RESULTS)


@router.get("/factors")
def factors_page(request: Request, session: SessionDep, _p: PrincipalDep) -> Response:
    text = request.query_params.get("q", "").strip()[:MAX_QUERY]
    version = _version(session, request.query_params.get("library", ""))
    found = list(session.scalars(_search(version.id, text))) if version and text else []
    ctx: dict[str, Any] = {
        "versions": list_versions(session),
        "version": version,
        "q": text,
        "found": found,
        "max_results": MAX_RESULTS,
        "name_of": _name_of,
        "fmt_factor": fmt_factor,
    }
    return render(request, "factors.html", ctx, blocks=["results"])


@router.get("/factors/{version_id}/{factor_id}")
def factor_page(
    request: Request, version_id: Id, factor_id: str, session: SessionDep, _p: PrincipalDep
) -> Response:
    factor = session.scalar(
        select(Factor).where(
            and_(Factor.library_version_id == version_id, Factor.factor_id == factor_id[:128])
        )
    )
    if factor is None:
        raise not_found()
    subposts = session.scalars(
        select(FactorSubpost).where(FactorSubpost.factor_pk == factor.id).order_by(FactorSubpost.id)
    ).all()
    # The whole factor's breakdown by gas, where the source gives one (methodology § 10).
    gases = session.scalars(
        select(FactorGas)
        .where(FactorGas.factor_pk == factor.id, FactorGas.part == "")
        .order_by(FactorGas.id)
    ).all()
    ctx = {
        "factor": factor,
        "version": session.get(LibraryVersion, version_id),
        "subposts": subposts,
        "gases": gases,
        "name_of": _name_of,
        "fmt_factor": fmt_factor,
    }
    return render(request, "factor.html", ctx)


def _name_of(factor: Factor) -> str:
    names = {"fr": factor.name_fr, "it": factor.name_it, "en": factor.name_en}
    return names.get(get_locale()) or factor.name_fr or factor.name_en or factor.factor_id
