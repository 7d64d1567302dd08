"""a38 without its defensive copies, while carbon builds an invoice from a freshly parsed tree.

a38 (the FatturaPA parser) copies a sub-model every time one is assigned to a field
(``Model.clean_value`` "always make[s] a copy ... to prevent mutability issues"), and its
constructor assigns each field twice, so a model at depth *d* of the invoice is rebuilt about
2^d times while it is read: 95 % of the time of reading 1,000 invoices went there (cProfile,
docs/performance.md). Inside :func:`no_copies` a model that is already of the field's class is
kept as it is rather than copied: the tree a38 returns is the same (equal field by field, tested
on the samples and on the benchmark's 1,000 invoices), built 6 times faster. The tree is new,
read once and dropped by :mod:`carbon.imports.fatturapa`, so no one else holds a reference that
a copy would protect. Outside the block (another caller of a38, another thread or task) a38
copies as it always did: the switch is a context variable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from a38 import models

_NO_COPY: ContextVar[bool] = ContextVar("a38_no_copy", default=False)
_copying_clean_value = models.Model.clean_value.__func__


def _clean_value(cls: type[models.Model], value: Any) -> Any:
    if type(value) is cls and _NO_COPY.get():
        return value
    return _copying_clean_value(cls, value)


if getattr(models.Model.clean_value, "__func__", None) is _copying_clean_value:
    models.Model.clean_value = classmethod(_clean_value)


@contextmanager
def no_copies() -> Iterator[None]:
    """Within the block, a38 keeps sub-models it is given instead of copying them."""
    token = _NO_COPY.set(True)
    try:
        yield
    finally:
        _NO_COPY.reset(token)
