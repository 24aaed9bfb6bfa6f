"""Turnover risk: sample many possible futures, plan each, and read the spread of cover.

A future is a list of ordinary scenario changes drawn at random: operators'
people resign (annual attrition per role) and are replaced after a refill delay,
people fall sick, and the vendor's own specialists leave. Run `k` draws from
`SeedSequence(seed).spawn(...)[k]`, so its future depends on the seed and its
index only: never on how many workers plan the futures or in which order they
finish. Each future is planned for cover only (`secondary=False`, one solver
thread), which is what the distribution is about, and fast.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.domain.calendar import UNITS_PER_FTE, Horizon
from planner.domain.defaults import DEFAULT_MAX_TZ_GAP, SAMPLE_TIME_LIMIT
from planner.domain.demand import demand_sources
from planner.domain.production_calendar import MONDAY_TO_FRIDAY, WorkingCalendar
from planner.domain.records import PRIORITIES, ROLES, Dataset
from planner.planning.pipeline import make_plan
from planner.solver.model import SolveConfig
from planner.whatif.changes import (
    PLACEHOLDER_PREFIX,
    Change,
    SpecialistLeave,
    SpecialistLeaves,
    StaffAbsent,
    StaffJoins,
    StaffLeaves,
)
from planner.whatif.scenario import apply_changes

WEEKS_PER_YEAR = 52
DEFAULT_ATTRITION = 0.15  # a common annual staff turnover in back-office teams
DEFAULT_REFILL_WEEKS = (4, 12)
DEFAULT_SICK_EPISODES = 0.5  # unplanned sick spells per person-year, beyond those in the data
DEFAULT_SICK_DAYS = (3, 10)
DEFAULT_VENDOR_ATTRITION = 0.10

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class Assumptions:
    """The rates a future is drawn with; all annual rates are probabilities per year."""

    attrition: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(ROLES, DEFAULT_ATTRITION)
    )
    refill_weeks: tuple[int, int] = DEFAULT_REFILL_WEEKS
    sick_episodes: float = DEFAULT_SICK_EPISODES
    sick_days: tuple[int, int] = DEFAULT_SICK_DAYS
    vendor_attrition: float = DEFAULT_VENDOR_ATTRITION

    def as_dict(self) -> dict:
        return {
            "attrition": dict(self.attrition),
            "refill_weeks": list(self.refill_weeks),
            "sick_episodes_per_year": self.sick_episodes,
            "sick_days": list(self.sick_days),
            "vendor_attrition": self.vendor_attrition,
        }


def weekly_hazard(annual_rate: float) -> float:
    """The chance to leave in any one week that compounds to `annual_rate` over a year."""
    return 1.0 - (1.0 - min(max(annual_rate, 0.0), 0.999999)) ** (1.0 / WEEKS_PER_YEAR)


def _leaving_day(
    rng: np.random.Generator, annual_rate: float, first: date, last: date
) -> date | None:
    """A working day after `first` and up to `last` on which someone leaves, or None.

    Leaving on `first` itself would mean never having worked here, so the
    earliest day is the next working day.
    """
    if annual_rate <= 0 or last <= first:
        return None
    weeks = int(rng.geometric(weekly_hazard(annual_rate)))
    monday = first - timedelta(days=first.weekday())
    day = monday + timedelta(weeks=weeks - 1, days=int(rng.integers(0, 5)))
    if day <= first:
        day = first + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day if day <= last else None


def sample_future(
    dataset: Dataset,
    horizon: Horizon,
    assumptions: Assumptions,
    rng: np.random.Generator,
    *,
    run: int = 0,
) -> tuple[Change, ...]:
    """One random future as scenario changes, drawn in the dataset's own order."""
    start, end = horizon.start, horizon.end
    changes: list[Change] = []
    for member in dataset.staff:
        if member.staff_id.startswith(PLACEHOLDER_PREFIX):
            continue
        first = max(start, member.joined_on or start)
        last = min(end, member.left_on or end)
        if last < first:
            continue
        gone = _leaving_day(rng, assumptions.attrition.get(member.role, 0.0), first, last)
        if gone is not None:
            changes.append(StaffLeaves(member.staff_id, gone))
            low, high = assumptions.refill_weeks
            refill = gone + timedelta(weeks=int(rng.integers(low, high + 1)))
            if refill <= end:
                changes.append(
                    StaffJoins(
                        f"{member.staff_id}-R{run}",
                        member.operator_id,
                        member.role,
                        member.fte,
                        refill,
                        "replacement (simulated)",
                    )
                )
            last = gone - timedelta(days=1)
        changes += _sick_spells(rng, assumptions, first, last, _staff_sick(member.staff_id))
    for specialist in dataset.specialists:
        first = max(start, specialist.joined_on or start)
        last = min(end, specialist.left_on or end)
        if last < first:
            continue
        gone = _leaving_day(rng, assumptions.vendor_attrition, first, last)
        if gone is not None:
            changes.append(SpecialistLeaves(specialist.specialist_id, gone))
            last = gone - timedelta(days=1)
        changes += _sick_spells(
            rng, assumptions, first, last, _specialist_sick(specialist.specialist_id)
        )
    return tuple(changes)


