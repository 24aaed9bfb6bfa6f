"""Copy a `Dataset` into the database and back, keep plan runs and rota runs (and confirm
them), file requests, and list and disable user accounts: the statements the services run.

Functions take the session as a keyword so the caller decides the transaction:
an import replaces every dataset table inside one transaction, so a failure
leaves the previous data untouched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, func, inspect
from sqlmodel import Session, col, select

from planner.data.models import (
    DATASET_TABLES,
    OperatorRow,
    PinRow,
    PlanAssignmentRow,
    PlanRun,
    PlanUncoveredRow,
    RequestRow,
    RotaGapRow,
    RotaPinRow,
    RotaReservationRow,
    RotaRun,
    RotaShiftRow,
    UserRow,
)
from planner.data.schema import SPECS, parse_roles, parse_skills
from planner.data.write import format_cell
from planner.domain.production_calendar import FEDERAL, WEEKDAYS, WorkingCalendar, calendar_for
from planner.domain.records import Dataset, Pin, Request, RotaPin
from planner.planning.plan import Assignment, Plan, Uncovered
from planner.rota.records import Reservation, Rota, RotaParams, Shift, SlaGap

_LIST_PARSERS = {"skills": parse_skills, "incident_skills": parse_skills, "roles": parse_roles}


class ConfirmedRunChanged(Exception):
    """A confirmed plan or rota run is a promise to clients: it is never changed or deleted."""


_RUN_OF_ROW: dict[type, type] = {
    PlanAssignmentRow: PlanRun,
    PlanUncoveredRow: PlanRun,
    RotaShiftRow: RotaRun,
    RotaGapRow: RotaRun,
    RotaReservationRow: RotaRun,
}
_RUN_NAMES: dict[type, str] = {PlanRun: "plan run", RotaRun: "rota run"}


@event.listens_for(Session, "before_flush")
def _confirmed_runs_stay_as_they_are(session, _context, _instances) -> None:
    """Refuse, below every service, to flush a change to a run (of the plan or of the rota)
    that was confirmed before this transaction, or to its rows."""
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, PlanRun | RotaRun):
            confirmed = inspect(row).attrs.confirmed.history
            was_confirmed = (confirmed.deleted or confirmed.unchanged or [False])[0]
            if was_confirmed and (row in session.deleted or session.is_modified(row)):
                raise ConfirmedRunChanged(
                    f"{_RUN_NAMES[type(row)]} {row.id} is confirmed and cannot change"
                )
        elif type(row) in _RUN_OF_ROW:
            kind = _RUN_OF_ROW[type(row)]
            run = session.get(kind, row.run_id)
            if run is not None and run.confirmed:
                raise ConfirmedRunChanged(
                    f"{_RUN_NAMES[kind]} {row.run_id} is confirmed and cannot change"
                )


def replace_dataset(*, session: Session, dataset: Dataset) -> None:
    """Replace all dataset tables with `dataset`, rows in file order."""
    for name in reversed(list(DATASET_TABLES)):
        session.exec(delete(DATASET_TABLES[name]))
    for name, table in DATASET_TABLES.items():
        for record in getattr(dataset, name):
            session.add(table(**record_values(record)))
    session.flush()


def read_dataset(*, session: Session) -> Dataset:
    """The dataset stored in the database, in the order it was imported."""
    return Dataset(
        **{name: read_dataset_table(session=session, table=name) for name in DATASET_TABLES}
    )


def has_dataset(*, session: Session) -> bool:
    return session.exec(select(DATASET_TABLES["operators"]).limit(1)).first() is not None


def save_plan_run(
    *,
    session: Session,
    plan: Plan,
    time_limit: float,
    note: str | None = None,
    created_by: str | None = None,
) -> PlanRun:
    summary = plan.summary
    run = PlanRun(
        start=plan.start,
        weeks=plan.weeks,
        max_tz_gap=plan.max_tz_gap,
        time_limit=time_limit,
        status=plan.status,
        covered_units=sum(summary["covered_units"].values()),
        demand_units=sum(summary["demand_units"].values()),
        handovers=summary["handovers"],
        cost=summary["cost"],
        solve_seconds=summary["solve_seconds"],
        note=note,
        summary=summary,
        created_by=created_by,
    )
    session.add(run)
    session.flush()
    assert run.id is not None  # the flush gave it one
    for a in plan.assignments:
        session.add(
            PlanAssignmentRow(
                run_id=run.id,
                demand_id=a.demand_id,
                operator_id=a.operator_id,
                role=a.role,
                week=a.week,
                specialist_id=a.specialist_id,
                units=a.units,
            )
        )
    for u in plan.uncovered:
        session.add(
            PlanUncoveredRow(
                run_id=run.id,
                demand_id=u.demand_id,
                operator_id=u.operator_id,
                role=u.role,
                week=u.week,
                priority=u.priority,
                units=u.units,
                reason=u.reason,
            )
        )
    session.flush()
    return run


def list_plan_runs(*, session: Session) -> list[PlanRun]:
    return list(session.exec(select(PlanRun).order_by(col(PlanRun.id).desc())))


def read_plan_run(*, session: Session, run_id: int) -> Plan | None:
    run = session.get(PlanRun, run_id)
    if run is None:
        return None
    assignments = tuple(
        Assignment(r.demand_id, r.operator_id, r.role, r.week, r.specialist_id, r.units)
        for r in session.exec(
            select(PlanAssignmentRow)
            .where(PlanAssignmentRow.run_id == run_id)
            .order_by(col(PlanAssignmentRow.id))
        )
    )
    uncovered = tuple(
        Uncovered(r.demand_id, r.operator_id, r.role, r.week, r.priority, r.units, r.reason)
        for r in session.exec(
            select(PlanUncoveredRow)
            .where(PlanUncoveredRow.run_id == run_id)
            .order_by(col(PlanUncoveredRow.id))
        )
    )
    summary = dict(run.summary)
    return Plan(
        run.start,
        run.weeks,
        run.max_tz_gap,
        assignments,
        uncovered,
        summary,
        _plan_calendar(session=session, summary=summary),
        tuple(
            (r["specialist_id"], date.fromisoformat(r["week"]), int(r["units"]))
            for r in summary.get("rota_reservations", [])
        ),
    )


def _plan_calendar(*, session: Session, summary: dict) -> WorkingCalendar:
    """The working days a stored run was planned on: its calendar's name (runs from before
    calendars were Monday to Friday) with today's `calendar.csv` rows."""
    name = (summary.get("calendar") or {}).get("name", WEEKDAYS)
    if name != FEDERAL:
        return calendar_for(name)
    rows = read_dataset_table(session=session, table="calendar")
    return calendar_for(name, rows)


