"""Feeding the accounting core from the database: a period's lines and its pinned library.

A period is always computed with the library version it is pinned to (methodology rule 6), so a
new import never changes a past year silently. Loaded libraries are cached by content digest:
the same content is the same library whatever database it came from.
"""

from __future__ import annotations

from collections import OrderedDict

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.engine import compute
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.results import ComputationResult
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.config import Settings
from carbon.db.factor_store import load_library
from carbon.db.models import ActivityLine, LibraryVersion, ReportingPeriod

_CACHE_SIZE = 4
_libraries: OrderedDict[str, FactorLibrary] = OrderedDict()
# The data-quality scale of this deployment (Settings.data_quality_uncertainty), set once by
# the application factory and the CLI through configure(); the methodology's defaults otherwise.
_scale = UncertaintyScale()


def configure(settings: Settings) -> None:
    global _scale
    _scale = UncertaintyScale(quality_pct=dict(settings.data_quality_uncertainty))


def uncertainty_scale() -> UncertaintyScale:
    return _scale

LINE_COLUMNS = (
    "id", "poste", "factor_id", "quantity", "unit", "data_quality", "supplier_factor_kgco2e",
    "activity_id", "site_id", "comment",
)  # fmt: skip


def library_for(session: Session, version_id: int) -> FactorLibrary:
    version = session.get(LibraryVersion, version_id)
    if version is None:
        raise LookupError(f"library version {version_id} does not exist")
    lib = _libraries.get(version.content_digest)
    if lib is None:
        lib = load_library(session, version)
        _libraries[version.content_digest] = lib
        while len(_libraries) > _CACHE_SIZE:
            _libraries.popitem(last=False)
    else:
        _libraries.move_to_end(version.content_digest)
    return lib


def period_lines(session: Session, period_id: int) -> pd.DataFrame:
    """The period's activity lines as a frame indexed by line id, in entry order."""
    cols = [getattr(ActivityLine, c) for c in LINE_COLUMNS]
    rows = session.execute(
        select(*cols).where(ActivityLine.period_id == period_id).order_by(ActivityLine.id)
    ).all()
    return pd.DataFrame(rows, columns=list(LINE_COLUMNS)).set_index("id", drop=False)


def compute_period(
    session: Session,
    period: ReportingPeriod,
    scale: UncertaintyScale | None = None,
    library_version_id: int | None = None,
) -> ComputationResult:
    """The period's footprint with its pinned library, or with another version to compare."""
    lib = library_for(session, library_version_id or period.library_version_id)
    lines = period_lines(session, period.id)
    # Errors cite the line id: stored lines have no file line number.
    return compute(lines, lib, scale or _scale, line_numbers=lines["id"].to_numpy())
