"""Stage 1, one week at a time: a week's cover from its flow, a careful repair, a search.

Every hard rule lives inside one week, so the cover objective is exact when
each week is solved on its own. `WeekSolver` holds the three steps a week goes
through, cheapest first; `CoverModel` decides which weeks get which step and
how much time. `WeekPool` runs the steps for many weeks at once: on threads
for small instances, and on forked worker processes for big ones, because the
flow re-solves and the model building hold Python's global lock and would
otherwise use one core however many threads run them.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.solver import cpsat
from planner.solver.flow import solve_week_flow
from planner.solver.instance import Instance
from planner.solver.neighbourhood import improve_by_neighbourhoods
from planner.solver.objectives import kept_of, kept_units, lexicographic_cover, tier_weights
from planner.solver.rules import add_hard_rules
from planner.solver.variables import CoverVariables, Triple

log = logging.getLogger(__name__)

SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)
# A week's CP-SAT model is built in Python at roughly this rate, and the search that
# reaches the flow bound takes about a second per this many triples (both measured on
# L's hard weeks, 1,500-2,600 triples, on the development machine). A week whose search
# would not fit its time goes to the neighbourhood search instead.
TRIPLES_BUILT_PER_SECOND = 15_000
_TRIPLES_REACHED_PER_SECOND = 2_000
# Of a later try's time, the search that reaches the bound gets this part; optimising
# below the bound gets the rest.
_REACH_SHARE = 0.85
# Below this many eligible triples in all, worker processes cost more than they save.
_PROCESS_TRIPLES = 20_000


@dataclass(frozen=True)
class WeekCover:
    week: int
    assignment: dict[Triple, int]
    covered: tuple[int, int, int]
    bound: tuple[int, int, int]
    optimal: bool
    seconds: float
    upper: int = 0  # the weighted bound (tier weights of the week), for another try
    # Objective 2 (stability against a baseline), once the week's cover is settled:
    # the baseline units kept, the most a plan of this cover can keep, and whether
    # that is proven.
    kept: int = 0
    kept_bound: int = 0
    kept_optimal: bool = True


class WeekSolver:
    """The steps a week's cover goes through; each returns the week's best so far."""

    def __init__(self, instance: Instance, seed: int = 0, keep_work: float = 1.0):
        self.instance = instance
        self.seed = seed
        self.keep_work = keep_work  # deterministic work a week's stability search may do
        self._held: Instance | None = None  # the instance with the baseline held as pins
        tier_demand = instance.tier_demand()
        self._tier_demand = [[tier_demand[t][w] for t in range(3)] for w in range(instance.weeks)]

    def flow(self, w: int, deadline: float) -> WeekCover:
        """A week from its flow, every specialist over its client limit repaired at once.

        Proven when the repaired flow meets the flow bound, which is most weeks.
        """
        started = time.monotonic()
        instance = self.instance
        if not instance.eligible[w]:
            pinned = {k: u for k, u in instance.pins.items() if k[2] == w}
            return WeekCover(w, pinned, (0, 0, 0), (0, 0, 0), True, 0.0)
        flow = solve_week_flow(
            instance, w, self._tier_demand[w], deadline=deadline, one_at_a_time=(False,)
        )
        return self._cover(w, flow.assignment, flow.value, flow.bound, started, "FLOW")

    def careful(self, w: int, deadline: float, earlier: WeekCover) -> WeekCover:
        """The slower repair: one specialist over its limit a round, the cheapest first."""
        started = time.monotonic()
        careful = solve_week_flow(
            self.instance, w, self._tier_demand[w], deadline=deadline, one_at_a_time=(True,)
        )
        if careful.value <= self._value(earlier):
            return earlier
        return self._cover(
            w, careful.assignment, careful.value, earlier.upper, started, "FLOW_ONE_BY_ONE"
        )

    def search(
        self, w: int, deadline: float, earlier: WeekCover, first_try: bool = True
    ) -> WeekCover:
        """Search for a week that reaches the flow bound, or the best below it.

        The flow bound is almost always reachable, so CP-SAT is first asked for a
        week that reaches it exactly (a search, not an optimisation); it optimises
        below the bound only when that is proven impossible, and on a later try.
        A week too big for that search in its time gets the neighbourhood search,
        which improves it without proving anything.
        """
        started = time.monotonic()
        instance = self.instance
        tier_demand = self._tier_demand[w]
        assignment, best, upper = earlier.assignment, self._value(earlier), earlier.upper
        how = "SKIPPED"
        triples = len(instance.eligible[w])
        needs = triples / TRIPLES_BUILT_PER_SECOND + triples / _TRIPLES_REACHED_PER_SECOND
        if best < upper and deadline - started < needs:
            reworked = improve_by_neighbourhoods(
                instance, w, tier_demand, assignment, deadline, self.seed
            )
            if reworked.value > best:
                assignment, best = reworked.assignment, reworked.value
            how = "NEIGHBOURHOODS"
        elif best < upper:
            assignment, best, upper, how = self._reach(
                w, assignment, best, upper, deadline, first_try
            )
        return self._cover(w, assignment, best, upper, started, how)

    def keep(self, w: int, deadline: float, earlier: WeekCover) -> WeekCover:
        """Objective 2 for one week: its cover per tier held, the most baseline units kept.

        Hinted with the week as the cover stage left it, so it never keeps fewer;
        one worker and the plan's seed, so a search that ends in time gives the same
        week every run.
        """
        started = time.monotonic()
        instance = self.instance
        eligible = set(instance.eligible[w])
        most = sum(
            min(u, instance.upper(*k))
            for k, u in instance.baseline.items()
            if k[2] == w and (k[0], k[1]) in eligible
        )
        kept = kept_of(instance, earlier.assignment)
        if kept >= most:
            return replace(earlier, kept=kept, kept_bound=most, kept_optimal=True)
        earlier = self._baseline_held(w, deadline, earlier, kept)
        kept = kept_of(instance, earlier.assignment)
        if kept >= most:
            return replace(earlier, kept=kept, kept_bound=most, kept_optimal=True)
        model, v, _ = self._model(w, earlier.assignment)
        by_tier: list[list[cp_model.IntVar]] = [[], [], []]
        for key in v.triples:
            by_tier[instance.demand_tier[key[1]]].append(v.units(*key))
        for tier in range(3):
            model.add(sum(by_tier[tier]) >= earlier.covered[tier])
        model.maximize(kept_units(model, v))
        solver = self.solver(max(0.05, deadline - time.monotonic()), workers=1)
        solver.parameters.max_deterministic_time = self.keep_work
        status = solver.solve(model)
        assignment, bound = earlier.assignment, most
        if status in SOLVED:
            found = _values(solver, v)
            if kept_of(instance, found) > kept:
                assignment, kept = found, kept_of(instance, found)
            bound = min(most, math.floor(solver.best_objective_bound + 1e-6))
        bound = max(bound, kept)
        log.debug(
            "week %d: kept %d of at most %d (%s) in %.3fs",
            w,
            kept,
            bound,
            solver.status_name(status),
            time.monotonic() - started,
        )
        return replace(
            earlier,
            assignment=assignment,
            kept=kept,
            kept_bound=bound,
            kept_optimal=kept >= bound,
            seconds=earlier.seconds + time.monotonic() - started,
        )

    def _baseline_held(self, w: int, deadline: float, earlier: WeekCover, kept: int) -> WeekCover:
        """The week's flow with the baseline's bookings that still fit held like pins.

        Where a change did not touch the week, this is the old week with the new
        cover, found in milliseconds; taken only when its cover is at least as good
        (lexicographically) and it keeps more.
        """
        started = time.monotonic()
        held = self._held_instance()
        if not any(k[2] == w for k in held.pins) or not held.eligible[w]:
            return earlier
        flow = solve_week_flow(
            held, w, self._tier_demand[w], deadline=deadline, one_at_a_time=(False,)
        )
        assignment, value, how = flow.assignment, flow.value, "BASELINE"
        if value < self._value(earlier):
            # the week searched from scratch covers more: search from the old week
            # instead, for half the week's time, and stop at that cover
            reworked = improve_by_neighbourhoods(
                self.instance,
                w,
                self._tier_demand[w],
                assignment,
                started + 0.5 * max(0.0, deadline - started),
                self.seed,
                enough=self._value(earlier),
            )
            assignment, value, how = reworked.assignment, reworked.value, "BASELINE_NEIGHBOURHOODS"
        if value < self._value(earlier) or kept_of(self.instance, assignment) <= kept:
            return earlier
        week = self._cover(w, assignment, value, earlier.upper, started, how)
        return replace(week, seconds=earlier.seconds + week.seconds)

    def _held_instance(self) -> Instance:
        if self._held is None:
            self._held = replace(self.instance, pins=self.instance.baseline_pins)
        return self._held

    def _reach(
        self,
        w: int,
        assignment: dict[Triple, int],
        best: int,
        upper: int,
        deadline: float,
        first_try: bool,
    ) -> tuple[dict[Triple, int], int, int, str]:
        """A week that reaches `upper` exactly; below it only when that is proven impossible.

        On a later try the search below the bound runs anyway, after the reach
        search's share of the time.
        """
        instance = self.instance
        weights = tier_weights(self._tier_demand[w])
        # No hint: the start breaks the targets, and CP-SAT spends its first moments
        # repairing it. Measured on L's hard weeks, no hint and no probing in presolve
        # reach the bound in half the time.
        model, v, _ = self._model(w, None)
        # Reaching the weighted bound means reaching its digit in every tier; three
        # small equalities propagate far better than one with huge coefficients.
        for tier, target in enumerate(_tier_digits(upper, weights)):
            model.add(
                sum(v.units(*k) for k in v.triples if instance.demand_tier[k[1]] == tier) == target
            )
        share = 1.0 if first_try else _REACH_SHARE
        solver = self.solver(max(0.05, share * (deadline - time.monotonic())), workers=1)
        solver.parameters.cp_model_probing_level = 0
        status = solver.solve(model)
        how = f"REACH_{solver.status_name(status)}"
        if status in SOLVED:
            return _values(solver, v), upper, upper, how
        if status == cp_model.INFEASIBLE or not first_try:
            if status == cp_model.INFEASIBLE:
                upper -= 1
            return self._optimise_below(w, assignment, best, upper, deadline)
        return assignment, best, upper, how

    def _optimise_below(
        self, w: int, assignment: dict[Triple, int], best: int, upper: int, deadline: float
    ) -> tuple[dict[Triple, int], int, int, str]:
        """The best week at most `upper`, and the bound CP-SAT proves for it."""
        model, v, objective = self._model(w, assignment)
        model.add(objective <= upper)
        model.maximize(objective)
        solver = self.solver(max(0.05, deadline - time.monotonic()), workers=1)
        status = solver.solve(model)
        if status in SOLVED and round(solver.objective_value) > best:
            assignment, best = _values(solver, v), round(solver.objective_value)
        if status == cp_model.OPTIMAL:
            upper = best
        elif status == cp_model.FEASIBLE:
            # Only a search that found something reports a bound to trust; without
            # a solution (UNKNOWN) CP-SAT's bound can be below a known plan.
            proven = math.floor(solver.best_objective_bound + 1e-6)
            if proven >= best:
                upper = min(upper, proven)
        return assignment, best, upper, solver.status_name(status)

    def _model(
        self, w: int, hint: dict[Triple, int] | None
    ) -> tuple[cp_model.CpModel, CoverVariables, cp_model.LinearExprT]:
        """One week's model with every hard rule, hinted if given, and its lexicographic cover."""
        model = cp_model.CpModel()
        v = CoverVariables(model, self.instance, [w])
        add_hard_rules(model, v)
        if hint is not None:
            v.hint(model, hint)
        return model, v, lexicographic_cover(v, self._tier_demand[w])

    def solver(self, time_limit: float, *, workers: int) -> cp_model.CpSolver:
        return stage_solver(time_limit, workers=workers, seed=self.seed)

    def _value(self, week: WeekCover) -> int:
        weights = tier_weights(self._tier_demand[week.week])
        return sum(weights[t] * week.covered[t] for t in range(3))

    def _cover(
        self, w: int, assignment: dict[Triple, int], best: int, upper: int, started: float, how: str
    ) -> WeekCover:
        covered = tier_totals(self.instance, assignment)
        optimal = best >= upper
        bound = covered if optimal else tier_bounds(upper, covered, self._tier_demand[w])
        log.debug(
            "week %d: %s covered %s bound %s in %.3fs",
            w,
            how,
            covered,
            bound,
            time.monotonic() - started,
        )
        return WeekCover(w, assignment, covered, bound, optimal, time.monotonic() - started, upper)


