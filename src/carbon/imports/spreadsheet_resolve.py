"""Resolving spreadsheet rows against the activity catalogue and the factor library.

Turns what the user wrote (an activity's id or name in any language, a poste, a unit, a factor
id) into what an activity line stores, and reports the engine's own refusals in the user's
terms. Loops run over distinct values (each activity name, each (activity, unit) pair), never
over every row.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.engine import ComputationError
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.postes import normalise_poste
from carbon.accounting.units import UnitError, canonical
from carbon.factors.bundled import Activity
from carbon.factors.bundled import fold as name_fold
from carbon.imports.spreadsheet_checks import Check, Mask, Objects, mask
from carbon.imports.spreadsheet_headers import COLUMNS

_BRACKETS = re.compile(r"\s*\([^)]*\)\s*$")
_POSTE_PREFIX = re.compile(r"\s*(\d)\s*[.,]\s*(\d)(?!\d)")  # "1.2 Émissions directes…"


def resolve_activities(
    chk: Check, t: Mapping[str, pd.Series], acts: Sequence[Activity], lang: str
) -> tuple[list[Activity | None], npt.NDArray[np.intp]]:
    """The activity of each distinct text (None when absent or wrong), and each row's code."""
    # Exact names first; then names without their hint in brackets ("Gazole des dameuses" for
    # "Gazole des dameuses (GNR)"), which may name several ("Granulés de bois (en kWh|tonnes)").
    exact: dict[str, dict[str, Activity]] = {}
    loose: dict[str, dict[str, Activity]] = {}
    for a in acts:
        for name in (a.activity_id, a.name_fr, a.name_it, a.name_en):
            exact.setdefault(name_fold(name), {})[a.activity_id] = a
            loose.setdefault(name_fold(_BRACKETS.sub("", name)), {})[a.activity_id] = a
    codes, uniques = pd.factorize(t["activity"])
    found: list[Activity | None] = []
    for k, text in enumerate(uniques):
        key = name_fold(text)
        hits = list((exact.get(key) or loose.get(key) or {}).values()) if text else []
        found.append(hits[0] if len(hits) == 1 else None)
        rows = codes == k
        if len(hits) > 1:
            ids = [a.activity_id for a in hits]
            chk.flag(rows, "activity", "activity_ambiguous", value=text, candidates=ids)
        elif text and not hits:
            tips = _suggest(str(text), acts, lang)
            chk.flag(rows, "activity", "activity_unknown", value=text, suggestions=tips)
    nothing = mask((t["activity"] == "") & (t["factor_id"] == ""))
    chk.flag(nothing & ~chk.failed["factor_id"], "activity", "activity_missing")
    return found, codes


def _suggest(text: str, acts: Sequence[Activity], lang: str) -> list[str]:
    """Up to three activities the user may have meant, by spelling, then by keyword."""
    key = name_fold(text)
    names = {name_fold(a.name(lang)): a for a in acts} | {a.activity_id: a for a in acts}
    hits = [names[c] for c in difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)]
    if not hits:
        words = [w[:5] for w in key.replace("'", " ").split() if len(w) >= 3]
        hay = {a.activity_id: name_fold(" ".join((a.name(lang), *a.keywords))) for a in acts}
        hits = [a for a in acts if words and all(w in hay[a.activity_id] for w in words)][:3]
    return list(dict.fromkeys(a.name(lang) for a in hits))


def _poste_code(text: str) -> str | None:
    m = _POSTE_PREFIX.match(text)
    for candidate in (text, f"{m.group(1)}.{m.group(2)}" if m else ""):
        try:
            return normalise_poste(candidate)
        except ValueError:
            continue
    return None


