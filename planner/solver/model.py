"""`CoverModel`: the lexicographic cover plan, solved in stages.

Stage 1 (cover by priority) is exact week by week, because every hard rule
lives inside one week: the weeks are independent models (`weeks.WeekSolver`),
solved in parallel, each to a proven optimum when time allows. Stages 2-4
(handovers, familiarity, cost) couple the weeks through the (specialist,
demand) pairs: the continuity flows (`continuity`) re-route each week's cover
onto steady pairs, and where it fits the time one model of the whole horizon,
holding each week's cover per tier where stage 1 left it, improves them in turn.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import cast

from ortools.sat.python import cp_model

from planner.domain.defaults import PLAN_TIME_LIMIT
from planner.solver import continuity
from planner.solver.instance import Instance
from planner.solver.objectives import (
    TIERS,
    cost,
    familiar_units,
    handover_flags,
    kept_of,
    kept_units,
)
from planner.solver.rules import add_hard_rules
from planner.solver.variables import CoverVariables, Triple
from planner.solver.weeks import (
    SOLVED,
    TRIPLES_BUILT_PER_SECOND,
    WeekCover,
    WeekPool,
    WeekSolver,
    stage_solver,
    tier_totals,
    use_processes,
)

log = logging.getLogger(__name__)

# The whole-horizon model of stages 2-4 needs gigabytes past this many triples, and
# the continuity pass alone has to do.
_WHOLE_HORIZON_TRIPLES = 300_000
# Of the cover stage's time left, the most the flow of all weeks, and then the careful
# repair of the weeks it left unproven, may use: most weeks need milliseconds of each,
# but an XL week's careful repair takes 2-3 s, all weeks' more than the stage has.
_FLOW_SHARE = 0.3
_CAREFUL_SHARE = 0.9
# The per-week re-pick of the continuity pass stops after this many weeks in a row
# in which it opened no fewer pairs than the flows had.
_REPICK_PATIENCE = 4
_REPICK_SECONDS = 0.5
# Of the time the cover stage leaves, the most the stability stage (a baseline's
# bookings kept, week by week) may use.
_KEEP_SHARE = 0.6
# Of the time left when the continuity pass starts, the most its flows may use (they
# need a few seconds at L, and would need a minute at XL).
_CONTINUITY_FLOW_SHARE = 0.5


# A whole-horizon secondary stage's deterministic work per second of the time limit:
# 60 s gives each 1.8 units, about 2-4 s of wall time on 2 cores.
STAGE_WORK_PER_SECOND = 0.03
# A week's re-pick in the continuity pass: its deterministic work, and the wall-clock
# backstop over it.
_REPICK_WORK = 0.5


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


@dataclass(frozen=True)
class SolveConfig:
    """How long and how hard to search."""

    time_limit: float = PLAN_TIME_LIMIT
    workers: int = field(default_factory=default_workers)
    # Each whole-horizon secondary stage searches for at most this much CP-SAT
    # deterministic time (roughly a second of one core's work per unit), its workers
    # interleaved, never for a wall-clock budget: the same data gives the same plan
    # on a busy machine and an idle one. The time limit stays above it as a backstop.
    # None: `STAGE_WORK_PER_SECOND` of the time limit, so a longer limit searches longer
    # and the same command still gives the same plan.
    stage_work: float | None = None

    @property
    def work_per_stage(self) -> float:
        if self.stage_work is not None:
            return self.stage_work
        return max(0.2, STAGE_WORK_PER_SECOND * self.time_limit)

    coverage_share: float = 0.9  # of the time limit kept for stage 1 at most
    seed: int = 0
    # Cover only (stage 1): what-if sampling plans hundreds of futures and
    # compares cover, where handovers and cost would only cost time.
    secondary: bool = True
    # Weeks solved on worker processes (None: for big instances, where fork exists);
    # threads share one core while Python code runs.
    processes: bool | None = None


@dataclass(frozen=True)
class Progress:
    """A progress event: what stage, how far, and the cover found against its bound."""

    stage: str
    done: int
    total: int
    covered: int
    bound: int
    elapsed: float


@dataclass(frozen=True)
class StageReport:
    name: str
    status: str
    objective: float
    bound: float
    seconds: float


@dataclass(frozen=True)
class Solution:
    """A solved plan as data, whatever happened: proven, merely feasible, or cut short."""

    assignment: dict[Triple, int]
    coverage_optimal: bool
    demand: tuple[int, int, int]
    covered: tuple[int, int, int]
    bound: tuple[int, int, int]
    handovers: int
    kept_units: int
    familiar_units: int
    cost_kopecks: int
    stages: tuple[StageReport, ...]
    seconds: float
    unproven_weeks: tuple[int, ...] = ()

    @property
    def status(self) -> str:
        return "OPTIMAL" if self.coverage_optimal else "FEASIBLE"


ProgressCallback = Callable[[Progress], None]


class StallGuard(cp_model.CpSolverSolutionCallback):
    """Stops a search that has found nothing markedly better for `stall_seconds`.

    "Markedly" is one whole unit of the objective or 0.1% of it, whichever is
    larger: a cost search otherwise goes on for a long time finding savings of
    a few roubles.
    """

    def __init__(self, solver: cp_model.CpSolver, stall_seconds: float):
        super().__init__()
        self._solver = solver
        self._stall = stall_seconds
        self._last = time.monotonic()
        self._best: float | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def on_solution_callback(self) -> None:
        value = self.objective_value
        if self._best is None or abs(value - self._best) >= max(1.0, 1e-3 * abs(self._best)):
            self._best = value
            self._last = time.monotonic()

    def _watch(self) -> None:
        while not self._done.wait(0.05):
            if time.monotonic() - self._last > self._stall:
                self._solver.stop_search()
                return

    def __enter__(self) -> StallGuard:
        self._last = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def _by_tier(values: Iterable[int]) -> tuple[int, int, int]:
    """Three figures, critical to normal, as the solution reports them."""
    critical, high, normal = values
    return critical, high, normal


class _CoverSteps:
    """The cover stage's steps over the weeks: flow, careful repair, then searches.

    `best` keeps every week's best cover so far, so that when a worker process dies
    the weeks already done stay done and only the rest is planned again.
    """

    def __init__(
        self,
        instance: Instance,
        workers: int,
        stage_deadline: float,
        deadline: float,
        report: Callable[[dict[int, WeekCover]], None],
    ):
        self.instance = instance
        self.workers = workers
        self.stage_deadline = stage_deadline
        self.deadline = deadline
        self.report = report
        self.best: dict[int, WeekCover] = {}

    def run(self, pool: WeekPool) -> None:
        now = time.monotonic()
        self._step(
            pool,
            "flow",
            [w for w in range(self.instance.weeks) if w not in self.best],
            now + _FLOW_SHARE * (self.stage_deadline - now),
        )
        now = time.monotonic()
        self._step(
            pool,
            "careful",
            self._unproven(by_gap=True),
            now + _CAREFUL_SHARE * (self.stage_deadline - now),
        )
        first_try = True
        while todo := self._unproven():
            reserve = 0.0 if first_try else 0.5 * len(todo) / self.workers
            if time.monotonic() > self.stage_deadline - reserve:
                break
            self._step(pool, "search", todo, self.stage_deadline, first_try)
            first_try = False

    def _step(
        self, pool: WeekPool, step: str, weeks: list[int], step_deadline: float, *extra: object
    ) -> None:
        """One step for `weeks`, each with a fair share of the time left when it starts."""
        waiting = len(weeks)
        futures: dict[Future[WeekCover], int] = {}
        queue = list(weeks)
        while queue or futures:
            while queue and len(futures) < self.workers:
                w = queue.pop(0)
                now = time.monotonic()
                fair = (step_deadline - now) * self.workers / max(1, waiting)
                week_deadline = now + max(0.2, min(self.deadline - now, fair))
                args = (w, week_deadline) if step == "flow" else (w, week_deadline, self.best[w])
                futures[pool.submit(step, *args, *extra)] = w
                waiting -= 1
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                del futures[future]
                week = future.result()
                self.best[week.week] = week
                self.report(self.best)

    def keep(self, pool: WeekPool, deadline: float) -> None:
        """Objective 2: every week with baseline bookings keeps the most of them its
        cover allows, each with a fair share of the time to `deadline`."""
        weeks = sorted({w for (_, _, w) in self.instance.baseline})
        if weeks:
            self._step(pool, "keep", weeks, deadline)

    def _unproven(self, by_gap: bool = False) -> list[int]:
        """The weeks not proven yet: for the repair, those with most to gain first, in case
        time runs out; for the search, the biggest first, so none is left to run alone."""
        best = self.best
        weeks = [w for w in best if not best[w].optimal]
        if by_gap:
            return sorted(
                weeks, key=lambda w: tuple(best[w].covered[t] - best[w].bound[t] for t in range(3))
            )
        return sorted(weeks, key=lambda w: -len(self.instance.eligible[w]))


class CoverModel:
    """Builds and solves the cover plan for one `Instance`."""

    def __init__(
        self,
        instance: Instance,
        config: SolveConfig | None = None,
        progress: ProgressCallback | None = None,
    ):
        self.instance = instance
        self.config = config or SolveConfig()
        self._progress = progress or (lambda event: None)
        self._started = 0.0

    # ------------------------------------------------------------------ public

    def solve(self) -> Solution:
        self._started = time.monotonic()
        deadline = self._started + self.config.time_limit
        weeks = self._solve_coverage(
            self._started + self.config.time_limit * self.config.coverage_share, deadline
        )
        assignment: dict[Triple, int] = {}
        for week in weeks:
            assignment.update(week.assignment)
        stages = [
            StageReport(
                "cover",
                "OPTIMAL" if all(w.optimal for w in weeks) else "FEASIBLE",
                sum(sum(w.covered) for w in weeks),
                sum(sum(w.bound) for w in weeks),
                time.monotonic() - self._started,
            )
        ]
        if self.instance.baseline:
            stages.append(
                StageReport(
                    "stability",
                    "OPTIMAL" if all(w.kept_optimal for w in weeks) else "FEASIBLE",
                    sum(w.kept for w in weeks),
                    sum(w.kept_bound for w in weeks),
                    time.monotonic() - self._started,
                )
            )
        if self.config.secondary:
            assignment, kept_on = self._continuity_pass(assignment, weeks, deadline)
            stages.append(kept_on)
            assignment, secondary = self._improve_secondary(assignment, weeks, deadline)
            stages.extend(secondary)
        covered = tier_totals(self.instance, assignment)
        bound = _by_tier(max(sum(w.bound[t] for w in weeks), covered[t]) for t in range(3))
        demand = _by_tier(sum(row) for row in self.instance.tier_demand())
        return Solution(
            assignment=assignment,
            coverage_optimal=all(w.optimal for w in weeks),
            demand=demand,
            covered=covered,
            bound=bound,
            handovers=continuity.handovers(assignment),
            kept_units=kept_of(self.instance, assignment),
            familiar_units=_familiar_units(assignment, self.instance),
            cost_kopecks=_cost_kopecks(assignment, self.instance),
            stages=tuple(stages),
            seconds=time.monotonic() - self._started,
            unproven_weeks=tuple(w.week for w in weeks if not w.optimal),
        )

    # ------------------------------------------------------------------ stage 1

    def _solve_coverage(self, stage_deadline: float, deadline: float) -> list[WeekCover]:
        """Every week's cover, each step on the weeks the cheaper steps left unproven.

        The flow proves most weeks in milliseconds and the careful repair most of
        the rest; doing each step for all weeks before the next leaves the stage's
        time to the few weeks that need a search, shared fairly, and weeks still
        unproven get the remaining time again.
        """
        instance = self.instance
        workers = max(1, self.config.workers)
        solver = WeekSolver(instance, self.config.seed, self.config.work_per_stage)
        processes = use_processes(instance, workers, self.config.processes)
        steps = _CoverSteps(instance, workers, stage_deadline, deadline, self._report_cover)
        try:
            with WeekPool(solver, workers, processes) as pool:
                steps.run(pool)
                steps.keep(pool, self._keep_deadline(deadline))
        except BrokenProcessPool:
            # a worker died (out of memory, killed): what is done stays, threads do the rest
            log.warning("a week worker process died; planning the rest on threads")
            with WeekPool(solver, workers, processes=False) as pool:
                steps.run(pool)
                steps.keep(pool, self._keep_deadline(deadline))
        return [steps.best[w] for w in range(instance.weeks)]

    def _keep_deadline(self, deadline: float) -> float:
        """Stability gets most of the time the cover left: handovers come after it."""
        now = time.monotonic()
        return now + _KEEP_SHARE * max(0.0, deadline - now)

    def _report_cover(self, best: dict[int, WeekCover]) -> None:
        self._progress(
            Progress(
                "cover",
                sum(1 for b in best.values() if b.optimal),
                self.instance.weeks,
                sum(sum(b.covered) for b in best.values()),
                sum(sum(b.bound) for b in best.values()),
                time.monotonic() - self._started,
            )
        )

    # ------------------------------------------------------------------ stages 2-4

    def _continuity_pass(
        self, assignment: dict[Triple, int], weeks: list[WeekCover], deadline: float
    ) -> tuple[dict[Triple, int], StageReport]:
        """Fewer handovers with each week's cover held: flows first, then a re-pick per week.

        Stage 1 solves weeks independently, so it has no reason to keep the same
        specialist on a demand from one week to the next. The re-routing flows of
        `continuity` take milliseconds a week; then a CP-SAT re-pick per week, in
        date order, opens as few new (specialist, demand) pairs as it can,
        preferring those that could run on for the most following weeks. Where
        those re-picks stop finding anything (weeks as hard as L's), the pass
        stops trying and leaves the time to the next stages. Last, units move
        between the pairs in use towards familiar, then cheaper, specialists.
        """
        started = time.monotonic()
        instance = _holding_kept(self.instance, assignment)
        run_length = continuity.run_lengths(instance)
        # a week's re-pick may search for half a second: a week whose model takes longer
        # to build than that (XL's) is not worth it, and its time goes to the flows
        repick = {
            w
            for w in range(instance.weeks)
            if 0 < len(instance.eligible[w]) <= _REPICK_SECONDS * TRIPLES_BUILT_PER_SECOND
        }
        share = _CONTINUITY_FLOW_SHARE if repick else 1.0
        flows_until = started + share * (deadline - 0.5 - started)
        assignment = continuity.continue_in_date_order(
            instance,
            assignment,
            run_length,
            started + 0.5 * (flows_until - started),
            hard_deadline=deadline - 0.5,
        )
        assignment = continuity.sweep_both_ways(
            instance, assignment, run_length, deadline=flows_until
        )
        result = self._repick_weeks(instance, assignment, weeks, repick, run_length, deadline)
        if continuity.handovers(result) < continuity.handovers(assignment):
            # the re-picks moved weeks onto new pairs: the other weeks may now follow
            result = continuity.sweep_both_ways(
                instance, result, run_length, deadline=deadline - 0.5
            )
        else:
            result = assignment
        result = continuity.familiar_and_cheap(instance, result, deadline)
        return result, StageReport(
            "continuity",
            "HEURISTIC",
            continuity.handovers(result),
            math.nan,
            time.monotonic() - started,
        )

    def _repick_weeks(
        self,
        instance: Instance,
        assignment: dict[Triple, int],
        weeks: list[WeekCover],
        repick: set[int],
        run_length: list[dict[tuple[int, int], int]],
        deadline: float,
    ) -> dict[Triple, int]:
        """Each week in date order re-picked to open the fewest new pairs, while it pays.

        A week not worth a re-pick, or reached when time is short or after
        `_REPICK_PATIENCE` fruitless weeks in a row, stays as the flows left it.
        """
        open_pairs = {(s, d) for (s, d, _) in instance.pins}
        result: dict[Triple, int] = {}
        fruitless = 0
        by_week = continuity.by_week(assignment)
        for week in weeks:
            w = week.week
            self._progress(
                Progress(
                    "continuity",
                    w,
                    instance.weeks,
                    sum(result.values()),
                    len(open_pairs),
                    time.monotonic() - self._started,
                )
            )
            current = by_week.get(w, {})
            if (
                w not in repick
                or time.monotonic() > deadline - 0.5
                or fruitless >= _REPICK_PATIENCE
            ):
                result.update(current)
                open_pairs |= {(s, d) for (s, d, _), u in current.items() if u > 0}
                continue
            opened = len({(s, d) for (s, d, _) in current} - open_pairs)
            current = self._repick_week(
                instance, week, current, open_pairs, run_length[w], deadline
            )
            fruitless = (
                fruitless + 1
                if len({(s, d) for (s, d, _) in current} - open_pairs) >= opened
                else 0
            )
            result.update(current)
            open_pairs |= {(s, d) for (s, d, _), u in current.items() if u > 0}
        return result

    def _repick_week(
        self,
        instance: Instance,
        week: WeekCover,
        current: dict[Triple, int],
        open_pairs: set[tuple[int, int]],
        run_length: dict[tuple[int, int], int],
        deadline: float,
    ) -> dict[Triple, int]:
        """One week's cover per tier held, on as few new pairs as CP-SAT finds in its time.

        A new pair costs more the sooner it would end; among equal openings the
        more familiar cover wins. Nothing found in time keeps `current`.
        """
        w = week.week
        model = cp_model.CpModel()
        v = CoverVariables(model, instance, [w])
        add_hard_rules(model, v)
        by_tier: dict[int, list] = defaultdict(list)
        for key in v.triples:
            by_tier[instance.demand_tier[key[1]]].append(v.units(*key))
        for tier in range(3):
            if week.covered[tier] > 0:
                model.add(sum(by_tier[tier]) >= week.covered[tier])
        horizon_left = instance.weeks - w
        penalty = []
        for s, d in {(k[0], k[1]) for k in v.triples} - open_pairs:
            flag = model.new_bool_var(f"opens[{s},{d}]")
            model.add(v.units(s, d, w) == 0).only_enforce_if(~flag)
            penalty.append((2 * horizon_left - run_length[(s, d)]) * flag)
        v.hint(model, current)
        # familiarity is the next objective: among equal openings, prefer familiar cover
        most_units = sum(instance.demand_units(d, w) for d in {k[1] for k in v.triples})
        familiar = cast(cp_model.LinearExpr, familiar_units(v))
        model.minimize(sum(penalty) * (most_units + 1) - familiar)
        solver = self._solver(
            max(0.05, min(4 * _REPICK_SECONDS, deadline - time.monotonic())), workers=1
        )
        solver.parameters.max_deterministic_time = _REPICK_WORK
        status = solver.solve(model)
        if status not in SOLVED:
            return current
        values = {k: solver.value(v.units(*k)) for k in v.triples}
        return {k: u for k, u in values.items() if u > 0}

    def _improve_secondary(
        self, assignment: dict[Triple, int], weeks: list[WeekCover], deadline: float
    ) -> tuple[dict[Triple, int], list[StageReport]]:
        """Fewer handovers, then more familiarity, then lower cost, cover held."""
        instance = self.instance
        if not assignment or time.monotonic() > deadline - 0.1:
            return assignment, []
        triples = sum(len(pairs) for pairs in instance.eligible)
        if triples > _WHOLE_HORIZON_TRIPLES or (
            triples / TRIPLES_BUILT_PER_SECOND > 0.3 * (deadline - time.monotonic())
        ):
            log.info(
                "skipping whole-horizon stages: %d triples, %.1f s left",
                triples,
                deadline - time.monotonic(),
            )
            return assignment, [StageReport("handovers", "SKIPPED", math.nan, math.nan, 0.0)]
        model, v = self._whole_horizon_model(weeks)
        if instance.baseline:
            # objective 2 as far as the stages before it reached
            model.add(kept_units(model, v) >= kept_of(instance, assignment))
        flags = handover_flags(model, v)
        handovers = sum(flags.values())
        familiar = familiar_units(v)
        spend = cost(v)
        reports: list[StageReport] = []
        stages = (
            ("handovers", handovers, False, 0.6),
            ("familiarity", familiar, True, 0.5),
            ("cost", spend, False, 1.0),
        )
        for name, expression, maximise, share in stages:
            now = time.monotonic()
            limit = (deadline - now) * share
            if limit < 0.05:
                break
            v.hint(model, assignment)
            used_pairs = {(s, d) for (s, d, _), u in assignment.items() if u > 0}
            for pair, flag in flags.items():
                model.add_hint(flag, pair in used_pairs)
            self._progress(
                Progress(
                    name,
                    len(reports),
                    len(stages),
                    sum(assignment.values()),
                    _objective_of(name, assignment, instance),
                    time.monotonic() - self._started,
                )
            )
            model.clear_objective()
            if maximise:
                model.maximize(expression)
            else:
                model.minimize(expression)
            solver = self._solver(limit, workers=self.config.workers)
            solver.parameters.interleave_search = True
            solver.parameters.max_deterministic_time = self.config.work_per_stage
            status = solver.solve(model)
            seconds = time.monotonic() - now
            if status not in SOLVED:
                reports.append(
                    StageReport(name, solver.status_name(status), math.nan, math.nan, seconds)
                )
                break
            value = round(solver.objective_value)
            reports.append(
                StageReport(
                    name, solver.status_name(status), value, solver.best_objective_bound, seconds
                )
            )
            candidate = {k: solver.value(v.units(*k)) for k in v.triples}
            assignment = {k: u for k, u in candidate.items() if u > 0}
            # hold what this stage reached while the next one optimises
            model.add(expression >= value if maximise else expression <= value)
            self._progress(
                Progress(
                    name,
                    len(reports),
                    len(stages),
                    sum(assignment.values()),
                    _objective_of(name, assignment, instance),
                    time.monotonic() - self._started,
                )
            )
        return assignment, reports

    def _whole_horizon_model(
        self, weeks: list[WeekCover]
    ) -> tuple[cp_model.CpModel, CoverVariables]:
        """Every week at once, every hard rule, each week's cover per tier held where stage 1
        left it, so the secondary stages can only trade among plans of equal cover."""
        instance = self.instance
        model = cp_model.CpModel()
        v = CoverVariables(model, instance, range(instance.weeks))
        add_hard_rules(model, v)
        by_week_tier: dict[tuple[int, int], list] = defaultdict(list)
        for key in v.triples:
            by_week_tier[(key[2], instance.demand_tier[key[1]])].append(v.units(*key))
        for week in weeks:
            for tier in range(3):
                if week.covered[tier] > 0:
                    model.add(sum(by_week_tier[(week.week, tier)]) >= week.covered[tier])
        return model, v

    # ------------------------------------------------------------------ helpers

    def _solver(self, time_limit: float, *, workers: int) -> cp_model.CpSolver:
        return stage_solver(time_limit, workers=workers, seed=self.config.seed)


def _holding_kept(instance: Instance, assignment: dict[Triple, int]) -> Instance:
    """The instance with every booking that keeps baseline units held like a pin.

    The continuity flows and re-picks move whole weeks around; holding these
    bookings as they are keeps objective 2 where its stage left it, so the
    handover work after it can only trade among plans that keep as much.
    """
    if not instance.baseline:
        return instance
    held = dict(instance.pins)
    for key, units in assignment.items():
        if units > 0 and key in instance.baseline:
            held[key] = units
    return replace(instance, pins=held)


def _objective_of(stage: str, assignment: dict[Triple, int], instance: Instance) -> int:
    """The value a secondary stage starts from, for progress reports."""
    if stage == "handovers":
        return continuity.handovers(assignment)
    if stage == "familiarity":
        return _familiar_units(assignment, instance)
    return _cost_kopecks(assignment, instance) // 100


def _familiar_units(assignment: dict[Triple, int], instance: Instance) -> int:
    return sum(
        u
        for (s, d, _), u in assignment.items()
        if (s, instance.demand_operator[d]) in instance.familiar
    )


def _cost_kopecks(assignment: dict[Triple, int], instance: Instance) -> int:
    return sum(instance.cost_per_unit[s] * u for (s, _, _), u in assignment.items())


__all__ = ["TIERS", "CoverModel", "Progress", "Solution", "SolveConfig", "StageReport"]
