"""The rota as a CP-SAT model, solved in the contract's lexicographic stages.

One boolean per specialist and hour where duty is possible (rule 1); hours a pin fixes are
constants, hours nobody may be on duty are no variable at all. Shift starts and ends are
booleans defined exactly by the duty of two neighbouring hours; the shift rules are then
at-most-one windows over them, which keep the linear relaxation tight:

- a start at `h` and an end within the next `min_shift_hours - 1` hours exclude each other;
- an end within the `min_rest_hours` before a start excludes it;
- any `max_shift_hours + 1` consecutive hours hold at least one hour off.

Cover is one boolean per cover class (`RotaGrid.classes`: an hour and the exact set of
specialists who answer in time, weighted by the operators it serves), at most the sum of
those specialists' duty. The stages: most covered promised hours (with its proven bound),
then the fewest off-work hours of the busiest specialist, then the fewest cover units
reserved, then the fewest shifts; each stage keeps the optimum of those before it and starts
from the previous solution.

Weeks are almost independent: only shifts and rest crossing a week boundary tie them
(the weekly duty limit is per rota week), so the rota is solved week by week, each week's
model a fraction of the horizon's. Objective 1 of a week alone, with open edges and a shift
and a rest of uncounted look-ahead, is a relaxation of the horizon: the weeks' optima add up
to a proven bound. Where a week's choice clashes with the week before at the boundary, the
shifts begun before it are finished as planned, the clashing ones dropped (never a pin), and
the week searched again with the weeks before fixed. When every week reaches its bound the
horizon is proven optimal. Objectives 2-4 then work on the same week after the weeks chosen;
fairness adds the off-work hours of the weeks before, so the busiest specialist is the
horizon's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from ortools.sat.python import cp_model

from planner.rota import rules
from planner.rota.grid import RotaGrid
from planner.rota.records import HOURS_PER_WEEK
from planner.rota.rules import reserved_units
from planner.solver.cpsat import new_solver
from planner.solver.model import Progress, StallGuard

Duty = int | cp_model.IntVar
"""One specialist-hour of duty: 0 or 1 when decided before the search, else a variable."""

STAGES = ("coverage", "fairness", "reservations", "shifts")

STALL_SECONDS = 1.0
"""A later stage (fairness, reservations, shifts) stops when no better solution has come for
this long, as the cover plan's secondary stages do."""


@dataclass(frozen=True)
class StageResult:
    name: str
    status: str
    objective: int
    bound: int
    seconds: float


@dataclass(frozen=True)
class RotaSolution:
    on: np.ndarray
    """[specialist, hour] duty chosen."""
    covered_hours: int
    bound_hours: int
    optimal: bool
    stages: tuple[StageResult, ...]
    seconds: float