def read_dataset_table(*, session: Session, table: str) -> tuple[Any, ...]:
    """One dataset table as its records, in file order."""
    return tuple(row_record(table, row) for row in dataset_rows(session=session, table=table))


def newest_plan_run_id(*, session: Session) -> int | None:
    return session.exec(select(func.max(PlanRun.id))).one()


def plan_run(*, session: Session, run_id: int) -> PlanRun | None:
    """A plan run's own row (its figures and whether it is confirmed), without its plan."""
    return session.get(PlanRun, run_id)


def confirm_plan_run(
    *,
    session: Session,
    run: PlanRun,
    plan: Plan,
    weeks: tuple[date, date],
    confirmed_by: str,
    confirmed_at: datetime,
) -> list[Pin]:
    """Make `plan`'s (the run's) bookings of `weeks` (first and last Monday) the pins of
    those weeks and mark the run confirmed, in the caller's transaction: from the next
    flush on, the run can no longer change. The first confirmation names the run's
    confirmer; a later one of further weeks leaves the run's row as it is. Returns the
    pins it replaced."""
    replaced = pin_plan(session=session, plan=plan, weeks=weeks)
    if not run.confirmed:
        run.confirmed = True
        run.confirmed_at = confirmed_at
        run.confirmed_by = confirmed_by
        session.add(run)
    return replaced


def pin_plan(*, session: Session, plan: Plan, weeks: tuple[date, date] | None = None) -> list[Pin]:
    """Make `plan`'s bookings in `weeks` (first and last Monday; all its weeks when None)
    the pins of those weeks, keeping the pins of other weeks. Returns the pins replaced."""
    first, last = weeks or (plan.start, plan.start + timedelta(weeks=plan.weeks - 1))
    replaced = release_pins(session=session, weeks=(first, last))
    for a in plan.assignments:
        if first <= a.week <= last:
            session.add(
                PinRow(
                    specialist_id=a.specialist_id, demand_id=a.demand_id, week=a.week, units=a.units
                )
            )
    session.flush()
    return replaced


def release_pins(*, session: Session, weeks: tuple[date, date] | None = None) -> list[Pin]:
    """Remove the pins of `weeks` (first and last Monday, both kept in; every pin when
    None) and return them, in file order."""
    query = select(PinRow).order_by(col(PinRow.id))
    if weeks is not None:
        query = query.where(col(PinRow.week) >= weeks[0], col(PinRow.week) <= weeks[1])
    rows = list(session.exec(query))
    released = [Pin(r.specialist_id, r.demand_id, r.week, r.units) for r in rows]
    for row in rows:
        session.delete(row)
    session.flush()
    return released


# --------------------------------------------------------------------------- rota runs


