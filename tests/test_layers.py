"""Dependencies point inward: nothing outside ``carbon.web`` (and the CLI that serves it) imports
the web application, so reports, the demo and the coaching code run without FastAPI."""

from __future__ import annotations

import ast
from pathlib import Path

import carbon

BELOW_WEB = ("accounting", "db", "imports", "coaching", "plan", "reports", "demo", "factors")
ROOT_MODULES = ("i18n.py", "auth.py", "config.py", "identifiers.py")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_nothing_below_web_imports_the_web_application() -> None:
    root = Path(carbon.__file__).parent
    files = [p for pkg in BELOW_WEB for p in sorted((root / pkg).rglob("*.py"))]
    files += [root / name for name in ROOT_MODULES]
    offenders = [
        f"{path.relative_to(root)}: {name}"
        for path in files
        for name in _imports(path)
        if name == "carbon.web" or name.startswith("carbon.web.")
    ]
    assert offenders == []
    assert len(files) > 60  # the scan really read the packages