class RotaModel:
    """The model of the hours `[first, end)` of a grid with the duty the pins fix.

    Both ends are open edges, like the grid's first and last hour: a shift may run on past
    them. Cover counts the promised hours of `[cover_first, cover_end)`. Hours where `known`
    (a duty array over the whole grid, -1 where undecided) is 0 or 1 are constants: the
    weeks already chosen, which the shift and rest rules of the next week must respect.
    """

    def __init__(
        self,
        grid: RotaGrid,
        fixed: np.ndarray,
        *,
        first: int = 0,
        end: int | None = None,
        cover_cap: int | None = None,
        cover_first: int | None = None,
        cover_end: int | None = None,
        known: np.ndarray | None = None,
        off_work_before: np.ndarray | None = None,
    ):
        self.grid = grid
        self.params = grid.params
        self.first = first
        self.end = grid.hours if end is None else end
        self.model = cp_model.CpModel()
        m = self.model
        # A pin is a shift as it is (rule 4): the hours either side of it stay off duty.
        beside = np.zeros_like(fixed)
        beside[:, 1:] |= fixed[:, :-1]
        beside[:, :-1] |= fixed[:, 1:]
        free = grid.available & ~fixed & ~beside
        self.on: list[list[Duty]] = []
        for s in range(len(grid.specialists)):
            row: list[Duty] = []
            for h in range(first, self.end):
                if known is not None and known[s, h] >= 0:
                    row.append(int(known[s, h]))
                elif fixed[s, h]:
                    row.append(1)
                elif free[s, h]:
                    row.append(m.new_bool_var(f"on_{s}_{h}"))
                else:
                    row.append(0)
            self.on.append(row)
        self.starts: list[Duty] = []
        self._edges: list[tuple[cp_model.IntVar, Duty, Duty]] = []
        for s, row in enumerate(self.on):
            self._shift_rules(s, row)
        self._cover(
            cover_cap,
            first if cover_first is None else cover_first,
            self.end if cover_end is None else cover_end,
        )
        self._fairness_terms(
            first if cover_first is None else cover_first,
            np.zeros(len(grid.specialists), dtype=int)
            if off_work_before is None
            else off_work_before,
        )
        self._reservation_terms()

    @property
    def length(self) -> int:
        return self.end - self.first

    # ------------------------------------------------------------ rules

    def _edge(self, a: Duty, b: Duty, name: str) -> Duty:
        """`a and not b` as a constant or an exactly defined boolean."""
        if isinstance(a, int) and isinstance(b, int):
            return int(a == 1 and b == 0)
        if (isinstance(a, int) and a == 0) or (isinstance(b, int) and b == 1):
            return 0
        v = self.model.new_bool_var(name)
        self.model.add(v >= a - b)
        self.model.add(v <= a)
        self.model.add(v <= 1 - b)
        self._edges.append((v, a, b))
        return v

    def _shift_rules(self, s: int, on: list[Duty]) -> None:
        m, p, n = self.model, self.params, self.length
        start: list[Duty] = [on[0]]
        start += [self._edge(on[i], on[i - 1], f"st_{s}_{i}") for i in range(1, n)]
        end: list[Duty] = [0]
        end += [self._edge(on[i - 1], on[i], f"en_{s}_{i}") for i in range(1, n)]
        self.starts.extend(start)
        for i in range(1, n):
            if isinstance(start[i], int) and start[i] == 0:
                continue
            short = [end[t] for t in range(i + 1, min(i + p.min_shift_hours, n))]
            rest = [end[t] for t in range(max(1, i - p.min_rest_hours + 1), i + 1)]
            for window in (short, rest):
                terms = [start[i], *window]
                if any(not isinstance(t, int) for t in terms):
                    m.add(sum(terms) <= 1)
        longest = p.max_shift_hours
        for i in range(0, n - longest):
            window = on[i : i + longest + 1]
            if any(not isinstance(t, int) for t in window):
                m.add(sum(window) <= longest)
        limit = self.grid.specialists[s].max_duty_hours
        for k in range(self.first // HOURS_PER_WEEK, -(-self.end // HOURS_PER_WEEK)):
            lo = max(k * HOURS_PER_WEEK, self.first) - self.first
            hi = min((k + 1) * HOURS_PER_WEEK, self.end) - self.first
            week = on[lo:hi]
            if any(not isinstance(t, int) for t in week):
                m.add(sum(week) <= limit)

    def _cover(self, cap: int | None, cover_first: int, cover_end: int) -> None:
        self.cover_constant = 0
        self.cover_terms: list[tuple[int, cp_model.IntVar]] = []
        self._cover_of: list[tuple[cp_model.IntVar, list[cp_model.IntVar]]] = []
        for i, c in enumerate(self.grid.classes):
            if not cover_first <= c.hour < cover_end:
                continue
            duty = [self.on[s][c.hour - self.first] for s in c.members]
            if any(isinstance(d, int) and d == 1 for d in duty):
                self.cover_constant += c.weight
                continue
            choices = [d for d in duty if not isinstance(d, int)]
            if not choices:
                continue
            y = self.model.new_bool_var(f"cov_{i}")
            self.model.add(y <= sum(choices))
            self.cover_terms.append((c.weight, y))
            self._cover_of.append((y, choices))
        self.cover = self.cover_constant + sum(w * y for w, y in self.cover_terms)
        if cap is not None:
            self.model.add(self.cover <= cap)

    def _fairness_terms(self, counted_from: int, before: np.ndarray) -> None:
        """Off-work duty hours per specialist from `counted_from` on, plus `before` (the
        hours of the weeks already chosen), and the largest of them."""
        at_work = self.grid.at_work
        self.off_work = [
            int(before[s])
            + sum(
                d
                for i, d in enumerate(row)
                if self.first + i >= counted_from and not at_work[s, self.first + i]
            )
            for s, row in enumerate(self.on)
        ]
        self.busiest = self.model.new_int_var(0, self.grid.hours, "busiest_off_work")
        for total in self.off_work:
            self.model.add(self.busiest >= total)
        self._counted_from, self._before = counted_from, before

    def _reservation_terms(self) -> None:
        load = Fraction(self.params.duty_load).limit_denominator(10_000)
        self.reservations = []
        self._reserving: list[tuple[cp_model.IntVar, int, int]] = []
        at_work = self.grid.at_work
        top = reserved_units(HOURS_PER_WEEK, self.params.duty_load)
        for s, row in enumerate(self.on):
            for k in range(self.first // HOURS_PER_WEEK, -(-self.end // HOURS_PER_WEEK)):
                hours = range(
                    max(k * HOURS_PER_WEEK, self.first), min((k + 1) * HOURS_PER_WEEK, self.end)
                )
                working = sum(row[h - self.first] for h in hours if at_work[s, h])
                r = self.model.new_int_var(0, top, f"res_{s}_{k}")
                # 4 * r >= load * working, so the smallest r is the contract's ceiling.
                self.model.add(4 * load.denominator * r >= load.numerator * working)
                self.reservations.append(r)
                self._reserving.append((r, s, k))
        self.reserved = sum(self.reservations)

    # ------------------------------------------------------------ solving

    def objective(self, stage: str):
        return {
            "coverage": self.cover,
            "fairness": self.busiest,
            "reservations": self.reserved,
            "shifts": sum(self.starts),
        }[stage]

    def run(
        self, stage: str, *, time_limit: float, workers: int, seed: int = 0
    ) -> tuple[int, np.ndarray, StageResult] | None:
        """Optimise one stage; the result, the duty of the window, and the stage's figures,
        or None when nothing was found in time."""
        objective = self.objective(stage)
        if stage == "coverage":
            self.model.maximize(objective)
        else:
            self.model.minimize(objective)
        solver = new_solver(max(0.05, time_limit), workers=workers, seed=seed)
        if stage == "coverage":
            # Every constraint in the LP: on the benchmark's weeks the proof of objective 1
            # comes 30-50% sooner than with CP-SAT's default linearization.
            solver.parameters.linearization_level = 2
        started = time.perf_counter()
        if stage == "coverage":
            status = solver.solve(self.model)
        else:
            # No proof is owed after objective 1: stop once nothing better comes for a while.
            with StallGuard(solver, STALL_SECONDS) as guard:
                status = solver.solve(self.model, guard)
        seconds = time.perf_counter() - started
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        value = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
        result = StageResult(stage, solver.status_name(status), value, bound, seconds)
        return value, self._duty(solver), result

    def keep(self, stage: str, value: int) -> None:
        """Later stages keep this stage's optimum (or the best found)."""
        objective = self.objective(stage)
        self.model.add(objective >= value if stage == "coverage" else objective <= value)

    def _duty(self, solver: cp_model.CpSolver) -> np.ndarray:
        """The duty of the window `[first, end)`."""
        on = np.zeros((len(self.on), self.end - self.first), dtype=bool)
        for s, row in enumerate(self.on):
            for i, d in enumerate(row):
                on[s, i] = d == 1 if isinstance(d, int) else solver.boolean_value(d)
        return on

    def hint(self, on: np.ndarray) -> None:
        """Start the next search from `on` (the window's duty), every helper variable
        hinted too, so that the search begins at a complete solution."""
        self.model.clear_hints()
        value: dict[int, int] = {}
        for s, row in enumerate(self.on):
            for i, d in enumerate(row):
                if not isinstance(d, int):
                    value[d.index] = int(on[s, i])
                    self.model.add_hint(d, bool(on[s, i]))

        def of(d: Duty) -> int:
            return d if isinstance(d, int) else value[d.index]

        for v, a, b in self._edges:
            value[v.index] = int(of(a) == 1 and of(b) == 0)
            self.model.add_hint(v, bool(value[v.index]))
        for y, choices in self._cover_of:
            self.model.add_hint(y, any(value[d.index] for d in choices))
        at_work = self.grid.at_work[:, self.first : self.end]
        for r, spec, k in self._reserving:
            lo = max(k * HOURS_PER_WEEK, self.first) - self.first
            hi = min((k + 1) * HOURS_PER_WEEK, self.end) - self.first
            hours = int((on[spec, lo:hi] & at_work[spec, lo:hi]).sum())
            self.model.add_hint(r, reserved_units(hours, self.params.duty_load))
        counted = (on & ~at_work)[:, max(0, self._counted_from - self.first) :].sum(axis=1)
        self.model.add_hint(self.busiest, int((counted + self._before).max()) if on.size else 0)


def solve_rota(
    grid: RotaGrid,
    fixed: np.ndarray,
    *,
    time_limit: float,
    workers: int,
    progress: Callable[[Progress], None] | None = None,
    seed: int = 0,
) -> RotaSolution:
    """The four stages, week by week, within `time_limit` seconds.

    Each week: objective 1 alone (its proven bound), joined to the weeks before (searched
    again when it clashes at the boundary), then objectives 2-4 for the week after the
    weeks chosen, each keeping the ones before. Fairness adds up over the horizon: a week
    minimises the largest off-work total so far.
    """
    began = time.perf_counter()
    report = progress or (lambda event: None)
    weeks = grid.hours // HOURS_PER_WEEK
    p = grid.params
    on = np.zeros((len(grid.specialists), grid.hours), dtype=bool)
    bound = 0
    # A week looks ahead (uncounted) a shift and a rest, so that a shift running past its
    # end can always be finished by the next week as planned, clear of its pins.
    lookahead = p.max_shift_hours + p.min_rest_hours
    context = p.max_shift_hours + p.min_rest_hours + 1
    carry = np.zeros((len(grid.specialists), 0), dtype=bool)
    results: dict[str, list[StageResult]] = {stage: [] for stage in STAGES}
    for k in range(weeks):
        lo, hi = k * HOURS_PER_WEEK, (k + 1) * HOURS_PER_WEEK
        end = min(grid.hours, hi + lookahead)
        share = max(0.3, (began + time_limit - time.perf_counter()) / (weeks - k))
        week_until = time.perf_counter() + share
        duty, week_bound, first = _cover_week(
            grid, fixed, on, carry, lo, hi, end, context, 0.85 * share, workers, seed
        )
        bound += week_bound
        results["coverage"].append(first)
        ahead = max(0, lo - context)
        known = np.full(on.shape, -1, dtype=np.int8)
        known[:, ahead:lo] = on[:, ahead:lo]
        before = (on[:, :lo] & ~grid.at_work[:, :lo]).sum(axis=1)
        later = RotaModel(
            grid,
            fixed,
            first=ahead,
            end=end,
            cover_first=lo,
            cover_end=hi,
            known=known,
            off_work_before=before,
        )
        window = np.concatenate((on[:, ahead:lo], duty), axis=1)
        later.keep("coverage", first.objective)
        for n, stage in enumerate(STAGES[1:]):
            left = week_until - time.perf_counter()
            if left <= 0.05:
                break
            later.hint(window)
            found = later.run(stage, time_limit=left / (3 - n), workers=workers, seed=seed)
            if found is None:
                continue  # nothing found in its time: the week's duty so far stands
            value, window, result = found
            later.keep(stage, value)
            results[stage].append(result)
        duty = window[:, lo - ahead :]
        on[:, lo:hi] = duty[:, : hi - lo]
        carry = _running_on(on[:, hi - 1], duty[:, hi - lo :])
        covered = _covered(grid, on, 0, hi)
        report(Progress("coverage", k + 1, weeks, covered, bound, time.perf_counter() - began))
    covered = _covered(grid, on, 0, grid.hours)
    status = "OPTIMAL" if covered >= bound else "FEASIBLE"
    stages = [
        StageResult("coverage", status, covered, bound, sum(r.seconds for r in results["coverage"]))
    ]
    for stage in STAGES[1:]:
        done = results[stage]
        if done:
            complete = len(done) == weeks and all(r.status == "OPTIMAL" for r in done)
            stages.append(
                StageResult(
                    stage,
                    "OPTIMAL" if complete else "FEASIBLE",
                    done[-1].objective,
                    done[-1].bound,
                    sum(r.seconds for r in done),
                )
            )
    return RotaSolution(
        on=on,
        covered_hours=covered,
        bound_hours=bound,
        optimal=covered >= bound,
        stages=tuple(stages),
        seconds=time.perf_counter() - began,
    )


def _cover_week(
    grid: RotaGrid,
    fixed: np.ndarray,
    on: np.ndarray,
    carry: np.ndarray,
    lo: int,
    hi: int,
    end: int,
    context: int,
    seconds: float,
    workers: int,
    seed: int,
) -> tuple[np.ndarray, int, StageResult]:
    """Objective 1 for the week `[lo, hi)` after the weeks chosen in `on[:, :lo]`: its duty
    (over `[lo, end)`), its proven bound, and the stage's figures.

    The week alone, with an open edge at its start, is a relaxation of the horizon: its
    optimum bounds the week. Where its duty clashes with the weeks before, the shifts begun
    before are finished as planned, the clashing ones dropped, and the week searched again
    from there with the weeks before fixed.
    """
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    alone = RotaModel(grid, fixed, first=lo, end=end, cover_end=hi).run(
        "coverage", time_limit=max(0.2, 0.85 * seconds), workers=workers, seed=seed
    )
    if alone is None:
        # Out of time: the week only finishes what the week before began (always allowed),
        # and its bound is every promised hour someone could answer.
        duty = np.zeros((len(grid.specialists), end - lo), dtype=bool)
        duty[:, : carry.shape[1]] = carry
        week_bound = sum(c.weight for c in grid.classes if lo <= c.hour < hi)
    else:
        _, duty, result = alone
        week_bound = result.bound
    if lo and not _joins(grid, on[:, :lo], duty):
        duty = _joined(grid, on[:, :lo], duty, carry, fixed[:, lo:end])
        value = _covered(grid, np.concatenate((on[:, :lo], duty), axis=1), lo, hi)
        ahead = max(0, lo - context)
        known = np.full(on.shape, -1, dtype=np.int8)
        known[:, ahead:lo] = on[:, ahead:lo]
        tied = RotaModel(
            grid,
            fixed,
            first=ahead,
            end=end,
            cover_cap=week_bound,
            cover_first=lo,
            cover_end=hi,
            known=known,
        )
        tied.hint(np.concatenate((on[:, ahead:lo], duty), axis=1))
        again = tied.run(
            "coverage", time_limit=max(0.2, until - time.perf_counter()), workers=workers, seed=seed
        )
        if again is not None and again[0] > value:
            duty = again[1][:, lo - ahead :]
    value = _covered(grid, np.concatenate((on[:, :lo], duty), axis=1), lo, hi)
    status = "OPTIMAL" if value >= week_bound else "FEASIBLE"
    return (
        duty,
        week_bound,
        StageResult("coverage", status, value, week_bound, time.perf_counter() - started),
    )


def _running_on(last_hour: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Of the hours planned after a week's end, those that finish a shift running at it."""
    carry = after.copy()
    for s, row in enumerate(carry):
        if not last_hour[s]:
            row[:] = False
        elif not row.all():
            row[int(np.argmin(row)) :] = False
    return carry


def _covered(grid: RotaGrid, on: np.ndarray, lo: int, hi: int) -> int:
    """Promised hours of `[lo, hi)` covered by the duty `on` (hours from 0)."""
    return sum(
        c.weight for c in grid.classes if lo <= c.hour < hi and on[list(c.members), c.hour].any()
    )


def _joined(
    grid: RotaGrid, before: np.ndarray, week: np.ndarray, carry: np.ndarray, pins: np.ndarray
) -> np.ndarray:
    """A week solved alone made to fit after the weeks before: where a specialist's shifts
    clash at the boundary, the shifts begun before it are finished as planned (`carry`)
    and the week's own shifts near the boundary are dropped, its pins kept (the
    whole-horizon search afterwards wins back what this loses)."""
    p = grid.params
    span = p.max_shift_hours + p.min_rest_hours
    fixed = week.copy()
    for s in range(len(grid.specialists)):
        row = np.concatenate((before[s], week[s]))
        if not rules.shift_problems(rules.runs(row), p, last=len(row)):
            continue
        mine = np.zeros_like(week[s])
        for a, b in rules.runs(week[s]):
            if a >= span:
                mine[a:b] = True
        mine[: carry.shape[1]] |= carry[s]
        mine |= pins[s]
        limit = grid.specialists[s].max_duty_hours
        shifts = [(a, b) for a, b in rules.runs(mine) if not pins[s, a:b].any()]
        while shifts and mine[:HOURS_PER_WEEK].sum() > limit:
            a, b = shifts.pop()
            mine[a:b] = False
        fixed[s] = mine
    return fixed


def _joins(grid: RotaGrid, before: np.ndarray, week: np.ndarray) -> bool:
    """Whether a week solved alone obeys the shift and rest rules after the weeks before."""
    last = before.shape[1] + week.shape[1]
    for s in range(len(grid.specialists)):
        row = np.concatenate((before[s], week[s]))
        if rules.shift_problems(rules.runs(row), grid.params, last=last):
            return False
    return True
