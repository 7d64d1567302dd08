"""The FEC and FatturaPA readers' messages, in the reader's language.

The readers (:mod:`carbon.imports.fec`, :mod:`carbon.imports.fatturapa`) word their problems in
English, which the CLI prints as they are. The web import shows them in French or Italian: each
known message is matched here whole and re-worded with the same values; a message not listed
(a new check, or a parser's own detail) is shown in English rather than lost.
"""

from __future__ import annotations

import re
from typing import Final

from carbon.i18n import N_
from carbon.i18n import gettext as _

# (the reader's English message as a pattern, its translatable template with the same values)
PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.DOTALL), template)
    for pattern, template in (
        (r"empty, but the FEC requires it", N_("empty, but the FEC requires it")),
        (r"expected D or C", N_("expected D or C")),
        (r"the file has a header but no entries", N_("the file has a header but no entries")),
        (r"the file is empty", N_("the file is empty")),
        (r"the file is larger than a FEC can be", N_("the file is larger than a FEC can be")),
        (
            r"the header is separated neither by tabs nor by '\|', as the FEC must be",
            N_("the header is separated neither by tabs nor by '|', as the FEC must be"),
        ),
        (r"this is not a text file", N_("this is not a text file")),
        (r"'(?P<name>.*)': the closing date is not a date",
         N_("'%(name)s': the closing date in the file name is not a date")),
        (r"'(?P<value>.*)' is not a date written AAAAMMJJ",
         N_("'%(value)s' is not a date written YYYYMMDD")),
        (r"'(?P<value>.*)' is not an amount \(decimal comma, no thousands separator\)",
         N_("'%(value)s' is not an amount (decimal comma, no thousands separator)")),
        (r"'(?P<value>.*)' is larger than a ledger line can be \(a thousand billion euros\)",
         N_("'%(value)s' is larger than a ledger line can be (a thousand billion euros)")),
        (r"(?P<line>.*): (?P<quantity>\S+) (?P<unit>\S+) is beyond what a line can hold "
         r"\(at most (?P<max>\S+)\)",
         N_("%(line)s: %(quantity)s %(unit)s is beyond what a line can hold (at most %(max)s)")),
        (r"entry (?P<num>.*) of journal (?P<journal>.*) is not balanced: debits exceed "
         r"credits by (?P<amount>-?[0-9.]+)",
         N_("entry %(num)s of journal %(journal)s is not balanced: debits exceed credits by "
            "%(amount)s")),
        (r"expected '(?P<want>.*)', found '(?P<got>.*)'",
         N_("expected '%(want)s', found '%(got)s'")),
        (r"the file name '(?P<name>.*)' is not <SIREN>FEC<AAAAMMJJ>\.txt as the law names it",
         N_("the file name '%(name)s' is not <SIREN>FEC<YYYYMMDD>.txt as the law names it")),
        (r"this line does not have the (?P<n>\d+) fields of the header",
         N_("this line does not have the %(n)s fields of the header")),
        (r"(?P<n>\d+) columns where the FEC has (?P<m>\d+)",
         N_("%(n)s columns where the FEC has %(m)s")),
        (r"the file is named for SIREN (?P<file>\S+), the company's is (?P<company>.*)",
         N_("the file is named for SIREN %(file)s, the company's is %(company)s")),
        (r"(?P<line>.*): (?P<detail>.*) \(the rule's factor is not usable with this period's "
         r"factor library: map it to a factor of that library\)",
         N_("%(line)s: %(detail)s (the rule's factor is not in this year's factor library: map "
            "the account to a factor of that library)")),
        (r"(?P<file>.+?): a signed \.p7m envelope; .*",
         N_("%(file)s: a signed .p7m envelope; extract the XML invoice from it first (your "
            "invoicing software or the Agenzia delle Entrate portal can download it)")),
        (r"(?P<file>.+?): larger than (?P<mb>\d+) MB",
         N_("%(file)s: larger than %(mb)s MB")),
        (r"(?P<file>.+?): larger than an invoice can be",
         N_("%(file)s: larger than an invoice can be")),
        (r"(?P<file>.+?): more than (?P<n>\d+) files in the archive",
         N_("%(file)s: more than %(n)s files in the archive")),
        (r"(?P<file>.+?): not a FatturaPA 1\.2 invoice \((?P<detail>.*)\)",
         N_("%(file)s: not a FatturaPA 1.2 invoice (%(detail)s)")),
        (r"(?P<file>.+?): not a FatturaPA invoice \(root element (?P<root>.*)\)",
         N_("%(file)s: not a FatturaPA invoice (root element %(root)s)")),
        (r"(?P<file>.+?): not a readable XML invoice \((?P<detail>.*)\)",
         N_("%(file)s: not a readable XML invoice (%(detail)s)")),
        (r"(?P<file>.+?): not a readable zip archive",
         N_("%(file)s: not a readable zip archive")),
        (r"(?P<file>.+?): the archive expands too much to be a set of invoices",
         N_("%(file)s: the archive expands too much to be a set of invoices")),
    )
)  # fmt: skip
_COLUMN: Final = re.compile(r"column (?P<n>\d+)")


def reader_text(message: str) -> str:
    """``message`` of a reader in the reader's language, starting with a capital letter."""
    for pattern, template in PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            text = _(template) % match.groupdict()
            if template.startswith("%(file)s"):  # a file's name is shown as it is written
                return text
            break
    else:
        text = message
    return text[:1].upper() + text[1:]


def column_text(column: str | None) -> str:
    """A FEC column as the file names it (``Debit``), or its position (``column 5``)."""
    if not column:
        return ""
    match = _COLUMN.fullmatch(column)
    return _("column %(n)s") % match.groupdict() if match else column
