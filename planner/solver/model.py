"""`CoverModel`: the lexicographic cover plan, solved in stages.

Stage 1 (cover by priority) is exact week by week, because every hard rule
lives inside one week: the weeks are independent small models, solved in
parallel threads, each to a proven optimum when time allows. Stages 2-4
(handovers, familiarity, cost) couple the weeks through the (specialist,
demand) pairs, so they run on one model of the whole horizon that keeps each
week's cover per tier at least where stage 1 left it, and starts from the
previous stage's solution as a hint.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.instance import Instance
from planner.solver.flow import improve_by_swaps, keep_people_on, solve_week_flow
from planner.solver.objectives import (
    TIERS,
    cost,
    familiar_units,
    handover_flags,
    lexicographic_cover,
    tier_weights,
)
from planner.solver.rules import add_hard_rules
from planner.solver.variables import CoverVariables, Triple

log = logging.getLogger(__name__)

_SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)
# The whole-horizon model of stages 2-4 is built in Python at roughly this rate (measured
# on the development machine); past the cap it would need gigabytes, and the continuity
# pass alone has to do.
_TRIPLES_BUILT_PER_SECOND = 15_000
_WHOLE_HORIZON_TRIPLES = 300_000
# Of a hard week's time, the part the careful flow repair, and then the client-swap local
# search, may each use before CP-SAT.
_SWAP_SHARE = 0.1
# Of what is left then, the search that reaches the bound gets this part: it is the one
# that usually succeeds, and optimising below the bound rarely proves anything in the rest.
_REACH_SHARE = 0.85


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


@dataclass(frozen=True)
class SolveConfig:
    """How long and how hard to search."""

    time_limit: float = 60.0
    workers: int = field(default_factory=default_workers)
    # Secondary stages stop when no better solution came for this long: they have
    # no proof obligation, and waiting for one would make every re-plan slow.
    stall_seconds: float = 1.0
    coverage_share: float = 0.9  # of the time limit kept for stage 1 at most
    seed: int = 0
    # Cover only (stage 1): what-if sampling plans hundreds of futures and
    # compares cover, where handovers and cost would only cost time.
    secondary: bool = True


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
class WeekCover:
    week: int
    assignment: dict[Triple, int]
    covered: tuple[int, int, int]
    bound: tuple[int, int, int]
    optimal: bool
    seconds: float
    upper: int = 0  # the weighted bound (tier weights of the week), for another try


@dataclass(frozen=True)
class Solution:
    """A solved plan as data, whatever happened: proven, merely feasible, or cut short."""

    assignment: dict[Triple, int]
    coverage_optimal: bool
    demand: tuple[int, int, int]
    covered: tuple[int, int, int]
    bound: tuple[int, int, int]
    handovers: int
    familiar_units: int
    cost_kopecks: int
    stages: tuple[StageReport, ...]
    seconds: float
    unproven_weeks: tuple[int, ...] = ()

    @property
    def status(self) -> str:
        return "OPTIMAL" if self.coverage_optimal else "FEASIBLE"


ProgressCallback = Callable[[Progress], None]


class _StallGuard(cp_model.CpSolverSolutionCallback):
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

    def __enter__(self) -> _StallGuard:
        self._last = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


class CoverModel:
    """Builds and solves the cover plan for one `Instance`."""

    def __init__(self, instance: Instance, config: SolveConfig | None = None,
                 progress: ProgressCallback | None = None):
        self.instance = instance
        self.config = config or SolveConfig()
        self._progress = progress or (lambda event: None)
        self._started = 0.0

    # ------------------------------------------------------------------ public

    def solve(self) -> Solution:
        self._started = time.monotonic()
        deadline = self._started + self.config.time_limit
        weeks = self._solve_coverage(self._started + self.config.time_limit
                                     * self.config.coverage_share, deadline)
        assignment: dict[Triple, int] = {}
        for week in weeks:
            assignment.update(week.assignment)
        stages = [StageReport(
            "cover", "OPTIMAL" if all(w.optimal for w in weeks) else "FEASIBLE",
            sum(sum(w.covered) for w in weeks), sum(sum(w.bound) for w in weeks),
            time.monotonic() - self._started)]
        if self.config.secondary:
            assignment, continuity = self._continuity_pass(assignment, weeks, deadline)
            stages.append(continuity)
            assignment, secondary = self._improve_secondary(assignment, weeks, deadline)
            stages.extend(secondary)
        covered = self._tier_totals(assignment)
        bound = tuple(max(sum(w.bound[t] for w in weeks), covered[t]) for t in range(3))
        demand = tuple(sum(row) for row in self.instance.tier_demand())
        return Solution(
            assignment=assignment,
            coverage_optimal=all(w.optimal for w in weeks),
            demand=demand,
            covered=covered,
            bound=bound,
            handovers=_handovers(assignment),
            familiar_units=_familiar_units(assignment, self.instance),
            cost_kopecks=_cost_kopecks(assignment, self.instance),
            stages=tuple(stages),
            seconds=time.monotonic() - self._started,
            unproven_weeks=tuple(w.week for w in weeks if not w.optimal),
        )

    # ------------------------------------------------------------------ stage 1

    def _solve_coverage(self, stage_deadline: float, deadline: float) -> list[WeekCover]:
        """Every week's cover: the flow start of all weeks, then CP-SAT on the hard ones.

        Most weeks are proven by their flow alone, in milliseconds; doing all of them
        first leaves the stage's time to the few weeks that need CP-SAT, shared
        fairly, and weeks left unproven get the remaining time again.
        """
        instance = self.instance
        tier_demand = instance.tier_demand()
        best: dict[int, WeekCover] = {}
        # hard weeks are mostly a search for a plan that reaches the flow bound, which
        # one CP-SAT worker does about as fast as two: share the cores by week
        threads = max(1, self.config.workers)

        def report() -> None:
            self._progress(Progress(
                "cover", sum(1 for b in best.values() if b.optimal), instance.weeks,
                sum(sum(b.covered) for b in best.values()),
                sum(sum(b.bound) for b in best.values()),
                time.monotonic() - self._started))

        flow_deadline = time.monotonic() + 0.5 * (stage_deadline - time.monotonic())
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for week in pool.map(lambda w: self._flow_week(
                    w, [tier_demand[t][w] for t in range(3)], flow_deadline),
                    range(instance.weeks)):
                best[week.week] = week
                report()
        todo = sorted((w for w in best if not best[w].optimal),
                      key=lambda w: -len(instance.eligible[w]))
        lock = threading.Lock()
        first_round = True
        while todo:
            waiting = [len(todo)]

            def run(w: int, waiting: list[int] = waiting, first: bool = first_round
                    ) -> WeekCover:
                # a fair share of what is left, so one hard week cannot starve the others
                with lock:
                    share = max(1, waiting[0])
                    waiting[0] -= 1
                now = time.monotonic()
                fair = (stage_deadline - now) * threads / share
                limit = max(0.2, min(deadline - now, max(fair, 0.2)))
                return self._solve_week(w, [tier_demand[t][w] for t in range(3)], limit,
                                        best[w], first_try=first)

            with ThreadPoolExecutor(max_workers=threads) as pool:
                for future in as_completed([pool.submit(run, w) for w in todo]):
                    week = future.result()
                    best[week.week] = week
                    report()
            todo = [w for w in todo if not best[w].optimal]
            first_round = False
            if time.monotonic() > stage_deadline - 0.5 * len(todo) / threads:
                break
        return [best[w] for w in range(instance.weeks)]

    def _flow_week(self, w: int, tier_demand: list[int], deadline: float) -> WeekCover:
        """A week from its flow alone: proven when the repaired flow meets the flow bound."""
        started = time.monotonic()
        instance = self.instance
        if not instance.eligible[w]:
            pinned = {k: u for k, u in instance.pins.items() if k[2] == w}
            return WeekCover(w, pinned, (0, 0, 0), (0, 0, 0), True, 0.0)
        flow = solve_week_flow(instance, w, tier_demand, deadline=deadline,
                               one_at_a_time=(False,))
        return self._week_cover(w, flow.assignment, flow.value, flow.bound, tier_demand,
                                started, "FLOW")

    def _week_cover(self, w: int, assignment: dict[Triple, int], best: int, upper: int,
                    tier_demand: list[int], started: float, how: str) -> WeekCover:
        covered = self._tier_totals(assignment)
        optimal = best >= upper
        bound = covered if optimal else self._tier_bounds(upper, covered, tier_demand)
        log.debug("week %d: %s covered %s bound %s in %.3fs", w, how,
                  covered, bound, time.monotonic() - started)
        return WeekCover(w, assignment, covered, bound, optimal,
                         time.monotonic() - started, upper)

    def _solve_week(self, w: int, tier_demand: list[int], time_limit: float,
                    earlier: WeekCover, first_try: bool = False) -> WeekCover:
        """CP-SAT on a week its flow did not prove, starting from the best cover so far.

        On the first try the week's whole share goes to the heuristics and the search
        that reaches the bound: when that search runs out of time, optimising below the
        bound in what is left rarely proves anything, and the week gets a second try
        with the time that weeks finished early leave. The second try skips the
        heuristics and keeps some time to optimise below the bound.
        """
        started = time.monotonic()
        instance = self.instance
        weights = tier_weights(tier_demand)
        assignment = earlier.assignment
        best = sum(weights[t] * earlier.covered[t] for t in range(3))
        upper = earlier.upper
        status_name = "SKIPPED"
        if best < upper and first_try:
            # the slower repair (one offender a round), then client swaps, before CP-SAT
            careful = solve_week_flow(instance, w, tier_demand, one_at_a_time=(True,),
                                      deadline=started + _SWAP_SHARE * time_limit)
            if careful.value > best:
                assignment, best = careful.assignment, careful.value
                status_name = "FLOW_ONE_BY_ONE"
        if best < upper and first_try:
            swapped = improve_by_swaps(instance, w, tier_demand, assignment,
                                       started + 2 * _SWAP_SHARE * time_limit)
            if swapped.value > best:
                assignment, best = swapped.assignment, swapped.value
                status_name = "SWAPS"
        build_seconds = len(instance.eligible[w]) / _TRIPLES_BUILT_PER_SECOND
        if best < upper and time_limit > 2 * build_seconds:
            # The flow bound is almost always reachable: first ask CP-SAT for a week that
            # reaches it exactly (a search, not an optimisation), and optimise below it only
            # when that is proven impossible or takes too long.
            deadline = started + time_limit
            # No hint: the start breaks the targets, and CP-SAT spends its first moments
            # repairing it. Measured on L's hard weeks, no hint and no probing in presolve
            # reach the bound in half the time.
            model, v, objective = self._week_model(w, tier_demand, None)
            # Reaching the weighted bound means reaching its digit in every tier; three
            # small equalities propagate far better than one with huge coefficients.
            for tier, target in enumerate(_tier_digits(upper, weights)):
                model.add(sum(v.units(*k) for k in v.triples
                              if instance.demand_tier[k[1]] == tier) == target)
            share = 1.0 if first_try else _REACH_SHARE
            solver = self._solver(max(0.05, share * (deadline - time.monotonic())), workers=1)
            solver.parameters.cp_model_probing_level = 0
            status = solver.solve(model)
            status_name = f"REACH_{solver.status_name(status)}"
            log.debug("week %d: %s after %.2fs of %.2fs", w, status_name,
                      time.monotonic() - started, time_limit)
            if status in _SOLVED:
                assignment = self._values(solver, v)
                best = upper
            elif status == cp_model.INFEASIBLE or not first_try:
                if status == cp_model.INFEASIBLE:
                    upper -= 1
                model, v, objective = self._week_model(w, tier_demand, assignment)
                model.add(objective <= upper)
                model.maximize(objective)
                solver = self._solver(max(0.05, deadline - time.monotonic()), workers=1)
                status = solver.solve(model)
                status_name = solver.status_name(status)
                if status in _SOLVED and round(solver.objective_value) > best:
                    assignment = self._values(solver, v)
                    best = round(solver.objective_value)
                if status == cp_model.OPTIMAL:
                    upper = best
                elif status == cp_model.FEASIBLE:
                    # Only a search that found something reports a bound to trust; without
                    # a solution (UNKNOWN) CP-SAT's bound can be below a known plan.
                    proven = math.floor(solver.best_objective_bound + 1e-6)
                    if proven >= best:
                        upper = min(upper, proven)
        return self._week_cover(w, assignment, best, upper, tier_demand, started, status_name)

    def _week_model(self, w: int, tier_demand: list[int], hint: dict[Triple, int] | None
                    ) -> tuple[cp_model.CpModel, CoverVariables, cp_model.LinearExprT]:
        """One week's model with every hard rule, hinted if given, and its lexicographic cover."""
        model = cp_model.CpModel()
        v = CoverVariables(model, self.instance, [w])
        add_hard_rules(model, v)
        if hint is not None:
            v.hint(model, hint)
        return model, v, lexicographic_cover(v, tier_demand)

    @staticmethod
    def _values(solver: cp_model.CpSolver, v: CoverVariables) -> dict[Triple, int]:
        values = {k: solver.value(v.units(*k)) for k in v.triples}
        return {k: u for k, u in values.items() if u > 0}

    @staticmethod
    def _tier_bounds(objective_bound: float, covered: tuple[int, int, int],
                     tier_demand: list[int]) -> tuple[int, int, int]:
        """Per-tier bounds under the lexicographic order from one weighted bound.

        Any solution with at least `covered[t]` in every higher tier t has at most
        (B - sum of those tiers' weighted cover) / weight in the next tier. A tier's
        bound is only derived that way while every tier above it is proven.
        """
        weights = tier_weights(tier_demand)
        remaining = math.floor(objective_bound + 1e-6)
        bounds = []
        proven_above = True
        for tier in range(3):
            if proven_above:
                tier_bound = min(tier_demand[tier], max(covered[tier], remaining // weights[tier]))
                remaining -= weights[tier] * covered[tier]
                proven_above = tier_bound == covered[tier]
            else:
                tier_bound = tier_demand[tier]
            bounds.append(tier_bound)
        return (bounds[0], bounds[1], bounds[2])

    # ------------------------------------------------------------------ stages 2-4

    def _continuity_pass(self, assignment: dict[Triple, int], weeks: list[WeekCover],
                         deadline: float) -> tuple[dict[Triple, int], StageReport]:
        """Re-pick each week's cover in date order, keeping last week's people where possible.

        Stage 1 solves weeks independently, so it has no reason to keep the same
        specialist on a demand from one week to the next. This pass holds each
        week's cover and opens as few new (specialist, demand) pairs as it can,
        preferring those that could run on for the most following weeks. It is a
        fast, good start for the whole-horizon handover search.
        """
        started = time.monotonic()
        instance = self.instance
        run_length = self._run_lengths()
        assignment = self._continuity_by_flow(assignment, run_length)
        open_pairs = {(s, d) for (s, d, _) in instance.pins}
        result: dict[Triple, int] = {}
        for week in weeks:
            w = week.week
            self._progress(Progress("continuity", w, instance.weeks, sum(result.values()),
                                    len(open_pairs), time.monotonic() - self._started))
            current = {k: u for k, u in assignment.items() if k[2] == w}
            if not instance.eligible[w] or time.monotonic() > deadline - 0.5:
                result.update(current)
                open_pairs |= {(s, d) for (s, d, _), u in current.items() if u > 0}
                continue
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
                penalty.append((2 * horizon_left - run_length[w][(s, d)]) * flag)
            v.hint(model, current)
            # familiarity is the next objective: among equal openings, prefer familiar cover
            most_units = sum(instance.demand_units(d, w) for d in {k[1] for k in v.triples})
            model.minimize(sum(penalty) * (most_units + 1) - familiar_units(v))
            solver = self._solver(max(0.05, min(0.5, deadline - time.monotonic())), workers=1)
            status = solver.solve(model)
            if status in _SOLVED:
                current = {k: solver.value(v.units(*k)) for k in v.triples}
                current = {k: u for k, u in current.items() if u > 0}
            result.update(current)
            open_pairs |= {(s, d) for (s, d, _), u in current.items() if u > 0}
        before, after = _handovers(assignment), _handovers(result)
        if after > before:
            result, after = assignment, before
        return result, StageReport("continuity", "HEURISTIC", after, math.nan,
                                   time.monotonic() - started)

    def _run_lengths(self) -> list[dict[tuple[int, int], int]]:
        """For each week, how many weeks in a row from it each eligible pair stays eligible."""
        instance = self.instance
        run_length: list[dict[tuple[int, int], int]] = [{} for _ in range(instance.weeks)]
        for w in reversed(range(instance.weeks)):
            later = run_length[w + 1] if w + 1 < instance.weeks else {}
            run_length[w] = {pair: 1 + later.get(pair, 0) for pair in instance.eligible[w]}
        return run_length

    def _continuity_by_flow(self, assignment: dict[Triple, int],
                            run_length: list[dict[tuple[int, int], int]]) -> dict[Triple, int]:
        """Each week's cover re-routed onto pairs already open, in date order (fast)."""
        instance = self.instance
        by_week: dict[int, dict[Triple, int]] = defaultdict(dict)
        for key, units in assignment.items():
            by_week[key[2]][key] = units
        open_pairs = {(s, d) for (s, d, _) in instance.pins}
        carried: dict[int, set[int]] = {}
        result: dict[Triple, int] = {}
        for w in range(instance.weeks):
            week = keep_people_on(instance, w, by_week.get(w, {}), open_pairs, carried,
                                  run_length[w])
            result.update(week)
            open_pairs |= {(s, d) for (s, d, _), u in week.items() if u > 0}
            carried = defaultdict(set)
            for (s, d, _), units in week.items():
                if units:
                    carried[s].add(instance.demand_operator[d])
        if _handovers(result) > _handovers(assignment):
            return assignment
        return result

    def _improve_secondary(self, assignment: dict[Triple, int], weeks: list[WeekCover],
                           deadline: float) -> tuple[dict[Triple, int], list[StageReport]]:
        """Fewer handovers, then more familiarity, then lower cost, cover held."""
        instance = self.instance
        if not assignment or time.monotonic() > deadline - 0.1:
            return assignment, []
        triples = sum(len(pairs) for pairs in instance.eligible)
        if triples > _WHOLE_HORIZON_TRIPLES or (
                triples / _TRIPLES_BUILT_PER_SECOND > 0.3 * (deadline - time.monotonic())):
            log.info("skipping whole-horizon stages: %d triples, %.1f s left", triples,
                     deadline - time.monotonic())
            return assignment, [StageReport("handovers", "SKIPPED", math.nan, math.nan, 0.0)]
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
        flags = handover_flags(model, v)
        handovers = sum(flags.values())
        familiar = familiar_units(v)
        spend = cost(v)
        reports = []
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
            self._progress(Progress(name, len(reports), len(stages), sum(assignment.values()),
                                    _objective_of(name, assignment, instance),
                                    time.monotonic() - self._started))
            model.clear_objective()
            if maximise:
                model.maximize(expression)
            else:
                model.minimize(expression)
            solver = self._solver(limit, workers=self.config.workers)
            with _StallGuard(solver, self.config.stall_seconds) as guard:
                status = solver.solve(model, guard)
            seconds = time.monotonic() - now
            if status not in _SOLVED:
                reports.append(StageReport(name, solver.status_name(status), math.nan,
                                           math.nan, seconds))
                break
            value = round(solver.objective_value)
            reports.append(StageReport(name, solver.status_name(status), value,
                                       solver.best_objective_bound, seconds))
            candidate = {k: solver.value(v.units(*k)) for k in v.triples}
            assignment = {k: u for k, u in candidate.items() if u > 0}
            # hold what this stage reached while the next one optimises
            model.add(expression >= value if maximise else expression <= value)
            self._progress(Progress(name, len(reports), len(stages),
                                    sum(assignment.values()),
                                    _objective_of(name, assignment, instance),
                                    time.monotonic() - self._started))
        return assignment, reports

    # ------------------------------------------------------------------ helpers

    def _tier_totals(self, assignment: dict[Triple, int]) -> tuple[int, int, int]:
        totals = [0, 0, 0]
        for (_, d, _), units in assignment.items():
            totals[self.instance.demand_tier[d]] += units
        return (totals[0], totals[1], totals[2])

    def _solver(self, time_limit: float, *, workers: int) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = self.config.seed
        if log.isEnabledFor(logging.DEBUG - 1):
            solver.parameters.log_search_progress = True
            solver.log_callback = lambda line: log.log(logging.DEBUG - 1, "%s", line)
        return solver


def _tier_digits(weighted: int, weights: list[int]) -> list[int]:
    """Per-tier cover of a weighted value (the weights are a mixed radix, critical first)."""
    digits = []
    for weight in weights:
        digits.append(weighted // weight)
        weighted -= digits[-1] * weight
    return digits


def _objective_of(stage: str, assignment: dict[Triple, int], instance: Instance) -> int:
    """The value a secondary stage starts from, for progress reports."""
    if stage == "handovers":
        return _handovers(assignment)
    if stage == "familiarity":
        return _familiar_units(assignment, instance)
    return _cost_kopecks(assignment, instance) // 100


def _handovers(assignment: dict[Triple, int]) -> int:
    return len({(s, d) for (s, d, _), u in assignment.items() if u > 0})


def _familiar_units(assignment: dict[Triple, int], instance: Instance) -> int:
    return sum(u for (s, d, _), u in assignment.items()
               if (s, instance.demand_operator[d]) in instance.familiar)


def _cost_kopecks(assignment: dict[Triple, int], instance: Instance) -> int:
    return sum(instance.cost_per_unit[s] * u for (s, _, _), u in assignment.items())


__all__ = ["TIERS", "CoverModel", "Progress", "Solution", "SolveConfig", "StageReport"]