def _staff_sick(staff_id: str) -> Callable[[date, date], Change]:
    """A sick spell of one of an operator's people, for `_sick_spells` to date."""
    return lambda start, end: StaffAbsent(staff_id, start, end, "sick")


def _specialist_sick(specialist_id: str) -> Callable[[date, date], Change]:
    """A sick spell of one of the vendor's specialists, for `_sick_spells` to date."""
    return lambda start, end: SpecialistLeave(specialist_id, start, end, "sick")


def _sick_spells(
    rng: np.random.Generator,
    assumptions: Assumptions,
    first: date,
    last: date,
    make: Callable[[date, date], Change],
) -> list[Change]:
    days = (last - first).days + 1
    if days <= 0 or assumptions.sick_episodes <= 0:
        return []
    count = int(rng.poisson(assumptions.sick_episodes * days / 365.0))
    spells = []
    low, high = assumptions.sick_days
    for _ in range(count):
        begin = first + timedelta(days=int(rng.integers(0, days)))
        length = int(rng.integers(low, high + 1))
        spells.append(make(begin, min(last, begin + timedelta(days=length - 1))))
    return spells


def future_rngs(seed: int, runs: int) -> list[np.random.Generator]:
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(runs)]


def sample_futures(
    dataset: Dataset, horizon: Horizon, assumptions: Assumptions, *, seed: int, runs: int
) -> list[tuple[Change, ...]]:
    return [
        sample_future(dataset, horizon, assumptions, rng, run=k)
        for k, rng in enumerate(future_rngs(seed, runs))
    ]


# --------------------------------------------------------------------------- planning futures


@dataclass(frozen=True)
class PlanSettings:
    start: date
    weeks: int
    max_tz_gap: float = DEFAULT_MAX_TZ_GAP
    time_limit: float = SAMPLE_TIME_LIMIT
    calendar: WorkingCalendar = MONDAY_TO_FRIDAY

    @property
    def horizon(self) -> Horizon:
        """The planning grid every future is planned on: the same weeks and working days."""
        return Horizon(self.start, self.weeks, self.calendar)


@dataclass(frozen=True)
class UncoveredUnits:
    demand_id: str
    operator_id: str
    role: str
    priority: str
    week: date
    units: int


@dataclass(frozen=True)
class Outcome:
    """What one planned future comes to: cover by priority and what stays uncovered."""

    run: int
    demand: dict[str, int]
    covered: dict[str, int]
    uncovered: tuple[UncoveredUnits, ...]
    events: int
    role_demand: dict[str, dict[str, int]] = field(default_factory=dict)
    role_covered: dict[str, dict[str, int]] = field(default_factory=dict)

    def cover_fraction(self, priority: str, role: str | None = None) -> float:
        if role is None:
            total, covered = self.demand[priority], self.covered[priority]
        else:
            total = self.role_demand.get(role, {}).get(priority, 0)
            covered = self.role_covered.get(role, {}).get(priority, 0)
        return covered / total if total else 1.0

    def covered_units(self, priority: str, role: str | None = None) -> int:
        if role is None:
            return self.covered[priority]
        return self.role_covered.get(role, {}).get(priority, 0)


