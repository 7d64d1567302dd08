"""``carbon admin`` and ``carbon period``: an operator scripts a cohort's start of year.

The same objects the administration pages create (programme, cohort, company, member or coach)
and the same period opening as the company page (:func:`carbon.db.periods.create_period`, with
the same input model), each in its own transaction and recorded in the audit trail as a system
act (no signed-in user). Each command prints the new object's id, for the next command to use.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from carbon.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

admin_app = typer.Typer(help="Programmes, cohorts, companies and users, for operators' scripts.")
period_app = typer.Typer(help="Reporting periods.")
programme_app = typer.Typer(help="Programmes.")
cohort_app = typer.Typer(help="Cohorts.")
company_app = typer.Typer(help="Companies.")
user_app = typer.Typer(help="Users: company members and coaches.")
for sub, name in ((programme_app, "programme"), (cohort_app, "cohort"),
                  (company_app, "company"), (user_app, "user")):  # fmt: skip
    admin_app.add_typer(sub, name=name)

out = Console(soft_wrap=True)  # a link or an id split over two lines cannot be pasted
err = Console(stderr=True, soft_wrap=True)
INVITATION_VALIDITY = timedelta(days=14)  # as the invitation page's links


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code=1)


def _run(work: Any) -> Any:
    """Run ``work(session)`` in one transaction; a refused input leaves nothing written."""
    from carbon.cli import _sessions
    from carbon.db.session import session_scope

    with session_scope(_sessions(Settings())) as session:
        return work(session)


def _audit(session: Session, obj: Any, company_id: int | None = None) -> None:
    from carbon.db.audit import record, snapshot

    session.flush()
    data = {k: v for k, v in snapshot(obj).items() if k != "password_hash"}
    record(session, None, "create", obj.__tablename__, obj.id, None, data, company_id=company_id)


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option}: give a date as YYYY-MM-DD, not {text!r}") from None


@programme_app.command("create")
def programme_create(
    code: Annotated[str, typer.Option("--code", help="short code, e.g. PZCM")],
    name: Annotated[str, typer.Option("--name", help="name in French")],
    name_it: Annotated[str, typer.Option("--name-it")] = "",
    name_en: Annotated[str, typer.Option("--name-en")] = "",
) -> None:
    """Create a programme."""
    from sqlalchemy import select

    from carbon.db.models import Programme

    code, name = code.strip(), name.strip()
    if not code or len(code) > 16 or not name or len(name) > 200:
        raise _fail("--code: 1 to 16 characters; --name: 1 to 200 characters")

    def work(session: Session) -> int:
        if session.scalar(select(Programme).where(Programme.code == code)) is not None:
            raise _fail(f"--code: programme {code!r} already exists")
        programme = Programme(code=code, name_fr=name, name_it=name_it, name_en=name_en)
        session.add(programme)
        _audit(session, programme)
        return programme.id

    out.print(f"programme {_run(work)}")


@cohort_app.command("create")
def cohort_create(
    programme: Annotated[str, typer.Option("--programme", help="the programme's code")],
    name: Annotated[str, typer.Option("--name")],
    start: Annotated[str | None, typer.Option("--start", help="first day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option("--end", help="last day, YYYY-MM-DD")] = None,
) -> None:
    """Create a cohort in a programme."""
    from sqlalchemy import select

    from carbon.db.models import Cohort, Programme

    starts, ends = _date(start, "--start"), _date(end, "--end")
    if starts and ends and ends < starts:
        raise _fail("--end: the cohort ends before it starts")
    if not name.strip() or len(name) > 200:
        raise _fail("--name: 1 to 200 characters")

    def work(session: Session) -> int:
        found = session.scalar(select(Programme).where(Programme.code == programme))
        if found is None:
            raise _fail(f"--programme: no programme with code {programme!r}")
        cohort = Cohort(programme=found, name=name.strip(), start_date=starts, end_date=ends)
        session.add(cohort)
        _audit(session, cohort)
        return cohort.id

    out.print(f"cohort {_run(work)}")


@company_app.command("create")
def company_create(
    name: Annotated[str, typer.Option("--name")],
    country: Annotated[str, typer.Option("--country", help="FR or IT")] = "FR",
    sector: Annotated[str, typer.Option("--sector")] = "other",
    legal_id: Annotated[str, typer.Option("--legal-id", help="SIREN or Partita IVA")] = "",
    cohort: Annotated[int | None, typer.Option("--cohort", help="enrol in this cohort id")] = None,
) -> None:
    """Create a company, optionally enrolled in a cohort."""
    from carbon.db.models import Cohort, Company, Enrolment, Sector
    from carbon.identifiers import InvalidIdentifier, normalise_legal_id

    if country not in ("FR", "IT"):
        raise _fail("--country: FR or IT")
    if sector not in {s.value for s in Sector}:
        raise _fail(f"--sector: one of {', '.join(s.value for s in Sector)}")
    if not name.strip() or len(name) > 200:
        raise _fail("--name: 1 to 200 characters")
    try:
        legal = normalise_legal_id(country, legal_id)
    except InvalidIdentifier as exc:
        raise _fail(f"--legal-id: {exc}") from None

    def work(session: Session) -> int:
        company = Company(name=name.strip(), country=country, sector=sector, legal_id=legal)
        session.add(company)
        _audit(session, company)
        if cohort is not None:
            if session.get(Cohort, cohort) is None:
                raise _fail(f"--cohort: no cohort {cohort}")
            enrolment = Enrolment(company_id=company.id, cohort_id=cohort)
            session.add(enrolment)
            _audit(session, enrolment, company_id=company.id)
        return company.id

    out.print(f"company {_run(work)}")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option("--email")],
    name: Annotated[str, typer.Option("--name")] = "",
    company: Annotated[int | None, typer.Option("--company", help="member of this company")] = None,
    coach_of: Annotated[int | None, typer.Option("--coach-of", help="coach of this cohort")] = None,
    is_admin: Annotated[
        bool, typer.Option("--admin", help="an administrator (the first one of a new install)")
    ] = False,
    locale: Annotated[str, typer.Option("--locale", help="fr, it or en")] = "fr",
    invite: Annotated[
        bool,
        typer.Option("--invite", help="print an invitation link instead of asking a password"),
    ] = False,
    base_url: Annotated[str, typer.Option("--base-url")] = "http://127.0.0.1:8000",
) -> None:
    """Create a company member (--company), a coach (--coach-of) or an administrator (--admin):
    with a password typed at the prompt (never on the command line), or, with --invite, a
    single-use invitation link (members and coaches)."""
    from sqlalchemy import select

    from carbon.auth import hash_password
    from carbon.db.models import Cohort, CohortCoach, Company, Invitation, Membership, User
    from carbon.db.models_users import normalise_email

    if is_admin and (company is not None or coach_of is not None or invite):
        raise _fail("--admin: an administrator sees everything; give no --company, --coach-of "
                    "or --invite")  # fmt: skip
    if not is_admin and (company is None) == (coach_of is None):
        raise _fail("give either --company (a member), --coach-of (a coach) or --admin")
    if "@" not in email or len(email) > 254:
        raise _fail(f"--email: {email!r} is not an e-mail address")
    if locale not in ("fr", "it", "en"):
        raise _fail("--locale: fr, it or en")
    settings = Settings()
    password = None
    if not invite:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) < 10:
            raise _fail("the password needs at least 10 characters")

    def work(session: Session) -> str:
        if company is not None and session.get(Company, company) is None:
            raise _fail(f"--company: no company {company}")
        if coach_of is not None and session.get(Cohort, coach_of) is None:
            raise _fail(f"--coach-of: no cohort {coach_of}")
        address = normalise_email(email)
        if invite:
            token = secrets.token_urlsafe(32)
            invitation = Invitation(
                # The invitation page looks the token up by this hash (admin_invitations.py).
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                email=address,
                role="member" if company is not None else "coach",
                company_id=company,
                cohort_id=coach_of,
                expires_at=datetime.now(UTC) + INVITATION_VALIDITY,
            )
            session.add(invitation)
            _audit(session, invitation, company_id=company)
            return f"invitation {invitation.id}: {base_url.rstrip('/')}/invite/{token}"
        user = session.scalar(select(User).where(User.email == address))
        if user is not None:
            raise _fail(f"--email: a user {address} already exists")
        assert password is not None
        user = User(
            email=address,
            display_name=name.strip()[:200],
            locale=locale,
            password_hash=hash_password(password, settings),
            is_admin=is_admin,
        )
        session.add(user)
        _audit(session, user)
        if is_admin:
            return f"user {user.id}"
        link: Any = (
            Membership(user_id=user.id, company_id=company)
            if company is not None
            else CohortCoach(user_id=user.id, cohort_id=coach_of)
        )
        session.add(link)
        _audit(session, link, company_id=company)
        return f"user {user.id}"

    out.print(_run(work))


@period_app.command("create")
def period_create(
    company: Annotated[int, typer.Option("--company", help="the company's id")],
    year: Annotated[str, typer.Option("--year")],
    starts_on: Annotated[str | None, typer.Option("--starts-on", help="fiscal year")] = None,
    ends_on: Annotated[str | None, typer.Option("--ends-on", help="fiscal year")] = None,
    base_year: Annotated[bool, typer.Option("--base-year")] = False,
    copy_last_year: Annotated[
        str, typer.Option("--copy-last-year", help="none, quantities or blank")
    ] = "none",
    fte: Annotated[str | None, typer.Option("--fte")] = None,
    revenue_keur: Annotated[str | None, typer.Option("--revenue-keur")] = None,
    sector_activity: Annotated[str | None, typer.Option("--sector-activity")] = None,
) -> None:
    """Open a reporting period for a company (pinned to the default factor library)."""
    from pydantic import ValidationError

    from carbon.db.models import Company
    from carbon.db.periods import PeriodExists, create_period
    from carbon.i18n import use_locale
    from carbon.inputs.period import PeriodIn, field_errors

    raw = {
        "year": year, "starts_on": starts_on, "ends_on": ends_on, "is_base_year": base_year,
        "copy_last_year": copy_last_year, "fte": fte, "revenue_keur": revenue_keur,
        "sector_activity": sector_activity,
    }  # fmt: skip
    with use_locale("en"):
        try:
            data = PeriodIn.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"--{k.replace('_', '-')}: {v}" for k, v in field_errors(exc).items()
            )
            raise _fail(problems) from None

    def work(session: Session) -> str:
        found = session.get(Company, company)
        if found is None:
            raise _fail(f"--company: no company {company}")
        try:
            opened = create_period(session, None, found, data)
        except PeriodExists:
            raise _fail(f"--year: {data.year} is already open for company {company}") from None
        note = ""
        if opened.copied_from is not None:
            note = f", {opened.copied} line(s) copied from {opened.copied_from}"
            if opened.skipped:
                note += f" ({opened.skipped} not in the factor library, left out)"
        return f"period {opened.period.id} ({data.year}{note})"

    out.print(_run(work))
