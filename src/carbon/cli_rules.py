"""``carbon rules``: a cohort's or a company's account-mapping rules as CSV, out and back in.

``export`` writes the owner's own rules (not the shipped ones below them) in the columns of
``emission_factors/pcg_rules.csv``; ``import`` checks every row with the rules page's model and
lists every problem by line and column, then, with ``--commit``, makes the owner's set exactly
the file's: rules added, changed and removed, each write audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from carbon.cli_console import err, fail, out
from carbon.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from carbon.db.mapping_rules import Owner

rules_app = typer.Typer(help="Account-mapping rules of a cohort or a company (CSV).")

CohortOption = Annotated[int | None, typer.Option("--cohort", help="cohort id")]
CompanyOption = Annotated[int | None, typer.Option("--company", help="company id")]


def _owner(session: Session, cohort: int | None, company: int | None) -> Owner:
    from carbon.db.models import Cohort, Company

    if (cohort is None) == (company is None):
        raise fail("give exactly one of --cohort and --company")
    found = session.get(Cohort, cohort) if cohort is not None else session.get(Company, company)
    if found is None:
        raise fail(
            f"no {'cohort' if cohort is not None else 'company'} with id {cohort or company}"
        )
    return found


@rules_app.command("export")
def export_rules(
    cohort: CohortOption = None,
    company: CompanyOption = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="the CSV to write (default: standard output)")
    ] = None,
) -> None:
    """Write the cohort's or the company's own rules as CSV."""
    from carbon.cli import _sessions
    from carbon.db.mapping_rules import owner_rules
    from carbon.db.session import session_scope
    from carbon.imports.rule_csv import write_rule_csv

    with session_scope(_sessions(Settings())) as session:
        text = write_rule_csv(owner_rules(session, _owner(session, cohort, company)))
    if out_path is None:
        typer.echo(text, nl=False)
        return
    try:
        out_path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"{exc.filename}: {exc.strerror}") from None
    out.print(f"{text.count(chr(10)) - 1} rule(s) written to {out_path}")


@rules_app.command("import")
def import_rules(
    path: Annotated[Path, typer.Argument(help="a CSV in the columns of pcg_rules.csv")],
    cohort: CohortOption = None,
    company: CompanyOption = None,
    commit: Annotated[bool, typer.Option("--commit", help="store the rules")] = False,
) -> None:
    """Check a CSV of rules and (with --commit) make it the cohort's or the company's set."""
    from carbon.cli import _sessions
    from carbon.db.mapping_rules import replace_rules, rule_context
    from carbon.imports.rule_csv import read_rule_csv

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"{exc.filename}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise fail(f"{path}: not UTF-8 text") from None
    with _sessions(Settings())() as session:
        owner = _owner(session, cohort, company)
        rules, issues = read_rule_csv(text, rule_context(session))
        if issues:
            for issue in issues:
                err.print(f"{path}: {issue}", highlight=False, markup=False)
            raise fail(f"{path}: {len(issues)} problem(s); nothing imported")
        added, changed, removed = replace_rules(session, None, owner, rules)
        summary = f"{added} rule(s) added, {changed} changed, {removed} removed"
        if commit:
            session.commit()
            out.print(f"{summary}: stored")
        else:
            session.rollback()
            out.print(f"{summary} (preview only: run again with --commit to store them)")