def plan_future(
    dataset: Dataset, settings: PlanSettings, changes: Sequence[Change], run: int = 0
) -> Outcome:
    """Plan one future for cover only; top-level so process pools and Dask can pickle it."""
    future = apply_changes(dataset, changes)
    plan = make_plan(
        future,
        settings.horizon,
        max_tz_gap=settings.max_tz_gap,
        config=SolveConfig(time_limit=settings.time_limit, workers=1, secondary=False),
    )
    uncovered = tuple(
        UncoveredUnits(u.demand_id, u.operator_id, u.role, u.priority, u.week, u.units)
        for u in plan.uncovered
    )
    priority_of = {
        demand_id: source.priority for demand_id, source in demand_sources(future).items()
    }
    role_demand = {role: dict.fromkeys(PRIORITIES, 0) for role in ROLES}
    role_covered = {role: dict.fromkeys(PRIORITIES, 0) for role in ROLES}
    for a in plan.assignments:
        role_covered[a.role][priority_of[a.demand_id]] += a.units
        role_demand[a.role][priority_of[a.demand_id]] += a.units
    for u in plan.uncovered:
        role_demand[u.role][u.priority] += u.units
    return Outcome(
        run,
        dict(plan.summary["demand_units"]),
        dict(plan.summary["covered_units"]),
        uncovered,
        len(changes),
        role_demand,
        role_covered,
    )


def run_futures(
    dataset: Dataset,
    settings: PlanSettings,
    futures: Sequence[Sequence[Change]],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: ProgressFn | None = None,
) -> list[Outcome]:
    """Plan every future; results in run order whatever executor and order of completion.

    One worker plans in this process; more use a local process pool; a
    `scheduler` address sends the runs to a Dask cluster instead.
    """
    total = len(futures)
    results: list[Outcome | None] = [None] * total
    report = progress or (lambda done, total: None)
    report(0, total)
    if scheduler:
        from distributed import Client, as_completed

        with Client(scheduler) as client:
            [shared] = client.scatter([dataset], broadcast=True)
            jobs = [
                client.submit(plan_future, shared, settings, tuple(changes), k, pure=False)
                for k, changes in enumerate(futures)
            ]
            for done, job in enumerate(as_completed(jobs), start=1):
                outcome = job.result()
                results[outcome.run] = outcome
                report(done, total)
    elif workers <= 1 or total <= 1:
        for k, changes in enumerate(futures):
            results[k] = plan_future(dataset, settings, changes, k)
            report(k + 1, total)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures import as_completed as completed

        # fork: the workers start at once with everything imported (Linux; 3.11's default)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, total), mp_context=context) as pool:
            jobs = [
                pool.submit(plan_future, dataset, settings, tuple(changes), k)
                for k, changes in enumerate(futures)
            ]
            for done, job in enumerate(completed(jobs), start=1):
                outcome = job.result()
                results[outcome.run] = outcome
                report(done, total)
    return [r for r in results if r is not None]


# --------------------------------------------------------------------------- the distribution


BAD_FUTURE = "Bad future (P10)"
MIDDLE_FUTURE = "Middle future (P50)"
GOOD_FUTURE = "Good future (P90)"


def percentile_meaning(cover_percentile: int) -> str:
    """What a cover percentile means, said one way by `simulate`, `advise` and the screens.

    Percentiles are always of cover: P10 is the cover only 10% of futures fall
    below, so 90% of futures reach it: the bad future. `advise --percentile 90`
    asks for that same future.
    """
    return f"P{cover_percentile} of cover: reached in {100 - cover_percentile}% of futures"


@dataclass(frozen=True)
class Simulation:
    """The spread of cover over the sampled futures, against the base data's plan."""

    seed: int
    assumptions: Assumptions
    base: Outcome
    outcomes: tuple[Outcome, ...]
    runs: pd.DataFrame  # one row per future: cover by priority, critical uncovered, events
    percentiles: pd.DataFrame  # priority x P10/P50/P90 of cover %
    exposed: pd.DataFrame  # operators most often left with uncovered critical/high demand
    p_critical_gap: float
    p_critical_worse: float

    def as_dict(self) -> dict:
        return {
            "seed": self.seed,
            "runs": len(self.outcomes),
            "assumptions": self.assumptions.as_dict(),
            "base_cover_pct": {p: round(100 * self.base.cover_fraction(p), 2) for p in PRIORITIES},
            "cover_pct_percentiles": self.percentiles.to_dict("index"),
            "p_any_critical_uncovered": self.p_critical_gap,
            "p_more_critical_uncovered_than_base": self.p_critical_worse,
            "exposed_operators": self.exposed.to_dict("records"),
        }

    def headline(self) -> str:
        lines = [
            f"{len(self.outcomes)} futures, seed {self.seed}; percentiles of cover "
            f"({percentile_meaning(10)})"
        ]
        for p in PRIORITIES:
            row = self.percentiles.loc[p]
            lines.append(
                f"{p:<8} cover %: base {100 * self.base.cover_fraction(p):.1f}; "
                f"bad future (P10) {row['P10']:.1f}  middle (P50) {row['P50']:.1f}  "
                f"good (P90) {row['P90']:.1f}"
            )
        lines.append(
            f"chance that some critical demand goes uncovered: "
            f"{100 * self.p_critical_gap:.0f}% (more than in the base plan: "
            f"{100 * self.p_critical_worse:.0f}%)"
        )
        if len(self.exposed):
            lines.append("clients most often exposed (uncovered critical or high FTE-weeks):")
            lines += [
                f"  {r.operator_id}: {100 * r.share_of_runs:.0f}% of futures, mean "
                f"{r.mean_units / UNITS_PER_FTE:.1f} FTE-weeks "
                f"(base {r.base_units / UNITS_PER_FTE:g})"
                for r in self.exposed.head(5).itertuples()
            ]
        return "\n".join(lines)


