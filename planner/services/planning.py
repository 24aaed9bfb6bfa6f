"""Planning cover: solve a plan, keep it as a plan run, read runs back as an actor may see
them, and confirm a run so its bookings become the pins every later plan keeps."""

from __future__ import annotations

from datetime import date

from planner.accounts import audit
from planner.accounts import logins as accounts
from planner.accounts.access import MANAGER, Actor, operator_scope, require_role, scope_plan
from planner.accounts.audit import jsonable
from planner.data import storage
from planner.data.db import Engine, session_scope, snapshot_scope
from planner.data.models import PlanRun
from planner.domain.calendar import Horizon
from planner.domain.defaults import DEFAULT_CALENDAR, DEFAULT_MAX_TZ_GAP, PLAN_TIME_LIMIT
from planner.domain.production_calendar import CALENDARS, calendar_for
from planner.domain.records import Dataset
from planner.planning.pipeline import make_plan
from planner.planning.plan import Plan
from planner.services._common import engine_or_default, no_plan_run, refused
from planner.solver import SolveConfig
from planner.solver.model import ProgressCallback, default_workers

__all__ = [
    "confirm_plan_run",
    "latest_plan",
    "make_horizon",
    "plan_cover",
    "plan_runs",
    "record_plan",
    "stored_plan",
]


def make_horizon(
    start: date, weeks: int, dataset: Dataset | None = None, calendar: str = DEFAULT_CALENDAR
) -> Horizon:
    """The planning grid on `calendar` with the dataset's `calendar.csv`, or a `DatasetError`
    a user can read."""
    if calendar not in CALENDARS:
        raise refused("--calendar", f"{calendar!r} is not a calendar: use {' or '.join(CALENDARS)}")
    working_days = calendar_for(calendar, dataset.calendar if dataset is not None else ())
    try:
        return Horizon(start, weeks, working_days)
    except ValueError as error:
        raise refused("--start" if start.weekday() else "--weeks", str(error)) from None


def plan_cover(
    *,
    actor: Actor,
    dataset: Dataset,
    start: date,
    weeks: int,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    time_limit: float = PLAN_TIME_LIMIT,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    secondary: bool = True,
    calendar: str = DEFAULT_CALENDAR,
) -> Plan:
    """Plan cover; `secondary=False` stops after the cover stage (no handover or cost work)."""
    require_role(actor, MANAGER)
    config = SolveConfig(
        time_limit=time_limit, workers=workers or default_workers(), secondary=secondary
    )
    return make_plan(
        dataset,
        make_horizon(start, weeks, dataset, calendar),
        max_tz_gap=max_tz_gap,
        config=config,
        progress=progress,
    )


def record_plan(
    *,
    actor: Actor,
    plan: Plan,
    time_limit: float,
    engine: Engine | None = None,
    note: str | None = None,
) -> int:
    """Keep a plan run in the database; returns its id."""
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        run = storage.save_plan_run(
            session=session, plan=plan, time_limit=time_limit, note=note, created_by=actor.username
        )
        assert run.id is not None
        audit.record(
            session=session,
            actor=actor,
            action="plan",
            entity="plan_run",
            entity_id=str(run.id),
            after={
                "start": plan.start,
                "weeks": plan.weeks,
                "status": plan.status,
                "covered_units": run.covered_units,
                "demand_units": run.demand_units,
                "assignments": len(plan.assignments),
                "note": note,
            },
        )
        return run.id


def plan_runs(*, actor: Actor, engine: Engine | None = None) -> list[PlanRun]:
    """Every plan run, newest first: the vendor's figures, so for managers only."""
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        runs = storage.list_plan_runs(session=session)
        session.expunge_all()
        return runs


def stored_plan(*, actor: Actor, run_id: int, engine: Engine | None = None) -> Plan | None:
    """A plan run as `actor` may see it (an operator user: its own cover only)."""
    with snapshot_scope(engine_or_default(engine)) as session:
        plan = storage.read_plan_run(session=session, run_id=run_id)
        if plan is None or operator_scope(actor) is None:
            return plan
        dataset = storage.read_dataset(session=session)
    return scope_plan(plan, actor, dataset)


def latest_plan(*, actor: Actor, engine: Engine | None = None) -> tuple[int, Plan] | None:
    """The newest plan run and its plan as `actor` may see it, or None before the first."""
    with session_scope(engine_or_default(engine)) as session:
        newest = storage.newest_plan_run_id(session=session)
    if newest is None:
        return None
    plan = stored_plan(actor=actor, run_id=newest, engine=engine)
    assert plan is not None
    return newest, plan


def confirm_plan_run(*, actor: Actor, run_id: int, engine: Engine | None = None) -> int:
    """Confirm a run: its bookings become the pins every later plan keeps. Returns their count.

    A confirmed run is a promise to clients and stays as it is: confirming it again
    is refused. Confirming a newer run replaces the pins, and the trail keeps both.
    """
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        run = storage.plan_run(session=session, run_id=run_id)
        if run is None:
            raise no_plan_run(run_id)
        if run.confirmed:
            raise refused(
                "plan run",
                f"plan run {run_id} is already confirmed "
                f"(by {run.confirmed_by or 'an earlier release'})",
            )
        plan = storage.read_plan_run(session=session, run_id=run_id)
        assert plan is not None
        before = [jsonable(p) for p in storage.read_dataset(session=session).pinned]
        storage.confirm_plan_run(
            session=session,
            run=run,
            plan=plan,
            confirmed_by=actor.username,
            confirmed_at=accounts.now_utc(),
        )
        audit.record(
            session=session,
            actor=actor,
            action="confirm",
            entity="plan_run",
            entity_id=str(run_id),
            before={"pinned": before},
            after={"pinned": [jsonable(a) for a in plan.assignments]},
        )
        return len(plan.assignments)
