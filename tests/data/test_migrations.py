"""Schema migrations: a database of the release before keeps every row, and the newest
revision is exactly the schema `planner.models` declares (a forgotten migration fails)."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, func, select, text
from sqlmodel import SQLModel

from planner.data import storage
from planner.data.db import current_revision, head_revision, session_scope, upgrade
from planner.data.validate import load_dataset
from planner.data.write import format_cell
from tests.builders import REPO_ROOT

DEMO = REPO_ROOT / "data" / "demo"


def test_the_newest_revision_is_the_schema_of_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    assert current_revision(engine) == head_revision()


def test_a_database_of_the_release_before_upgrades_keeping_every_row(empty_engine):
    """Release 0.1 made its tables with `create_all` and recorded no revision."""
    upgrade(empty_engine, "0001")
    with empty_engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    dataset = load_dataset(DEMO)
    old = MetaData()
    old.reflect(empty_engine)
    # What release 0.1 could hold of the demo: its tables, and in them its columns; the
    # columns added since read back as their defaults after the upgrade.
    held = {
        name: tuple(
            replace(
                record,
                **{f.name: f.default for f in fields(record) if f.name not in old.tables[name].c},
            )
            for record in getattr(dataset, name)
        )
        for name in (
            "operators",
            "requirements",
            "staff",
            "absences",
            "specialists",
            "specialist_absences",
            "requests",
            "history",
            "pinned",
        )
    }
    with empty_engine.begin() as connection:
        for name, records in held.items():
            rows = [
                {
                    f.name: (format_cell(v) if isinstance(v, tuple) else v)
                    for f in fields(record)
                    if f.name in old.tables[name].c
                    and ((v := getattr(record, f.name)) is not None or True)
                }
                for record in records
            ]
            if rows:
                connection.execute(old.tables[name].insert(), rows)
        connection.execute(
            old.tables["plan_runs"].insert(),
            [
                {
                    "id": 1,
                    "created_at": datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
                    "start": date(2027, 1, 4),
                    "weeks": 2,
                    "max_tz_gap": 4.0,
                    "time_limit": 5.0,
                    "status": "OPTIMAL",
                    "covered_units": 3,
                    "demand_units": 5,
                    "handovers": 1,
                    "cost": 12.5,
                    "solve_seconds": 0.1,
                    "confirmed": True,
                    "note": "before migrations",
                    "summary": {"status": "OPTIMAL"},
                }
            ],
        )
        connection.execute(
            old.tables["plan_assignments"].insert(),
            [
                {
                    "run_id": 1,
                    "demand_id": "gap:OP0001:finance",
                    "operator_id": "OP0001",
                    "role": "finance",
                    "week": date(2027, 1, 4),
                    "specialist_id": "SP001",
                    "units": 3,
                }
            ],
        )

    upgrade(empty_engine)

    assert current_revision(empty_engine) == head_revision()
    with session_scope(empty_engine) as session:
        assert storage.read_dataset(session=session) == replace(dataset, calendar=(), **held)
        (run,) = storage.list_plan_runs(session=session)
        assert (run.note, run.confirmed, run.cost) == ("before migrations", True, 12.5)
        plan = storage.read_plan_run(session=session, run_id=run.id)
        assert [a.specialist_id for a in plan.assignments] == ["SP001"]
    with empty_engine.connect() as connection:
        versions = connection.execute(text("SELECT DISTINCT version FROM staff")).all()
        assert versions == [(1,)]
        assert (
            connection.execute(
                select(func.count()).select_from(MetaData().tables.get("users") or text("users"))
            ).scalar()
            == 0
        )


def test_a_new_revision_is_written_from_the_models(monkeypatch, tmp_path):
    """`planner db revision` autogenerates the next migration; with no model change it is
    empty. (Written into a copy of the migrations, never into the package.)"""
    import shutil

    from planner.data import db

    copy = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(db, "MIGRATIONS", copy)
    before = head_revision()
    path = db.new_revision("nothing yet")
    assert path.parent == copy / "versions"
    assert path.name.startswith(f"{int(before) + 1:04d}_nothing_yet")
    text = path.read_text()
    assert f"down_revision = {before!r}" in text
    assert "op." not in text  # the models and the newest revision agree
    assert head_revision() == f"{int(before) + 1:04d}"
