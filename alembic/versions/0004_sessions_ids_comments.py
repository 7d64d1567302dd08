"""Revocable sessions, line ids never reused, comments that outlive their line.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

- ``user_account.session_generation``: a signed session cookie carries the generation it was
  issued at; signing out, a password change and an administrator's "sign out everywhere" bump it,
  so every older cookie stops working at its next request.
- ``activity_line`` becomes AUTOINCREMENT on SQLite: without it SQLite hands a deleted line's id
  to the next line, and the audit log (keyed by id) mixed the two lines' histories. PostgreSQL
  sequences never reuse an id.
- ``period_comment.line_id`` is set to NULL when its line is deleted (it cascaded), and
  ``line_ref`` keeps the id the comment was about: the conversation and the audit trail of a
  deleted line stay readable.

Frozen like every migration: it imports nothing from carbon.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "sqlite":
        # The table is rebuilt with AUTOINCREMENT; its rows keep their ids, and the
        # sqlite_sequence row starts from the largest id ever seen in it.
        with op.batch_alter_table(
            "activity_line", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
    with op.batch_alter_table("period_comment") as batch:
        batch.add_column(sa.Column("line_ref", sa.Integer(), nullable=True))
        batch.drop_constraint("fk_period_comment_line_id_activity_line", type_="foreignkey")
        batch.create_foreign_key(
            "fk_period_comment_line_id_activity_line",
            "activity_line",
            ["line_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute("UPDATE period_comment SET line_ref = line_id WHERE line_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("period_comment") as batch:
        batch.drop_constraint("fk_period_comment_line_id_activity_line", type_="foreignkey")
        batch.create_foreign_key(
            "fk_period_comment_line_id_activity_line",
            "activity_line",
            ["line_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.drop_column("line_ref")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_generation")
