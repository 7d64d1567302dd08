"""From a checked FEC to spend lines: purchases and investments mapped to monetary ratios.

A company's first footprint often comes from its books: every purchase account of the year,
mapped to a monetary ratio (kgCO2e per k€ excluding VAT) and a BEGES poste. No official table maps
the French chart of accounts (PCG) to ADEME's ratios, so carbon ships a starting rule set
(``emission_factors/pcg_rules.csv``: the longest account prefix wins) that a cohort or a company
can override. The reading rules follow La Société Nouvelle's open FEC reader (METRIZ):

- purchases are the charges of classes 60, 61 and 62, except 603 (stock variations); 609
  (rebates) is read as the 60x account it reduces, with its negative amount;
- the supplier of a purchase is the auxiliary account of the 40x line of the same entry;
- investments are class 2 debits of an entry that credits a 404 (suppliers of fixed assets), so
  opening balances (*à-nouveaux*) are never read as this year's purchases;
- taxes, staff, financial and exceptional charges, depreciation and income tax (63-69) carry no
  emissions: they are listed as excluded, not mapped; an account no rule covers is listed with its
  amount, never silently dropped.

Amounts in the FEC exclude VAT (VAT sits in its own 4456x accounts), as the ratios want.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Final, cast

import pandas as pd

from carbon.imports.fec import FecLedger

TREATMENTS: Final = ("spend", "physical", "excluded", "not_purchase")
# Where a rule comes from, least specific first: at equal prefix a later layer wins.
LAYERS: Final = ("default", "cohort", "company", "file")
PURCHASE_CLASSES: Final = ("60", "61", "62")
DEFAULT_RULES_FILE: Final = "pcg_rules.csv"
# The shipped file's translated columns (a coach's own rules are in the coach's words).
TRANSLATED: Final = ("label_fr", "label_it", "physical_hint_fr", "physical_hint_it")


@dataclass(frozen=True)
class AccountRule:
    """What an account prefix means for the footprint."""

    prefix: str
    treatment: str
    poste: str | None = None
    factor_id: str | None = None
    # Activity ids (or prefixes ending with '-') of physical lines that measure the same need:
    # when the period already has one, the spend line would count that need twice.
    overlaps: tuple[str, ...] = ()
    label: str = ""
    physical_hint: str = ""
    note: str = ""
    # The layer it comes from (LAYERS): the preview says whose rule mapped an account.
    origin: str = "default"
    # The shipped rules' label and hint in the other languages: (("label_fr", "…"), …).
    translations: tuple[tuple[str, str], ...] = ()

    def text(self, name: str, locale: str) -> str:
        """``label`` or ``physical_hint`` in ``locale`` when the rule has it, else as written."""
        wanted = f"{name}_{locale.split('_')[0]}"
        shown = next((text for key, text in self.translations if key == wanted and text), "")
        return shown or str(getattr(self, name))


@dataclass(frozen=True)
class AccountTotal:
    account: str
    label: str
    amount_eur: float
    rule: AccountRule | None = None
    reason: str = ""


@dataclass(frozen=True)
class SpendLine:
    """One proposed activity line: an account's spend with one supplier, in k€ excluding VAT."""

    account: str
    account_label: str
    supplier: str
    supplier_label: str
    amount_eur: float
    rule: AccountRule

    @property
    def quantity_keur(self) -> float:
        return round(self.amount_eur / 1000.0, 6)


@dataclass
class FecProposal:
    """What the preview shows and what an import would store."""

    lines: list[SpendLine] = field(default_factory=list)
    overlapping: list[tuple[SpendLine, str]] = field(default_factory=list)
    physical: list[AccountTotal] = field(default_factory=list)
    excluded: list[AccountTotal] = field(default_factory=list)
    unmapped: list[AccountTotal] = field(default_factory=list)
    credits: list[AccountTotal] = field(default_factory=list)
    entries_read: int = 0

    @property
    def total_keur(self) -> float:
        return sum(line.quantity_keur for line in self.lines)


