"""The emission-factor library and the activity catalogue shipped with the tool.

Why this exists: the official source, ADEME's Base Empreinte export, is not redistributed with the
tool, yet a company must be able to log its first energy bill on day one. So the project ships a
small library (``emission_factors/factors.csv`` and ``subposts.csv``) built from public values,
each row carrying its provenance: the source named in full, its identifier when known, whether it
was checked against the official export (``checked``) and whether it is a labelled estimate
rather than a published value (``estimate``). When a user imports the official export, that data
takes precedence; until then every result can say that it rests on bundled, unchecked factors.

The activity catalogue (``emission_factors/activities.csv``) lists the things mountain companies
log (groomer diesel, lift electricity, refrigerant top-ups, visitors' travel…), each with its BEGES
poste, a default bundled factor, the units a user may type, and fr/it/en search keywords. An
activity whose factor depends on the site's country (grid electricity) names its country variants
in ``country_factor_ids`` (``IT=bundled:elec-it-2022|…|*=bundled:elec-eu-2022``); see
:meth:`Activity.factor_id_for`.

Both files are validated when read: a broken file is an error at load time, never a wrong number
later. Loaded objects are cached; treat the returned frames as read-only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from carbon.accounting.factors import (
    FACTOR_COLUMNS,
    SUBPOST_COLUMNS,
    FactorLibrary,
    LibraryError,
    subpost_kind,
)
from carbon.accounting.postes import normalise_poste
from carbon.accounting.units import UnitError, conversion_factor, is_known
from carbon.factors.bundled_gases import read_bundled_gases
from carbon.resources import resource

BUNDLED_VERSION = "carbon-bundled 2026.5"
BUNDLED_DIR = resource("emission_factors")
_BUNDLED_RESOLVED = BUNDLED_DIR.resolve()
FACTORS_FILE = "factors.csv"
SUBPOSTS_FILE = "subposts.csv"
ACTIVITIES_FILE = "activities.csv"

LOCALES: tuple[str, ...] = ("fr", "it", "en")
SECTOR_HINTS: frozenset[str] = frozenset(
    {"all", "lift", "resort", "hotel", "engineering", "industry", "services"}
)
ACTIVITY_COLUMNS: dict[str, str] = {
    "activity_id": "string",
    "name_fr": "string",
    "name_it": "string",
    "name_en": "string",
    "poste": "string",  # BEGES poste code, "1.2"
    "default_factor_id": "string",  # a bundled factor id
    "allowed_units": "string",  # "|"-separated, each convertible to the factor's unit
    "default_unit": "string",
    "keywords": "string",  # "|"-separated fr/it/en words for as-you-type search
    "sector_hint": "string",  # one of SECTOR_HINTS
    "country_factor_ids": "string",  # "IT=bundled:elec-it-2022|*=…", empty when none
}
_OPTIONAL_ACTIVITY_COLUMNS = frozenset({"sector_hint", "country_factor_ids"})

# Bundled factors: what every row must carry for its provenance to be readable.
_REQUIRED_TEXT = ("factor_id", "name_fr", "name_en", "name_it", "unit", "source", "status")
_STATUSES = frozenset({"valid", "archived"})
_ID = re.compile(r"^bundled:[a-z0-9][a-z0-9.-]*$")
_ACTIVITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBPOST_TOLERANCE = 0.005  # sub-posts add up to the total within 0.5 %
_SUBPOST_PROVENANCE = ("source", "note")  # subposts.csv columns the engine does not read


class CatalogueError(ValueError):
    """An activity catalogue that refers to unknown factors, postes or units."""


# --------------------------------------------------------------------------- reading


def _read_text_csv(path: Path) -> pd.DataFrame:
    """Every cell as text ("" when empty): typing is done column by column, with checks."""
    return pd.read_csv(path, sep=",", dtype=str, keep_default_na=False, encoding="utf-8")


def _parse_bool(column: pd.Series, name: str, problems: list[str]) -> pd.Series:
    folded = column.str.strip().str.lower()
    bad = ~folded.isin(["true", "false"])
    for idx in folded.index[bad]:
        problems.append(f"row {idx + 2}: {name} must be true or false, not {column[idx]!r}")
    return folded == "true"


def _parse_float(column: pd.Series, name: str, problems: list[str]) -> pd.Series:
    text = column.str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce")
    for idx in text.index[(text != "") & values.isna()]:
        problems.append(f"row {idx + 2}: {name} is not a number: {column[idx]!r}")
    return values.astype("float64")


def _typed_factors(raw: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    missing = [c for c in FACTOR_COLUMNS if c not in raw.columns]
    extra = [c for c in raw.columns if c not in FACTOR_COLUMNS]
    if missing or extra:
        raise LibraryError(
            f"{FACTORS_FILE}: missing columns {missing or '-'}, unexpected columns {extra or '-'}"
        )
    df = raw[list(FACTOR_COLUMNS)].copy()
    for col in ("total_kgco2e", "co2b_kg", "uncertainty_pct"):
        df[col] = _parse_float(raw[col], col, problems)
    df["co2b_kg"] = df["co2b_kg"].fillna(0.0)  # biogenic CO2: 0 when not given
    year = _parse_float(raw["valid_year"], "valid_year", problems)
    for idx in year.index[year.notna() & (year != year.round())]:
        problems.append(
            f"row {idx + 2}: valid_year is not a whole year: {raw['valid_year'][idx]!r}"
        )
    df["valid_year"] = year.where(year == year.round()).astype("Int64")
    for col in ("uncertainty_is_default", "checked", "estimate"):
        df[col] = _parse_bool(raw[col], col, problems)
    return df.astype(FACTOR_COLUMNS)


def _typed_subposts(raw: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    missing = [c for c in SUBPOST_COLUMNS if c not in raw.columns]
    if missing:
        raise LibraryError(f"{SUBPOSTS_FILE}: missing columns {missing}")
    # Each split is a claim about a published value: it says where it comes from.
    for col in _SUBPOST_PROVENANCE:
        if col not in raw.columns:
            problems.append(f"{SUBPOSTS_FILE}: missing provenance column {col!r}")
            continue
        for idx in raw.index[raw[col].str.strip() == ""]:
            problems.append(f"{SUBPOSTS_FILE} row {idx + 2}: {col} is empty")
    df = raw[list(SUBPOST_COLUMNS)].copy()
    df["kgco2e"] = _parse_float(raw["kgco2e"], f"{SUBPOSTS_FILE} kgco2e", problems)
    # The kind follows from the name (ADEME's convention); an empty cell is filled in.
    derived = df["name"].map(subpost_kind)
    df["kind"] = df["kind"].where(df["kind"].str.strip() != "", derived)
    return df.astype(SUBPOST_COLUMNS)


# --------------------------------------------------------------------------- validation


def validate_factors(factors: pd.DataFrame, subposts: pd.DataFrame) -> list[str]:
    """Every broken rule of a bundled library, as readable lines (empty when it is sound)."""
    problems: list[str] = []
    ids = factors["factor_id"].fillna("")
    for fid in ids[ids.duplicated()].unique():
        problems.append(f"duplicate factor_id {fid!r}")
    for pos, (_, row) in enumerate(factors.iterrows()):
        where = f"{row['factor_id']!s} (row {pos + 2})"
        for col in _REQUIRED_TEXT:
            if not str(row[col] if pd.notna(row[col]) else "").strip():
                problems.append(f"{where}: {col} is empty")
        if not _ID.match(str(row["factor_id"])):
            problems.append(f"{where}: factor_id must look like 'bundled:some-slug'")
        if pd.notna(row["unit"]) and not is_known(str(row["unit"])):
            problems.append(f"{where}: unknown unit {row['unit']!r}")
        total = row["total_kgco2e"]
        if pd.isna(total) or not math.isfinite(float(total)) or float(total) < 0:
            problems.append(f"{where}: total_kgco2e must be a finite number >= 0")
        co2b = row["co2b_kg"]
        if pd.isna(co2b) or float(co2b) < 0:
            problems.append(f"{where}: co2b_kg must be a number >= 0")
        unc = row["uncertainty_pct"]
        if pd.isna(unc) or not 0 < float(unc) <= 100:
            problems.append(f"{where}: uncertainty_pct must be given, in ]0, 100]")
        if str(row["status"]) not in _STATUSES:
            problems.append(f"{where}: status must be one of {sorted(_STATUSES)}")
        country = str(row["country"] if pd.notna(row["country"]) else "")
        if country and not _COUNTRY.match(country):
            problems.append(f"{where}: country must be an ISO 3166 alpha-2 code or empty")
        note = str(row["note"] if pd.notna(row["note"]) else "").strip()
        if pd.isna(row["valid_year"]) and not note:
            problems.append(f"{where}: needs a valid_year or a note saying what it is for")
        elif pd.notna(row["valid_year"]) and not 1990 <= int(row["valid_year"]) <= 2100:
            problems.append(f"{where}: implausible valid_year {row['valid_year']}")
        if bool(row["estimate"]) and not note:
            problems.append(f"{where}: an estimate must say in its note what it rests on")
    problems.extend(_validate_subposts(factors, subposts))
    return problems


def _validate_subposts(factors: pd.DataFrame, subposts: pd.DataFrame) -> list[str]:
    problems: list[str] = []
    if not len(subposts):
        return problems
    totals = factors.drop_duplicates("factor_id").set_index("factor_id")["total_kgco2e"]
    unknown = sorted(set(subposts["factor_id"]) - set(totals.index))
    for fid in unknown:
        problems.append(f"{SUBPOSTS_FILE}: sub-posts of unknown factor {fid!r}")
    for pos, (_, row) in enumerate(subposts.iterrows()):
        line = f"{SUBPOSTS_FILE} row {pos + 2}"
        if not str(row["name"]).strip():
            problems.append(f"{line}: empty sub-post name")
        if pd.isna(row["kgco2e"]):
            problems.append(f"{line}: kgco2e missing")
        if str(row["kind"]) != subpost_kind(str(row["name"])):
            problems.append(
                f"{line}: kind {row['kind']!r} does not match "
                f"the name {row['name']!r} (expected {subpost_kind(str(row['name']))!r})"
            )
    sums = subposts.groupby("factor_id")["kgco2e"].sum()
    for fid, value in sums.items():
        if fid not in totals.index:
            continue
        total = float(totals[str(fid)])
        if abs(float(value) - total) > _SUBPOST_TOLERANCE * abs(total):
            problems.append(
                f"{fid}: sub-posts add up to {float(value):g}, not to the total {total:g}"
            )
    return problems


# --------------------------------------------------------------------------- the library


def _folder(path: Path | str | None) -> Path:
    return _BUNDLED_RESOLVED if path is None else Path(path).resolve()


def load_bundled_library(path: Path | None = None) -> FactorLibrary:
    """The bundled library read from ``path`` (a folder holding factors.csv and subposts.csv).

    Default folder: ``emission_factors/`` at the project root. Raises :class:`LibraryError`
    listing every problem when the files break the rules of :func:`validate_factors`.
    The result is cached per folder; do not modify its frames.
    """
    return _load_library(_folder(path))


@cache
def _load_library(folder: Path) -> FactorLibrary:
    problems: list[str] = []
    factors = _typed_factors(_read_text_csv(folder / FACTORS_FILE), problems)
    sub_path = folder / SUBPOSTS_FILE
    raw_sub = (
        _read_text_csv(sub_path)
        if sub_path.exists()
        else pd.DataFrame(
            {c: pd.Series(dtype=str) for c in (*SUBPOST_COLUMNS, *_SUBPOST_PROVENANCE)}
        )
    )
    subposts = _typed_subposts(raw_sub, problems)
    problems.extend(validate_factors(factors, subposts))
    gases = read_bundled_gases(folder, factors, problems)
    if problems:
        raise LibraryError(f"bundled library in {folder} is invalid:\n- " + "\n- ".join(problems))
    return FactorLibrary(version=BUNDLED_VERSION, factors=factors, subposts=subposts, gases=gases)


# --------------------------------------------------------------------------- activities


def fold(text: str) -> str:
    """Lower case without accents (``Bœuf`` → ``boeuf``), for accent-insensitive search."""
    text = str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


@dataclass(frozen=True, slots=True)
class Activity:
    """One kind of activity a company logs, with its poste and default factor."""

    activity_id: str
    name_fr: str
    name_it: str
    name_en: str
    poste: str
    default_factor_id: str
    allowed_units: tuple[str, ...]
    default_unit: str
    keywords: tuple[str, ...] = ()
    sector_hint: str = "all"
    # (ISO country code or "*", factor id): the factor to use for a site in that country.
    country_factor_ids: tuple[tuple[str, str], ...] = ()

    def name(self, locale: str) -> str:
        return {"fr": self.name_fr, "it": self.name_it, "en": self.name_en}.get(
            locale, self.name_fr
        )

    def factor_id_for(self, country: str | None, default_country: str = "FR") -> str:
        """The factor for a site in ``country``.

        An explicit variant for the country wins; otherwise a ``*`` variant applies to any
        country other than ``default_country`` (the country of the default factor); otherwise
        the default factor.
        """
        variants = dict(self.country_factor_ids)
        code = (country or "").strip().upper()
        if code in variants:
            return variants[code]
        if code and code != default_country and "*" in variants:
            return variants["*"]
        return self.default_factor_id


def _split(text: object) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(text).split("|") if p.strip())


def _variants(text: object) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in _split(text):
        code, sep, fid = part.partition("=")
        if not sep:
            raise CatalogueError(f"country variant {part!r} is not CODE=factor_id")
        pairs.append((code.strip().upper(), fid.strip()))
    return tuple(pairs)


def _activity(row: pd.Series) -> Activity:
    return Activity(
        activity_id=str(row["activity_id"]),
        name_fr=str(row["name_fr"]),
        name_it=str(row["name_it"]),
        name_en=str(row["name_en"]),
        poste=str(row["poste"]),
        default_factor_id=str(row["default_factor_id"]),
        allowed_units=_split(row["allowed_units"]),
        default_unit=str(row["default_unit"]).strip(),
        keywords=_split(row["keywords"]),
        sector_hint=str(row["sector_hint"]).strip() or "all",
        country_factor_ids=_variants(row["country_factor_ids"]),
    )


def validate_catalogue(catalogue: pd.DataFrame, library: FactorLibrary) -> list[str]:
    """Every broken rule of an activity catalogue against ``library`` (empty when sound)."""
    problems: list[str] = []
    factors = library.factors.set_index("factor_id")
    ids = catalogue["activity_id"]
    for aid in ids[ids.duplicated()].unique():
        problems.append(f"duplicate activity_id {aid!r}")
    for _, row in catalogue.iterrows():
        aid = str(row["activity_id"])
        if not _ACTIVITY_ID.match(aid):
            problems.append(f"{aid!r}: activity_id must be a lower-case slug")
        for loc in LOCALES:
            if not str(row[f"name_{loc}"]).strip():
                problems.append(f"{aid}: name_{loc} is empty")
        try:
            normalise_poste(row["poste"])
        except ValueError as exc:
            problems.append(f"{aid}: {exc}")
        if str(row["sector_hint"]) not in SECTOR_HINTS:
            problems.append(f"{aid}: sector_hint must be one of {sorted(SECTOR_HINTS)}")
        try:
            act = _activity(row)
        except CatalogueError as exc:
            problems.append(f"{aid}: {exc}")
            continue
        if not act.keywords:
            problems.append(f"{aid}: no keywords")
        if not act.allowed_units:
            problems.append(f"{aid}: no allowed_units")
        if act.default_unit not in act.allowed_units:
            problems.append(f"{aid}: default_unit {act.default_unit!r} not in allowed_units")
        targets = [("default", act.default_factor_id), *act.country_factor_ids]
        for code, fid in targets:
            if fid not in factors.index:
                problems.append(f"{aid}: unknown factor {fid!r} ({code})")
                continue
            factor = factors.loc[fid]
            if str(factor["status"]) != "valid":
                problems.append(f"{aid}: factor {fid!r} is {factor['status']}, not valid")
            if code not in ("default", "*") and str(factor["country"]) != code:
                problems.append(f"{aid}: variant {code} points at {fid!r} of another country")
            for unit in act.allowed_units:
                try:
                    conversion_factor(unit, str(factor["unit"]))
                except UnitError as exc:
                    problems.append(f"{aid}: {exc}")
    return problems


def load_activity_catalogue(path: Path | None = None) -> pd.DataFrame:
    """The activity catalogue read from ``path`` (the folder holding activities.csv).

    Default folder: ``emission_factors/``. The catalogue is validated against the bundled
    library of the same folder; raises :class:`CatalogueError` listing every problem.
    ``poste`` is normalised ("1,2" → "1.2"). Cached per folder; do not modify the frame.
    """
    return _load_catalogue(_folder(path))


@cache
def _load_catalogue(folder: Path) -> pd.DataFrame:
    raw = _read_text_csv(folder / ACTIVITIES_FILE)
    missing = [
        c for c in ACTIVITY_COLUMNS if c not in raw.columns and c not in _OPTIONAL_ACTIVITY_COLUMNS
    ]
    if missing:
        raise CatalogueError(f"{ACTIVITIES_FILE}: missing columns {missing}")
    for col in _OPTIONAL_ACTIVITY_COLUMNS - set(raw.columns):
        raw[col] = "all" if col == "sector_hint" else ""
    df = raw[list(ACTIVITY_COLUMNS)].apply(lambda s: s.str.strip()).astype(ACTIVITY_COLUMNS)
    problems = validate_catalogue(df, _load_library(folder))
    if problems:
        raise CatalogueError(
            f"activity catalogue in {folder} is invalid:\n- " + "\n- ".join(problems)
        )
    df["poste"] = df["poste"].map(normalise_poste).astype("string")
    return df


@cache
def _activities(folder: Path) -> tuple[Activity, ...]:
    return tuple(_activity(row) for _, row in _load_catalogue(folder).iterrows())


def activities(path: Path | None = None) -> list[Activity]:
    """All activities of the catalogue, in file order."""
    return list(_activities(_folder(path)))


def find_activity(activity_id: str, path: Path | None = None) -> Activity | None:
    """The activity with that id, or None."""
    return _activities_by_id(_folder(path)).get(activity_id)


@cache
def _activities_by_id(folder: Path) -> dict[str, Activity]:
    # Reports and pages look up one activity per line: a dict, not a scan of the catalogue.
    return {act.activity_id: act for act in reversed(_activities(folder))}


def search_activities(
    text: str, locale: str = "fr", limit: int | None = None, path: Path | None = None
) -> list[Activity]:
    """Activities whose name in ``locale`` or keywords contain every word of ``text``.

    Accent- and case-insensitive; words match anywhere (``gaso`` finds ``gasolio``). Activities
    whose name itself matches every word come first, then file order. Empty text: all activities.
    """
    words = fold(text).replace("'", " ").split()
    hits: list[tuple[int, int, Activity]] = []
    for order, act in enumerate(_activities(_folder(path))):
        name = fold(act.name(locale))
        hay = name + " | " + " | ".join(fold(k) for k in act.keywords)
        if all(w in hay for w in words):
            in_name = all(w in name for w in words)
            hits.append((0 if in_name else 1, order, act))
    hits.sort(key=lambda h: (h[0], h[1]))
    found = [h[2] for h in hits]
    return found if limit is None else found[:limit]
