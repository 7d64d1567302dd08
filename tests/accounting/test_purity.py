"""The domain core stays pure: no web framework, database or PDF library in carbon.accounting."""

from __future__ import annotations

import ast
from pathlib import Path

import carbon.accounting

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "reportlab", "carbon.web",
             "carbon.db", "carbon.reports", "carbon.imports")  # fmt: skip


def test_accounting_imports_nothing_outward() -> None:
    root = Path(carbon.accounting.__file__).parent
    offenders = []
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []
    assert len(list(root.glob("*.py"))) >= 7  # the scan really read the package
