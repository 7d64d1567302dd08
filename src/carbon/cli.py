"""The ``carbon`` command: database, factor libraries, demo, server and stateless computation.

Every sub-command builds its objects from :class:`carbon.config.Settings`, so ``CARBON_*``
variables apply to all of them. ``carbon compute`` needs no database at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from carbon.accounting.engine import ComputationError, compute
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.postes import POSTES_BY_CODE
from carbon.config import Settings
from carbon.imports.tabular import TableError

app = typer.Typer(help="carbon: carbon footprints for Cluster Montagne's programmes.")
db_app = typer.Typer(help="Database schema.")
factors_app = typer.Typer(help="Emission-factor libraries.")
app.add_typer(db_app, name="db")
app.add_typer(factors_app, name="factors")

out = Console()
err = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code=1)


@app.command("compute")
def compute_cmd(
    activities: Annotated[Path, typer.Argument(help="CSV of activity lines", exists=False)],
    factors: Annotated[
        Path | None, typer.Option("--factors", help="the official ADEME export (CSV)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Compute a footprint from a CSV of activity lines, with no database."""
    from carbon.imports.activity_csv import read_activity_csv

    library = _load_library(factors)
    try:
        data = activities.read_bytes()
    except OSError as exc:
        raise fail(f"{activities}: {exc.strerror}") from None
    try:
        lines = read_activity_csv(data)
        result = compute(lines, library, line_numbers=lines.index)
    except (TableError, ComputationError) as exc:
        raise fail(f"{activities}: {exc}".replace("\n", f"\n{activities}: ")) from None
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_result_table(result, activities)


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


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
