"""Sub-posts carry the kind that routes them (upstream, manufacture, end of life…).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06

Until now a sub-post was "combustion" or "other", and every "other" part of an energy line went
to poste 4.1: a car factor's "Fabrication" landed in purchases instead of immobilisations (4.2).
The kind now names the part of the life cycle (docs/methodology.md §3). Stored sub-posts are
reclassified from their names with the same words as carbon.accounting.subposts, written out here
because a migration is frozen and imports nothing from carbon.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("combustion", "other")
NEW = ("combustion", "upstream", "manufacture", "end_of_life", "other")

# First match wins, as in carbon.accounting.subposts._RULES (names folded to lower case; the
# accented spellings are listed as ADEME writes them).
RULES = (
    ("upstream", ("amont", "extraction", "raffinage", "transport et distribution",
                  "distribution", "pertes", "fuites", "upstream")),
    ("end_of_life", ("fin de vie", "end of life")),
    ("manufacture", ("fabrication", "construction", "infrastructure", "immobilisation",
                     "manufactur")),
    ("combustion", ("combustion",)),
)  # fmt: skip


def _check(values: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _set_kinds(kinds: Sequence[str]) -> None:
    with op.batch_alter_table("factor_subpost") as batch:
        batch.drop_constraint(op.f("ck_factor_subpost_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_factor_subpost_kind"), _check(kinds))


def upgrade() -> None:
    _set_kinds(NEW)
    table = sa.table("factor_subpost", sa.column("id"), sa.column("name"), sa.column("kind"))
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c.id, table.c.name)).all()
    by_kind: dict[str, list[int]] = {}
    for row_id, name in rows:
        folded = (name or "").lower()
        kind = next((k for k, words in RULES if any(w in folded for w in words)), "other")
        by_kind.setdefault(kind, []).append(row_id)
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            bind.execute(table.update().where(table.c.id.in_(chunk)).values(kind=kind))


def downgrade() -> None:
    table = sa.table("factor_subpost", sa.column("kind"))
    op.execute(table.update().where(table.c.kind != "combustion").values(kind="other"))
    _set_kinds(OLD)