def save_rota_run(
    *, session: Session, rota: Rota, created_by: str | None = None, note: str | None = None
) -> RotaRun:
    """Keep a rota as a run: its figures, its summary (the parameters it was made with
    included, so that it reads back whole) and its shifts, gaps and reservations."""
    summary = {**rota.summary, "params": rota.params.as_dict()}
    run = RotaRun(
        created_by=created_by,
        start=rota.params.start,
        weeks=rota.params.weeks,
        status=rota.status,
        promised_hours=summary["promised_hours"],
        covered_hours=summary["covered_hours"],
        note=note,
        summary=summary,
    )
    session.add(run)
    session.flush()
    assert run.id is not None  # the flush gave it one
    for shift in rota.shifts:
        session.add(
            RotaShiftRow(
                run_id=run.id,
                specialist_id=shift.specialist_id,
                start=_utc(shift.start),
                end=_utc(shift.end),
                at_work_hours=shift.at_work_hours,
                off_work_hours=shift.off_work_hours,
            )
        )
    for gap in rota.gaps:
        session.add(
            RotaGapRow(
                run_id=run.id,
                operator_id=gap.operator_id,
                start=_utc(gap.start),
                end=_utc(gap.end),
                reason=gap.reason,
            )
        )
    for reservation in rota.reservations:
        session.add(
            RotaReservationRow(
                run_id=run.id,
                specialist_id=reservation.specialist_id,
                week=reservation.week,
                units=reservation.units,
            )
        )
    session.flush()
    return run


def list_rota_runs(*, session: Session) -> list[RotaRun]:
    """Every rota run, newest first."""
    return list(session.exec(select(RotaRun).order_by(col(RotaRun.id).desc())))


def rota_run(*, session: Session, run_id: int) -> RotaRun | None:
    """A rota run's own row (its figures and whether it is confirmed), without its rota."""
    return session.get(RotaRun, run_id)


def newest_rota_run_id(*, session: Session) -> int | None:
    return session.exec(select(func.max(RotaRun.id))).one()


def read_rota_run(*, session: Session, run_id: int) -> Rota | None:
    """A stored rota as it was saved, its rows in their order, its times in UTC."""
    run = session.get(RotaRun, run_id)
    if run is None:
        return None
    summary = dict(run.summary)
    shifts = tuple(
        Shift(r.specialist_id, _utc(r.start), _utc(r.end), r.at_work_hours, r.off_work_hours)
        for r in session.exec(
            select(RotaShiftRow).where(RotaShiftRow.run_id == run_id).order_by(col(RotaShiftRow.id))
        )
    )
    gaps = tuple(
        SlaGap(r.operator_id, _utc(r.start), _utc(r.end), r.reason)
        for r in session.exec(
            select(RotaGapRow).where(RotaGapRow.run_id == run_id).order_by(col(RotaGapRow.id))
        )
    )
    return Rota(
        RotaParams.from_dict(summary["params"]),
        shifts,
        gaps,
        _reservations(session=session, run_id=run_id),
        summary,
    )


def _reservations(*, session: Session, run_id: int) -> tuple[Reservation, ...]:
    return tuple(
        Reservation(r.specialist_id, r.week, r.units)
        for r in session.exec(
            select(RotaReservationRow)
            .where(RotaReservationRow.run_id == run_id)
            .order_by(col(RotaReservationRow.id))
        )
    )


def confirm_rota_run(
    *, session: Session, run: RotaRun, rota: Rota, confirmed_by: str, confirmed_at: datetime
) -> tuple[list[RotaPin], list[RotaPin]]:
    """Make `rota`'s (the run's) shifts the confirmed duty of its horizon and mark the run
    confirmed, in the caller's transaction: from the next flush on, the run can no longer
    change. Returns the pins it replaced and the pins it wrote.

    A pin that lies partly outside the horizon keeps its outside part (that duty is not
    the run's to change); where that part and one of the run's shifts of the same
    specialist meet at the horizon's edge, they become one pin again, as the rota read
    the old pin clipped to its grid.
    """
    first, last = rota.params.origin, rota.params.moment(rota.params.hours)
    rows = list(
        session.exec(
            select(RotaPinRow)
            .where(col(RotaPinRow.start) < last, col(RotaPinRow.end) > first)
            .order_by(col(RotaPinRow.id))
        )
    )
    replaced = [row_record("rota_pinned", row) for row in rows]
    outside = [
        piece
        for pin in replaced
        for piece in (
            RotaPin(pin.specialist_id, pin.start, first) if pin.start < first else None,
            RotaPin(pin.specialist_id, last, pin.end) if pin.end > last else None,
        )
        if piece is not None
    ]
    for row in rows:
        session.delete(row)
    pins = [RotaPin(s.specialist_id, _utc(s.start), _utc(s.end)) for s in rota.shifts]
    for piece in outside:
        meets = next(
            (
                at
                for at, pin in enumerate(pins)
                if pin.specialist_id == piece.specialist_id
                and (pin.start == piece.end or pin.end == piece.start)
            ),
            None,
        )
        if meets is None:
            pins.append(piece)
        else:
            joined = pins[meets]
            pins[meets] = RotaPin(
                piece.specialist_id, min(piece.start, joined.start), max(piece.end, joined.end)
            )
    for pin in pins:
        session.add(RotaPinRow(**record_values(pin)))
    run.confirmed = True
    run.confirmed_at = confirmed_at
    run.confirmed_by = confirmed_by
    session.add(run)
    session.flush()
    return replaced, pins


