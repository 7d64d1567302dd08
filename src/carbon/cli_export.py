"""``carbon export``: disclosures of a company's year for the people who ask for them.

``carbon export vsme --company ID --year YEAR --out FILE`` writes EFRAG's VSME basic-module B3
(energy and GHG emissions) as JSON (``.json``, with ESRS E1-6 beside it) or into a workbook
(``.xlsx``): EFRAG's template given with ``--template`` (its cells are found by their XBRL
names), or carbon's own sheet. Only a validated or locked year is exported, unless ``--draft``
says the figures may still change.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from carbon.cli_console import fail, out
from carbon.config import Settings

export_app = typer.Typer(help="Disclosures of a company's year (VSME B3).")


@export_app.command("vsme")
def export_vsme(
    company: Annotated[int, typer.Option("--company", help="company id")],
    year: Annotated[int, typer.Option("--year", help="the reporting period's year")],
    dest: Annotated[Path, typer.Option("--out", help="file to write (.json or .xlsx)")],
    template: Annotated[
        Path | None, typer.Option("--template", help="EFRAG's VSME digital template (.xlsx)")
    ] = None,
    draft: Annotated[bool, typer.Option("--draft", help="export a year not yet validated")] = False,
) -> None:
    """Write the VSME B3 disclosure of a company's year."""
    from carbon.cli import _sessions
    from carbon.cli_import import _period
    from carbon.db.session import session_scope
    from carbon.reports.data_vsme import vsme_figures
    from carbon.reports.vsme import fill_workbook, new_workbook

    if dest.suffix.lower() not in (".json", ".xlsx"):
        raise fail(f"{dest}: write a .json or an .xlsx file")
    with session_scope(_sessions(Settings())) as session:
        owner, period = _period(session, company, year)
        if period.status not in ("validated", "locked") and not draft:
            raise fail(
                f"{owner.name} {year} is {period.status}: the disclosure is made from a validated "
                "year (add --draft to export the figures as they stand)"
            )
        b3, esrs = vsme_figures(session, period)
    if dest.suffix.lower() == ".json":
        # ESRS E1-6 from the same result, beside B3 (the company PDF prints both).
        payload = b3.to_dict() | {"esrs_e1_6": asdict(esrs)}
        dest.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    else:
        try:
            base = template.read_bytes() if template else new_workbook()
            data, missing = fill_workbook(base, b3)
        except OSError as exc:
            raise fail(f"{exc.filename}: {exc.strerror}") from None
        except (KeyError, ValueError) as exc:
            raise fail(f"{template}: not a usable workbook ({exc})") from None
        dest.write_bytes(data)
        for element in missing:
            out.print(f"the workbook has no cell named {element}: left out")
    if b3.energy_lines_without_figure:
        out.print(f"{b3.energy_lines_without_figure} energy line(s) have no energy figure "
                  "(a unit such as vehicle.km): not in the MWh")  # fmt: skip
    out.print(f"VSME B3 of {b3.company} {year} written to {dest}")
