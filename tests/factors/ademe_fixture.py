"""Builds files in the exact layout of the official ADEME Base Carbone / Base Empreinte export.

The real export cannot be shipped with the tests (10.7 MB, and it changes with every version), so
the importer's tests, other packages' tests and the benchmark all write look-alikes with this
module: 67 columns in the published order, ``;`` separator, decimal commas, Windows-1252 (or a
re-saved UTF-8 copy with a BOM), some quoted and a few triple-quoted labels, ``Elément`` rows
followed by their ``Poste`` sub-post rows, valid and archived statuses, non-factor element types,
French and other European locations.

The column list is written out here independently of the importer, from the published format
description, so that a mistake in one is not mirrored in the other.

Two entry points:

- :func:`element`, :func:`poste` and :func:`render` (or :func:`write_rows`) for small files
  specified by hand, cell by cell, including malformed ones;
- :func:`write_ademe_file` (or :func:`generate_export`) for a full-size export with realistic field
  widths, reproducible from a seed, returning the counts an importer should find.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ADEME_COLUMNS: tuple[str, ...] = (
    "Type Ligne", "Identifiant de l'élément", "Structure", "Type de l'élément",
    "Statut de l'élément", "Nom base français", "Nom base anglais", "Nom base espagnol",
    "Nom attribut français", "Nom attribut anglais", "Nom attribut espagnol",
    "Nom frontière français", "Nom frontière anglais", "Nom frontière espagnol",
    "Code de la catégorie", "Tags français", "Tags anglais", "Tags espagnol", "Unité français",
    "Unité anglais", "Unité espagnol", "Contributeur", "Autres Contributeurs", "Programme",
    "Url du programme", "Source", "Localisation géographique",
    "Sous-localisation géographique français", "Sous-localisation géographique anglais",
    "Sous-localisation géographique espagnol", "Date de création", "Date de modification",
    "Période de validité", "Incertitude", "Réglementations", "Transparence", "Qualité",
    "Qualité TeR", "Qualité GR", "Qualité TiR", "Qualité C", "Qualité P", "Qualité M",
    "Commentaire français", "Commentaire anglais", "Commentaire espagnol", "Type poste",
    "Nom poste français", "Nom poste anglais", "Nom poste espagnol", "Total poste non décomposé",
    "CO2f", "CH4f", "CH4b", "N2O", "Code gaz supplémentaire 1", "Valeur gaz supplémentaire 1",
    "Code gaz supplémentaire 2", "Valeur gaz supplémentaire 2", "Code gaz supplémentaire 3",
    "Valeur gaz supplémentaire 3", "Code gaz supplémentaire 4", "Valeur gaz supplémentaire 4",
    "Code gaz supplémentaire 5", "Valeur gaz supplémentaire 5", "Autres GES", "CO2b",
)  # fmt: skip
assert len(ADEME_COLUMNS) == 67

# Short keyword names for the cells tests set most often; any other cell is set by its full name
# through ``cells={...}``.
ALIASES: dict[str, str] = {
    "kind": "Type de l'élément",
    "status": "Statut de l'élément",
    "name_fr": "Nom base français",
    "name_en": "Nom base anglais",
    "attr_fr": "Nom attribut français",
    "attr_en": "Nom attribut anglais",
    "frontier": "Nom frontière français",
    "category": "Code de la catégorie",
    "unit": "Unité français",
    "unit_en": "Unité anglais",
    "contributor": "Contributeur",
    "source": "Source",
    "location": "Localisation géographique",
    "created": "Date de création",
    "modified": "Date de modification",
    "validity": "Période de validité",
    "uncertainty": "Incertitude",
    "comment": "Commentaire français",
    "post_type": "Type poste",
    "post_name": "Nom poste français",
    "total": "Total poste non décomposé",
    "co2f": "CO2f",
    "co2b": "CO2b",
}

FACTOR = "Facteur d'émission"
VALID_GENERIC = "Valide générique"
VALID_SPECIFIC = "Valide spécifique"
ARCHIVED = "Archivé"
REFUSED = "Refusé"

# The real export quotes some text cells although nothing in them needs it.
ALWAYS_QUOTED: frozenset[str] = frozenset({"Nom base français", "Tags français"})

Cell = str | int | float | None
Row = Mapping[str, Cell] | Sequence[str] | str


def element(identifier: int | str, cells: Mapping[str, Cell] | None = None, **short: Cell) -> dict:
    """An ``Elément`` row: an emission factor, valid, in France, unless told otherwise."""
    row: dict[str, Cell] = {
        "Type Ligne": "Elément",
        "Identifiant de l'élément": identifier,
        "Structure": "Elément",
        "Type de l'élément": FACTOR,
        "Statut de l'élément": VALID_GENERIC,
        "Nom base français": f"Facteur {identifier}",
        "Unité français": "kgCO2e/kWh",
        "Unité anglais": "kgCO2e/kWh",
        "Contributeur": "ADEME",
        "Source": "ADEME",
        "Localisation géographique": "France continentale",
        "Date de création": "01/01/2020",
        "Date de modification": "01/01/2021",
        "Total poste non décomposé": 1.0,
    }
    row.update(_expand(short))
    row.update(cells or {})
    return row


def poste(
    identifier: int | str,
    name: str,
    total: float | str,
    cells: Mapping[str, Cell] | None = None,
    **short: Cell,
) -> dict:
    """A ``Poste`` row: one sub-post (``Combustion``, ``Amont``…) of element ``identifier``."""
    row: dict[str, Cell] = {
        "Type Ligne": "Poste",
        "Identifiant de l'élément": identifier,
        "Structure": "Poste",
        "Type de l'élément": FACTOR,
        "Statut de l'élément": VALID_GENERIC,
        "Type poste": name,
        "Nom poste français": name,
        "Total poste non décomposé": total,
    }
    row.update(_expand(short))
    row.update(cells or {})
    return row


def _expand(short: Mapping[str, Cell]) -> dict[str, Cell]:
    unknown = set(short) - set(ALIASES)
    if unknown:
        raise TypeError(f"unknown cell keywords: {', '.join(sorted(unknown))}")
    return {ALIASES[k]: v for k, v in short.items()}


def number(value: float | int) -> str:
    """A number as the export writes it: decimal comma, shortest exact form."""
    return repr(float(value)).replace(".", ",") if isinstance(value, float) else str(value)


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("booleans have no place in the export")
    if isinstance(value, int | float):
        return number(value)
    return value


def _quote(text: str, force: bool) -> str:
    if force or ";" in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _line(fields: Iterable[str], quoted: Collection[int] = ()) -> str:
    return ";".join(_quote(f, i in quoted) for i, f in enumerate(fields))


def render(
    rows: Iterable[Row],
    *,
    encoding: str = "cp1252",
    header: Sequence[str] | str | None = None,
    newline: str = "\r\n",
    always_quoted: Collection[str] = ALWAYS_QUOTED,
) -> bytes:
    """The bytes of an export holding ``rows``.

    A row is a mapping of full column names to cells (missing cells are empty), a sequence of
    already formatted fields (written as they are, whatever their number: for malformed files), or
    a string written verbatim as one physical line. ``header`` replaces the standard header line
    the same way (a sequence of names, or a verbatim string).
    """
    quoted = {i for i, c in enumerate(ADEME_COLUMNS) if c in always_quoted}
    if header is None:
        lines = [_line(ADEME_COLUMNS)]
    else:
        lines = [header if isinstance(header, str) else _line(header)]
    for row in rows:
        if isinstance(row, str):
            lines.append(row)
        elif isinstance(row, Mapping):
            unknown = set(row) - set(ADEME_COLUMNS)
            if unknown:
                raise KeyError(f"not ADEME columns: {', '.join(sorted(unknown))}")
            lines.append(_line((_cell(row.get(c)) for c in ADEME_COLUMNS), quoted))
        else:
            lines.append(_line(row))
    text = newline.join(lines) + newline
    return text.encode(
        "utf-8-sig" if encoding.replace("_", "-").lower() == "utf-8-sig" else encoding
    )


def write_rows(path: str | Path, rows: Iterable[Row], **kwargs: object) -> Path:
    """:func:`render` written to ``path``; same keyword arguments."""
    path = Path(path)
    path.write_bytes(render(rows, **kwargs))  # type: ignore[arg-type]
    return path


# --- Full-size generated exports -----------------------------------------------------------------

_BASES = [
    ("Électricité", "Electricity", "Electricidad", "kWh"),
    ("Gaz naturel", "Natural gas", "Gas natural", "kWh PCI"),
    ("Gazole routier", "Road diesel", "Gasóleo", "litre"),
    ("Essence", "Petrol", "Gasolina", "litre"),
    ("Fioul domestique", "Heating oil", "Gasóleo calefacción", "litre"),
    ("Propane", "Propane", "Propano", "kg"),
    ("Bois bûches", "Firewood logs", "Leña", "kWh PCI"),
    ("Granulés de bois", "Wood pellets", "Pellets de madera", "tonne"),
    ("Réseau de chaleur", "District heating", "Red de calor", "kWh"),
    ("Train grandes lignes", "Intercity train", "Tren de larga distancia", "passager.km"),
    ("Autocar", "Coach", "Autocar", "passager.km"),
    ("Voiture particulière", "Passenger car", "Turismo", "véhicule.km"),
    ("Avion court-courrier", "Short-haul flight", "Vuelo corto", "passager.km"),
    ("Poids lourd", "Heavy goods vehicle", "Camión pesado", "t.km"),
    ("Acier", "Steel", "Acero", "tonne"),
    ("Béton", "Concrete", "Hormigón", "m3"),
    ("Repas végétarien", "Vegetarian meal", "Comida vegetariana", "repas"),
    ("Nuitée d'hôtel", "Hotel night", "Noche de hotel", "nuitée"),
    ("Téléphérique", "Cable car", "Teleférico", "passager.km"),
    ("Services informatiques", "IT services", "Servicios informáticos", "k€ HT"),
    ("Déchets ménagers", "Household waste", "Residuos domésticos", "tonne"),
    ("Papier", "Paper", "Papel", "kg"),
]
_ATTRS = [
    ("", "", ""),
    ("mix moyen", "average mix", "mezcla media"),
    ("réseau", "grid", "red"),
    ("B7", "B7", "B7"),
    ("chaudière à condensation", "condensing boiler", "caldera de condensación"),
    ('"Premium"', '"Premium"', '"Premium"'),  # written triple-quoted
    ("usage; été", "use; summer", "uso; verano"),  # the separator inside a quoted label
]
_FRONTIERS = ["", "", "Combustion", "Amont + combustion", "Mix de consommation", "Production"]
_CATEGORIES = [
    "Combustibles > Fossiles > Liquides",
    "Combustibles > Fossiles > Gazeux",
    "Combustibles > Organiques > Bois",
    "Electricité > Mix moyen > Consommation",
    "Transport de personnes > Routier",
    "Transport de marchandises > Routier",
    "Achats de biens > Matériaux de construction > Métaux",
    "Achats de services > Services",
    "Traitement des déchets > Ordures ménagères",
]
_LOCATIONS = [
    "France continentale", "France continentale", "France continentale", "France", "Corse",
    "Guadeloupe", "Martinique", "La Réunion", "Italie", "Allemagne", "Espagne", "Suisse",
    "Belgique", "Autriche", "Royaume-Uni", "Pays-Bas", "Europe", "Monde",
]  # fmt: skip
_POSTES = ["Combustion", "Amont", "Transport et distribution", "Fabrication", "Fuites"]
_COMMENTS = [
    "",
    "",
    "",
    "Valeur issue de l'analyse du cycle de vie ; périmètre « du puits à la roue ».",
    "Facteur moyen annuel, incluant les pertes en ligne. Voir la documentation "
    "de la Base Empreinte® pour la méthode de calcul détaillée et les hypothèses retenues.",
    "Première ligne du commentaire.\nSeconde ligne : données 2019–2021, écart-type ~ 12 %.",
]
_COMMENT_EN = (
    "Average annual factor, including upstream emissions and grid losses. See the Base Empreinte "
    "documentation for the calculation method and the assumptions made."
)
_TAGS = ["énergie, chauffage", "transport, mobilité", "achats, matériaux", "déchets", ""]


@dataclass(frozen=True)
class GeneratedExport:
    """What an importer must find in a generated export."""

    path: Path | None
    n_rows: int  # data rows, header excluded
    n_elements: int  # Elément rows
    n_postes: int  # Poste rows
    n_factors_valid: int  # emission-factor elements with a "Valide …" status
    n_factors_archived: int  # emission-factor elements with the "Archivé" status
    n_factors_refused: int  # emission-factor elements with the "Refusé" status
    n_non_factors: int  # elements of another type (source data)
    n_subposts_of_factors: int  # Poste rows of valid or archived emission factors
    n_bytes: int


def generate_export(
    n_elements: int = 12_800,
    n_postes: int | None = None,
    *,
    encoding: str = "cp1252",
    seed: int = 0,
) -> tuple[bytes, GeneratedExport]:
    """A reproducible export of ``n_elements`` Elément rows and ``n_postes`` Poste rows.

    ``n_postes`` defaults to the share of version 23.6 (5,799 for 12,817 elements). Field widths
    are realistic: 12,800 + 5,800 rows make about 10 MB, like the real file.
    """
    if n_postes is None:
        n_postes = round(n_elements * 5_800 / 12_800)
    rng = random.Random(seed)
    # Sub-posts go by twos and threes to the first elements drawn, as in the real file where
    # only part of the factors are split.
    split_sizes: list[int] = []
    left = n_postes
    while left > 0:
        size = min(left, rng.choice((2, 2, 3)))
        split_sizes.append(size)
        left -= size
    split_at = set(rng.sample(range(n_elements), min(len(split_sizes), n_elements)))
    if len(split_at) < len(split_sizes):
        raise ValueError("too many sub-posts for so few elements")
    sizes = iter(split_sizes)

    quoted = {i for i, c in enumerate(ADEME_COLUMNS) if c in ALWAYS_QUOTED}
    lines = [_line(ADEME_COLUMNS)]
    counts = dict(valid=0, archived=0, refused=0, other=0, subposts=0)
    identifier = 10_000
    for i in range(n_elements):
        identifier += rng.randint(1, 4)
        is_factor = rng.random() < 0.9
        draw = rng.random()
        status = (
            VALID_GENERIC if draw < 0.42 else VALID_SPECIFIC if draw < 0.5
            else ARCHIVED if draw < 0.97 else REFUSED
        )  # fmt: skip
        base = rng.choice(_BASES)
        attr = rng.choice(_ATTRS)
        total = round(rng.uniform(0.001, 5.0), rng.choice((3, 4, 6)))
        postes = next(sizes) if i in split_at else 0
        location = rng.choice(_LOCATIONS)
        year = rng.randint(2012, 2024)
        comment = rng.choice(_COMMENTS)
        fields = [
            "Elément", str(identifier), "Elément",
            FACTOR if is_factor else "Donnée source", status,
            base[0], base[1], base[2], attr[0], attr[1], attr[2],
            rng.choice(_FRONTIERS), "", "",
            rng.choice(_CATEGORIES), rng.choice(_TAGS), "energy, heating", "energía",
            f"kgCO2e/{base[3]}", f"kgCO2e/{base[3]}", f"kgCO2e/{base[3]}",
            "ADEME", rng.choice(("", "IFEU", "Carbone 4; CITEPA")), "Base Empreinte",
            "https://base-empreinte.ademe.fr", rng.choice(("ADEME", "CITEPA", "Ecoinvent 3.9")),
            location, "", "", "",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{min(year + 1, 2024)}",
            rng.choice(("", "", f"{year}", f"31/12/{year + 3}")),
            rng.choice(("", "10", "20", "30", "50", "5,5")),
            rng.choice(("", "BEGES", "BEGES; Bilan Carbone")), "Transparent", "", "2", "3", "2",
            "1", "2", "3",
            comment, _COMMENT_EN if comment else "", "Factor medio anual." if comment else "",
            "", "", "", "",
            number(total), number(round(total * 0.92, 6)), number(round(total * 0.01, 6)), "",
            number(round(total * 0.005, 6)), "", "", "", "", "", "", "", "", "", "", "",
            rng.choice(("", "", "0", number(round(total * 0.3, 4)))),
        ]  # fmt: skip
        lines.append(_line(fields, quoted))
        kept = is_factor and status != REFUSED
        if is_factor:
            key = "refused" if status == REFUSED else "archived" if status == ARCHIVED else "valid"
            counts[key] += 1
        else:
            counts["other"] += 1
        for p in range(postes):
            share = number(round(total / postes, 6))
            name = _POSTES[0] if p == 0 else rng.choice(_POSTES[1:])
            post_fields = fields[:]
            post_fields[0] = post_fields[2] = "Poste"
            post_fields[43:50] = ["", "", "", name, rng.choice((name, "")), "", ""]
            # A sub-post carries its own total only; the gas split stays on the element.
            post_fields[50:] = [share] + [""] * 16
            lines.append(_line(post_fields, quoted))
            counts["subposts"] += kept
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(
        "utf-8-sig" if encoding.replace("_", "-").lower() == "utf-8-sig" else encoding
    )
    summary = GeneratedExport(
        path=None,
        n_rows=n_elements + n_postes,
        n_elements=n_elements,
        n_postes=n_postes,
        n_factors_valid=counts["valid"],
        n_factors_archived=counts["archived"],
        n_factors_refused=counts["refused"],
        n_non_factors=counts["other"],
        n_subposts_of_factors=counts["subposts"],
        n_bytes=len(data),
    )
    return data, summary


def write_ademe_file(
    path: str | Path,
    n_elements: int = 12_800,
    n_postes: int | None = None,
    *,
    encoding: str = "cp1252",
    seed: int = 0,
) -> GeneratedExport:
    """:func:`generate_export` written to ``path``; returns the expected counts."""
    data, summary = generate_export(n_elements, n_postes, encoding=encoding, seed=seed)
    path = Path(path)
    path.write_bytes(data)
    return GeneratedExport(**{**summary.__dict__, "path": path})
