"""A rule set as CSV, in the columns of the shipped ``emission_factors/pcg_rules.csv``.

``carbon rules export`` writes a cohort's or a company's rules in that format and ``carbon rules
import`` reads them back: every row is checked by the same model as the rules page's form
(:class:`carbon.inputs.mapping_rule.MappingRuleIn`), and every refusal names its line and
column, all of them at once, so that nothing is stored from a partly bad file. A label that
starts like a formula (``=``, ``+``, ``-``, ``@``) is written with a leading ``'``, as every
export of carbon does (carbon.reports.spreadsheet), and read back without it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from carbon.i18n import use_locale
from carbon.imports.fec_mapping import TRANSLATED
from carbon.inputs.mapping_rule import CSV_COLUMNS, MappingRuleIn
from carbon.inputs.messages import InputError, message
from carbon.inputs.validate import validated

# The file's column -> the model's field (the shipped file calls the label ``label_en``).
FIELD_OF: Final = {"label_en": "label"}
COLUMN_OF: Final = {"label": "label_en"}
MAX_ROWS: Final = 5000
TEXTS: Final = ("label", "physical_hint", "note")
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _restore(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


@dataclass(frozen=True)
class RuleIssue:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def read_rule_csv(
    text: str, context: Mapping[str, Any]
) -> tuple[dict[str, MappingRuleIn], list[RuleIssue]]:
    """Prefix -> rule of every good row, and every problem (English, for the CLI); a file with
    problems must not be stored. ``context`` is :func:`carbon.db.mapping_rules.rule_context`."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    issues = [
        RuleIssue(1, name, "this column is not expected")
        for name in header
        if name not in CSV_COLUMNS and name not in TRANSLATED
    ]
    issues += [
        RuleIssue(1, name, "this column is missing")
        for name in ("prefix", "treatment")
        if name not in header
    ]
    if issues:
        return {}, issues
    rules: dict[str, MappingRuleIn] = {}
    first_line: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            issues.append(RuleIssue(number, "", f"at most {MAX_ROWS} rules in a file"))
            break
        if None in row:
            issues.append(RuleIssue(number, "", "more fields than the header has columns"))
            continue
        values = {FIELD_OF.get(k.strip(), k.strip()): (v or "") for k, v in row.items()}
        # A copy of the shipped file: a coach's rule has one label and one hint, in their words;
        # the shipped translations fill them only where the file leaves them blank.
        for key in TRANSLATED:
            text, name = values.pop(key, "").strip(), key.rsplit("_", 1)[0]
            if text and not values.get(name, "").strip():
                values[name] = text
        for name in TEXTS:
            values[name] = _restore(values.get(name, "").strip())
        try:
            with use_locale("en"):
                rule = validated(MappingRuleIn, values, context)
        except InputError as exc:
            issues += [
                RuleIssue(number, COLUMN_OF.get(name, name), text)
                for name, text in exc.errors.items()
            ]
            continue
        if rule.prefix in rules:
            with use_locale("en"):
                said = message("prefix_taken", "prefix", {"value": rule.prefix})
            issues.append(RuleIssue(number, "prefix", f"{said} (line {first_line[rule.prefix]})"))
            continue
        rules[rule.prefix] = rule
        first_line[rule.prefix] = number
    return rules, issues


def write_rule_csv(rows: Iterable[Any]) -> str:
    """CSV text of rules (objects with the model's attribute names: stored rules or models)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = [str(getattr(row, FIELD_OF.get(c, c)) or "") for c in CSV_COLUMNS]
        writer.writerow([_neutralise(v) for v in values])
    return buffer.getvalue()
