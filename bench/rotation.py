"""The baseline the rota must beat: on-call duty set up by hand the way PagerDuty does it.

A team without a solver puts its on-call engineers in a fixed order (the dataset's) and
lets the schedule rotate them: a week is cut into turns of the longest shift the contract
allows (12 h), handed over at 09:00 and 21:00 Moscow time, each turn to the next engineer
of the list. A single engineer cannot hold a week-long primary turn under the contract
(12 h shifts, 11 h rest, `max_duty_hours` a week), so the team runs as many parallel
primary layers as the pool's weekly duty hours fill, the list dealt out across them.
Nobody looks at who answers whom: everyone who can answer for at least one operator is in
the rotation. Then the hours that break a rule are dropped (absences, rest, the weekly cap,
shifts left too short), as a team does with overrides; nobody is moved to fill the hole.
The benchmark scores it with the rota's own validator and figures.
"""

from __future__ import annotations

import numpy as np

from planner.rota import rules
from planner.rota.grid import RotaGrid
from planner.rota.records import HOURS_PER_WEEK, RotaParams

HANDOVER_UTC = 6
"""Turns change at 06:00 and 18:00 UTC, 09:00 and 21:00 in Moscow."""


def rotation_pool(grid: RotaGrid) -> list[int]:
    """The on-call engineers who can answer for some operator, in the dataset's order."""
    return [s for s in range(len(grid.specialists)) if grid.qualified[:, s].any()]


def rotation_duty(grid: RotaGrid) -> np.ndarray:
    """[specialist, hour] duty of the hand-made rotation, every rule 1-3 obeyed."""
    params = grid.params
    on = np.zeros((len(grid.specialists), grid.hours), dtype=bool)
    pool = rotation_pool(grid)
    if not pool:
        return on
    if grid.dataset.rota_pinned:
        raise ValueError("the rotation baseline takes no pins; benchmark a dataset without them")
    weekly = sum(grid.specialists[s].max_duty_hours for s in pool)
    layers = max(1, min(len(pool), weekly // HOURS_PER_WEEK))
    turn = params.max_shift_hours
    turns = (np.arange(grid.hours) - HANDOVER_UTC) // turn + 1  # turn 0: up to the first handover
    for layer in range(layers):
        members = pool[layer::layers]
        for t in np.unique(turns).tolist():
            on[members[t % len(members)], turns == t] = True
    for s in pool:
        on[s] = legal_duty(on[s], grid.available[s], params, grid.specialists[s].max_duty_hours)
        problems = rules.duty_problems(
            on[s], grid.available[s], params, grid.specialists[s].max_duty_hours
        )
        if problems:
            raise AssertionError(f"the rotation broke a rule: {problems[:3]}")
    return on


def legal_duty(
    row: np.ndarray, available: np.ndarray, params: RotaParams, max_duty_hours: int
) -> np.ndarray:
    """One engineer's rotation with the hours that break rules 1-3 dropped, shift by shift
    in time order: away (rule 1), too soon after the last shift or past the longest shift
    (rule 2), past the week's cap (rule 3); a shift left shorter than the minimum goes."""
    hours = len(row)
    kept = np.zeros_like(row)
    used = np.zeros(hours // HOURS_PER_WEEK, dtype=int)
    last_end: int | None = None
    for first, end in rules.runs(row & available):
        if last_end is not None:
            first = max(first, last_end + params.min_rest_hours)
        end = min(end, first + params.max_shift_hours)
        cut = first
        while cut < end and used[cut // HOURS_PER_WEEK] < max_duty_hours:
            used[cut // HOURS_PER_WEEK] += 1
            cut += 1
        if cut - first < params.min_shift_hours and first != 0 and cut != hours:
            for h in range(first, cut):
                used[h // HOURS_PER_WEEK] -= 1
            continue
        if cut > first:
            kept[first:cut] = True
            last_end = cut
    return kept