def postes(
    chk: Check, t: Mapping[str, pd.Series], act_poste: Objects, has_act: Mask, has_fac: Mask
) -> Objects:
    """The poste of each row: the activity's, or the poste column's within the same category."""
    codes, uniques = pd.factorize(t["poste"])
    parsed = np.array([_poste_code(str(u)) or "" for u in uniques], dtype=object)[codes]
    given = mask(t["poste"] != "")
    chk.flag(given & (parsed == ""), "poste", "poste_invalid", {"value": t["poste"].to_numpy()})
    ok = given & (parsed != "")
    moved = ok & has_act & (pd.Series(parsed).str[:1] != pd.Series(act_poste).str[:1]).to_numpy()
    for i in map(int, np.flatnonzero(moved & ~chk.failed["poste"])):
        chk.add(
            i, "poste", "poste_mismatch", activity=t["activity"].iat[i],
            activity_poste=act_poste[i], category=act_poste[i][:1], value=parsed[i],
        )  # fmt: skip
    no_activity = mask(t["activity"] == "") & has_fac
    chk.flag(no_activity & ~given, "poste", "poste_missing")
    return np.where(ok, parsed, act_poste)


def units(
    chk: Check,
    t: Mapping[str, pd.Series],
    act: Sequence[Activity | None],
    act_codes: npt.NDArray[np.intp],
    from_catalogue: Mask,
    lang: str,
) -> Objects:
    """Units to store: the catalogue's spelling for catalogue activities, else as written."""
    codes, uniques = pd.factorize(t["unit"])
    known = np.zeros(len(uniques), dtype=bool)
    canon: list[str] = []
    for k, u in enumerate(uniques):
        try:
            canon.append(canonical(str(u)))
            known[k] = True
        except UnitError:
            canon.append("")
            if u:
                chk.flag(codes == k, "unit", "unit_unknown", value=u)
    chk.flag(mask(t["unit"] == ""), "unit", "unit_missing")
    out = t["unit"].to_numpy(dtype=object).copy()
    check = from_catalogue & known[codes] & ~chk.failed["unit"]
    pair = act_codes.astype(np.int64) * len(uniques) + codes
    for key in np.unique(pair[check]):
        a, k = act[int(key) // len(uniques)], int(key) % len(uniques)
        assert a is not None  # from_catalogue rows have an activity
        spelling = {canonical(x): x for x in reversed(a.allowed_units)}.get(canon[k])
        rows = check & (pair == key)
        if spelling is None:
            allowed = list(a.allowed_units)
            chk.flag(rows, "unit", "unit_not_allowed", value=uniques[k], activity=a.name(lang),
                     allowed=allowed)  # fmt: skip
        else:
            out[rows] = spelling
    return out


def factors(
    t: Mapping[str, pd.Series],
    library: FactorLibrary,
    act: Sequence[Activity | None],
    act_codes: npt.NDArray[np.intp],
    from_catalogue: Mask,
    countries: Objects,
) -> Objects:
    """The factor of each row: the factor column's, else the activity's for the site's country.

    An unknown factor id is kept as written: the engine reports it with the library's version.
    """
    ids = library.index
    lower = dict(zip(ids.str.lower(), ids, strict=True))
    written = t["factor_id"]
    resolved = written.where(written.isin(ids), written.str.lower().map(lower).fillna(written))
    out = resolved.to_numpy(dtype=object).copy()
    key = pd.Series(act_codes.astype(str)) + "|" + pd.Series(countries, dtype="string")
    codes, uniques = pd.factorize(key.where(from_catalogue, ""))
    for k, u in enumerate(uniques):
        if u:
            code, country = str(u).split("|", 1)
            a = act[int(code)]
            assert a is not None  # from_catalogue rows have an activity
            out[codes == k] = a.factor_id_for(country or None)
    return out


def engine_errors(
    chk: Check,
    exc: ComputationError,
    library: FactorLibrary,
    has_fac: Mask,
    factor: Objects,
    t: Mapping[str, pd.Series],
) -> None:
    """The engine's refusals, reported in the user's terms (codes, headers)."""
    position = {int(r): i for i, r in enumerate(chk.rows)}
    units_of = dict(zip(library.index, library.factors["unit"], strict=True))
    for err in exc.errors:
        i = position[err.line]
        if err.column == "factor_id":
            column = "factor_id" if has_fac[i] else "activity"
            chk.add(i, column, "factor_unknown", value=factor[i], library=library.version)
        elif err.column == "unit":
            written = t["unit"].iat[i]
            chk.add(i, "unit", "unit_incompatible", value=written,
                    factor_unit=units_of.get(factor[i], "?"))  # fmt: skip
        else:
            column = err.column if err.column in COLUMNS else "activity"
            chk.add(i, column, "line_invalid", detail=err.message)
