"""Backups are private, and a restore that cannot land says so in one sentence.

Backups were written mode 0644 though they hold password hashes; a restore that met rows it
could not insert printed the database's 187-line IntegrityError.
"""

from __future__ import annotations

import gzip
import io
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from carbon.config import Settings
from carbon.db.backup import BackupError, dump, dump_to_path, restore
from carbon.db.migrate import upgrade
from carbon.db.models import User
from carbon.db.session import make_engine, make_sessionmaker
from tests import factories as f


def database(path: Path, with_user: bool) -> Engine:
    settings = Settings(env="test", database_url=f"sqlite:///{path}")
    upgrade(settings)
    engine = make_engine(settings)
    if with_user:
        with make_sessionmaker(engine)() as session:
            f.make_user(session, email="owner@example.org")
            session.commit()
    return engine


def test_a_backup_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    engine = database(tmp_path / "a.db", with_user=True)
    target = tmp_path / "backup.jsonl.gz"
    target.write_bytes(b"")
    target.chmod(0o644)  # an older backup in its place keeps no wider mode
    dump_to_path(engine, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_restore_into_a_non_empty_database_is_refused_in_one_sentence(tmp_path: Path) -> None:
    engine = database(tmp_path / "a.db", with_user=True)
    out = io.BytesIO()
    dump(engine, out)
    with pytest.raises(BackupError) as refused:
        restore(engine, io.BytesIO(out.getvalue()))
    assert "\n" not in str(refused.value) and "not empty" in str(refused.value)


def test_rows_that_do_not_fit_are_refused_in_one_sentence_and_nothing_lands(
    tmp_path: Path,
) -> None:
    source = database(tmp_path / "a.db", with_user=True)
    out = io.BytesIO()
    dump(source, out)
    # The same user twice: the second insert breaks the unique e-mail address.
    lines = gzip.decompress(out.getvalue()).decode().splitlines()
    user_line = next(line for line in lines if json.loads(line).get("t") == "user_account")
    doubled = json.loads(user_line)
    doubled["r"]["id"] = 99
    data = gzip.compress(("\n".join([*lines, json.dumps(doubled)]) + "\n").encode())
    empty = database(tmp_path / "b.db", with_user=False)
    with pytest.raises(BackupError) as refused:
        restore(empty, io.BytesIO(data))
    assert "\n" not in str(refused.value) and "nothing was restored" in str(refused.value)
    with empty.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(User)) == 0
