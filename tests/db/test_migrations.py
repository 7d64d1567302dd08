"""The migrations are the schema: they reach head, match the models exactly, and go back down."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import CheckConstraint, Engine, inspect, select
from sqlalchemy.orm import Session

from carbon.config import PROJECT_ROOT, Settings
from carbon.db import migrate
from carbon.db.models import Action, Base, MappingRule, ReportingPeriod, Target
from carbon.db.session import make_engine
from tests import factories as f


def _head() -> str | None:
    return ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def test_the_session_database_is_at_head(database_url: str) -> None:
    assert migrate.current(database_url) == _head()


def test_there_is_a_single_head() -> None:
    assert len(ScriptDirectory.from_config(migrate.alembic_config()).get_heads()) == 1


def test_models_and_migrations_agree(engine: Engine) -> None:
    # What `alembic check` does: autogenerate against the migrated database finds nothing.
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": connection.dialect.name == "sqlite"},
        )
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []


def test_check_constraints_match_the_models(engine: Engine) -> None:
    # Autogenerate does not compare CHECK constraints, and the migration spells out the
    # vocabularies the models build from enums: compare names and every quoted literal.
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        reflected = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)}
        declared = {
            str(c.name): str(c.sqltext) for c in table.constraints if isinstance(c, CheckConstraint)
        }
        assert set(reflected) == set(declared), table.name
        for name, sqltext in declared.items():
            literals = set(re.findall(r"'([^']*)'", sqltext))
            assert literals == set(re.findall(r"'([^']*)'", reflected[name])), name


def test_every_table_of_the_models_exists(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_base_and_up_again(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    migrate.downgrade(empty_database_url, "base")

    engine = make_engine(Settings(database_url=empty_database_url))
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    assert migrate.current(empty_database_url) is None

    migrate.upgrade(empty_database_url)
    assert migrate.current(empty_database_url) == _head()


def test_the_alembic_command_line_takes_a_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    subprocess.run(
        [sys.executable, "-m", "alembic", "-x", f"url={url}", "upgrade", "head"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    assert migrate.current(url) == _head()


def test_0002_fills_the_line_counts_of_existing_periods(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    engine = make_engine(Settings(database_url=empty_database_url))
    try:
        with Session(engine) as session:
            period = f.make_period(session)
            empty = f.make_period(session, company=period.company, year=2025)
            for _ in range(3):
                f.make_line(session, period)
            session.commit()
            ids = (period.id, empty.id)
        migrate.downgrade(empty_database_url, "0001")  # a database from before the columns
        migrate.upgrade(empty_database_url)
        with Session(engine) as session:
            p = ReportingPeriod
            found = session.execute(select(p.id, p.line_count).where(p.id.in_(ids))).all()
            rows = {r[0]: r[1] for r in found}
            changed = session.scalar(select(p.lines_changed_at).where(p.id == ids[0]))
        assert rows == {ids[0]: 3, ids[1]: 0}
        assert changed is not None
    finally:
        engine.dispose()


def test_0003_starts_existing_actions_and_targets_at_version_1(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    engine = make_engine(Settings(database_url=empty_database_url))
    try:
        with Session(engine) as session:
            action = f.make_action(session, f.make_company(session), title="Relamping")
            target = f.make_target(session, reduction_pct=42.0)
            session.commit()
            ids = (action.id, target.id)
        migrate.downgrade(empty_database_url, "0002")  # a database from before the columns
        migrate.upgrade(empty_database_url)
        with Session(engine) as session:
            found = session.get(Action, ids[0])
            assert found is not None and (found.title, found.version_id) == ("Relamping", 1)
            kept = session.get(Target, ids[1])
            assert kept is not None and (kept.reduction_pct, kept.version_id) == (42.0, 1)
            found.title = "Relamping (LED)"
            kept.reduction_pct = 50.0
            session.commit()
            assert (found.version_id, kept.version_id) == (2, 2)  # the mapper counts from there
    finally:
        engine.dispose()


def test_sqlite_migrations_run_without_foreign_key_cascades(tmp_path: Path) -> None:
    # Altering a SQLite table copies and drops it; with foreign keys on, the drop would delete
    # every child row by cascade. The migration runs with them off, and they are back on after.
    url = f"sqlite:///{tmp_path / 'fk.db'}"
    seen: list[int] = []

    def probe(config: Any) -> None:
        seen.append(config.attributes["connection"].exec_driver_sql("PRAGMA foreign_keys").scalar())

    migrate._run(url, probe)
    assert seen == [0]
    engine = make_engine(Settings(database_url=url))
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_0007_reclassifies_stored_sub_posts_by_their_names(empty_database_url: str) -> None:
    # A library stored before 0007 has "combustion" and "other"; after it, "Amont" is upstream
    # (4.1), "Fabrication" manufacture (4.2), "Fin de vie" end of life (4.3).
    migrate.upgrade(empty_database_url, "0003")
    engine = make_engine(Settings(database_url=empty_database_url))
    names = {1: ("Combustion", "combustion"), 2: ("Amont", "other"), 3: ("Fabrication", "other")}
    names[4] = ("Fin de vie", "other")
    names[5] = ("Divers", "other")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO library_version (id, label, source, content_digest, factor_count,"
                " imported_at, is_default)"
                " VALUES (1, 'old', 'ademe', 'x', 1, CURRENT_TIMESTAMP, false)"
            )
            connection.exec_driver_sql(
                "INSERT INTO factor (id, library_version_id, factor_id, total_kgco2e,"
                " uncertainty_is_default, checked, estimate) VALUES (1, 1, 'car', 0.2, false,"
                " true, false)"
            )
            for pk, (name, kind) in names.items():
                connection.exec_driver_sql(
                    "INSERT INTO factor_subpost (id, factor_pk, name, kind, kgco2e)"
                    f" VALUES ({pk}, 1, '{name}', '{kind}', 0.01)"
                )
        migrate.upgrade(empty_database_url)
        with engine.connect() as connection:
            kinds = dict(connection.exec_driver_sql("SELECT name, kind FROM factor_subpost").all())
        assert kinds == {
            "Combustion": "combustion",
            "Amont": "upstream",
            "Fabrication": "manufacture",
            "Fin de vie": "end_of_life",
            "Divers": "other",
        }
    finally:
        engine.dispose()


def test_0009_adds_the_mapping_rules_and_takes_them_away(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    engine = make_engine(Settings(database_url=empty_database_url))
    try:
        with Session(engine) as session:
            cohort = f.make_cohort(session)
            rule = MappingRule(cohort_id=cohort.id, prefix="601", treatment="spend", poste="4.1",
                               factor_id="bundled:money-metal-products")  # fmt: skip
            session.add(rule)
            session.commit()
            cohort_id = cohort.id
        # One step below 0009 ("0009-1", not a name: the chain before 0009 changes at merges).
        migrate.downgrade(empty_database_url, "0009-1")
        assert "mapping_rule" not in inspect(engine).get_table_names()
        assert inspect(engine).get_table_names()  # only this table went
        migrate.upgrade(empty_database_url)
        with Session(engine) as session:
            assert session.scalars(select(MappingRule)).all() == []
            session.add(MappingRule(cohort_id=cohort_id, prefix="601", treatment="excluded"))
            session.commit()  # the table is back, constraints and all
    finally:
        engine.dispose()


def test_0010_adds_the_gas_breakdown_and_takes_it_away(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    engine = make_engine(Settings(database_url=empty_database_url))
    try:
        assert "factor_gas" in inspect(engine).get_table_names()
        migrate.downgrade(empty_database_url, "0010-1")
        tables = inspect(engine).get_table_names()
        assert "factor_gas" not in tables and "factor" in tables
        migrate.upgrade(empty_database_url)
        assert "factor_gas" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
