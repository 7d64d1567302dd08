"""Company legal identifiers: the French SIREN and the Italian Partita IVA, checked on entry.

The programmes' reports go to funders (Région, Interreg) that match companies by these numbers,
so a typo must be caught when an administrator types it, not at reporting time. Both numbers end
with a Luhn check digit (ISO/IEC 7812): doubling every second digit from the right, the digit sum
must be a multiple of 10. A Partita IVA also names its tax office (digits 8–10).

Pure functions, no web or database import: the admin forms and the importers share them.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/]")

# Digits 8–10 of a Partita IVA: the provincial office (001–100) or one of the special codes
# (120, 121, 888, 999) the Agenzia delle Entrate assigns; anything else is a typo.
_IVA_SPECIAL_OFFICES = frozenset({"120", "121", "888", "999"})


class InvalidIdentifier(ValueError):
    """A number that cannot be the identifier it claims to be.

    ``code`` names the reason ("siret", "length", "office", "check_digit") so that the web layer
    can say it in the reader's language; the message is the English version.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def luhn_sum(digits: str) -> int:
    """The Luhn sum of ``digits``: every second digit from the right doubled (minus 9 above 9)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def _digits(value: str) -> str:
    return _SEPARATORS.sub("", value)


def normalise_siren(value: str) -> str:
    """``"732 829 320"`` -> ``"732829320"``; raises :class:`InvalidIdentifier` when invalid."""
    siren = _digits(value).upper().removeprefix("FR")
    if len(siren) == 14 and siren.isdigit():
        raise InvalidIdentifier(
            "siret", "this is a SIRET (14 digits): enter the SIREN, its first 9 digits"
        )
    if len(siren) != 9 or not siren.isdigit():
        raise InvalidIdentifier("length", "a SIREN has 9 digits")
    if luhn_sum(siren) % 10:
        raise InvalidIdentifier(
            "check_digit", "this SIREN's check digit is wrong: check for a typo"
        )
    return siren


def normalise_partita_iva(value: str) -> str:
    """``"IT 00743110157"`` -> ``"00743110157"``; raises :class:`InvalidIdentifier` when invalid."""
    iva = _digits(value).upper().removeprefix("IT")
    if len(iva) != 11 or not iva.isdigit():
        raise InvalidIdentifier("length", "a Partita IVA has 11 digits")
    office = iva[7:10]
    if int(iva[:7]) == 0 or not ("001" <= office <= "100" or office in _IVA_SPECIAL_OFFICES):
        raise InvalidIdentifier(
            "office", "this is not a Partita IVA: its office code (digits 8-10) is wrong"
        )
    if luhn_sum(iva) % 10:
        raise InvalidIdentifier(
            "check_digit", "this Partita IVA's check digit is wrong: check for a typo"
        )
    return iva


def normalise_legal_id(country: str, value: str) -> str | None:
    """The identifier as stored for a company of ``country``, or None when left empty.

    France asks for a SIREN and Italy for a Partita IVA; other countries' numbers are kept as
    typed (trimmed), since no check is known here for them.
    """
    value = value.strip()
    if not value:
        return None
    if country == "FR":
        return normalise_siren(value)
    if country == "IT":
        return normalise_partita_iva(value)
    return value