def parse_rules(text: str, origin: str = "default") -> list[AccountRule]:
    """Rules from CSV text (columns of ``pcg_rules.csv``); ValueError naming the bad line."""
    rules = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        prefix = (row.get("prefix") or "").strip()
        treatment = (row.get("treatment") or "").strip()
        if not prefix.isascii() or not prefix.isdigit():
            raise ValueError(f"line {number}, prefix: '{prefix}' is not an account number prefix")
        if treatment not in TREATMENTS:
            raise ValueError(
                f"line {number}, treatment: '{treatment}' is not one of {', '.join(TREATMENTS)}"
            )
        factor_id = (row.get("factor_id") or "").strip() or None
        poste = (row.get("poste") or "").strip() or None
        if treatment == "spend" and (factor_id is None or poste is None):
            raise ValueError(f"line {number}: a 'spend' rule needs a poste and a factor_id")
        overlaps = tuple(o.strip() for o in (row.get("overlaps") or "").split("|") if o.strip())
        texts = ((key, (row.get(key) or "").strip()) for key in TRANSLATED)
        translations = tuple((key, text) for key, text in texts if text)
        rules.append(
            AccountRule(
                prefix, treatment, poste, factor_id, overlaps,
                (row.get("label_en") or "").strip(), (row.get("physical_hint") or "").strip(),
                (row.get("note") or "").strip(), origin, translations,
            )
        )  # fmt: skip
    return rules


def default_rules() -> list[AccountRule]:
    """The rule set shipped with carbon (``emission_factors/pcg_rules.csv``)."""
    from carbon.config import PROJECT_ROOT

    path = Path(PROJECT_ROOT) / "emission_factors" / DEFAULT_RULES_FILE
    if not path.exists():  # an installed wheel carries the library as package data
        return parse_rules(
            (resources.files("carbon") / "emission_factors" / DEFAULT_RULES_FILE).read_text(
                encoding="utf-8"
            )
        )
    return parse_rules(path.read_text(encoding="utf-8"))


def layered(*rule_sets: Iterable[AccountRule]) -> dict[str, AccountRule]:
    """Later sets override earlier ones prefix by prefix (shipped, then cohort, then company).

    Prefixes of different lengths all stay: :func:`rule_for` then takes the longest that the
    account starts with, so a shipped ``6226`` beats a company's ``622`` for account 62260000.
    """
    merged: dict[str, AccountRule] = {}
    for rules in rule_sets:
        merged.update({rule.prefix: rule for rule in rules})
    return merged


def book_account(account: str) -> str:
    """The account a line counts under: a 609x rebate reduces the 60x purchase it follows."""
    return "60" + account[3:] if account.startswith("609") and len(account) > 3 else account


def rule_for(account: str, rules: Mapping[str, AccountRule]) -> AccountRule | None:
    """The rule of the longest prefix of ``account`` (a rebate: of the purchase it reduces)."""
    key = book_account(account)
    for length in range(len(key), 0, -1):
        rule = rules.get(key[:length])
        if rule is not None:
            return rule
    return None


def _suppliers(entries: pd.DataFrame) -> pd.DataFrame:
    """Per entry (journal, number): the supplier of its 40x line, and whether it credits a 404."""
    third = entries[entries["account"].str.startswith("40")]
    first = third.drop_duplicates(["journal", "num"])
    suppliers = first.set_index(["journal", "num"])[["aux", "aux_label", "account_label"]]
    suppliers["supplier_label"] = suppliers["aux_label"].where(
        suppliers["aux_label"] != "", suppliers["account_label"]
    )
    fixed = third[third["account"].str.startswith("404")][["journal", "num"]].drop_duplicates()
    suppliers["fixed_assets"] = False
    keys = pd.MultiIndex.from_frame(fixed)
    suppliers.loc[suppliers.index.isin(keys), "fixed_assets"] = True
    return suppliers.rename(columns={"aux": "supplier"})[
        ["supplier", "supplier_label", "fixed_assets"]
    ]


