"""One way to apply a checked change: write, commit, or roll back and say why.

Every route that changes data did the same dance (validate, write, roll back on a refusal,
commit otherwise); :func:`apply` is that dance, so a refusal can never leave half a change in
the session for a later commit to store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from carbon.inputs.messages import InputError

T = TypeVar("T")


def apply(session: Session, change: Callable[[], T]) -> T:
    """Run ``change`` and commit; on :class:`InputError` roll back and raise it again."""
    try:
        result = change()
    except InputError:
        session.rollback()
        raise
    session.commit()
    return result
