"""Sub-post kinds of a split factor, and the BEGES v5 poste each kind goes to.

An ADEME factor is often split into sub-posts ("Combustion", "Amont", "Fabrication"…). For a
line of an energy poste (1.1, 1.2, 2.1, 2.2) only the combustion part stays in the line's poste;
BEGES v5 sends the rest to the poste that holds that part of the life cycle: the upstream of the
energy (extraction, refining, transport of the fuel, grid losses) to 4.1, the manufacture of the
vehicle or equipment to 4.2 (immobilisations), its end of life to 4.3 (docs/methodology.md §3).
One table, read by the library loaders (to classify a sub-post by its name), the database (the
values its ``kind`` column accepts) and the engine (where each kind goes).
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class SubpostKind(StrEnum):
    combustion = "combustion"  # burnt on site: stays in the line's poste
    upstream = "upstream"  # production and delivery of the energy
    manufacture = "manufacture"  # making the vehicle or equipment that uses it
    end_of_life = "end_of_life"  # disposal of that vehicle or equipment
    other = "other"  # a name no rule below recognises


# Where a non-combustion part of an energy line goes. "other" keeps the method's default for the
# energy's indirect emissions (4.1) and is counted apart so a reader can check it.
DESTINATION: dict[SubpostKind, str] = {
    SubpostKind.upstream: "4.1",
    SubpostKind.manufacture: "4.2",
    SubpostKind.end_of_life: "4.3",
    SubpostKind.other: "4.1",
}

# Words of ADEME sub-post names ("Nom poste français" / "Type poste"), folded to ASCII lower
# case; the first rule that matches wins, so "Amont de la combustion" is upstream.
_RULES: tuple[tuple[SubpostKind, tuple[str, ...]], ...] = (
    (
        SubpostKind.upstream,
        ("amont", "extraction", "raffinage", "transport et distribution", "distribution",
         "pertes", "fuites", "upstream"),
    ),
    (SubpostKind.end_of_life, ("fin de vie", "end of life")),
    (
        SubpostKind.manufacture,
        ("fabrication", "construction", "infrastructure", "immobilisation", "manufactur"),
    ),
    (SubpostKind.combustion, ("combustion",)),
)  # fmt: skip


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def subpost_kind(name: str) -> SubpostKind:
    """The kind of a sub-post from its ADEME name (see ``_RULES``)."""
    folded = _fold(name)
    for kind, words in _RULES:
        if any(w in folded for w in words):
            return kind
    return SubpostKind.other
