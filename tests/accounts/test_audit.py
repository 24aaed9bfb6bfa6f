"""The audit trail: every kind of change is on record with who, when, before and after;
a confirmed plan run stays as it is."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from planner import services
from planner.accounts.access import Actor
from planner.data.db import session_scope
from planner.data.models import PlanAssignmentRow, PlanRun
from planner.data.storage import ConfirmedRunChanged
from tests.data.test_dataset import GOOD, write_files

ADMIN = Actor(username="root", role="admin")
MANAGER = Actor(username="boss", role="manager")
OP1 = Actor(username="op1", role="operator", operator_id="OP1")
START = date(2027, 1, 4)


def test_every_kind_of_change_is_on_record(engine, tmp_path):
    dataset = services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "ds", GOOD), engine=engine
    )
    renamed = replace(
        dataset, staff=(replace(dataset.staff[0], name="Новая Фамилия"), *dataset.staff[1:])
    )
    services.save_dataset(actor=MANAGER, dataset=renamed, engine=engine)
    plan = services.plan_cover(
        actor=MANAGER, dataset=renamed, start=START, weeks=4, time_limit=10, secondary=False
    )
    run_id = services.record_plan(actor=MANAGER, plan=plan, time_limit=10, engine=engine)
    services.confirm_plan_run(actor=MANAGER, run_id=run_id, engine=engine)
    request = services.new_request(
        dataset=renamed,
        operator_id="OP1",
        role="technical",
        start=date(2027, 2, 1),
        end=date(2027, 2, 5),
        fte=0.5,
    )
    request_id = services.file_request(actor=OP1, request=request, engine=engine)
    services.add_user(
        actor=ADMIN,
        username="op1",
        password="long enough",
        role="operator",
        operator_id="OP1",
        engine=engine,
    )
    services.login(username="op1", password="long enough", engine=engine)
    with pytest.raises(services.LoginFailed):
        services.login(username="op1", password="wrong guess", engine=engine)
    services.disable_user(actor=ADMIN, username="op1", engine=engine)

    trail = services.audit_trail(actor=MANAGER, engine=engine)
    kinds = [(e.action, e.username) for e in reversed(trail)]
    assert kinds == [
        ("import", "boss"),
        *[("edit", "boss")] * 10,  # one entry per table imported
        ("import", "boss"),
        ("edit", "boss"),
        ("plan", "boss"),
        ("confirm", "boss"),
        ("file request", "op1"),
        ("user add", "root"),
        ("login", "op1"),
        ("login failed", "op1"),
        ("user disable", "root"),
    ]
    edit = next(e for e in trail if e.action == "edit")
    assert (edit.entity, edit.operator_id) == ("staff", "OP1")
    assert edit.before[0]["name"] == "Иванова Анна"
    assert edit.after[0]["name"] == "Новая Фамилия"
    filed = next(e for e in trail if e.action == "file request")
    assert (filed.entity_id, filed.operator_id) == (request_id, "OP1")
    assert filed.after["start"] == "2027-02-01"
    confirm = next(e for e in trail if e.action == "confirm")
    assert confirm.entity_id == str(run_id)
    assert len(confirm.after["pinned"]) == len(plan.assignments)
    assert all(e.at is not None for e in trail)

    by_operator = services.audit_trail(actor=MANAGER, operator_id="OP1", engine=engine)
    assert {e.operator_id for e in by_operator} == {"OP1"}
    assert {e.action for e in by_operator} >= {"edit", "file request", "user add"}
    by_user = services.audit_trail(actor=MANAGER, username="root", engine=engine)
    assert [e.action for e in by_user] == ["user disable", "user add"]
    today = date.today()
    assert len(services.audit_trail(actor=MANAGER, since=today, until=today, engine=engine)) == len(
        trail
    )
    assert services.audit_trail(actor=MANAGER, until=today - timedelta(days=1), engine=engine) == []


def test_a_change_that_fails_leaves_no_record(engine, tmp_path):
    files = dict(GOOD)
    files["staff.csv"] = GOOD["staff.csv"] + "S9,OP1,finance,-1,,,\n"
    with pytest.raises(services.DatasetError):
        services.import_dataset(
            actor=MANAGER, source=write_files(tmp_path / "bad", files), engine=engine
        )
    assert services.audit_trail(actor=MANAGER, engine=engine) == []


def test_a_confirmed_plan_run_stays_as_it_is(engine, tmp_path):
    dataset = services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "ds", GOOD), engine=engine
    )
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=START, weeks=3, time_limit=10, secondary=False
    )
    first = services.record_plan(actor=MANAGER, plan=plan, time_limit=10, engine=engine)
    second = services.record_plan(actor=MANAGER, plan=plan, time_limit=10, engine=engine)
    services.confirm_plan_run(actor=MANAGER, run_id=first, engine=engine)
    with pytest.raises(services.DatasetError, match="already confirmed"):
        services.confirm_plan_run(actor=MANAGER, run_id=first, engine=engine)
    services.confirm_plan_run(actor=MANAGER, run_id=second, engine=engine)
    runs = {r.id: r for r in services.plan_runs(actor=MANAGER, engine=engine)}
    assert runs[first].confirmed  # history is not rewritten
    assert runs[second].confirmed
    assert (runs[first].confirmed_by, runs[first].created_by) == ("boss", "boss")
    assert services.stored_plan(actor=MANAGER, run_id=first, engine=engine) == plan


def test_a_confirmed_run_cannot_be_changed_below_the_services(engine, tmp_path):
    dataset = services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "ds", GOOD), engine=engine
    )
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=START, weeks=2, time_limit=10, secondary=False
    )
    run_id = services.record_plan(actor=MANAGER, plan=plan, time_limit=10, engine=engine)
    with session_scope(engine) as session:  # not yet confirmed: a note may still change
        session.get(PlanRun, run_id).note = "checked"
    services.confirm_plan_run(actor=MANAGER, run_id=run_id, engine=engine)
    with pytest.raises(ConfirmedRunChanged), session_scope(engine) as session:
        session.get(PlanRun, run_id).note = "rewritten"
    with session_scope(engine) as session:
        row_id = session.exec(
            select(PlanAssignmentRow.id).where(PlanAssignmentRow.run_id == run_id)
        ).first()
    with pytest.raises(ConfirmedRunChanged), session_scope(engine) as session:
        session.get(PlanAssignmentRow, row_id).units = 99
    with pytest.raises(ConfirmedRunChanged), session_scope(engine) as session:
        session.delete(session.get(PlanRun, run_id))
    assert services.stored_plan(actor=MANAGER, run_id=run_id, engine=engine) == plan