def confirmed_rota_reservations(*, session: Session) -> tuple[Reservation, ...]:
    """The cover units the newest confirmed rota run takes from the specialists' weeks;
    none before the first confirmation."""
    newest = session.exec(
        select(func.max(RotaRun.id)).where(col(RotaRun.confirmed).is_(True))
    ).one()
    return () if newest is None else _reservations(session=session, run_id=newest)


def operator_ids(*, session: Session) -> set[str]:
    return set(session.exec(select(OperatorRow.operator_id)))


def request_ids(*, session: Session) -> set[str]:
    return set(session.exec(select(RequestRow.request_id)))


def add_request(*, session: Session, request: Request) -> None:
    """Store one request as a `requests.csv` row, after the dataset's other requests."""
    session.add(
        RequestRow(
            request_id=request.request_id,
            operator_id=request.operator_id,
            role=request.role,
            start=request.start,
            end=request.end,
            fte=request.fte,
            skills=";".join(request.skills),
            min_level=request.min_level,
            priority=request.priority,
        )
    )


def specialists_covering(*, session: Session, operator_id: str) -> set[str]:
    """Specialists booked for `operator_id` in any plan run: the ones it may know by name."""
    return set(
        session.exec(
            select(PlanAssignmentRow.specialist_id)
            .distinct()
            .where(PlanAssignmentRow.operator_id == operator_id)
        )
    )


def list_users(*, session: Session) -> list[UserRow]:
    return list(session.exec(select(UserRow).order_by(UserRow.username)))


def disable_user(*, session: Session, user: UserRow) -> None:
    """Mark an account disabled; its version moves on, like any edited row's."""
    user.disabled = True
    user.version += 1
    session.add(user)


def dataset_changes(before: Dataset, after: Dataset) -> list[tuple[str, list[Any], list[Any]]]:
    """Per table, the records only `before` has and those only `after` has (an edited
    row is one of each), for the audit trail."""
    changes = []
    for name in DATASET_TABLES:
        old, new = Counter(getattr(before, name)), Counter(getattr(after, name))
        removed, added = list((old - new).elements()), list((new - old).elements())
        if removed or added:
            changes.append((name, removed, added))
    return changes


def operator_of(record: Any, *datasets: Dataset) -> str | None:
    """The operator a dataset record belongs to (an absence through its staff member);
    None for the vendor's own rows (specialists, their absences, `calendar.csv`), which
    only a manager may change."""
    if hasattr(record, "operator_id"):
        return record.operator_id
    if hasattr(record, "staff_id"):
        for dataset in datasets:
            for member in dataset.staff:
                if member.staff_id == record.staff_id:
                    return member.operator_id
    return None


def dataset_rows(*, session: Session, table: str) -> list[Any]:
    """The rows of one dataset table in file order (the order `read_dataset` uses)."""
    model = DATASET_TABLES[table]
    return list(session.exec(select(model).order_by(model.id)))


def row_record(table: str, row: Any) -> Any:
    """A stored row as the dataset's record (list cells parsed, moments in UTC)."""
    spec = SPECS[table]
    values = {c.name: _utc(getattr(row, c.name)) for c in spec.columns}
    for key, parse in _LIST_PARSERS.items():
        if key in values:
            values[key] = parse(values[key]) if values[key] else ()
    return spec.record(**values)


def record_values(record: Any) -> dict[str, Any]:
    """A dataset record as column values for its table (list cells as `;` text, moments
    in UTC)."""
    values = {f.name: _utc(getattr(record, f.name)) for f in fields(record)}
    for key in _LIST_PARSERS:
        if key in values:
            values[key] = format_cell(values[key])
    return values


def _utc(value: Any) -> Any:
    """A moment as the zone-aware UTC the rota speaks, whatever the database gave back:
    SQLite keeps no zone (what was written was UTC), PostgreSQL answers in the session's
    zone. Written the same way, so SQLite, which stores the wall clock, stores UTC's.
    Any other value as it is."""
    if not isinstance(value, datetime):
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
