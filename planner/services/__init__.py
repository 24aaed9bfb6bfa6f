"""What a user can do: check, import, export, plan, quote, what-if, manage accounts, read the
audit trail. The CLI and the app call only this.

Each function is keyword-only and takes plain values, so the screens and the
command line stay thin and every path goes through the same validation.

Every function that reads or changes stored data takes the acting user as
`actor=` and starts by asking `planner.access`: `require_role(actor, MANAGER)`
for the vendor's own work, or scoping what it reads to the actor's operator
(`scope_dataset`, `scope_plan`, `require_operator`). Each change writes its
`audit.record(...)` in the same transaction. Functions that only check values
(`load_dataset`, `make_horizon`, `new_request`, `check_uploads`, ...) touch no
stored data and take no actor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, update
from sqlmodel import select

from planner.accounts import audit
from planner.accounts import logins as accounts
from planner.accounts.access import (
    ADMIN,
    MANAGER,
    OPERATOR,
    AccessDenied,
    Actor,
    operator_scope,
    require_known,
    require_operator,
    require_role,
    scope_dataset,
    scope_plan,
    scope_quote,
    sees_operator,
)
from planner.accounts.audit import jsonable
from planner.accounts.logins import AccountError, LoginFailed
from planner.data import storage
from planner.data.db import get_engine, session_scope, snapshot_scope
from planner.data.edits import EDITABLE, OPERATOR_EDITABLE, RowChange, StaleEdit
from planner.data.models import DATASET_TABLES, AuditRow, PlanRun, RequestRow, ScenarioRow
from planner.data.plan_files import read_plan_assignments
from planner.data.problems import DatasetError, Problem
from planner.data.read import raw_from_frames, raw_from_uploads
from planner.data.schema import SPECS, CellError, parse_level, parse_skills
from planner.data.validate import check_dataset, validate_raw
from planner.data.write import dataset_frames, write_dataset, write_workbook
from planner.domain.calendar import Horizon
from planner.domain.defaults import (
    DEFAULT_MAX_TZ_GAP,
    DEMO_START,
    DEMO_TIME_LIMIT,
    DEMO_WEEKS,
    PLAN_TIME_LIMIT,
    SAMPLE_TIME_LIMIT,
)
from planner.domain.demand import demand_sources
from planner.domain.records import PRIORITIES, ROLES, Dataset
from planner.domain.records import Request as DatasetRequest
from planner.planning.pipeline import make_plan
from planner.planning.plan import Plan
from planner.quotes.quote import Booking, Quote, QuoteBasis, quote_basis, quote_request
from planner.solver import SolveConfig
from planner.solver.model import ProgressCallback, default_workers
from planner.whatif import advise as advice
from planner.whatif import simulate as simulation
from planner.whatif.advise import Advice
from planner.whatif.changes import describe
from planner.whatif.compare import Comparison, compare_plans, write_comparison
from planner.whatif.scenario import Scenario, read_scenario, scenario_from_dict
from planner.whatif.simulate import Simulation

__all__ = [
    "AccessDenied",
    "AccountError",
    "Actor",
    "DatasetError",
    "LoginFailed",
    "Problem",
    "RowChange",
    "StaleEdit",
    "check_dataset",
    "export_dataset",
    "import_dataset",
    "load_dataset",
    "make_horizon",
    "plan_cover",
    "quote",
    "record_plan",
    "stored_dataset",
    "whatif",
]


def load_dataset(source: Path | str) -> Dataset:
    """Read and validate a dataset folder or workbook; `DatasetError` lists every problem."""
    dataset, problems = check_dataset(source)
    if dataset is None:
        raise DatasetError(problems)
    return dataset


def make_horizon(start: date, weeks: int) -> Horizon:
    """The planning grid, or a `DatasetError` a user can read."""
    try:
        return Horizon(start, weeks)
    except ValueError as error:
        raise DatasetError(
            [Problem("--start" if start.weekday() else "--weeks", None, None, str(error))]
        ) from None


def import_dataset(*, actor: Actor, source: Path | str, engine: Engine | None = None) -> Dataset:
    """Replace the stored dataset with `source`: all of it, or nothing when it has problems."""
    require_role(actor, MANAGER)
    dataset = load_dataset(source)
    _replace_dataset(actor, dataset, engine, action="import", note=Path(source).name)
    return dataset


def save_dataset(*, actor: Actor, dataset: Dataset, engine: Engine | None = None) -> None:
    """Store an already validated dataset as a whole (the app's upload builds one)."""
    require_role(actor, MANAGER)
    _replace_dataset(actor, dataset, engine, action="import", note="upload")


def _replace_dataset(
    actor: Actor, dataset: Dataset, engine: Engine | None, *, action: str, note: str
) -> None:
    with session_scope(engine or get_engine()) as session:
        before = storage.read_dataset(session=session)
        storage.replace_dataset(session=session, dataset=dataset)
        audit.record(
            session=session,
            actor=actor,
            action=action,
            entity="dataset",
            entity_id=note,
            before=_counts(before),
            after=_counts(dataset),
        )
        for name, removed, added in storage.dataset_changes(before, dataset):
            audit.record(
                session=session,
                actor=actor,
                action="edit",
                entity=name,
                operator_id=_single_operator(removed + added, before, dataset),
                before=removed,
                after=added,
            )


def _counts(dataset: Dataset) -> dict[str, int]:
    return {name: len(getattr(dataset, name)) for name in DATASET_TABLES}


def _single_operator(records, *datasets: Dataset) -> str | None:
    """The operator a set of changed rows belongs to, when it is just one."""
    operators = {storage.operator_of(record, *datasets) for record in records}
    return operators.pop() if len(operators) == 1 else None


def stored_dataset(*, actor: Actor, engine: Engine | None = None) -> Dataset:
    """The stored dataset as `actor` may see it, read from one consistent snapshot."""
    scope = operator_scope(actor)
    with snapshot_scope(engine or get_engine()) as session:
        dataset = storage.read_dataset(session=session)
        covering = storage.specialists_covering(session=session, operator_id=scope) if scope else ()
    return scope_dataset(dataset, actor, covering)


def stored_rows(
    *, actor: Actor, engine: Engine | None = None
) -> tuple[Dataset, dict[str, list[tuple[int, int]]]]:
    """What `stored_dataset` gives, plus each editable row's (id, version) in the same
    order: an editor keeps them, so that `save_changes` can refuse stale saves."""
    scope = operator_scope(actor)
    with snapshot_scope(engine or get_engine()) as session:
        full = storage.read_dataset(session=session)
        versions = {
            table: [
                (row.id, row.version)
                for row in storage.dataset_rows(session=session, table=table)
                if scope is None or storage.operator_of(row, full) == scope
            ]
            if scope is None or table in OPERATOR_EDITABLE
            else []
            for table in EDITABLE
        }
        covering = storage.specialists_covering(session=session, operator_id=scope) if scope else ()
    dataset = scope_dataset(full, actor, covering)
    return dataset, versions


def save_changes(
    *, actor: Actor, changes: Sequence[RowChange], engine: Engine | None = None
) -> None:
    """Apply row-level edits, all or nothing, each against the version it was loaded at.

    The whole dataset is validated with the changes in place (like an import), and
    nothing is saved while any problem remains (`DatasetError`). A row that somebody
    else changed or deleted since it was loaded is refused with `StaleEdit` naming
    it. Operator users may change only their own operator's requirements, staff,
    absences and requests.
    """
    require_known(actor)
    if not changes:
        return
    with session_scope(engine or get_engine()) as session:
        current = storage.read_dataset(session=session)
        rows = {
            table: storage.dataset_rows(session=session, table=table)
            for table in {c.table for c in changes}
        }
        for change in changes:
            _check_change(actor, change, rows, current)
        frames = dataset_frames(current)
        origins: dict[str, list[int | None]] = {}
        for table, table_rows in rows.items():
            by_id = {row.id: position for position, row in enumerate(table_rows)}
            frame = frames[table]
            ids: list[int | None] = [row.id for row in table_rows]
            dropped = set()
            added = []
            for change in (c for c in changes if c.table == table):
                if change.cells is None:
                    dropped.add(by_id[change.row_id])
                elif change.row_id is None:
                    added.append(change.cells)
                else:
                    position = by_id[change.row_id]
                    for column, text in change.cells.items():
                        frame.iloc[position, frame.columns.get_loc(column)] = text
            keep = [p for p in range(len(frame)) if p not in dropped]
            frame = frame.iloc[keep]
            if added:
                frame = pd.concat(
                    [frame, pd.DataFrame(added, columns=frame.columns, dtype="string")],
                    ignore_index=True,
                )
            frames[table] = frame.reset_index(drop=True)
            origins[table] = [ids[p] for p in keep] + [None] * len(added)
        checked, problems = validate_raw(raw_from_frames(frames))
        if checked is None:
            raise DatasetError(_on_edited_lines(problems, origins, changes, actor))
        versions = {c.row_id: c.version for c in changes if c.row_id is not None}
        for table, ids in origins.items():
            model = DATASET_TABLES[table]
            before = {row.id: storage.row_record(table, row) for row in rows[table]}
            for row_id, record in zip(ids, getattr(checked, table), strict=True):
                if row_id is None:
                    session.add(model(**storage.record_values(record)))
                    _audit_change(session, actor, table, "add", None, record, current)
                elif row_id in versions and before[row_id] != record:
                    done = session.exec(
                        update(model)
                        .where(model.id == row_id, model.version == versions[row_id])
                        .values(**storage.record_values(record), version=model.version + 1)
                    )
                    if done.rowcount != 1:
                        raise StaleEdit(_stale_message(table, record))
                    _audit_change(session, actor, table, "edit", before[row_id], record, current)
            for change in (c for c in changes if c.table == table and c.cells is None):
                done = session.exec(
                    delete(model).where(model.id == change.row_id, model.version == change.version)
                )
                if done.rowcount != 1:
                    raise StaleEdit(_stale_message(table, before[change.row_id]))
                _audit_change(session, actor, table, "delete", before[change.row_id], None, current)


def _on_edited_lines(
    problems: list[Problem],
    origins: dict[str, list[int | None]],
    changes: Sequence[RowChange],
    actor: Actor,
) -> list[Problem]:
    """Problems located on the lines the user saw: a changed row by its editor line.

    Any other row keeps its line in the whole table for a manager; an operator user,
    who sees only part of the table, gets no line number that would tell it more.
    """
    lines: dict[tuple[str, int | None], int | None] = {}
    for change in changes:
        lines[(change.table, change.row_id)] = change.line
    added = {
        table: iter(c.line for c in changes if c.table == table and c.row_id is None)
        for table in origins
    }
    by_position = {
        table: [
            lines.get((table, row_id)) if row_id is not None else next(added[table], None)
            for row_id in ids
        ]
        for table, ids in origins.items()
    }
    located = []
    for problem in problems:
        table = problem.file.removesuffix(".csv")
        line = None
        if (
            problem.row is not None
            and table in by_position
            and 2 <= problem.row < len(by_position[table]) + 2
        ):
            line = by_position[table][problem.row - 2]
        if line is None and operator_scope(actor) is None:
            line = problem.row
        located.append(Problem(problem.file, line, problem.column, problem.message))
    return located


def _check_change(actor: Actor, change: RowChange, rows: dict[str, list], current: Dataset) -> None:
    """Refuse a change the actor may not make, or one made against an old version."""
    editable = OPERATOR_EDITABLE if operator_scope(actor) else EDITABLE
    if change.table not in editable:
        raise AccessDenied(f"{actor.username} may not change {change.table}")
    if change.cells is not None and operator_scope(actor) is not None:
        operator_id = change.cells.get("operator_id")
        if operator_id is None and "staff_id" in change.cells:
            operator_id = next(
                (m.operator_id for m in current.staff if m.staff_id == change.cells["staff_id"]),
                None,
            )
        require_operator(actor, operator_id)
    where = f"{change.table}.csv line {change.line}" if change.line else change.table
    if change.row_id is not None:
        row = next((r for r in rows[change.table] if r.id == change.row_id), None)
        if row is not None and not sees_operator(actor, storage.operator_of(row, current)):
            row = None  # another operator's row is, to this user, a row that is not there
            if operator_scope(actor) is not None:
                raise AccessDenied(f"no row {change.row_id} in {change.table}")
        if row is None:
            raise StaleEdit(
                f"{where} was deleted by someone else after you opened it: "
                "reload the page; nothing was saved"
            )
        if row.version != change.version:
            raise StaleEdit(
                _stale_message(change.table, storage.row_record(change.table, row), where)
            )


def _stale_message(table: str, record: Any, where: str | None = None) -> str:
    key = SPECS[table].key or (SPECS[table].columns[0].name,)
    label = ", ".join(str(getattr(record, k)) for k in key)
    return (
        f"{where or table + '.csv'} ({label}) was changed by someone else after you "
        "opened it: reload the page to see their change, then redo yours; nothing was "
        "saved"
    )


def _audit_change(
    session, actor: Actor, table: str, kind: str, before: Any, after: Any, current: Dataset
) -> None:
    record = after if after is not None else before
    key = SPECS[table].key or (SPECS[table].columns[0].name,)
    audit.record(
        session=session,
        actor=actor,
        action=kind,
        entity=table,
        entity_id=":".join(str(getattr(record, k)) for k in key),
        operator_id=storage.operator_of(record, current),
        before=before,
        after=after,
    )


def has_stored_dataset(*, actor: Actor, engine: Engine | None = None) -> bool:
    require_known(actor)
    with session_scope(engine or get_engine()) as session:
        return storage.has_dataset(session=session)


def export_dataset(*, actor: Actor, folder: Path | str, engine: Engine | None = None) -> list[Path]:
    """Write what `actor` may see of the stored dataset as the contract's CSV files."""
    return write_dataset(stored_dataset(actor=actor, engine=engine), folder)


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
) -> Plan:
    """Plan cover; `secondary=False` stops after the cover stage (no handover or cost work)."""
    require_role(actor, MANAGER)
    config = SolveConfig(
        time_limit=time_limit, workers=workers or default_workers(), secondary=secondary
    )
    return make_plan(
        dataset, make_horizon(start, weeks), max_tz_gap=max_tz_gap, config=config, progress=progress
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
    with session_scope(engine or get_engine()) as session:
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
    with session_scope(engine or get_engine()) as session:
        runs = storage.list_plan_runs(session=session)
        session.expunge_all()
        return runs


def stored_plan(*, actor: Actor, run_id: int, engine: Engine | None = None) -> Plan | None:
    """A plan run as `actor` may see it (an operator user: its own cover only)."""
    with snapshot_scope(engine or get_engine()) as session:
        plan = storage.read_plan_run(session=session, run_id=run_id)
        if plan is None or operator_scope(actor) is None:
            return plan
        dataset = storage.read_dataset(session=session)
    return scope_plan(plan, actor, dataset)


def new_request(
    *,
    dataset: Dataset,
    operator_id: str,
    role: str,
    start: date,
    end: date,
    fte: float,
    skills: str | Sequence[str] = "",
    min_level: int | str = 1,
    priority: str = "normal",
    request_id: str = "quote",
) -> DatasetRequest:
    """A request checked like a `requests.csv` row; problems name the option at fault."""
    problems = []
    if operator_id not in {o.operator_id for o in dataset.operators}:
        problems.append(
            Problem("--operator", None, None, f"{operator_id!r} is not in operators.csv")
        )
    if role not in ROLES:
        problems.append(Problem("--role", None, None, f"{role!r} is not one of {', '.join(ROLES)}"))
    if priority not in PRIORITIES:
        problems.append(
            Problem("--priority", None, None, f"{priority!r} is not one of {', '.join(PRIORITIES)}")
        )
    if end < start:
        problems.append(Problem("--to", None, None, f"{end} is before --from {start}"))
    if not fte > 0:
        problems.append(Problem("--fte", None, None, f"{fte} must be > 0"))
    try:
        level = parse_level(str(min_level))
    except CellError as error:
        problems.append(Problem("--min-level", None, None, str(error)))
        level = 1
    skill_list = parse_skills(skills if isinstance(skills, str) else ";".join(skills))
    if problems:
        raise DatasetError(problems)
    return DatasetRequest(
        request_id, operator_id, role, start, end, fte, skill_list, level, priority
    )


def bookings_of(plan: Plan) -> list[Booking]:
    return [
        Booking(a.specialist_id, a.operator_id, a.week, a.units, a.demand_id)
        for a in plan.assignments
    ]


def bookings_from_folder(folder: Path | str, dataset: Dataset) -> list[Booking]:
    rows, problems = read_plan_assignments(folder)
    if problems:
        raise DatasetError(problems)
    sources = demand_sources(dataset)

    def operator_of(demand_id: str) -> str:
        source = sources.get(demand_id)
        return source.operator_id if source else ""

    return [
        Booking(
            r.specialist_id, r.operator_id or operator_of(r.demand_id), r.week, r.units, r.demand_id
        )
        for r in rows
    ]


def quote(
    *,
    actor: Actor,
    dataset: Dataset,
    start: date,
    weeks: int,
    request: DatasetRequest,
    bookings: Sequence[Booking] | None = None,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    time_limit: float = PLAN_TIME_LIMIT,
    reshuffle: bool = False,
) -> Quote:
    """Answer `request` against `bookings` (a plan's), or against a fresh plan when None.

    With `reshuffle`, weeks the free capacity cannot cover also try handing
    existing bookings to other qualified specialists; the answer lists the moves.
    The caller holds the whole dataset, so this is for managers; operator users
    ask through `answer_request`, which keeps the vendor's data on the server.
    """
    require_role(actor, MANAGER)
    if bookings is None:
        plan = plan_cover(
            actor=actor,
            dataset=dataset,
            start=start,
            weeks=weeks,
            max_tz_gap=max_tz_gap,
            time_limit=time_limit,
        )
        bookings = bookings_of(plan)
    basis = quote_basis(dataset, make_horizon(start, weeks), bookings, max_tz_gap=max_tz_gap)
    return quote_request(basis, request, reshuffle=reshuffle)


def prepare_quotes(*, dataset: Dataset, plan: Plan) -> QuoteBasis:
    """Everything quotes against `plan` share; keep it to answer many requests fast."""
    return quote_basis(
        dataset, Horizon(plan.start, plan.weeks), bookings_of(plan), max_tz_gap=plan.max_tz_gap
    )


def quote_against(*, basis: QuoteBasis, request: DatasetRequest, reshuffle: bool = False) -> Quote:
    """Answer `request` against a prepared plan (see `prepare_quotes`)."""
    return quote_request(basis, request, reshuffle=reshuffle)


def request_skills(*, actor: Actor, engine: Engine | None = None) -> list[str]:
    """Skills a request may ask for: those some specialist has (only those can ever be
    covered). Skill names only, so operator users get them too."""
    require_known(actor)
    with session_scope(engine or get_engine()) as session:
        dataset = storage.read_dataset(session=session)
    return sorted({skill for s in dataset.specialists for skill in s.skills})


def answer_request(
    *,
    actor: Actor,
    run_id: int,
    request: DatasetRequest,
    alternatives: Sequence[tuple[str, DatasetRequest]] = (),
    reshuffle: bool = False,
    engine: Engine | None = None,
) -> tuple[Quote, list[tuple[str, Quote]]]:
    """Quote `request` (and each alternative) against a stored plan run, keeping its
    bookings. An operator user may ask only for its own operator and reads reasons
    that never name another client. A reshuffle moves other clients' bookings, so
    only managers may ask for one."""
    require_operator(actor, request.operator_id)
    if reshuffle:
        require_role(actor, MANAGER)
    with snapshot_scope(engine or get_engine()) as session:
        dataset = storage.read_dataset(session=session)
        plan = storage.read_plan_run(session=session, run_id=run_id)
    if plan is None:
        raise DatasetError([Problem("plan run", None, None, f"no plan run {run_id}")])
    basis = quote_basis(
        dataset, make_horizon(plan.start, plan.weeks), bookings_of(plan), max_tz_gap=plan.max_tz_gap
    )

    def answer(candidate: DatasetRequest) -> Quote:
        return scope_quote(quote_request(basis, candidate, reshuffle=reshuffle), actor, dataset)

    return answer(request), [(label, answer(option)) for label, option in alternatives]


# --------------------------------------------------------------------------- the app's needs

DEMO_DATASET = Path(__file__).resolve().parents[2] / "data" / "demo"


def check_frames(*, dataset: Dataset, edited: dict) -> tuple[Dataset | None, list[Problem]]:
    """Validate the dataset with some tables replaced by edited DataFrames, like the CLI would."""
    frames = dataset_frames(dataset)
    frames.update(edited)
    return validate_raw(raw_from_frames(frames))


def check_uploads(*, files: dict[str, bytes]) -> tuple[Dataset | None, list[Problem]]:
    """Validate uploaded CSV files or a workbook as one dataset."""
    raw, problems = raw_from_uploads(files)
    if problems:
        return None, problems
    return validate_raw(raw)


def dataset_workbook(*, dataset: Dataset, path: Path | str) -> Path:
    return write_workbook(dataset, path)


DEMO_ACCOUNTS = (
    ("admin", "admin-demo-1", ADMIN, None),
    ("manager", "manager-demo-1", MANAGER, None),
    ("op0003", "op0003-demo-1", OPERATOR, "OP0003"),
    ("op0012", "op0012-demo-1", OPERATOR, "OP0012"),
)
"""(username, password, role, operator) of the demo's accounts, documented in the README.
Only `ensure_demo` creates them, and only in a database it has just seeded."""

DEMO_SEEDER = Actor(username="demo-seed", role=ADMIN)


def ensure_demo(
    *,
    engine: Engine | None = None,
    time_limit: float = DEMO_TIME_LIMIT,
    progress: ProgressCallback | None = None,
) -> bool:
    """Seed an empty database with the demo data, a first plan and the demo accounts;
    True if it did."""
    engine = engine or get_engine()
    if has_stored_dataset(actor=DEMO_SEEDER, engine=engine):
        return False
    dataset = import_dataset(actor=DEMO_SEEDER, source=DEMO_DATASET, engine=engine)
    plan = plan_cover(
        actor=DEMO_SEEDER,
        dataset=dataset,
        start=DEMO_START,
        weeks=DEMO_WEEKS,
        time_limit=time_limit,
        progress=progress,
    )
    record_plan(
        actor=DEMO_SEEDER,
        plan=plan,
        time_limit=time_limit,
        engine=engine,
        note="first plan of the demo",
    )
    ensure_demo_accounts(engine=engine)
    return True


def ensure_demo_accounts(*, engine: Engine | None = None) -> None:
    """The demo's accounts, each created unless a user of that name exists."""
    with session_scope(engine or get_engine()) as session:
        for username, password, role, operator_id in DEMO_ACCOUNTS:
            if accounts.find_user(session=session, username=username) is None:
                accounts.new_user(
                    session=session,
                    username=username,
                    password=password,
                    role=role,
                    operator_id=operator_id,
                )
                audit.record(
                    session=session,
                    actor=DEMO_SEEDER,
                    action="user add",
                    entity="user",
                    entity_id=username,
                    operator_id=operator_id,
                    after={"username": username, "role": role, "operator_id": operator_id},
                )


def latest_plan(*, actor: Actor, engine: Engine | None = None) -> tuple[int, Plan] | None:
    """The newest plan run and its plan as `actor` may see it, or None before the first."""
    with session_scope(engine or get_engine()) as session:
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
    with session_scope(engine or get_engine()) as session:
        run = session.get(PlanRun, run_id)
        if run is None:
            raise DatasetError([Problem("plan run", None, None, f"no plan run {run_id}")])
        if run.confirmed:
            raise DatasetError(
                [
                    Problem(
                        "plan run",
                        None,
                        None,
                        f"plan run {run_id} is already confirmed "
                        f"(by {run.confirmed_by or 'an earlier release'})",
                    )
                ]
            )
        plan = storage.read_plan_run(session=session, run_id=run_id)
        assert plan is not None
        before = [jsonable(p) for p in storage.read_dataset(session=session).pinned]
        storage.pin_plan(session=session, plan=plan)
        run.confirmed = True
        run.confirmed_at = accounts.now_utc()
        run.confirmed_by = actor.username
        session.add(run)
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


def file_request(*, actor: Actor, request: DatasetRequest, engine: Engine | None = None) -> str:
    """Store a request (from the request screen) so that the next plan includes it.

    An operator user may file requests for its own operator only.
    """
    require_operator(actor, request.operator_id)
    with session_scope(engine or get_engine()) as session:
        if request.operator_id not in storage.operator_ids(session=session):
            raise AccessDenied(f"no operator {request.operator_id!r}")
        taken = storage.request_ids(session=session)
        request_id = request.request_id
        if request_id in taken or request_id == "quote":
            number = len(taken) + 1
            while f"RQ{number:03d}" in taken:
                number += 1
            request_id = f"RQ{number:03d}"
        row = RequestRow(
            request_id=request_id,
            operator_id=request.operator_id,
            role=request.role,
            start=request.start,
            end=request.end,
            fte=request.fte,
            skills=";".join(request.skills),
            min_level=request.min_level,
            priority=request.priority,
        )
        session.add(row)
        audit.record(
            session=session,
            actor=actor,
            action="file request",
            entity="requests",
            entity_id=request_id,
            operator_id=request.operator_id,
            after=replace(request, request_id=request_id),
        )
    return request_id


# --------------------------------------------------------------------------- what-if


def read_scenario_file(*, path: Path | str) -> Scenario:
    """A scenario file (YAML, TOML or JSON); `DatasetError` names the file, change and field."""
    return read_scenario(path)


def apply_scenario(*, dataset: Dataset, scenario: Scenario, source: str | None = None) -> Dataset:
    """The base data with the scenario's changes; the result passes every dataset rule."""
    return scenario.apply(dataset, source=source)


def whatif(
    *,
    actor: Actor,
    dataset: Dataset,
    scenario: Scenario,
    start: date,
    weeks: int,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    time_limit: float = PLAN_TIME_LIMIT,
    workers: int | None = None,
    source: str | None = None,
    progress: ProgressCallback | None = None,
    secondary: bool = True,
) -> tuple[Plan, Plan, Comparison]:
    """Plan the base data and the scenario over the same weeks, and compare the two plans."""
    require_role(actor, MANAGER)
    make_horizon(start, weeks)
    changed = apply_scenario(dataset=dataset, scenario=scenario, source=source)
    plans = [
        plan_cover(
            actor=actor,
            dataset=data,
            start=start,
            weeks=weeks,
            max_tz_gap=max_tz_gap,
            time_limit=time_limit,
            workers=workers,
            progress=progress,
            secondary=secondary,
        )
        for data in (dataset, changed)
    ]
    comparison = compare_plans(
        plans[0], plans[1], name=scenario.name, changes=tuple(describe(scenario.changes))
    )
    return plans[0], plans[1], comparison


def write_whatif(
    *, base: Plan, scenario_plan: Plan, comparison: Comparison, out: Path | str
) -> Path:
    return write_comparison(comparison, base, scenario_plan, out)


def simulate_turnover(
    *,
    actor: Actor,
    dataset: Dataset,
    start: date,
    weeks: int,
    runs: int,
    seed: int,
    attrition: dict[str, float] | None = None,
    refill_weeks: tuple[int, int] | None = None,
    sick_episodes: float | None = None,
    vendor_attrition: float | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    time_limit: float = SAMPLE_TIME_LIMIT,
    progress: Callable[[int, int], None] | None = None,
) -> Simulation:
    """Sample `runs` futures from `seed`, plan each for cover, and sum up the spread."""
    require_role(actor, MANAGER)
    make_horizon(start, weeks)
    return simulation.simulate(
        dataset,
        simulation.PlanSettings(start, weeks, max_tz_gap, time_limit),
        runs=runs,
        seed=seed,
        assumptions=make_assumptions(
            attrition=attrition,
            refill_weeks=refill_weeks,
            sick_episodes=sick_episodes,
            vendor_attrition=vendor_attrition,
        ),
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )


def make_assumptions(
    *,
    attrition: dict[str, float] | None = None,
    refill_weeks: tuple[int, int] | None = None,
    sick_episodes: float | None = None,
    vendor_attrition: float | None = None,
) -> simulation.Assumptions:
    """The default rates with the ones given replaced (attrition per role merges)."""
    base = simulation.Assumptions()
    rates = {**base.attrition, **(attrition or {})}
    return simulation.Assumptions(
        rates,
        refill_weeks or base.refill_weeks,
        base.sick_episodes if sick_episodes is None else sick_episodes,
        base.sick_days,
        base.vendor_attrition if vendor_attrition is None else vendor_attrition,
    )


def advise_staffing(
    *,
    actor: Actor,
    dataset: Dataset,
    start: date,
    weeks: int,
    futures: int = 12,
    seed: int = 1,
    target: dict[str, float] | None = None,
    percentile: int = 90,
    role: str | None = None,
    max_hires: int = 5,
    hire_from: date | None = None,
    attrition: dict[str, float] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
    progress: Callable[[str], None] | None = None,
) -> Advice:
    """The fewest hires that reach `target` in the percentile future, and training moves."""
    require_role(actor, MANAGER)
    make_horizon(start, weeks)
    if role is not None and role not in ROLES:
        raise DatasetError(
            [Problem("--role", None, None, f"{role!r} is not one of {', '.join(ROLES)}")]
        )
    return advice.advise(
        dataset,
        simulation.PlanSettings(start, weeks, max_tz_gap),
        futures=futures,
        seed=seed,
        assumptions=make_assumptions(attrition=attrition),
        target=target,
        percentile=percentile,
        role=role,
        max_hires=max_hires,
        hire_from=hire_from,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )


def save_scenario(*, actor: Actor, scenario: Scenario, engine: Engine | None = None) -> None:
    """Store a scenario under its name, replacing one of the same name (on the audit trail)."""
    require_role(actor, MANAGER)
    body = json.dumps(scenario.as_dict()["changes"], ensure_ascii=False)
    with session_scope(engine or get_engine()) as session:
        row = session.exec(select(ScenarioRow).where(ScenarioRow.name == scenario.name)).first()
        before = None if row is None else {"description": row.description, "changes": row.body}
        if row is None:
            row = ScenarioRow(name=scenario.name, description=scenario.description, body=body)
        else:
            row.description, row.body = scenario.description, body
        session.add(row)
        audit.record(
            session=session,
            actor=actor,
            action="scenario save",
            entity="scenario",
            entity_id=scenario.name,
            before=before,
            after={"description": scenario.description, "changes": body},
        )


def scenario_names(*, actor: Actor, engine: Engine | None = None) -> list[str]:
    require_role(actor, MANAGER)
    with session_scope(engine or get_engine()) as session:
        return list(session.exec(select(ScenarioRow.name).order_by(ScenarioRow.name)))


def stored_scenario(*, actor: Actor, name: str, engine: Engine | None = None) -> Scenario | None:
    require_role(actor, MANAGER)
    with session_scope(engine or get_engine()) as session:
        row = session.exec(select(ScenarioRow).where(ScenarioRow.name == name)).first()
        if row is None:
            return None
        return scenario_from_dict(
            {"name": row.name, "description": row.description, "changes": json.loads(row.body)},
            source=f"stored scenario {row.name!r}",
        )


def delete_scenario(*, actor: Actor, name: str, engine: Engine | None = None) -> bool:
    require_role(actor, MANAGER)
    with session_scope(engine or get_engine()) as session:
        row = session.exec(select(ScenarioRow).where(ScenarioRow.name == name)).first()
        if row is None:
            return False
        audit.record(
            session=session,
            actor=actor,
            action="scenario delete",
            entity="scenario",
            entity_id=name,
            before={"description": row.description, "changes": row.body},
        )
        session.delete(row)
        return True


# --------------------------------------------------------------------------- accounts


def login(*, username: str, password: str, engine: Engine | None = None) -> tuple[str, Actor]:
    """Check a password and open a session: (token, actor), or `LoginFailed`.

    Failed attempts are counted (and slow further attempts down) even though the
    login is refused, and both outcomes are on the audit trail.
    """
    with session_scope(engine or get_engine()) as session:
        attempt = accounts.check_login(session=session, username=username, password=password)
        if attempt.user is None:
            audit.record(
                session=session,
                actor=username[:64] or "?",
                action="login failed",
                entity="user",
                entity_id=username[:64],
                after={"reason": attempt.refusal},
            )
            refusal = attempt.refusal
        else:
            token = accounts.open_session(session=session, user=attempt.user)
            actor = accounts.actor_of(attempt.user)
            audit.record(
                session=session,
                actor=actor,
                action="login",
                entity="user",
                entity_id=actor.username,
                operator_id=actor.operator_id,
            )
            return token, actor
    raise LoginFailed(refusal)


def login_single_sign_on(*, email: str, engine: Engine | None = None) -> tuple[str, Actor]:
    """Open a session for the account named by an e-mail address that the app's OpenID
    Connect provider has already verified (Streamlit's `st.login`); (token, actor).

    Only the login page calls this, and only with `st.user.email` after the provider
    logged the user in: no password is checked here. The account must exist and be
    enabled; its role and operator come from the account, never from the provider.
    """
    username = email.strip().lower()
    with session_scope(engine or get_engine()) as session:
        user = accounts.find_user(session=session, username=username) if username else None
        if user is not None and not user.disabled:
            token = accounts.open_session(session=session, user=user)
            actor = accounts.actor_of(user)
            audit.record(
                session=session,
                actor=actor,
                action="login",
                entity="user",
                entity_id=actor.username,
                operator_id=actor.operator_id,
                after={"via": "single sign-on"},
            )
            return token, actor
        refusal = (
            f"no account for {username or 'this login'}: ask an administrator"
            if user is None
            else "this account is disabled: ask an administrator"
        )
        audit.record(
            session=session,
            actor=username[:64] or "?",
            action="login failed",
            entity="user",
            entity_id=username[:64],
            after={"via": "single sign-on", "reason": refusal},
        )
    raise LoginFailed(refusal)


def has_users(*, engine: Engine | None = None) -> bool:
    """Whether any account exists: the login page says how to create the first one."""
    with session_scope(engine or get_engine()) as session:
        return bool(storage.list_users(session=session))


def session_actor(*, token: str | None, engine: Engine | None = None) -> Actor | None:
    """The logged-in user of a session token, or None once it expired or was closed."""
    with session_scope(engine or get_engine()) as session:
        return accounts.session_actor(session=session, token=token)


def logout(*, token: str, engine: Engine | None = None) -> None:
    with session_scope(engine or get_engine()) as session:
        accounts.close_session(session=session, token=token)


def add_user(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    operator_id: str | None = None,
    engine: Engine | None = None,
) -> Actor:
    """A new account (admins only); an operator user's operator must exist."""
    require_role(actor, ADMIN)
    with session_scope(engine or get_engine()) as session:
        if operator_id is not None and operator_id not in storage.operator_ids(session=session):
            raise AccountError(f"no operator {operator_id!r} in the stored dataset")
        user = accounts.new_user(
            session=session,
            username=username,
            password=password,
            role=role,
            operator_id=operator_id,
        )
        audit.record(
            session=session,
            actor=actor,
            action="user add",
            entity="user",
            entity_id=user.username,
            operator_id=operator_id,
            after={"username": user.username, "role": role, "operator_id": operator_id},
        )
        return accounts.actor_of(user)


def list_users(*, actor: Actor, engine: Engine | None = None) -> list[dict]:
    """Every account without its password hash (admins only)."""
    require_role(actor, ADMIN)
    with session_scope(engine or get_engine()) as session:
        return [
            {
                "username": u.username,
                "role": u.role,
                "operator_id": u.operator_id,
                "disabled": u.disabled,
                "failed_attempts": u.failed_attempts,
                "created_at": accounts.aware(u.created_at),
            }
            for u in storage.list_users(session=session)
        ]


def disable_user(*, actor: Actor, username: str, engine: Engine | None = None) -> None:
    """Disable an account and end its sessions at once (admins only)."""
    require_role(actor, ADMIN)
    with session_scope(engine or get_engine()) as session:
        user = accounts.find_user(session=session, username=username.strip().lower())
        if user is None:
            raise AccountError(f"no user {username!r}")
        if user.username == actor.username:
            raise AccountError("you cannot disable your own account")
        before = user.disabled
        user.disabled = True
        user.version += 1
        session.add(user)
        accounts.close_sessions_of(session=session, user=user)
        audit.record(
            session=session,
            actor=actor,
            action="user disable",
            entity="user",
            entity_id=user.username,
            operator_id=user.operator_id,
            before={"disabled": before},
            after={"disabled": True},
        )


def audit_trail(
    *,
    actor: Actor,
    operator_id: str | None = None,
    username: str | None = None,
    since: date | None = None,
    until: date | None = None,
    action: str | None = None,
    engine: Engine | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """The audit trail, newest first, filtered (managers and admins); `until` is inclusive."""
    require_role(actor, MANAGER)
    start = datetime.combine(since, time(), tzinfo=UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC) if until else None
    with session_scope(engine or get_engine()) as session:
        rows = audit.entries(
            session=session,
            operator_id=operator_id,
            username=username,
            since=start,
            until=end,
            action=action,
            limit=limit,
        )
        session.expunge_all()
    return rows
