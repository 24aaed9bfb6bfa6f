"""From a dataset to a rota: the grid, the pins, the model's stages, and the rota's shifts,
gaps with reasons, cover reservations and headline figures."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from planner.domain.defaults import ROTA_TIME_LIMIT
from planner.domain.records import Dataset
from planner.rota import rules
from planner.rota.grid import RotaGrid
from planner.rota.pins import take_pins
from planner.rota.reasons import GapExplainer
from planner.rota.records import (
    HOURS_PER_WEEK,
    DroppedRotaPin,
    Reservation,
    Rota,
    RotaParams,
    Shift,
    SlaGap,
    utc_text,
)
from planner.rota.rules import reserved_units
from planner.solver.model import Progress
from planner.solver.rota_model import RotaSolution, solve_rota

ROTA_WORKERS = 8
"""CP-SAT workers for the rota even on two cores: its portfolio (LNS, objective shaving)
proves a week optimal in seconds where two workers stall for minutes."""


def make_rota(
    dataset: Dataset,
    params: RotaParams,
    *,
    time_limit: float = ROTA_TIME_LIMIT,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Rota:
    """Solve the rota of `dataset` on `params` within `time_limit` seconds."""
    grid = RotaGrid(dataset, params)
    fixed, dropped = take_pins(grid)
    solution = solve_rota(
        grid, fixed, time_limit=time_limit, workers=workers or ROTA_WORKERS, progress=progress
    )
    return rota_from_duty(grid, solution.on, solution=solution, dropped=dropped)


def shifts_of(grid: RotaGrid, on: np.ndarray) -> tuple[Shift, ...]:
    """Duty rows as shifts, by specialist in file order, then by time."""
    p = grid.params
    found = []
    for s, row in enumerate(on):
        sid = grid.specialists[s].specialist_id
        for first, end in rules.runs(row):
            at_work = int(grid.at_work[s, first:end].sum())
            found.append(Shift(sid, p.moment(first), p.moment(end), at_work, end - first - at_work))
    return tuple(found)


def covered_grid(grid: RotaGrid, on: np.ndarray) -> np.ndarray:
    """[operator, hour]: promised and answered in time by someone on duty."""
    covered = np.zeros_like(grid.promised)
    for o in range(len(grid.operators)):
        covered[o] = grid.promised[o] & (grid.answerers(o) & on).any(axis=0)
    return covered


def reservations_of(grid: RotaGrid, on: np.ndarray) -> tuple[Reservation, ...]:
    """Cover units the duty takes from each specialist's plan weeks (rows with units > 0)."""
    p = grid.params
    found = []
    for s, row in enumerate(on):
        at_work = (row & grid.at_work[s]).reshape(-1, HOURS_PER_WEEK).sum(axis=1)
        for k, hours in enumerate(at_work.tolist()):
            units = reserved_units(hours, p.duty_load)
            if units > 0:
                found.append(Reservation(grid.specialists[s].specialist_id, p.monday(k), units))
    return tuple(found)


def gaps_of(grid: RotaGrid, covered: np.ndarray, explainer: GapExplainer) -> tuple[SlaGap, ...]:
    """Every maximal run of uncovered promised hours of one operator, with its reason."""
    p = grid.params
    found = []
    for o, op in enumerate(grid.operators):
        for first, end in rules.runs(grid.promised[o] & ~covered[o]):
            found.append(
                SlaGap(
                    op.operator_id, p.moment(first), p.moment(end), explainer.reason(o, first, end)
                )
            )
    return tuple(found)


def rota_from_duty(
    grid: RotaGrid,
    on: np.ndarray,
    *,
    solution: RotaSolution | None = None,
    dropped: list[DroppedRotaPin] | None = None,
) -> Rota:
    """The rota's files as records for a duty grid (solved, or built by hand by a baseline)."""
    covered = covered_grid(grid, on)
    explainer = GapExplainer(grid, on, proven=bool(solution and solution.optimal))
    shifts = shifts_of(grid, on)
    reservations = reservations_of(grid, on)
    covered_hours = int(covered.sum())
    off_work = (on & ~grid.at_work).sum(axis=1)
    summary = {
        "status": "OPTIMAL" if solution is not None and solution.optimal else "FEASIBLE",
        "promised_hours": grid.promised_hours,
        "covered_hours": covered_hours,
        "bound_hours": solution.bound_hours if solution is not None else grid.coverable_hours,
        "uncovered_hours": grid.promised_hours - covered_hours,
        "coverable_hours": grid.coverable_hours,
        "max_off_work_hours": int(off_work.max()) if off_work.size else 0,
        "reserved_units": sum(r.units for r in reservations),
        "shifts": len(shifts),
        "duty_hours": int(on.sum()),
        "solve_seconds": round(solution.seconds, 3) if solution is not None else 0.0,
        "stages": [
            {
                "name": st.name,
                "status": st.status,
                "objective": st.objective,
                "bound": st.bound,
                "seconds": round(st.seconds, 3),
            }
            for st in (solution.stages if solution is not None else ())
        ],
        "dropped_pins": [
            {
                "specialist_id": d.specialist_id,
                "start": utc_text(d.start),
                "end": utc_text(d.end),
                "reason": d.reason,
            }
            for d in dropped or ()
        ],
        "params": grid.params.as_dict(),
    }
    return Rota(
        params=grid.params,
        shifts=shifts,
        gaps=gaps_of(grid, covered, explainer),
        reservations=reservations,
        summary=summary,
    )
