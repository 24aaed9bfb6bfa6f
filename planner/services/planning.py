"""Planning cover: solve a plan, keep it as a plan run, read runs back as an actor may see
them, and confirm a run so its bookings become the pins every later plan keeps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from planner.accounts import audit
from planner.accounts import logins as accounts
from planner.accounts.access import MANAGER, Actor, operator_scope, require_role, scope_plan
from planner.data import storage
from planner.data.db import Engine, Session, session_scope, snapshot_scope
from planner.data.models import PlanRun
from planner.data.plan_files import read_plan_assignments
from planner.data.problems import DatasetError
from planner.domain.calendar import Horizon
from planner.domain.defaults import DEFAULT_CALENDAR, DEFAULT_MAX_TZ_GAP, PLAN_TIME_LIMIT
from planner.domain.production_calendar import CALENDARS, calendar_for
from planner.domain.records import Dataset, Pin
from planner.planning.pipeline import make_plan
from planner.planning.plan import Assignment, Plan
from planner.rota.records import Reservation
from planner.services._common import engine_or_default, no_plan_run, refused
from planner.solver import SolveConfig
from planner.solver.model import ProgressCallback, default_workers

__all__ = [
    "baseline_of",
    "confirm_plan_run",
    "confirmed_weeks",
    "latest_plan",
    "make_horizon",
    "plan_cover",
    "plan_runs",
    "read_baseline",
    "record_plan",
    "release_pins",
    "stored_plan",
    "without_pins",
]


def make_horizon(
    start: date,
    weeks: int,
    dataset: Dataset | None = None,
    calendar: str = DEFAULT_CALENDAR,
    reservations: tuple[Reservation, ...] = (),
) -> Horizon:
    """The planning grid on `calendar` with the dataset's `calendar.csv` and an on-call
    rota's cover reservations, or a `DatasetError` a user can read."""
    if calendar not in CALENDARS:
        raise refused("--calendar", f"{calendar!r} is not a calendar: use {' or '.join(CALENDARS)}")
    working_days = calendar_for(calendar, dataset.calendar if dataset is not None else ())
    try:
        reserved = tuple((r.specialist_id, r.week, r.units) for r in reservations)
        return Horizon(start, weeks, working_days, reserved)
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
    reservations: tuple[Reservation, ...] = (),
    baseline: tuple[Pin, ...] = (),
) -> Plan:
    """Plan cover; `secondary=False` stops after the cover stage (no handover or cost work).
    `reservations` (an on-call rota's) come off the specialists' weekly capacity;
    `baseline` (an earlier plan's bookings, `baseline_of`/`read_baseline`) is kept
    wherever cover does not gain by moving it."""
    require_role(actor, MANAGER)
    config = SolveConfig(
        time_limit=time_limit, workers=workers or default_workers(), secondary=secondary
    )
    return make_plan(
        dataset,
        make_horizon(start, weeks, dataset, calendar, reservations),
        max_tz_gap=max_tz_gap,
        config=config,
        progress=progress,
        baseline=baseline,
    )


def baseline_of(plan: Plan) -> tuple[Pin, ...]:
    """A plan's bookings as the baseline of a re-plan."""
    return _as_baseline(plan.assignments)


def _as_baseline(bookings: Iterable[Assignment]) -> tuple[Pin, ...]:
    return tuple(Pin(a.specialist_id, a.demand_id, a.week, a.units) for a in bookings)


def read_baseline(folder: Path | str) -> tuple[Pin, ...]:
    """The bookings of a plan folder's `plan.csv` (`--baseline DIR`), or a `DatasetError`
    naming the file, row and column of every bad cell."""
    rows, problems = read_plan_assignments(folder)
    if problems:
        raise DatasetError(problems)
    return _as_baseline(rows)


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


