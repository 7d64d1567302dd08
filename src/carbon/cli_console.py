"""Where the ``carbon`` command writes: one console for results, one for errors.

Shared by the command's modules (cli.py, cli_import.py, cli_export.py) so every error reads the
same way and goes to standard error.
"""

from __future__ import annotations

import typer
from rich.console import Console

out = Console()
# soft_wrap: an error names a file, line and column; a wrapped line would split it in two.
err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code=1)
