"""The database keeps a dataset and plan runs exactly, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date

import pytest

from planner import services
from planner.accounts.access import Actor
from planner.data import storage
from planner.data.db import session_scope
from planner.data.problems import DatasetError
from planner.data.validate import load_dataset
from tests.builders import REPO_ROOT
from tests.data.test_dataset import GOOD, write_files

DEMO = REPO_ROOT / "data" / "demo"

MANAGER = Actor(username="test-manager", role="manager")


def test_demo_dataset_round_trips_through_the_database(engine, tmp_path):
    original = load_dataset(DEMO)
    services.import_dataset(actor=MANAGER, source=DEMO, engine=engine)
    assert services.stored_dataset(actor=MANAGER, engine=engine) == original
    services.export_dataset(actor=MANAGER, folder=tmp_path / "out", engine=engine)
    assert load_dataset(tmp_path / "out") == original


def test_export_writes_the_same_bytes_as_a_canonical_dataset(engine, tmp_path):
    source = write_files(tmp_path / "ds", GOOD)
    services.import_dataset(actor=MANAGER, source=source, engine=engine)
    first = services.export_dataset(actor=MANAGER, folder=tmp_path / "one", engine=engine)
    services.import_dataset(actor=MANAGER, source=tmp_path / "one", engine=engine)
    second = services.export_dataset(actor=MANAGER, folder=tmp_path / "two", engine=engine)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_confirmed_duty_comes_back_as_utc_moments(engine, tmp_path):
    """`rota_pinned` keeps its hours on both databases: PostgreSQL answers in its session's
    zone and SQLite in none, and both read back as the UTC moments imported."""
    dataset = services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "ds", GOOD), engine=engine
    )
    (pin,) = services.stored_dataset(actor=MANAGER, engine=engine).rota_pinned
    assert pin == dataset.rota_pinned[0]
    assert (pin.start.tzinfo, pin.end.tzinfo) == (UTC, UTC)
    assert (pin.start.hour, pin.end.hour) == (18, 2)


def test_import_with_any_error_changes_nothing(engine, tmp_path):
    services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "good", GOOD), engine=engine
    )
    before = services.stored_dataset(actor=MANAGER, engine=engine)
    files = dict(GOOD)
    files["requests.csv"] = GOOD["requests.csv"] + "RQ2,OP1,finance,2027-02-01,2027-01-01,1,,,\n"
    with pytest.raises(DatasetError) as error:
        services.import_dataset(
            actor=MANAGER, source=write_files(tmp_path / "bad", files), engine=engine
        )
    assert "requests.csv:3: column end" in str(error.value)
    assert services.stored_dataset(actor=MANAGER, engine=engine) == before


def test_a_failure_while_writing_rolls_the_whole_import_back(engine, tmp_path, monkeypatch):
    services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "good", GOOD), engine=engine
    )
    before = services.stored_dataset(actor=MANAGER, engine=engine)
    demo = load_dataset(DEMO)
    broken = replace(demo, history=(*demo.history, None))  # fails on the last table
    with pytest.raises(TypeError), session_scope(engine) as session:
        storage.replace_dataset(session=session, dataset=broken)
    assert services.stored_dataset(actor=MANAGER, engine=engine) == before


def test_plan_runs_are_kept_with_their_rows(engine):
    dataset = services.import_dataset(actor=MANAGER, source=DEMO, engine=engine)
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=date(2027, 6, 7), weeks=4, time_limit=20
    )
    run_id = services.record_plan(actor=MANAGER, plan=plan, time_limit=20, engine=engine)
    stored = services.stored_plan(actor=MANAGER, run_id=run_id, engine=engine)
    assert stored.assignments == plan.assignments
    assert stored.uncovered == plan.uncovered
    assert stored.summary == plan.summary
    (run,) = services.plan_runs(actor=MANAGER, engine=engine)
    assert (run.status, run.weeks, run.confirmed) == (plan.status, 4, False)


def test_confirming_a_run_pins_its_bookings_for_the_next_plan(engine):
    dataset = services.import_dataset(actor=MANAGER, source=DEMO, engine=engine)
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=date(2027, 6, 7), weeks=3, time_limit=20
    )
    run_id = services.record_plan(actor=MANAGER, plan=plan, time_limit=20, engine=engine)
    assert services.confirm_plan_run(actor=MANAGER, run_id=run_id, engine=engine) == len(
        plan.assignments
    )
    pinned = services.stored_dataset(actor=MANAGER, engine=engine).pinned
    assert {(p.specialist_id, p.demand_id, p.week, p.units) for p in pinned} == {
        (a.specialist_id, a.demand_id, a.week, a.units) for a in plan.assignments
    }
    again = services.plan_cover(
        actor=MANAGER,
        dataset=services.stored_dataset(actor=MANAGER, engine=engine),
        start=date(2027, 6, 7),
        weeks=3,
        time_limit=20,
    )
    assert again.summary["dropped_pins"] == []
    kept = {(a.specialist_id, a.demand_id, a.week): a.units for a in again.assignments}
    assert all(kept[(p.specialist_id, p.demand_id, p.week)] == p.units for p in pinned)


def test_filed_request_enters_the_next_plan(engine):
    dataset = services.import_dataset(actor=MANAGER, source=DEMO, engine=engine)
    request = services.new_request(
        dataset=dataset,
        operator_id="OP0003",
        role="finance",
        start=date(2027, 6, 8),
        end=date(2027, 6, 18),
        fte=0.5,
    )
    request_id = services.file_request(actor=MANAGER, request=request, engine=engine)
    stored = services.stored_dataset(actor=MANAGER, engine=engine)
    assert request_id not in {r.request_id for r in dataset.requests}
    assert request_id in {r.request_id for r in stored.requests}
    plan = services.plan_cover(
        actor=MANAGER, dataset=stored, start=date(2027, 6, 7), weeks=2, time_limit=20
    )
    demand_ids = {a.demand_id for a in plan.assignments} | {u.demand_id for u in plan.uncovered}
    assert f"req:{request_id}" in demand_ids
