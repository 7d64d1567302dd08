"""The ``carbon`` command: database, factor libraries, demo, server and stateless computation.

Every sub-command builds its objects from :class:`carbon.config.Settings`, so ``CARBON_*``
variables apply to all of them. ``carbon compute`` needs no database at all.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from carbon.accounting.engine import ComputationError, compute
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MIN_DRAWS
from carbon.accounting.montecarlo import monte_carlo as run_monte_carlo
from carbon.accounting.postes import POSTES_BY_CODE
from carbon.cli_admin import admin_app, period_app
from carbon.cli_console import err, fail, out
from carbon.cli_export import export_app
from carbon.cli_import import import_app
from carbon.cli_rules import rules_app
from carbon.config import Settings
from carbon.imports.tabular import TableError


class GwpChoice(StrEnum):
    """``carbon compute --gwp``: the GWP set (docs/methodology.md § 10)."""

    ar5 = "ar5"
    ar6 = "ar6"


if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

app = typer.Typer(help="carbon: carbon footprints for Cluster Montagne's programmes.")
db_app = typer.Typer(help="Database schema.")
factors_app = typer.Typer(help="Emission-factor libraries.")
app.add_typer(db_app, name="db")
app.add_typer(factors_app, name="factors")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(admin_app, name="admin")
app.add_typer(period_app, name="period")
app.add_typer(rules_app, name="rules")


@app.command("compute")
def compute_cmd(
    activities: Annotated[Path, typer.Argument(help="CSV of activity lines", exists=False)],
    factors: Annotated[
        Path | None, typer.Option("--factors", help="the official ADEME export (CSV)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    monte_carlo: Annotated[
        bool,
        typer.Option("--monte-carlo", help="check the uncertainty by simulation (IPCC Approach 2)"),
    ] = False,
    draws: Annotated[
        int, typer.Option("--draws", min=MIN_DRAWS, max=MAX_DRAWS, help="Monte Carlo draws")
    ] = DEFAULT_DRAWS,
    seed: Annotated[
        int, typer.Option("--seed", min=0, max=2**63 - 1, help="Monte Carlo seed")
    ] = DEFAULT_SEED,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            min=1990,
            max=2100,
            help="reporting year: deflates spends, picks the residual mix (a 'year' column wins)",
        ),
    ] = None,
    gwp: Annotated[
        GwpChoice,
        typer.Option(
            "--gwp",
            case_sensitive=False,
            help="GWP set: ar5 (ADEME's, the default) or ar6 for factors broken down by gas",
        ),
    ] = GwpChoice.ar5,
) -> None:
    """Compute a footprint from a CSV of activity lines, with no database."""
    from carbon.factors.reference import load_reference_data
    from carbon.imports.activity_csv import read_activity_csv

    library = _load_library(factors)
    if gwp is GwpChoice.ar6:
        from carbon.accounting.gwp import restate
        from carbon.factors.gwp import load_gwp_table

        library = restate(library, load_gwp_table(), "AR6")
    try:
        data = activities.read_bytes()
    except OSError as exc:
        raise fail(f"{activities}: {exc.strerror}") from None
    try:
        lines = read_activity_csv(data)
        result = compute(
            lines, library, line_numbers=lines.index, reference=load_reference_data(), year=year
        )
    except (TableError, ComputationError) as exc:
        raise fail(f"{activities}: {exc}".replace("\n", f"\n{activities}: ")) from None
    mc = run_monte_carlo(result.lines, draws, seed) if monte_carlo else None
    if as_json:
        payload = result.to_dict()
        # The spend lines to replace first (methodology.md § 17); line = the CSV's line number.
        payload["spend_to_replace"] = result.spend_to_replace().to_dict("records")
        if mc is not None:
            payload["monte_carlo"] = mc.to_dict()
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    _print_result_table(result, activities)
    if mc is not None:
        out.print(
            f"Monte Carlo ({mc.draws:,} draws, seed {mc.seed}): mean {mc.mean_kgco2e:,.1f} kgCO2e, "
            f"95 % interval {mc.p2_5_kgco2e:,.1f} to {mc.p97_5_kgco2e:,.1f}, "
            f"± {mc.half_width_pct:.1f} % (analytic, per source: ± {result.uncertainty_pct:.1f} %)"
        )


def _load_library(path: Path | None) -> FactorLibrary:
    if path is None:
        from carbon.factors.bundled import load_bundled_library

        return load_bundled_library()
    from carbon.factors.ademe import AdemeFormatError, read_ademe_export

    try:
        return read_ademe_export(path, version=f"ADEME export {path.name}")
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror}") from None
    except AdemeFormatError as exc:
        raise fail(f"{path}: {exc}") from None


def _print_result_table(result: object, source: Path) -> None:
    from carbon.accounting.results import ComputationResult

    assert isinstance(result, ComputationResult)
    table = Table(title=f"{source.name} — {result.library_version}")
    table.add_column("Poste")
    table.add_column("Label")
    table.add_column("kgCO2e", justify="right")
    table.add_column("± kgCO2e", justify="right")
    for code, value in result.by_poste.items():
        if value:
            label = POSTES_BY_CODE[code].label_en
            table.add_row(code, label, f"{value:,.1f}", f"{result.uncertainty_by_poste[code]:,.1f}")
    table.add_section()
    table.add_row("", "Total", f"{result.total_kgco2e:,.1f}", f"{result.uncertainty_kgco2e:,.1f}")
    out.print(table)
    scopes = ", ".join(f"scope {k}: {v:,.1f}" for k, v in result.by_scope.items())
    out.print(f"{scopes} kgCO2e (scope 2 market-based: {result.scope2_market_kgco2e:,.1f})")
    if result.biogenic_co2_kg:
        out.print(f"Biogenic CO2, reported apart: {result.biogenic_co2_kg:,.1f} kg")
    for warning in result.warnings:
        out.print(f"{source}: line {warning.line}: {warning.message}", highlight=False)
    if result.warnings_omitted:
        out.print(f"… and {result.warnings_omitted} more warning(s)", highlight=False)
    out.print(f"Global warming potentials: IPCC {result.gwp_set}, 100 years")
    if result.gwp_kept_ar5_lines:
        named = ", ".join(result.gwp_kept_ar5_factors[:10])
        more = len(result.gwp_kept_ar5_factors) - 10
        out.print(
            f"{result.gwp_kept_ar5_lines} line(s) stay AR5, their factor having no breakdown by "
            f"gas: {named}" + (f" and {more} more" if more > 0 else ""),
            highlight=False,
        )
    if result.unsplit_energy_lines:
        out.print(
            f"{result.unsplit_energy_lines} energy line(s) use a factor without a "
            "combustion/upstream split: their whole value stays in their poste."
        )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to the latest migration."""
    from carbon.db.migrate import upgrade

    settings = Settings()
    upgrade(settings)
    out.print(f"database at head: {_safe_url(settings.database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _sessions(settings: Settings) -> sessionmaker[Session]:
    """Sessions computing with this deployment's data-quality scale, as the web app's do."""
    from carbon.db.compute import SESSION_KEY, Computations
    from carbon.db.session import make_engine, make_sessionmaker

    factory = make_sessionmaker(make_engine(settings))
    factory.configure(info={SESSION_KEY: Computations.from_settings(settings)})
    return factory


@app.command("demo")
def demo_cmd() -> None:
    """Load the demo world (programmes, cohorts, companies, three years of data); idempotent."""
    from carbon.db.migrate import upgrade
    from carbon.db.session import session_scope
    from carbon.demo.load import DEMO_PASSWORD, load_demo

    settings = Settings()
    upgrade(settings)
    with session_scope(_sessions(settings)) as session:
        counts = load_demo(session, settings)
    out.print(", ".join(f"{v} {k}" for k, v in counts.items()))
    out.print(
        "logins: admin@example.org, coach@example.org, company@example.org "
        f"(password {DEMO_PASSWORD!r})"
    )


@factors_app.command("import")
def factors_import(
    path: Annotated[Path, typer.Argument(help="the ADEME Base Empreinte export (CSV)")],
    label: Annotated[str | None, typer.Option("--label", help="version label")] = None,
    default: Annotated[
        bool | None,
        typer.Option(
            "--default/--no-default",
            help="make it the default library (by default: when no imported library is one yet)",
        ),
    ] = None,
) -> None:
    """Import the official ADEME export as a named library version (same file twice: no-op).

    The first library imported becomes the default (searches and new periods use it), replacing
    the bundled one; ``--default`` and ``--no-default`` decide instead."""
    from rich.progress import Progress

    from carbon.db.factor_store import FactorStoreError, save_library
    from carbon.db.session import session_scope
    from carbon.factors.ademe import AdemeFormatError, read_ademe_export

    settings = Settings()
    label = label or f"ADEME {path.stem}"
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("reading", total=3)
        try:
            data = path.read_bytes()
            progress.update(task, advance=1, description="checking the layout")
            library = read_ademe_export(data, version=label)
        except OSError as exc:
            raise fail(f"{path}: {exc.strerror}") from None
        except AdemeFormatError as exc:
            raise fail(f"{path}: {exc}") from None
        progress.update(task, advance=1, description=f"saving {len(library):,} factors")
        try:
            with session_scope(_sessions(settings)) as session:
                version = save_library(
                    session, library, source="ademe", label=label, make_default=default
                )
                summary = (version.label, version.factor_count, version.is_default)
        except FactorStoreError as exc:
            raise fail(str(exc)) from None
        progress.update(task, advance=1)
    out.print(
        f"library {summary[0]!r}: {summary[1]:,} factors"
        + (" — now the default library (searches and new periods use it)" * summary[2])
    )


@factors_app.command("search")
def factors_search(
    text: Annotated[str, typer.Argument(help="words to look for (accents optional)")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    label: Annotated[
        str | None, typer.Option("--library", help="the label of a stored library version")
    ] = None,
) -> None:
    """Search the default library of the database (or ``--library``), or the bundled one if
    the database has none."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from carbon.db.factor_store import default_version, list_versions, load_library
    from carbon.db.models import LibraryVersion
    from carbon.db.session import session_scope
    from carbon.factors.bundled import load_bundled_library

    settings = Settings()
    library = None
    try:
        with session_scope(_sessions(settings)) as session:
            if label is not None:
                chosen = session.scalar(select(LibraryVersion).where(LibraryVersion.label == label))
                if chosen is None:
                    known = ", ".join(repr(v.label) for v in list_versions(session)) or "none"
                    raise fail(f"no library labelled {label!r} (stored: {known})")
                library = load_library(session, chosen)
            elif default_version(session) is not None:
                library = load_library(session)
    except SQLAlchemyError:
        if label is not None:
            raise fail("the database cannot be read: run `carbon db upgrade` first") from None
    library = library or load_bundled_library()
    hits = library.search(text, limit=limit)
    table = Table(title=f"{library.version}: {len(hits)} result(s)")
    for col in ("factor_id", "name", "kgCO2e / unit", "country", "status"):
        table.add_column(col, justify="right" if col.startswith("kg") else "left")
    for row in hits.itertuples(index=False):
        table.add_row(
            str(row.factor_id), str(row.name_fr), f"{row.total_kgco2e:g} / {row.unit}",
            str(row.country or ""), str(row.status),
        )  # fmt: skip
    out.print(table)


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
) -> None:
    """Serve the web application."""
    import uvicorn

    from carbon.web.app import create_app

    settings = Settings()
    # Forwarded headers are believed only from the proxies named in CARBON_FORWARDED_ALLOW_IPS.
    proxies = settings.forwarded_allow_ips
    uvicorn.run(
        create_app(settings), host=host, port=port,
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies,
    )  # fmt: skip


@app.command("backup")
def backup_cmd(path: Annotated[Path, typer.Argument(help="file to write (.jsonl.gz)")]) -> None:
    """Copy the whole database to one portable file."""
    from carbon.db.backup import dump_to_path
    from carbon.db.session import make_engine

    counts = dump_to_path(make_engine(Settings()), path)
    out.print(f"{sum(counts.values()):,} rows in {len(counts)} tables written to {path}")
    out.print("The file holds password hashes: it is readable by you only (mode 0600).")


@app.command("restore")
def restore_cmd(path: Annotated[Path, typer.Argument(help="a file from `carbon backup`")]) -> None:
    """Load a backup into an empty database (run `carbon db upgrade` first); all or nothing."""
    from carbon.db.backup import BackupError, restore_from_path
    from carbon.db.session import make_engine

    try:
        counts = restore_from_path(make_engine(Settings()), path)
    except (BackupError, OSError) as exc:
        raise fail(f"{path}: {exc}") from None
    out.print(f"{sum(counts.values()):,} rows restored from {path}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
