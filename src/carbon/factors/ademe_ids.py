"""Which ADEME element each bundled factor stands for, to compare a year across libraries.

A period computed with the bundled library cannot be recomputed with an imported ADEME export
as is: the bundled slugs are not ADEME identifiers. ``emission_factors/ademe_ids.csv`` maps every
bundled factor to its ADEME element, by identifier where one is published (the ``mobility``
project's list), by the element's name where the factor's source names it (Nos Gestes Climat),
or to nothing (estimates, non-ADEME values); its ``note`` says how far the match is verified.
:func:`resolve` finds each in an imported library, so the factor-update effect can name what
could and could not be followed (docs/methodology.md §12).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from carbon.accounting.factors import FactorLibrary, LibraryError
from carbon.factors.bundled import BUNDLED_DIR, _read_text_csv

MAPPING_FILE = "ademe_ids.csv"
MATCHES = frozenset({"identifier", "name", "none"})


def load_mapping(folder: Path | None = None) -> pd.DataFrame:
    """The mapping (factor_id, ademe_id, ademe_name, match, note), checked row by row."""
    df = _read_text_csv((folder or BUNDLED_DIR) / MAPPING_FILE)
    problems = []
    records: list[dict[str, str]] = df.to_dict("records")  # type: ignore[assignment]
    for pos, row in enumerate(records):
        where = f"{MAPPING_FILE} row {pos + 2}"
        if row["match"] not in MATCHES:
            problems.append(f"{where}: match must be one of {sorted(MATCHES)}")
        elif row["match"] == "identifier" and not row["ademe_id"].isdigit():
            problems.append(f"{where}: an identifier match needs a numeric ademe_id")
        elif row["match"] == "name" and not row["ademe_name"].strip():
            problems.append(f"{where}: a name match needs the element's name")
        if not row["note"].strip():
            problems.append(f"{where}: note is empty")
    if df["factor_id"].duplicated().any():
        problems.append(f"{MAPPING_FILE}: a factor is mapped twice")
    if problems:
        raise LibraryError("\n".join(problems))
    return df


@dataclass(frozen=True)
class Resolution:
    factor_id: str  # the bundled factor
    match: str  # identifier / name / none
    ademe_factor_id: str | None  # the factor found in the other library, None when not found


def resolve(mapping: pd.DataFrame, library: FactorLibrary) -> list[Resolution]:
    """Each bundled factor's counterpart in ``library`` (an imported ADEME export): by
    identifier, or by the element's exact name (``name_fr``) when it names exactly one factor."""
    ids = set(library.factors["factor_id"].astype(str))
    names = library.factors["name_fr"].astype(str).str.strip()
    unique_names = names[~names.duplicated(keep=False)]
    by_name = dict(
        zip(unique_names, library.factors.loc[unique_names.index, "factor_id"], strict=True)
    )
    out = []
    for fid, match, ademe_id, name in zip(
        mapping["factor_id"].astype(str), mapping["match"].astype(str),
        mapping["ademe_id"].astype(str), mapping["ademe_name"].astype(str), strict=True,
    ):  # fmt: skip
        found: str | None = None
        if match == "identifier" and ademe_id in ids:
            found = ademe_id
        elif match == "name":
            hit = by_name.get(name.strip())
            found = None if hit is None else str(hit)
        out.append(Resolution(fid, match, found))
    return out
