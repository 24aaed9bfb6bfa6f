"""Rule 4: confirmed duty (`rota_pinned.csv`) kept as it is, pin by pin in file order while
the pins taken so far obey rules 1-3 together; the others are dropped with the reason."""

from __future__ import annotations

import numpy as np

from planner.rota import rules
from planner.rota.grid import RotaGrid
from planner.rota.records import DroppedRotaPin


def take_pins(grid: RotaGrid) -> tuple[np.ndarray, list[DroppedRotaPin]]:
    """[specialist, hour] duty the pins fix, and the pins dropped (with reasons)."""
    params = grid.params
    fixed = np.zeros((len(grid.specialists), grid.hours), dtype=bool)
    dropped: list[DroppedRotaPin] = []
    for pin in grid.dataset.rota_pinned:
        first = max(0, params.hour_of(pin.start))
        end = min(grid.hours, params.hour_of(pin.end))
        if end <= first:
            continue  # wholly outside the grid: nothing to keep here
        s = grid.index.get(pin.specialist_id)
        if s is None:
            spec = grid.dataset.specialist(pin.specialist_id)
            why = "not on call (oncall = no)" if not spec.oncall else "has no technical role"
            dropped.append(DroppedRotaPin(pin.specialist_id, pin.start, pin.end, f"rule 1: {why}"))
            continue
        trial = fixed[s].copy()
        trial[first:end] = True
        # The pin is a shift of its own: one touching or overlapping another pin has no rest.
        shifts = sorted([*rules.runs(fixed[s]), (first, end)])
        problems = [
            p
            for p in (
                rules.unavailable_problem(grid.available[s], first, end),
                *rules.shift_problems(shifts, params),
                *rules.weekly_problems(trial, grid.specialists[s].max_duty_hours),
            )
            if p
        ]
        if problems:
            dropped.append(DroppedRotaPin(pin.specialist_id, pin.start, pin.end, problems[0]))
            continue
        fixed[s] = trial
    return fixed, dropped
