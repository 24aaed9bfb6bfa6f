"""Every rule of the rota checked without the solver: a rota (solved, read from files or
built by hand) against its dataset, hour by hour. The tests break rotas on purpose, one
rule at a time, and this must say which; the benchmark scores its baseline with it too."""

from __future__ import annotations

from datetime import date

import numpy as np

from planner.domain.records import Dataset
from planner.rota import rules
from planner.rota.grid import RotaGrid
from planner.rota.records import HOURS_PER_WEEK, Rota, utc_text
from planner.rota.rules import reserved_units


def duty_grid(grid: RotaGrid, rota: Rota) -> tuple[np.ndarray, list[str]]:
    """[specialist, hour] duty of the rota's shifts, and what is wrong with the shifts as
    written (unknown or off-call specialists, hours off the grid, overlapping shifts)."""
    p = grid.params
    on = np.zeros((len(grid.specialists), grid.hours), dtype=bool)
    problems = []
    seen: dict[str, list[tuple[int, int]]] = {}
    for shift in rota.shifts:
        label = f"shift {shift.specialist_id} {utc_text(shift.start)}-{utc_text(shift.end)}"
        s = grid.index.get(shift.specialist_id)
        if s is None:
            known = shift.specialist_id in {x.specialist_id for x in grid.dataset.specialists}
            why = "is not on call or has no technical role" if known else "is unknown"
            problems.append(f"{label}: rule 1: {shift.specialist_id} {why}")
            continue
        first, end = p.hour_of(shift.start), p.hour_of(shift.end)
        if (shift.start.minute, shift.end.minute) != (0, 0) or end <= first:
            problems.append(f"{label}: not a run of whole hours")
            continue
        if first < 0 or end > grid.hours:
            problems.append(f"{label}: outside the rota's grid")
            continue
        for a, b in seen.get(shift.specialist_id, []):
            if first <= b and a <= end:
                problems.append(f"{label}: overlaps or touches another shift of the specialist")
        seen.setdefault(shift.specialist_id, []).append((first, end))
        on[s, first:end] = True
        at_work = int(grid.at_work[s, first:end].sum())
        if (shift.at_work_hours, shift.off_work_hours) != (at_work, end - first - at_work):
            problems.append(
                f"{label}: at work {shift.at_work_hours} h / off work {shift.off_work_hours} h "
                f"written, {at_work} / {end - first - at_work} by the calendar"
            )
    return on, problems


def check_rota(dataset: Dataset, rota: Rota) -> list[str]:
    """Every problem of the rota, one sentence each; an empty list means it is valid."""
    grid = RotaGrid(dataset, rota.params)
    p = grid.params
    on, problems = duty_grid(grid, rota)
    for s, spec in enumerate(grid.specialists):
        found = rules.duty_problems(on[s], grid.available[s], p, spec.max_duty_hours)
        problems.extend(f"{spec.specialist_id}: {x}" for x in found)
    problems.extend(_pin_problems(grid, rota, on))
    problems.extend(_figure_problems(grid, rota, on))
    return problems


def _pin_problems(grid: RotaGrid, rota: Rota, on: np.ndarray) -> list[str]:
    """Rule 4: every pin not listed as dropped is a shift of the rota, as it is (clipped to
    the grid): on duty hour by hour, and off duty in the hours either side."""
    p = grid.params
    dropped = {
        (d["specialist_id"], d["start"], d["end"]) for d in rota.summary.get("dropped_pins", [])
    }
    problems = []
    for pin in grid.dataset.rota_pinned:
        key = (pin.specialist_id, utc_text(pin.start), utc_text(pin.end))
        if key in dropped:
            continue
        first, end = max(0, p.hour_of(pin.start)), min(grid.hours, p.hour_of(pin.end))
        if end <= first:
            continue
        s = grid.index.get(pin.specialist_id)
        if s is None or not on[s, first:end].all():
            problems.append(f"pin {key[0]} {key[1]}-{key[2]}: rule 4: not kept and not dropped")
        elif (first > 0 and on[s, first - 1]) or (end < grid.hours and on[s, end]):
            problems.append(
                f"pin {key[0]} {key[1]}-{key[2]}: rule 4: lengthened, not kept as it is"
            )
    return problems


def _figure_problems(grid: RotaGrid, rota: Rota, on: np.ndarray) -> list[str]:
    """The gaps, the reservations and the headline figures match the duty."""
    covered = np.zeros_like(grid.promised)
    for o in range(len(grid.operators)):
        covered[o] = grid.promised[o] & (grid.answerers(o) & on).any(axis=0)
    reserved = _reserved(grid, on)
    problems = _gap_problems(grid, rota, covered)
    written = {(r.specialist_id, r.week): r.units for r in rota.reservations}
    if written != reserved:
        wrong = sorted(set(written.items()) ^ set(reserved.items()))[:3]
        problems.append(f"reservations differ from the duty's: {wrong}")
    figures = {
        "promised_hours": int(grid.promised.sum()),
        "covered_hours": int(covered.sum()),
        "uncovered_hours": int((grid.promised & ~covered).sum()),
        "shifts": len(rota.shifts),
        "reserved_units": sum(reserved.values()),
        "max_off_work_hours": int((on & ~grid.at_work).sum(axis=1).max()) if on.size else 0,
    }
    summary = rota.summary
    for name, value in figures.items():
        if name in summary and summary[name] != value:
            problems.append(f"rota_summary.json: {name} is {summary[name]}, the duty gives {value}")
    if summary.get("bound_hours", figures["covered_hours"]) < figures["covered_hours"]:
        problems.append("rota_summary.json: bound_hours is below the covered hours")
    return problems


def _gap_problems(grid: RotaGrid, rota: Rota, covered: np.ndarray) -> list[str]:
    """`sla_gaps.csv` is exactly the maximal runs of uncovered promised hours, with reasons."""
    p = grid.params
    problems = []
    expected = {
        (grid.operators[o].operator_id, a, b)
        for o in range(len(grid.operators))
        for a, b in rules.runs(grid.promised[o] & ~covered[o])
    }
    written = set()
    for gap in rota.gaps:
        written.add((gap.operator_id, p.hour_of(gap.start), p.hour_of(gap.end)))
        if not gap.reason.strip():
            problems.append(f"gap {gap.operator_id} {utc_text(gap.start)}: no reason")
    for label, keys in (
        ("missing", expected - written),
        ("not an uncovered run", written - expected),
    ):
        for o, a, b in sorted(keys):
            problems.append(f"gap {o} {utc_text(p.moment(a))}-{utc_text(p.moment(b))}: {label}")
    return problems


def _reserved(grid: RotaGrid, on: np.ndarray) -> dict[tuple[str, date], int]:
    p = grid.params
    reserved = {}
    for s, spec in enumerate(grid.specialists):
        weekly = (on[s] & grid.at_work[s]).reshape(-1, HOURS_PER_WEEK).sum(axis=1)
        for k, hours in enumerate(weekly.tolist()):
            units = reserved_units(hours, p.duty_load)
            if units:
                reserved[(spec.specialist_id, p.monday(k))] = units
    return reserved
