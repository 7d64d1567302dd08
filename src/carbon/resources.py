"""Where the files that ship with carbon are: templates, factor tables, migrations, vendor
JavaScript and fonts.

In a built wheel they are package resources: the build maps the project's top-level
``templates/``, ``emission_factors/`` and ``alembic/`` into the ``carbon`` package, and copies
htmx, Chart.js and DejaVu Sans from ``node_modules`` (pyproject.toml,
``[tool.hatch.build.targets.wheel.force-include]``). In a source checkout (an editable
install, the tests) nothing is copied: the same names are found at the checkout's top level,
and the vendor files in ``node_modules``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# A source checkout's top level: src/carbon/resources.py -> the folder holding src/.
_CHECKOUT = Path(__file__).resolve().parents[2]


def resource(name: str) -> Path:
    """The shipped file or folder ``name`` (``"templates"``, ``"vendor/htmx.min.js"``...),
    from the installed package, else from the source checkout (``node_modules`` for vendor
    files). The path may not exist: callers say what is missing."""
    packaged = Path(str(files("carbon"))) / name
    if packaged.exists():
        return packaged
    return _CHECKOUT / name


def node_modules() -> Path:
    return _CHECKOUT / "node_modules"