def _severe_units(outcome: Outcome) -> dict[str, int]:
    units: dict[str, int] = defaultdict(int)
    for u in outcome.uncovered:
        if u.priority in ("critical", "high"):
            units[u.operator_id] += u.units
    return units


def summarise(
    seed: int, assumptions: Assumptions, base: Outcome, outcomes: Sequence[Outcome]
) -> Simulation:
    rows = []
    for o in outcomes:
        row: dict[str, float] = {"run": o.run, "events": o.events}
        for p in PRIORITIES:
            row[f"demand_{p}"] = o.demand[p]
            row[f"covered_{p}"] = o.covered[p]
            row[f"cover_pct_{p}"] = round(100 * o.cover_fraction(p), 3)
        row["critical_uncovered"] = o.demand["critical"] - o.covered["critical"]
        rows.append(row)
    runs = pd.DataFrame(rows)
    percentiles = pd.DataFrame(
        {
            f"P{q}": [round(float(np.percentile(runs[f"cover_pct_{p}"], q)), 2) for p in PRIORITIES]
            for q in (10, 50, 90)
        },
        index=list(PRIORITIES),
    )
    base_critical = base.demand["critical"] - base.covered["critical"]
    p_gap = float(np.mean(runs["critical_uncovered"] > 0)) if len(runs) else 0.0
    p_worse = float(np.mean(runs["critical_uncovered"] > base_critical)) if len(runs) else 0.0
    base_severe = _severe_units(base)
    hits: dict[str, list[int]] = defaultdict(list)
    for o in outcomes:
        for operator_id, units in _severe_units(o).items():
            hits[operator_id].append(units)
    exposed = pd.DataFrame(
        [
            {
                "operator_id": op,
                "runs_exposed": len(units),
                "share_of_runs": round(len(units) / len(outcomes), 3),
                "mean_units": round(sum(units) / len(units), 1),
                "max_units": max(units),
                "base_units": base_severe.get(op, 0),
            }
            for op, units in hits.items()
        ],
        columns=[
            "operator_id",
            "runs_exposed",
            "share_of_runs",
            "mean_units",
            "max_units",
            "base_units",
        ],
    )
    exposed = exposed.sort_values(
        ["share_of_runs", "mean_units", "operator_id"], ascending=[False, False, True]
    ).reset_index(drop=True)
    return Simulation(
        seed,
        assumptions,
        base,
        tuple(outcomes),
        runs,
        percentiles,
        exposed,
        round(p_gap, 4),
        round(p_worse, 4),
    )


def simulate(
    dataset: Dataset,
    settings: PlanSettings,
    *,
    runs: int,
    seed: int,
    assumptions: Assumptions | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: ProgressFn | None = None,
) -> Simulation:
    assumptions = assumptions or Assumptions()
    horizon = settings.horizon
    futures = sample_futures(dataset, horizon, assumptions, seed=seed, runs=runs)
    base = plan_future(dataset, settings, (), -1)
    outcomes = run_futures(
        dataset, settings, futures, workers=workers, scheduler=scheduler, progress=progress
    )
    return summarise(seed, assumptions, base, outcomes)


def parse_rates(text: str, *, option: str = "--attrition") -> dict[str, float]:
    """`technical=0.18,finance=0.1` -> rates by role; `ValueError` says what is wrong."""
    rates: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        role, sep, value = (s.strip() for s in part.partition("="))
        if not sep or role not in ROLES:
            raise ValueError(f"{part!r}: write role=rate with a role of {', '.join(ROLES)}")
        try:
            rate = float(value)
        except ValueError:
            raise ValueError(f"{part!r}: {value!r} is not a number") from None
        if not (0 <= rate < 1) or math.isnan(rate):
            raise ValueError(f"{part!r}: an annual rate is between 0 and 1")
        rates[role] = rate
    return rates
