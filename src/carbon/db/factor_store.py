"""Factor libraries in the database: save one as a version, load a version back, pick the default.

The engine works on :class:`~carbon.accounting.factors.FactorLibrary` frames; this module is the
only place that turns them into rows and back. A version is identified by a digest of its content,
so importing the same ADEME export twice gives the same version instead of a copy.

A full ADEME export is some 20,000 factors, so rows go in as Core ``executemany`` batches. Not
the ORM's bulk insert: it leaves out None values, which splits rows with different missing
columns into thousands of small statements.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from carbon.accounting.factors import FACTOR_COLUMNS, SUBPOST_COLUMNS, FactorLibrary
from carbon.accounting.gases import GAS_COLUMNS
from carbon.db.base import Base
from carbon.db.models import Factor, FactorGas, FactorSubpost, LibrarySource, LibraryVersion

CHUNK_ROWS = 5000
_SUBPOST_FIELDS = [c for c in SUBPOST_COLUMNS if c != "factor_id"]
_FACTOR_TABLE: Table = Base.metadata.tables[Factor.__tablename__]
_SUBPOST_TABLE: Table = Base.metadata.tables[FactorSubpost.__tablename__]
_GAS_FIELDS = [c for c in GAS_COLUMNS if c != "factor_id"]
_GAS_TABLE: Table = Base.metadata.tables[FactorGas.__tablename__]


class FactorStoreError(ValueError):
    """A library that cannot be saved as asked (e.g. its label names another content)."""


def _column_values(frame: pd.DataFrame, column: str) -> list[Any]:
    """Plain Python values (``None`` for missing) that every DB driver accepts."""
    missing = frame[column].isna().to_numpy()
    return [None if m else v for v, m in zip(frame[column].tolist(), missing, strict=True)]


@dataclass(frozen=True)
class _Columns:
    """A library as sorted columns of plain values: what is hashed and what is saved."""

    factors: dict[str, list[Any]]
    subposts: dict[str, list[Any]]
    gases: dict[str, list[Any]]

    @classmethod
    def of(cls, library: FactorLibrary) -> _Columns:
        factors = library.factors[list(FACTOR_COLUMNS)].astype(FACTOR_COLUMNS)
        factors = factors.sort_values("factor_id", kind="stable")
        subposts = library.subposts[list(SUBPOST_COLUMNS)].astype(SUBPOST_COLUMNS)
        subposts = subposts.sort_values(list(SUBPOST_COLUMNS), kind="stable")
        gases = library.gases[list(GAS_COLUMNS)].astype(GAS_COLUMNS)
        gases = gases.sort_values(list(GAS_COLUMNS), kind="stable")
        return cls(
            factors={c: _column_values(factors, c) for c in FACTOR_COLUMNS},
            subposts={c: _column_values(subposts, c) for c in SUBPOST_COLUMNS},
            gases={c: _column_values(gases, c) for c in GAS_COLUMNS},
        )

    def digest(self) -> str:
        h = hashlib.sha256()
        # A library without a breakdown by gas hashes as it did before the gases were stored.
        tables = (self.factors, self.subposts, *((self.gases,) if self.gases["gas"] else ()))
        for table in tables:
            h.update(json.dumps(list(table)).encode())
            for row in zip(*table.values(), strict=True):
                # JSON keeps str/float/int/bool/None apart and writes floats exactly (repr).
                h.update(json.dumps(row, ensure_ascii=False).encode())
                h.update(b"\n")
        return h.hexdigest()


def content_digest(library: FactorLibrary) -> str:
    """sha256 of the factors and sub-posts, independent of row order and of the label."""
    return _Columns.of(library).digest()


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def save_library(
    session: Session,
    library: FactorLibrary,
    *,
    source: LibrarySource | str,
    label: str | None = None,
    make_default: bool | None = False,
) -> LibraryVersion:
    """Store ``library`` as a new version, or return the version that already has its content.

    ``label`` defaults to ``library.version``. ``make_default=None`` lets the first official
    library decide: it becomes the default when no imported library is one yet (the database
    has none, or only the bundled one), since an operator who imports "ADEME 23.6" expects the
    searches and new periods to use it. The caller owns the transaction (flush, no commit).
    """
    if make_default is None:
        current = default_version(session)
        make_default = current is None or current.source == LibrarySource.bundled
    columns = _Columns.of(library)
    digest = columns.digest()
    existing = session.scalar(select(LibraryVersion).where(LibraryVersion.content_digest == digest))
    if existing is not None:
        if make_default:
            set_default_version(session, existing)
        return existing

    label = label or library.version
    clash = session.scalar(select(LibraryVersion.id).where(LibraryVersion.label == label))
    if clash is not None:
        raise FactorStoreError(f"library label {label!r} is already used by different content")

    version = LibraryVersion(
        label=label,
        source=LibrarySource(source),
        content_digest=digest,
        factor_count=len(columns.factors["factor_id"]),
    )
    session.add(version)
    session.flush()

    factor_rows = [
        {"library_version_id": version.id, **dict(zip(columns.factors, values, strict=True))}
        for values in zip(*columns.factors.values(), strict=True)
    ]
    for chunk in _chunks(factor_rows, CHUNK_ROWS):
        session.execute(insert(_FACTOR_TABLE), chunk)

    children = (("sub-posts", columns.subposts, _SUBPOST_FIELDS, _SUBPOST_TABLE),
                ("gases", columns.gases, _GAS_FIELDS, _GAS_TABLE))  # fmt: skip
    if any(data["factor_id"] for _, data, _, _ in children):
        pks = {
            factor_id: pk
            for factor_id, pk in session.execute(
                select(Factor.factor_id, Factor.id).where(Factor.library_version_id == version.id)
            )
        }
        for what, data, fields, table in children:
            _save_children(session, pks, what, data, fields, table)
    if make_default:
        set_default_version(session, version)
    return version


def _save_children(
    session: Session,
    pks: dict[str, int],
    what: str,
    data: dict[str, list[Any]],
    fields: list[str],
    table: Table,
) -> None:
    """Rows that hang off a factor (sub-posts, gases), linked to the factor's primary key."""
    unknown = set(data["factor_id"]) - pks.keys()
    if unknown:
        raise FactorStoreError(
            f"{what} of unknown factors: {', '.join(sorted(map(str, unknown))[:5])}"
        )
    rows = [
        {"factor_pk": pks[fid], **{c: data[c][i] for c in fields}}
        for i, fid in enumerate(data["factor_id"])
    ]
    for chunk in _chunks(rows, CHUNK_ROWS):
        session.execute(insert(table), chunk)


