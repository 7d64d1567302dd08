"""Which physical data would replace a spend line: for the results page and the company PDF.

A line from the books names its account in its evidence (``FEC <digest> <account>/<supplier>``,
carbon.imports.fec_mapping.activity_rows): the account rule that mapped it says what to ask for
(``physical_hint``, in the reader's language where the rule has it). Any other spend line gets a
hint from its activity (food) or its poste. The ranking itself is the engine's
(:mod:`carbon.accounting.spend`, methodology.md § 17).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from carbon.i18n import N_, gettext
from carbon.imports.fec_mapping import AccountRule, rule_for

# The evidence an FEC import writes on its lines (carbon.imports.fec_mapping.activity_rows).
_FEC_EVIDENCE: Final = re.compile(r"^FEC [0-9a-f]+ ([0-9A-Za-z]+)/")

POSTE_HINTS: Final[Mapping[str, str]] = {
    **dict.fromkeys(("1.1", "1.2", "2.1", "2.2"),
                    N_("Energy from the bills: kWh of electricity and gas, litres of fuel.")),
    "1.4": N_("Refrigerant top-ups in kg, from the maintenance records."),
    **dict.fromkeys(("3.1", "3.2"), N_("Tonnes and kilometres (t.km) by mode of transport.")),
    **dict.fromkeys(("3.3", "3.4", "3.5"),
                    N_("Kilometres by mode (car, train, plane) and hotel nights.")),
    "4.1": N_("Quantities bought (kg, litres, units) by product, or your suppliers' own product "
              "footprints."),
    "4.2": N_("The equipment and works by type, with their number, mass or surface."),
    "4.3": N_("Tonnes of waste by type and treatment (landfill, incineration, recycling)."),
    **dict.fromkeys(("4.4", "5.2"),
                    N_("The leased assets' energy use (kWh, litres), or their type and size.")),
    "4.5": N_("Your suppliers' own footprint for the service, or what it is made of (kilometres "
              "travelled, energy used)."),
}  # fmt: skip
HINT_FOOD: Final = N_("Meals served by type (with meat, vegetarian), or kg of food by kind.")
HINT_ANY: Final = N_("Physical quantities (kg, kWh, km) in place of euros.")


def account_of(evidence_ref: str | None) -> str | None:
    """The account a line from a FEC was mapped from, read from its evidence; else None."""
    match = _FEC_EVIDENCE.match(evidence_ref or "")
    return match.group(1) if match else None


def rule_hint(evidence_ref: str | None, rules: Mapping[str, AccountRule], locale: str) -> str:
    """The physical hint of the account rule that mapped a line from a FEC, or ""."""
    account = account_of(evidence_ref)
    rule = rule_for(account, rules) if account else None
    return rule.text("physical_hint", locale).strip() if rule is not None else ""


def default_hint(poste: str, factor_id: str, activity_id: str | None) -> str:
    """What would replace a spend line when no rule says: by its activity, else its poste."""
    if "food" in factor_id or (activity_id or "").startswith(("purchases-food", "meals-")):
        return gettext(HINT_FOOD)
    return gettext(POSTE_HINTS.get(poste, HINT_ANY))
