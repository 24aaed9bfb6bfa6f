"""Confirming chosen weeks of a plan run and releasing pins: which bookings end up pinned,
what the trail keeps, and who may do it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner import services
from planner.accounts.access import Actor
from tests.data.test_dataset import GOOD, write_files

MANAGER = Actor(username="boss", role="manager")
OP1 = Actor(username="op1", role="operator", operator_id="OP1")
START = date(2027, 3, 15)  # the dataset pins SP2 in this week; S1 has left, so finance is short


def week(n: int) -> date:
    """The Monday of the run's week `n`, counted from 1."""
    return START + timedelta(weeks=n - 1)


def keys(bookings) -> set[tuple]:
    return {(b.specialist_id, b.demand_id, b.week, b.units) for b in bookings}


@pytest.fixture
def run(engine, tmp_path):
    """A six-week run recorded on the stored data, and its plan."""
    dataset = services.import_dataset(
        actor=MANAGER, source=write_files(tmp_path / "ds", GOOD), engine=engine
    )
    plan = services.plan_cover(
        actor=MANAGER, dataset=dataset, start=START, weeks=6, time_limit=10, secondary=False
    )
    run_id = services.record_plan(actor=MANAGER, plan=plan, time_limit=10, engine=engine)
    return run_id, plan


def pinned(engine):
    return services.stored_dataset(actor=MANAGER, engine=engine).pinned


def test_confirming_weeks_pins_only_their_bookings_and_keeps_other_pins(engine, run):
    run_id, plan = run
    earlier = pinned(engine)
    assert {p.week for p in earlier} == {week(1)}
    count = services.confirm_plan_run(
        actor=MANAGER, run_id=run_id, first_week=week(2), last_week=week(5), engine=engine
    )
    chosen = [a for a in plan.assignments if week(2) <= a.week <= week(5)]
    assert count == len(chosen) > 0
    assert keys(pinned(engine)) == keys(earlier) | keys(chosen)

    (entry,) = services.audit_trail(actor=MANAGER, action="confirm", engine=engine)
    assert entry.entity_id == str(run_id)
    assert entry.after["weeks"] == [week(2).isoformat(), week(5).isoformat()]
    assert len(entry.after["pinned"]) == count


def test_a_second_range_of_the_same_run_keeps_the_first_and_a_week_is_confirmed_once(engine, run):
    run_id, plan = run
    earlier = pinned(engine)
    services.confirm_plan_run(
        actor=MANAGER, run_id=run_id, first_week=week(2), last_week=week(3), engine=engine
    )
    services.confirm_plan_run(
        actor=MANAGER, run_id=run_id, first_week=week(4), last_week=week(6), engine=engine
    )
    later = keys(a for a in plan.assignments if a.week >= week(2))
    assert keys(pinned(engine)) == keys(earlier) | later
    assert services.confirmed_weeks(actor=MANAGER, run_id=run_id, engine=engine) == [
        (week(2), week(3)),
        (week(4), week(6)),
    ]
    with pytest.raises(services.DatasetError, match="already confirmed for weeks 2027-04-05"):
        services.confirm_plan_run(
            actor=MANAGER, run_id=run_id, first_week=week(1), last_week=week(4), engine=engine
        )
    with pytest.raises(services.DatasetError, match="not a week of plan run"):
        services.confirm_plan_run(
            actor=MANAGER, run_id=run_id, first_week=date(2027, 3, 16), engine=engine
        )


def test_releasing_weeks_removes_their_pins_and_the_trail_lists_them(engine, run):
    run_id, _ = run
    services.confirm_plan_run(
        actor=MANAGER, run_id=run_id, first_week=week(2), last_week=week(5), engine=engine
    )
    before = pinned(engine)
    released = services.release_pins(
        actor=MANAGER, first_week=week(2), last_week=week(3), engine=engine
    )
    gone = [p for p in before if week(2) <= p.week <= week(3)]
    assert released == len(gone) > 0
    assert keys(pinned(engine)) == keys(before) - keys(gone)

    (entry,) = services.audit_trail(actor=MANAGER, action="release", engine=engine)
    assert entry.before["weeks"] == [week(2).isoformat(), week(3).isoformat()]
    assert {
        (p["specialist_id"], p["demand_id"], p["week"], p["units"]) for p in entry.before["pinned"]
    } == {(s, d, w.isoformat(), u) for s, d, w, u in keys(gone)}
    with pytest.raises(services.DatasetError, match="no confirmed bookings in weeks"):
        services.release_pins(actor=MANAGER, first_week=week(2), last_week=week(3), engine=engine)

    assert services.release_pins(actor=MANAGER, engine=engine) == len(before) - len(gone)
    assert pinned(engine) == ()


def test_only_managers_release_pins(engine, run):
    with pytest.raises(services.AccessDenied):
        services.release_pins(actor=OP1, engine=engine)
    assert len(pinned(engine)) == 1
