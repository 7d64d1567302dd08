"""Serves the browser's files: our own CSS and JS, and the two libraries installed by npm.

htmx and Chart.js come from ``node_modules`` (``npm ci`` against the committed package-lock.json)
rather than from a copy in the repository or a CDN: versions are pinned and auditable in one place,
and the Content-Security-Policy can stay at ``script-src 'self'``. Only the two files the pages
load are exposed, not the whole ``node_modules`` tree.

The app factory calls :func:`mount_static`; it fails at start-up, not at the first page view,
when ``npm ci`` has not been run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

from carbon.resources import node_modules as checkout_node_modules
from carbon.resources import resource

STATIC_DIR: Final = Path(__file__).parent / "static"
# URL name under /static/vendor/ -> file under node_modules/.
VENDOR_FILES: Final[Mapping[str, str]] = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
}


class MissingFrontendDependencies(RuntimeError):
    pass


PACKAGED_VENDOR: Final = resource("vendor")  # a wheel's copy (carbon.resources)


def default_node_modules() -> Path:
    return checkout_node_modules()


def vendor_files(node_modules: Path) -> dict[str, Path]:
    """The vendor files by URL name, or :class:`MissingFrontendDependencies` naming the fix."""
    if node_modules == default_node_modules() and PACKAGED_VENDOR.is_dir():
        return {name: PACKAGED_VENDOR / name for name in VENDOR_FILES}
    files = {name: node_modules / relative for name, relative in VENDOR_FILES.items()}
    missing = sorted(str(path) for path in files.values() if not path.is_file())
    if missing:
        raise MissingFrontendDependencies(
            "The front-end libraries are not installed (missing: "
            + ", ".join(missing)
            + f"). Run `npm ci` in {node_modules.parent} and start carbon again."
        )
    return files


class _VendorFiles(StaticFiles):
    """StaticFiles restricted to a fixed set of files, keeping its ETag and 304 handling."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        super().__init__(directory=None, check_dir=False)
        self.files = dict(files)

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        file = self.files.get(path)
        if file is None:
            return "", None
        return str(file), file.stat()


def mount_static(app: Starlette, *, node_modules: Path | None = None) -> None:
    """Mounts ``/static/vendor/{htmx.min.js,chart.umd.min.js}`` and ``/static/`` (our files).

    URL names for ``url_for``: ``"vendor"`` and ``"static"``.
    """
    files = vendor_files(node_modules if node_modules is not None else default_node_modules())
    # The more specific mount first: Starlette matches routes in order.
    app.mount("/static/vendor", _VendorFiles(files), name="vendor")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
