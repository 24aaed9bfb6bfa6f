"""What a user can do: check, import, export, plan, quote, what-if. The CLI and the app call only
this.

Each function is keyword-only and takes plain values, so the screens and the
command line stay thin and every path goes through the same validation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from planner import advise as advice
from planner import simulate as simulation
from planner import storage
from planner.advise import Advice
from planner.calendar import Horizon
from planner.dataset import (
    PRIORITIES,
    ROLES,
    CellError,
    Dataset,
    DatasetError,
    Problem,
    check_dataset,
    dataset_frames,
    parse_level,
    parse_skills,
    raw_from_frames,
    raw_from_uploads,
    validate_raw,
    write_dataset,
    write_workbook,
)
from planner.dataset import Request as DatasetRequest
from planner.db import get_engine, session_scope
from planner.demand import demand_sources
from planner.instance import DEFAULT_MAX_TZ_GAP
from planner.models import PinRow, PlanRun, RequestRow, ScenarioRow
from planner.plan import Plan, make_plan
from planner.plan_files import read_plan_assignments
from planner.quote import Booking, Quote, QuoteBasis, quote_basis, quote_request
from planner.scenario import Scenario, describe, read_scenario, scenario_from_dict
from planner.simulate import Simulation
from planner.solver import SolveConfig
from planner.solver.model import ProgressCallback, default_workers
from planner.whatif import Comparison, compare_plans, write_comparison

__all__ = [
    "DatasetError",
    "Problem",
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
        raise DatasetError([Problem("--start" if start.weekday() else "--weeks", None, None,
                                    str(error))]) from None


def import_dataset(*, source: Path | str, engine: Engine | None = None) -> Dataset:
    """Replace the stored dataset with `source`: all of it, or nothing when it has problems."""
    dataset = load_dataset(source)
    with session_scope(engine or get_engine()) as session:
        storage.replace_dataset(session=session, dataset=dataset)
    return dataset


def save_dataset(*, dataset: Dataset, engine: Engine | None = None) -> None:
    """Store an already validated dataset (the app's editors build one)."""
    with session_scope(engine or get_engine()) as session:
        storage.replace_dataset(session=session, dataset=dataset)


def stored_dataset(*, engine: Engine | None = None) -> Dataset:
    with session_scope(engine or get_engine()) as session:
        return storage.read_dataset(session=session)


def has_stored_dataset(*, engine: Engine | None = None) -> bool:
    with session_scope(engine or get_engine()) as session:
        return storage.has_dataset(session=session)


def export_dataset(*, folder: Path | str, engine: Engine | None = None) -> list[Path]:
    return write_dataset(stored_dataset(engine=engine), folder)


def plan_cover(*, dataset: Dataset, start: date, weeks: int,
               max_tz_gap: float = DEFAULT_MAX_TZ_GAP, time_limit: float = 60.0,
               workers: int | None = None, progress: ProgressCallback | None = None,
               secondary: bool = True) -> Plan:
    """Plan cover; `secondary=False` stops after the cover stage (no handover or cost work)."""
    config = SolveConfig(time_limit=time_limit, workers=workers or default_workers(),
                         secondary=secondary)
    return make_plan(dataset, make_horizon(start, weeks), max_tz_gap=max_tz_gap,
                     config=config, progress=progress)


def record_plan(*, plan: Plan, time_limit: float, engine: Engine | None = None,
                note: str | None = None) -> int:
    """Keep a plan run in the database; returns its id."""
    with session_scope(engine or get_engine()) as session:
        run = storage.save_plan_run(session=session, plan=plan, time_limit=time_limit, note=note)
        assert run.id is not None
        return run.id


def plan_runs(*, engine: Engine | None = None) -> list[PlanRun]:
    with session_scope(engine or get_engine()) as session:
        runs = storage.list_plan_runs(session=session)
        session.expunge_all()
        return runs


def stored_plan(*, run_id: int, engine: Engine | None = None) -> Plan | None:
    with session_scope(engine or get_engine()) as session:
        return storage.read_plan_run(session=session, run_id=run_id)


def new_request(*, dataset: Dataset, operator_id: str, role: str, start: date, end: date,
                fte: float, skills: str | Sequence[str] = "", min_level: int | str = 1,
                priority: str = "normal", request_id: str = "quote") -> DatasetRequest:
    """A request checked like a `requests.csv` row; problems name the option at fault."""
    problems = []
    if operator_id not in {o.operator_id for o in dataset.operators}:
        problems.append(Problem("--operator", None, None,
                                f"{operator_id!r} is not in operators.csv"))
    if role not in ROLES:
        problems.append(Problem("--role", None, None,
                                f"{role!r} is not one of {', '.join(ROLES)}"))
    if priority not in PRIORITIES:
        problems.append(Problem("--priority", None, None,
                                f"{priority!r} is not one of {', '.join(PRIORITIES)}"))
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
    return DatasetRequest(request_id, operator_id, role, start, end, fte, skill_list, level,
                          priority)


def bookings_of(plan: Plan) -> list[Booking]:
    return [Booking(a.specialist_id, a.operator_id, a.week, a.units, a.demand_id)
            for a in plan.assignments]


def bookings_from_folder(folder: Path | str, dataset: Dataset) -> list[Booking]:
    rows, problems = read_plan_assignments(folder)
    if problems:
        raise DatasetError(problems)
    sources = demand_sources(dataset)

    def operator_of(demand_id: str) -> str:
        source = sources.get(demand_id)
        return source.operator_id if source else ""

    return [Booking(r.specialist_id, r.operator_id or operator_of(r.demand_id), r.week,
                    r.units, r.demand_id) for r in rows]


def quote(*, dataset: Dataset, start: date, weeks: int, request: DatasetRequest,
          bookings: Sequence[Booking] | None = None, max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
          time_limit: float = 60.0, reshuffle: bool = False) -> Quote:
    """Answer `request` against `bookings` (a plan's), or against a fresh plan when None.

    With `reshuffle`, weeks the free capacity cannot cover also try handing
    existing bookings to other qualified specialists; the answer lists the moves.
    """
    if bookings is None:
        plan = plan_cover(dataset=dataset, start=start, weeks=weeks, max_tz_gap=max_tz_gap,
                          time_limit=time_limit)
        bookings = bookings_of(plan)
    basis = quote_basis(dataset, make_horizon(start, weeks), bookings, max_tz_gap=max_tz_gap)
    return quote_request(basis, request, reshuffle=reshuffle)


def prepare_quotes(*, dataset: Dataset, plan: Plan) -> QuoteBasis:
    """Everything quotes against `plan` share; keep it to answer many requests fast."""
    return quote_basis(dataset, Horizon(plan.start, plan.weeks), bookings_of(plan),
                       max_tz_gap=plan.max_tz_gap)


def quote_against(*, basis: QuoteBasis, request: DatasetRequest,
                  reshuffle: bool = False) -> Quote:
    """Answer `request` against a prepared plan (see `prepare_quotes`)."""
    return quote_request(basis, request, reshuffle=reshuffle)


# --------------------------------------------------------------------------- the app's needs

DEMO_DATASET = Path(__file__).resolve().parents[1] / "data" / "demo"
DEMO_START = date(2027, 1, 4)
DEMO_WEEKS = 26


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


def ensure_demo(*, engine: Engine | None = None, time_limit: float = 30.0,
                progress: ProgressCallback | None = None) -> bool:
    """Seed an empty database with the demo data and a first plan; True if it did."""
    engine = engine or get_engine()
    if has_stored_dataset(engine=engine):
        return False
    dataset = import_dataset(source=DEMO_DATASET, engine=engine)
    plan = plan_cover(dataset=dataset, start=DEMO_START, weeks=DEMO_WEEKS,
                      time_limit=time_limit, progress=progress)
    record_plan(plan=plan, time_limit=time_limit, engine=engine, note="first plan of the demo")
    return True


def latest_plan(*, engine: Engine | None = None) -> tuple[int, Plan] | None:
    """The newest plan run and its plan, or None before the first plan."""
    runs = plan_runs(engine=engine)
    if not runs:
        return None
    plan = stored_plan(run_id=runs[0].id, engine=engine)
    assert plan is not None
    return runs[0].id, plan


def confirm_plan_run(*, run_id: int, engine: Engine | None = None) -> int:
    """Confirm a run: its bookings become the pins every later plan keeps. Returns their count."""
    with session_scope(engine or get_engine()) as session:
        run = session.get(PlanRun, run_id)
        if run is None:
            raise DatasetError([Problem("plan run", None, None, f"no plan run {run_id}")])
        plan = storage.read_plan_run(session=session, run_id=run_id)
        assert plan is not None
        from sqlalchemy import delete, update

        session.exec(delete(PinRow))
        session.exec(update(PlanRun).values(confirmed=False))
        for a in plan.assignments:
            session.add(PinRow(specialist_id=a.specialist_id, demand_id=a.demand_id,
                               week=a.week, units=a.units))
        run.confirmed = True
        session.add(run)
        return len(plan.assignments)


def file_request(*, request: DatasetRequest, engine: Engine | None = None) -> str:
    """Store a request (from the request screen) so that the next plan includes it."""
    dataset = stored_dataset(engine=engine)
    taken = {r.request_id for r in dataset.requests}
    request_id = request.request_id
    if request_id in taken or request_id == "quote":
        number = len(taken) + 1
        while f"RQ{number:03d}" in taken:
            number += 1
        request_id = f"RQ{number:03d}"
    with session_scope(engine or get_engine()) as session:
        session.add(RequestRow(request_id=request_id, operator_id=request.operator_id,
                               role=request.role, start=request.start, end=request.end,
                               fte=request.fte, skills=";".join(request.skills),
                               min_level=request.min_level, priority=request.priority))
    return request_id


# --------------------------------------------------------------------------- what-if


def read_scenario_file(*, path: Path | str) -> Scenario:
    """A scenario file (YAML, TOML or JSON); `DatasetError` names the file, change and field."""
    return read_scenario(path)


def apply_scenario(*, dataset: Dataset, scenario: Scenario, source: str | None = None
                   ) -> Dataset:
    """The base data with the scenario's changes; the result passes every dataset rule."""
    return scenario.apply(dataset, source=source)


def whatif(*, dataset: Dataset, scenario: Scenario, start: date, weeks: int,
           max_tz_gap: float = DEFAULT_MAX_TZ_GAP, time_limit: float = 60.0,
           workers: int | None = None, source: str | None = None,
           progress: ProgressCallback | None = None, secondary: bool = True
           ) -> tuple[Plan, Plan, Comparison]:
    """Plan the base data and the scenario over the same weeks, and compare the two plans."""
    make_horizon(start, weeks)
    changed = apply_scenario(dataset=dataset, scenario=scenario, source=source)
    plans = [plan_cover(dataset=data, start=start, weeks=weeks, max_tz_gap=max_tz_gap,
                        time_limit=time_limit, workers=workers, progress=progress,
                        secondary=secondary) for data in (dataset, changed)]
    comparison = compare_plans(plans[0], plans[1], name=scenario.name,
                               changes=tuple(describe(scenario.changes)))
    return plans[0], plans[1], comparison


def write_whatif(*, base: Plan, scenario_plan: Plan, comparison: Comparison,
                 out: Path | str) -> Path:
    return write_comparison(comparison, base, scenario_plan, out)


def simulate_turnover(*, dataset: Dataset, start: date, weeks: int, runs: int, seed: int,
                      attrition: dict[str, float] | None = None,
                      refill_weeks: tuple[int, int] | None = None,
                      sick_episodes: float | None = None,
                      vendor_attrition: float | None = None, workers: int = 1,
                      scheduler: str | None = None, max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
                      time_limit: float = 20.0,
                      progress: Callable[[int, int], None] | None = None) -> Simulation:
    """Sample `runs` futures from `seed`, plan each for cover, and sum up the spread."""
    make_horizon(start, weeks)
    return simulation.simulate(
        dataset, simulation.PlanSettings(start, weeks, max_tz_gap, time_limit), runs=runs,
        seed=seed, assumptions=make_assumptions(attrition=attrition, refill_weeks=refill_weeks,
                                                sick_episodes=sick_episodes,
                                                vendor_attrition=vendor_attrition),
        workers=workers, scheduler=scheduler, progress=progress)


def make_assumptions(*, attrition: dict[str, float] | None = None,
                     refill_weeks: tuple[int, int] | None = None,
                     sick_episodes: float | None = None,
                     vendor_attrition: float | None = None) -> simulation.Assumptions:
    """The default rates with the ones given replaced (attrition per role merges)."""
    base = simulation.Assumptions()
    rates = {**base.attrition, **(attrition or {})}
    return simulation.Assumptions(
        rates, refill_weeks or base.refill_weeks,
        base.sick_episodes if sick_episodes is None else sick_episodes, base.sick_days,
        base.vendor_attrition if vendor_attrition is None else vendor_attrition)


def advise_staffing(*, dataset: Dataset, start: date, weeks: int, futures: int = 12,
                    seed: int = 1, target: dict[str, float] | None = None,
                    percentile: int = 90, role: str | None = None, max_hires: int = 5,
                    hire_from: date | None = None, attrition: dict[str, float] | None = None,
                    workers: int = 1, scheduler: str | None = None,
                    max_tz_gap: float = DEFAULT_MAX_TZ_GAP,
                    progress: Callable[[str], None] | None = None) -> Advice:
    """The fewest hires that reach `target` in the percentile future, and training moves."""
    make_horizon(start, weeks)
    if role is not None and role not in ROLES:
        raise DatasetError([Problem("--role", None, None,
                                    f"{role!r} is not one of {', '.join(ROLES)}")])
    return advice.advise(dataset, simulation.PlanSettings(start, weeks, max_tz_gap),
                         futures=futures, seed=seed,
                         assumptions=make_assumptions(attrition=attrition), target=target,
                         percentile=percentile, role=role, max_hires=max_hires,
                         hire_from=hire_from, workers=workers, scheduler=scheduler,
                         progress=progress)


def save_scenario(*, scenario: Scenario, engine: Engine | None = None) -> None:
    """Store a scenario under its name, replacing one of the same name."""
    body = json.dumps(scenario.as_dict()["changes"], ensure_ascii=False)
    with session_scope(engine or get_engine()) as session:
        row = session.exec(select(ScenarioRow).where(ScenarioRow.name == scenario.name)).first()
        if row is None:
            row = ScenarioRow(name=scenario.name, description=scenario.description, body=body)
        else:
            row.description, row.body = scenario.description, body
        session.add(row)


def scenario_names(*, engine: Engine | None = None) -> list[str]:
    with session_scope(engine or get_engine()) as session:
        return list(session.exec(select(ScenarioRow.name).order_by(ScenarioRow.name)))


def stored_scenario(*, name: str, engine: Engine | None = None) -> Scenario | None:
    with session_scope(engine or get_engine()) as session:
        row = session.exec(select(ScenarioRow).where(ScenarioRow.name == name)).first()
        if row is None:
            return None
        return scenario_from_dict({"name": row.name, "description": row.description,
                                   "changes": json.loads(row.body)},
                                  source=f"stored scenario {row.name!r}")


def delete_scenario(*, name: str, engine: Engine | None = None) -> bool:
    with session_scope(engine or get_engine()) as session:
        row = session.exec(select(ScenarioRow).where(ScenarioRow.name == name)).first()
        if row is None:
            return False
        session.delete(row)
        return True
