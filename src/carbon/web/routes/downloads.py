"""Downloads: the PDF reports and certificates, and the spreadsheet exports.

A company's report and exports are for its members, its coaches and administrators
(``period_or_404``); a cohort's report, export and certificates for the cohort's coaches and
administrators (``cohort_or_404``). Anything else answers 404, like the pages. Files are built
in the reader's language (the request's locale) by carbon.reports, which knows nothing of the web.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy.orm import Session

from carbon.accounting.engine import ComputationError
from carbon.db.models import Cohort, ReportingPeriod
from carbon.i18n import fmt_date, get_locale
from carbon.i18n import gettext as _
from carbon.reports import exports
from carbon.reports.certificate import certificates_pdf
from carbon.reports.cohort import cohort_report_pdf
from carbon.reports.company import company_report_pdf
from carbon.reports.data import period_report
from carbon.reports.data_cohort import cohort_report
from carbon.reports.fonts import FontsMissing
from carbon.reports.model import PeriodReport
from carbon.reports.model_cohort import CohortReport, certificates
from carbon.reports.pool import Renderer
from carbon.reports.text import slug
from carbon.web.deps import Id, PrincipalDep, QueryId, SessionDep
from carbon.web.loaders import cohort_or_404, company_or_404, not_found, period_or_404

router = APIRouter(include_in_schema=False)
T = TypeVar("T")

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _file(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            # ``filename`` is ASCII (text.slug), so no RFC 5987 encoding is needed.
            "Content-Disposition": f'attachment; filename="{filename}"',
            # One company's figures: never kept by a shared cache.
            "Cache-Control": "private, no-store",
        },
    )


class GwpParam(StrEnum):
    """``?gwp=``: the GWP set of an export (docs/methodology.md § 10)."""

    ar5 = "ar5"
    ar6 = "ar6"


def _period_data(
    session: Session,
    period: ReportingPeriod,
    monte_carlo: bool = False,
    gwp: GwpParam = GwpParam.ar5,
) -> PeriodReport:
    try:
        return period_report(
            session, period, get_locale(), monte_carlo=monte_carlo, gwp_set=gwp.value.upper()
        )
    except ComputationError as exc:
        raise HTTPException(
            409, _("This period's data cannot be computed: %(error)s") % {"error": exc}
        ) from None


def get_renderer(request: Request) -> Renderer:
    renderer: Renderer = request.app.state.pdf
    return renderer


RendererDep = Annotated[Renderer, Depends(get_renderer)]


def _pdf(renderer: Renderer, build: Callable[[T, str], bytes], data: T, locale: str) -> bytes:
    try:
        return renderer.render(build, data, locale)  # in a child process, or kept
    except FontsMissing:
        raise HTTPException(503, _("PDF reports are unavailable on this server.")) from None


def _name(period: ReportingPeriod) -> str:
    return f"{slug(period.company.name, 'company')}-{period.year}"


@router.get("/periods/{period_id}/report.pdf")
def period_report_pdf(
    period_id: Id, session: SessionDep, principal: PrincipalDep, renderer: RendererDep,
    gwp: GwpParam = GwpParam.ar5,
) -> Response:  # fmt: skip
    """The company report; ``?gwp=ar6`` restates the factors broken down by gas under AR6."""
    period = period_or_404(session, principal, period_id)
    # The PDF's method annex carries the Monte Carlo check: run here, on demand, never on a page.
    data = _period_data(session, period, monte_carlo=True, gwp=gwp)
    pdf = _pdf(renderer, company_report_pdf, data, get_locale())
    suffix = "" if gwp is GwpParam.ar5 else f"-{gwp.value}"
    return _file(pdf, PDF, f"carbon-{_name(period)}{suffix}.pdf")


@router.get("/periods/{period_id}/export.xlsx")
def period_export_xlsx(period_id: Id, session: SessionDep, principal: PrincipalDep) -> Response:
    period = period_or_404(session, principal, period_id)
    data = exports.period_xlsx(_period_data(session, period), get_locale())
    return _file(data, XLSX, f"carbon-{_name(period)}.xlsx")


@router.get("/periods/{period_id}/export.csv")
def period_export_csv(period_id: Id, session: SessionDep, principal: PrincipalDep) -> Response:
    period = period_or_404(session, principal, period_id)
    data = exports.lines_csv(_period_data(session, period), get_locale())
    return _file(data, CSV, f"carbon-{_name(period)}-lines.csv")


@router.get("/periods/{period_id}/beges.xlsx")
def period_beges_xlsx(
    period_id: Id, session: SessionDep, principal: PrincipalDep, gwp: GwpParam = GwpParam.ar5
) -> Response:
    """The BEGES table; ``?gwp=ar6`` restates the factors broken down by gas under AR6."""
    period = period_or_404(session, principal, period_id)
    data = exports.beges_xlsx(_period_data(session, period, gwp=gwp), get_locale())
    suffix = "" if gwp is GwpParam.ar5 else f"-{gwp.value}"
    return _file(data, XLSX, f"beges-{_name(period)}{suffix}.xlsx")


def _cohort_name(cohort: Cohort) -> str:
    return f"{slug(cohort.programme.code, 'programme')}-{slug(cohort.name, 'cohort')}"


def _cohort_data(session: Session, cohort: Cohort, anonymise: bool) -> CohortReport:
    data = cohort_report(session, cohort, get_locale())
    return data.anonymise(_("Company")) if anonymise else data


@router.get("/cohorts/{cohort_id}/report.pdf")
def cohort_report_download(
    cohort_id: Id,
    session: SessionDep,
    principal: PrincipalDep,
    renderer: RendererDep,
    anonymise: bool = False,
) -> Response:
    cohort = cohort_or_404(session, principal, cohort_id)
    data = _cohort_data(session, cohort, anonymise)
    pdf = _pdf(renderer, cohort_report_pdf, data, get_locale())
    return _file(pdf, PDF, f"carbon-{_cohort_name(cohort)}.pdf")


@router.get("/cohorts/{cohort_id}/export.xlsx")
def cohort_export_xlsx(
    cohort_id: Id, session: SessionDep, principal: PrincipalDep, anonymise: bool = False
) -> Response:
    cohort = cohort_or_404(session, principal, cohort_id)
    data = exports.cohort_xlsx(_cohort_data(session, cohort, anonymise), get_locale())
    return _file(data, XLSX, f"carbon-{_cohort_name(cohort)}.xlsx")


def _started(cohort: Cohort) -> None:
    """A certificate of participation is refused before the cohort has started."""
    if cohort.start_date is not None and date.today() < cohort.start_date:
        raise HTTPException(
            409,
            _("Certificates of participation are issued once the cohort has started (%(date)s).")
            % {"date": fmt_date(cohort.start_date)},
        )


@router.get("/cohorts/{cohort_id}/certificates.pdf")
def cohort_certificates(
    cohort_id: Id, session: SessionDep, principal: PrincipalDep, renderer: RendererDep
) -> Response:
    cohort = cohort_or_404(session, principal, cohort_id)
    _started(cohort)
    items = certificates(cohort_report(session, cohort, get_locale()))
    pdf = _pdf(renderer, certificates_pdf, items, get_locale())
    return _file(pdf, PDF, f"certificates-{_cohort_name(cohort)}.pdf")


@router.get("/companies/{company_id}/certificate.pdf")
def company_certificate(
    company_id: Id,
    cohort: QueryId,
    session: SessionDep,
    principal: PrincipalDep,
    renderer: RendererDep,
) -> Response:
    # The certificate is the cohort's to hand out: its coaches' and administrators', like the
    # cohort report, so the cohort is checked first and the company must be enrolled in it.
    the_cohort = cohort_or_404(session, principal, cohort)
    company = company_or_404(session, principal, company_id)
    if not any(e.company_id == company.id for e in the_cohort.enrolments):
        raise not_found()
    _started(the_cohort)
    data = cohort_report(session, the_cohort, get_locale(), company_ids={company.id})
    pdf = _pdf(renderer, certificates_pdf, certificates(data), get_locale())
    name = f"certificate-{slug(company.name, 'company')}-{_cohort_name(the_cohort)}.pdf"
    return _file(pdf, PDF, name)