def confirm_plan_run(
    *,
    actor: Actor,
    run_id: int,
    first_week: date | None = None,
    last_week: date | None = None,
    engine: Engine | None = None,
) -> int:
    """Confirm weeks `first_week` to `last_week` (Mondays, both kept in; the run's whole
    horizon when not given) of a run: its bookings in those weeks become the pins every
    later plan keeps. Returns how many.

    The pins of the chosen weeks are replaced by the run's, and the pins of every other
    week stay, so a manager can promise the next four weeks without freezing the rest.
    A confirmed run is a promise to clients and its row stays as it is. Further weeks of
    the same run may be confirmed later, but a week the run has confirmed once is refused
    a second time, even after a release: a newer run promises it again. The trail keeps
    each confirmation with its weeks and the pins it replaced.
    """
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        run = storage.plan_run(session=session, run_id=run_id)
        if run is None:
            raise no_plan_run(run_id)
        weeks = _weeks_of_run(run, first_week, last_week)
        again = [w for w in _confirmed_weeks(session, run) if weeks[0] <= w[1] and w[0] <= weeks[1]]
        if again:
            raise refused(
                "plan run",
                f"plan run {run_id} is already confirmed for weeks "
                + ", ".join(_weeks_text(w) for w in again)
                + f" (by {run.confirmed_by or 'an earlier release'})",
            )
        plan = storage.read_plan_run(session=session, run_id=run_id)
        assert plan is not None
        replaced = storage.confirm_plan_run(
            session=session,
            run=run,
            plan=plan,
            weeks=weeks,
            confirmed_by=actor.username,
            confirmed_at=accounts.now_utc(),
        )
        pinned = [a for a in plan.assignments if weeks[0] <= a.week <= weeks[1]]
        audit.record(
            session=session,
            actor=actor,
            action="confirm",
            entity="plan_run",
            entity_id=str(run_id),
            before={"weeks": list(weeks), "pinned": replaced},
            after={"weeks": list(weeks), "pinned": pinned},
        )
        return len(pinned)


def confirmed_weeks(
    *, actor: Actor, run_id: int, engine: Engine | None = None
) -> list[tuple[date, date]]:
    """The week ranges (first and last Monday) run `run_id` has confirmed, earliest first:
    the ones a further confirmation of it may not choose again."""
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        run = storage.plan_run(session=session, run_id=run_id)
        if run is None:
            raise no_plan_run(run_id)
        return sorted(_confirmed_weeks(session, run))


def release_pins(
    *,
    actor: Actor,
    first_week: date | None = None,
    last_week: date | None = None,
    engine: Engine | None = None,
) -> int:
    """Release the confirmed bookings of weeks `first_week` to `last_week` (Mondays, both
    kept in; every week when neither is given): later plans may move them again. Returns
    how many. The trail keeps the released pins, so a release can be read back and undone
    by hand; confirmed runs themselves stay as they are."""
    require_role(actor, MANAGER)
    weeks = None
    if first_week is not None or last_week is not None:
        weeks = (first_week or date.min, last_week or date.max)
        if weeks[0] > weeks[1]:
            raise refused("weeks", f"the first week {weeks[0]} is after the last {weeks[1]}")
    with session_scope(engine_or_default(engine)) as session:
        released = storage.release_pins(session=session, weeks=weeks)
        if not released:
            where = "at all" if weeks is None else f"in weeks {_weeks_text(weeks)}"
            raise refused("weeks", f"there are no confirmed bookings {where}")
        audit.record(
            session=session,
            actor=actor,
            action="release",
            entity="pinned",
            before={"weeks": None if weeks is None else list(weeks), "pinned": released},
            after={"pinned": []},
        )
        return len(released)


def without_pins(dataset: Dataset) -> Dataset:
    """`dataset` as the CSV files give it when nothing is confirmed: no pinned bookings, so a
    what-if plans every week freely (and matches the CLI on the same files)."""
    return replace(dataset, pinned=())


def _weeks_of_run(run: PlanRun, first: date | None, last: date | None) -> tuple[date, date]:
    """The chosen weeks of `run` as (first, last) Mondays, or a refusal a user can read."""
    mondays = [run.start + timedelta(weeks=k) for k in range(run.weeks)]
    first, last = first or mondays[0], last or mondays[-1]
    for option, week in (("first week", first), ("last week", last)):
        if week not in mondays:
            raise refused(
                option,
                f"{week} is not a week of plan run {run.id} "
                f"(Mondays {mondays[0]} to {mondays[-1]})",
            )
    if first > last:
        raise refused("weeks", f"the first week {first} is after the last {last}")
    return first, last


def _confirmed_weeks(session: Session, run: PlanRun) -> list[tuple[date, date]]:
    """The weeks `run` has confirmed, from the trail; a confirmation from before weeks
    could be chosen covered the whole run."""
    whole = (run.start, run.start + timedelta(weeks=run.weeks - 1))
    entries = audit.entries(
        session=session, action="confirm", entity="plan_run", entity_id=str(run.id)
    )
    weeks = [
        (date.fromisoformat(e.after["weeks"][0]), date.fromisoformat(e.after["weeks"][1]))
        if isinstance(e.after, dict) and e.after.get("weeks")
        else whole
        for e in entries
    ]
    return weeks or ([whole] if run.confirmed else [])


def _weeks_text(weeks: tuple[date, date]) -> str:
    first, last = weeks
    return str(first) if first == last else f"{first} to {last}"
