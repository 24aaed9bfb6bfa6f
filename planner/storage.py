"""Copy a `Dataset` into the database and back, and keep plan runs.

Functions take the session as a keyword so the caller decides the transaction:
an import replaces every dataset table inside one transaction, so a failure
leaves the previous data untouched.
"""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import delete
from sqlmodel import Session, select

from planner.dataset import SPECS, Dataset, format_cell, parse_roles, parse_skills
from planner.models import (
    DATASET_TABLES,
    PlanAssignmentRow,
    PlanRun,
    PlanUncoveredRow,
)
from planner.plan import Assignment, Plan, Uncovered

_LIST_PARSERS = {"skills": parse_skills, "roles": parse_roles}


def replace_dataset(*, session: Session, dataset: Dataset) -> None:
    """Replace all dataset tables with `dataset`, rows in file order."""
    for name in reversed(list(DATASET_TABLES)):
        session.exec(delete(DATASET_TABLES[name]))
    for name, table in DATASET_TABLES.items():
        for record in getattr(dataset, name):
            values = {f.name: getattr(record, f.name) for f in fields(record)}
            for key in _LIST_PARSERS:
                if key in values:
                    values[key] = format_cell(values[key])
            session.add(table(**values))
    session.flush()


def read_dataset(*, session: Session) -> Dataset:
    """The dataset stored in the database, in the order it was imported."""
    tables = {}
    for name, table in DATASET_TABLES.items():
        spec = SPECS[name]
        records = []
        for row in session.exec(select(table).order_by(table.id)):
            values = {c.name: getattr(row, c.name) for c in spec.columns}
            for key, parse in _LIST_PARSERS.items():
                if key in values:
                    values[key] = parse(values[key]) if values[key] else ()
            records.append(spec.record(**values))
        tables[name] = tuple(records)
    return Dataset(**tables)


def has_dataset(*, session: Session) -> bool:
    return session.exec(select(DATASET_TABLES["operators"]).limit(1)).first() is not None


def save_plan_run(*, session: Session, plan: Plan, time_limit: float,
                  note: str | None = None) -> PlanRun:
    summary = plan.summary
    run = PlanRun(
        start=plan.start, weeks=plan.weeks, max_tz_gap=plan.max_tz_gap, time_limit=time_limit,
        status=plan.status,
        covered_units=sum(summary["covered_units"].values()),
        demand_units=sum(summary["demand_units"].values()),
        handovers=summary["handovers"], cost=summary["cost"],
        solve_seconds=summary["solve_seconds"], note=note, summary=summary,
    )
    session.add(run)
    session.flush()
    for a in plan.assignments:
        session.add(PlanAssignmentRow(run_id=run.id, demand_id=a.demand_id,
                                      operator_id=a.operator_id, role=a.role, week=a.week,
                                      specialist_id=a.specialist_id, units=a.units))
    for u in plan.uncovered:
        session.add(PlanUncoveredRow(run_id=run.id, demand_id=u.demand_id,
                                     operator_id=u.operator_id, role=u.role, week=u.week,
                                     priority=u.priority, units=u.units, reason=u.reason))
    session.flush()
    return run


def list_plan_runs(*, session: Session) -> list[PlanRun]:
    return list(session.exec(select(PlanRun).order_by(PlanRun.id.desc())))


def read_plan_run(*, session: Session, run_id: int) -> Plan | None:
    run = session.get(PlanRun, run_id)
    if run is None:
        return None
    assignments = tuple(
        Assignment(r.demand_id, r.operator_id, r.role, r.week, r.specialist_id, r.units)
        for r in session.exec(select(PlanAssignmentRow)
                              .where(PlanAssignmentRow.run_id == run_id)
                              .order_by(PlanAssignmentRow.id)))
    uncovered = tuple(
        Uncovered(r.demand_id, r.operator_id, r.role, r.week, r.priority, r.units, r.reason)
        for r in session.exec(select(PlanUncoveredRow)
                              .where(PlanUncoveredRow.run_id == run_id)
                              .order_by(PlanUncoveredRow.id)))
    return Plan(run.start, run.weeks, run.max_tz_gap, assignments, uncovered, dict(run.summary))
