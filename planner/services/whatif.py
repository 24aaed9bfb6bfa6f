"""What-if: lay a scenario's changes over the data and compare the plans, sample turnover
futures, advise on hires and training, and keep scenarios by name."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from planner.accounts import audit
from planner.accounts.access import MANAGER, Actor, require_role
from planner.data import saved_scenarios
from planner.data.db import Engine, session_scope
from planner.data.exports import people_csv
from planner.data.folders import write_folder
from planner.domain.defaults import (
    DEFAULT_CALENDAR,
    DEFAULT_MAX_TZ_GAP,
    PLAN_TIME_LIMIT,
    SAMPLE_TIME_LIMIT,
)
from planner.domain.records import ROLES, Dataset, Pin
from planner.planning.plan import Plan
from planner.rota.records import Rota
from planner.services._common import engine_or_default, refused
from planner.services.planning import baseline_of, make_horizon, plan_cover
from planner.solver.model import ProgressCallback
from planner.whatif import advise as advice
from planner.whatif import simulate as simulation
from planner.whatif.advise import Advice
from planner.whatif.changes import describe
from planner.whatif.compare import Comparison, compare_plans, write_comparison
from planner.whatif.rota_loss import RotaLoss, rota_loss
from planner.whatif.scenario import (
    Scenario,
    parse_scenario,
    read_scenario,
    scenario_from_dict,
    scenario_text,
)
from planner.whatif.simulate import Simulation

__all__ = [
    "advise_staffing",
    "apply_scenario",
    "delete_scenario",
    "make_assumptions",
    "open_scenario_upload",
    "read_scenario_file",
    "save_scenario",
    "scenario_file_text",
    "scenario_names",
    "simulate_turnover",
    "stored_scenario",
    "whatif",
    "whatif_rota_loss",
    "write_whatif",
]


def read_scenario_file(*, path: Path | str) -> Scenario:
    """A scenario file (YAML, TOML or JSON); `DatasetError` names the file, change and field."""
    return read_scenario(path)


def open_scenario_upload(*, name: str, content: bytes) -> Scenario:
    """A scenario from an uploaded file, its format told by the file name's suffix;
    `DatasetError` names the file, change and field."""
    return parse_scenario(content.decode("utf-8"), "." + name.rsplit(".", 1)[-1], source=name)


def scenario_file_text(*, scenario: Scenario, suffix: str = ".yaml") -> str:
    """A scenario as the text of a scenario file (for a download)."""
    return scenario_text(scenario, suffix)


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
    calendar: str = DEFAULT_CALENDAR,
    baseline: tuple[Pin, ...] = (),
) -> tuple[Plan, Plan, Comparison]:
    """Plan the base data and the scenario over the same weeks, and compare the two plans.

    The scenario is re-planned against the base plan (objective 2), so what the
    comparison shows moving is what the scenario forces, not a reshuffle; the base
    plan itself keeps `baseline` (e.g. the last plan) where it can.
    """
    require_role(actor, MANAGER)
    make_horizon(start, weeks, dataset, calendar)
    changed = apply_scenario(dataset=dataset, scenario=scenario, source=source)
    plans: list[Plan] = []
    for data in (dataset, changed):
        plans.append(
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
                calendar=calendar,
                baseline=baseline_of(plans[0]) if plans else baseline,
            )
        )
    comparison = compare_plans(
        plans[0], plans[1], name=scenario.name, changes=tuple(describe(scenario.changes))
    )
    return plans[0], plans[1], comparison


def whatif_rota_loss(
    *,
    actor: Actor,
    dataset: Dataset,
    scenario: Scenario,
    rota: Rota,
    replan_time_limit: float | None = None,
    workers: int | None = None,
    source: str | None = None,
) -> RotaLoss:
    """The promised incident hours the scenario costs `rota` (as it stands and re-planned)."""
    require_role(actor, MANAGER)
    changed = apply_scenario(dataset=dataset, scenario=scenario, source=source)
    return rota_loss(dataset, changed, rota, replan_time_limit=replan_time_limit, workers=workers)


def write_whatif(
    *,
    base: Plan,
    scenario_plan: Plan,
    comparison: Comparison,
    out: Path | str,
    rota_loss: RotaLoss | None = None,
) -> Path:
    """The scenario's folder (plans, comparison, and the rota's loss when there is one),
    all or nothing."""
    extra = {}
    if rota_loss is not None:
        text = json.dumps(rota_loss.as_dict(), indent=2, ensure_ascii=False) + "\n"
        extra["rota_loss.json"] = text.encode("utf-8")
    return write_comparison(comparison, base, scenario_plan, out, extra)


def write_simulation(*, result: Simulation, out: Path | str) -> Path:
    """`runs.csv` (for people, as Excel opens it) and `simulation.json`, all or nothing."""

    def fill(folder: Path) -> None:
        (folder / "runs.csv").write_bytes(people_csv(result.runs))
        (folder / "simulation.json").write_text(
            json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    return write_folder(out, fill, owns=("runs.csv", "simulation.json"))


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
    calendar: str = DEFAULT_CALENDAR,
) -> Simulation:
    """Sample `runs` futures from `seed`, plan each for cover, and sum up the spread."""
    require_role(actor, MANAGER)
    horizon = make_horizon(start, weeks, dataset, calendar)
    return simulation.simulate(
        dataset,
        simulation.PlanSettings(start, weeks, max_tz_gap, time_limit, horizon.calendar),
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
    calendar: str = DEFAULT_CALENDAR,
) -> Advice:
    """The fewest hires that reach `target` in the percentile future, and training moves."""
    require_role(actor, MANAGER)
    horizon = make_horizon(start, weeks, dataset, calendar)
    if role is not None and role not in ROLES:
        raise refused("--role", f"{role!r} is not one of {', '.join(ROLES)}")
    return advice.advise(
        dataset,
        simulation.PlanSettings(start, weeks, max_tz_gap, calendar=horizon.calendar),
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
    with session_scope(engine_or_default(engine)) as session:
        before = saved_scenarios.put_scenario(
            session=session, name=scenario.name, description=scenario.description, body=body
        )
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
    with session_scope(engine_or_default(engine)) as session:
        return saved_scenarios.scenario_names(session=session)


def stored_scenario(*, actor: Actor, name: str, engine: Engine | None = None) -> Scenario | None:
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        row = saved_scenarios.find_scenario(session=session, name=name)
        if row is None:
            return None
        return scenario_from_dict(
            {"name": row.name, "description": row.description, "changes": json.loads(row.body)},
            source=f"stored scenario {row.name!r}",
        )


def delete_scenario(*, actor: Actor, name: str, engine: Engine | None = None) -> bool:
    require_role(actor, MANAGER)
    with session_scope(engine_or_default(engine)) as session:
        row = saved_scenarios.find_scenario(session=session, name=name)
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
        saved_scenarios.remove_scenario(session=session, row=row)
        return True