def propose(
    ledger: FecLedger,
    rules: Mapping[str, AccountRule],
    start: date,
    end: date,
    existing_activities: Iterable[str] = (),
) -> FecProposal:
    """The spend lines of the entries dated from ``start`` to ``end`` (both included)."""
    entries = ledger.entries
    dated = entries[
        (entries["date"] >= pd.Timestamp(start)) & (entries["date"] <= pd.Timestamp(end))
    ]
    suppliers = _suppliers(dated)
    charges = dated[dated["account"].str[:2].isin(PURCHASE_CLASSES)]
    other_charges = dated[dated["account"].str[:2].isin(["63", "64", "65", "66", "67", "68", "69"])]
    assets = dated[dated["account"].str.startswith("2")]
    if not assets.empty:
        joined = assets.join(suppliers, on=["journal", "num"])
        assets = assets[joined["fixed_assets"].fillna(False).astype(bool).to_numpy()]
    read = pd.concat([charges, other_charges, assets])
    read = read.assign(account=read["account"].map(book_account))
    proposal = FecProposal(entries_read=len(read))
    with_supplier = read.join(suppliers[["supplier", "supplier_label"]], on=["journal", "num"])
    with_supplier[["supplier", "supplier_label"]] = with_supplier[
        ["supplier", "supplier_label"]
    ].fillna("")
    labels = read.drop_duplicates("account").set_index("account")["account_label"]
    existing = tuple(existing_activities)
    by_account = read.groupby("account", sort=True)["amount"].sum()
    rules_of = {account: rule_for(account, rules) for account in by_account.index}
    for account, amount in by_account.items():
        rule = rules_of[account]
        total = AccountTotal(
            str(account), str(labels.get(account, "")), round(float(amount), 2), rule
        )
        if rule is None:
            proposal.unmapped.append(total)
        elif rule.treatment in ("excluded", "not_purchase"):
            proposal.excluded.append(total)
        elif rule.treatment == "physical":
            proposal.physical.append(total)
    spend_accounts = [a for a, r in rules_of.items() if r is not None and r.treatment == "spend"]
    spend = with_supplier[with_supplier["account"].isin(spend_accounts)]
    grouped = spend.groupby(["account", "supplier", "supplier_label"], sort=True)["amount"].sum()
    for key, amount in grouped.items():
        account, supplier, supplier_label = (str(part) for part in cast(tuple[str, ...], key))
        rule = rules_of[account]
        assert rule is not None
        line = SpendLine(
            str(account), str(labels.get(account, "")), str(supplier), str(supplier_label),
            round(float(amount), 2), rule,
        )  # fmt: skip
        if line.amount_eur <= 0:
            proposal.credits.append(
                AccountTotal(
                    line.account,
                    line.account_label,
                    line.amount_eur,
                    rule,
                    reason=supplier_label or supplier,
                )
            )
            continue
        clash = _overlap(rule, existing)
        if clash:
            proposal.overlapping.append((line, clash))
        else:
            proposal.lines.append(line)
    return proposal


def _overlap(rule: AccountRule, existing: tuple[str, ...]) -> str:
    """The first physical activity of the period that measures the rule's need, if any."""
    for activity in existing:
        for pattern in rule.overlaps:
            if activity == pattern or (pattern.endswith("-") and activity.startswith(pattern)):
                return activity
    return ""


def activity_rows(proposal: FecProposal, ledger: FecLedger) -> list[dict[str, Any]]:
    """The proposal's lines as activity-line values (``carbon.db.activity_lines.add_lines``)."""
    tag = f"FEC {ledger.digest[:12]}"
    rows: list[dict[str, Any]] = []
    for line in proposal.lines:
        supplier = line.supplier_label or line.supplier
        rows.append(
            {
                "poste": line.rule.poste,
                "factor_id": line.rule.factor_id,
                "quantity": line.quantity_keur,
                "unit": "k€",
                "data_quality": "estimated",
                "comment": f"{line.account} {line.account_label}"
                + (f" — {supplier}" if supplier else ""),
                "evidence_ref": f"{tag} {line.account}/{line.supplier}"[:500],
            }
        )
    return rows