def load_library(session: Session, version: LibraryVersion | int | None = None) -> FactorLibrary:
    """The library of ``version`` (an object or its id); the default version when ``None``."""
    lv = _resolve(session, version)
    factor_cols = [getattr(Factor, c) for c in FACTOR_COLUMNS]
    rows = session.execute(
        select(*factor_cols).where(Factor.library_version_id == lv.id).order_by(Factor.id)
    ).all()
    factors = pd.DataFrame.from_records(rows, columns=list(FACTOR_COLUMNS))

    sub_rows = session.execute(
        select(Factor.factor_id, *(getattr(FactorSubpost, c) for c in _SUBPOST_FIELDS))
        .join(Factor, FactorSubpost.factor_pk == Factor.id)
        .where(Factor.library_version_id == lv.id)
        .order_by(FactorSubpost.id)
    ).all()
    subposts = pd.DataFrame.from_records(sub_rows, columns=list(SUBPOST_COLUMNS))
    gas_rows = session.execute(
        select(Factor.factor_id, *(getattr(FactorGas, c) for c in _GAS_FIELDS))
        .join(Factor, FactorGas.factor_pk == Factor.id)
        .where(Factor.library_version_id == lv.id)
        .order_by(FactorGas.id)
    ).all()
    gases = pd.DataFrame.from_records(gas_rows, columns=list(GAS_COLUMNS))
    return FactorLibrary(
        version=lv.label,
        factors=factors.astype(FACTOR_COLUMNS),
        subposts=subposts.astype(SUBPOST_COLUMNS),
        gases=gases.astype(GAS_COLUMNS),
    )


def _resolve(session: Session, version: LibraryVersion | int | None) -> LibraryVersion:
    if isinstance(version, LibraryVersion):
        return version
    if version is None:
        found = default_version(session)
        if found is None:
            raise LookupError("no default factor library: import one and make it the default")
        return found
    lv = session.get(LibraryVersion, version)
    if lv is None:
        raise LookupError(f"no factor library version with id {version}")
    return lv


def list_versions(session: Session) -> Sequence[LibraryVersion]:
    """Every version, newest import first."""
    return session.scalars(
        select(LibraryVersion).order_by(LibraryVersion.imported_at.desc(), LibraryVersion.id.desc())
    ).all()


def default_version(session: Session) -> LibraryVersion | None:
    return session.scalar(select(LibraryVersion).where(LibraryVersion.is_default))


def set_default_version(session: Session, version: LibraryVersion | int) -> LibraryVersion:
    """Make ``version`` the one new reporting periods pin; periods already created keep theirs."""
    lv = _resolve(session, version)
    # Clear first: a partial unique index allows only one row with is_default true.
    session.execute(
        update(LibraryVersion)
        .where(LibraryVersion.is_default, LibraryVersion.id != lv.id)
        .values(is_default=False)
    )
    # ORM-enabled updates keep the LibraryVersion objects already loaded in step.
    session.execute(
        update(LibraryVersion).where(LibraryVersion.id == lv.id).values(is_default=True)
    )
    return lv