def tier_totals(instance: Instance, assignment: dict[Triple, int]) -> tuple[int, int, int]:
    """Covered units per priority tier (critical, high, normal)."""
    totals = [0, 0, 0]
    for (_, d, _), units in assignment.items():
        totals[instance.demand_tier[d]] += units
    return (totals[0], totals[1], totals[2])


def stage_solver(time_limit: float, *, workers: int, seed: int) -> cp_model.CpSolver:
    """A solver for a stage of the plan: the plan's seed, never under 0.01 s or one worker."""
    return cpsat.new_solver(max(0.01, time_limit), workers=max(1, workers), seed=seed)


def tier_bounds(
    objective_bound: float, covered: tuple[int, int, int], tier_demand: list[int]
) -> tuple[int, int, int]:
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


def _tier_digits(weighted: int, weights: list[int]) -> list[int]:
    """Per-tier cover of a weighted value (the weights are a mixed radix, critical first)."""
    digits = []
    for weight in weights:
        digits.append(weighted // weight)
        weighted -= digits[-1] * weight
    return digits


def _values(solver: cp_model.CpSolver, v: CoverVariables) -> dict[Triple, int]:
    values = {k: solver.value(v.units(*k)) for k in v.triples}
    return {k: u for k, u in values.items() if u > 0}


# ---------------------------------------------------------------------- the pool

_WORKER_SOLVER: WeekSolver | None = None


def _adopt(solver: WeekSolver) -> None:
    global _WORKER_SOLVER
    _WORKER_SOLVER = solver


def _in_worker(step: str, *args: object) -> WeekCover:
    assert _WORKER_SOLVER is not None
    return getattr(_WORKER_SOLVER, step)(*args)


def use_processes(instance: Instance, workers: int, wanted: bool | None) -> bool:
    """Worker processes when asked, or by default for big instances where fork exists."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    if wanted is not None:
        return wanted
    return sys.platform == "linux" and sum(map(len, instance.eligible)) >= _PROCESS_TRIPLES


class WeekPool:
    """Runs `WeekSolver` steps for many weeks at once, on threads or worker processes.

    Worker processes are forked, so they start at once and share the instance
    with the parent without copying it; every week's result comes back pickled.
    Deadlines are `time.monotonic()` values, the same clock in every process.
    """

    def __init__(self, solver: WeekSolver, workers: int, processes: bool):
        self._solver = solver
        self._processes = processes
        self._executor: Executor
        if processes:
            try:
                self._executor = ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_adopt,
                    initargs=(solver,),
                )
            except (OSError, NotImplementedError, ImportError) as error:
                # no working semaphores (some containers lack /dev/shm): threads will do
                log.warning("week worker processes unavailable (%s); using threads", error)
                self._processes = False
        if not self._processes:
            self._executor = ThreadPoolExecutor(max_workers=workers)

    def submit(self, step: str, *args: object) -> Future[WeekCover]:
        if self._processes:
            return self._executor.submit(_in_worker, step, *args)
        method: Callable[..., WeekCover] = getattr(self._solver, step)
        return self._executor.submit(method, *args)

    def __enter__(self) -> WeekPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
