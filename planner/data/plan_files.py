"""A plan's files (`plan.csv`, `uncovered.csv`, `summary.json`), written all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from planner.data.exports import safe_frame
from planner.data.folders import write_folder
from planner.data.problems import Problem
from planner.data.read import read_csv_file
from planner.data.schema import MAX_ID, parse_date
from planner.planning.plan import Assignment, Plan

PLAN_COLUMNS = ["demand_id", "operator_id", "role", "week", "specialist_id", "units", "fte"]
UNCOVERED_COLUMNS = ["demand_id", "operator_id", "role", "week", "priority", "units", "reason"]


def plan_frame(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [
                a.demand_id,
                a.operator_id,
                a.role,
                a.week.isoformat(),
                a.specialist_id,
                a.units,
                a.units / 10,
            ]
            for a in plan.assignments
        ],
        columns=PLAN_COLUMNS,
    )


def uncovered_frame(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [u.demand_id, u.operator_id, u.role, u.week.isoformat(), u.priority, u.units, u.reason]
            for u in plan.uncovered
        ],
        columns=UNCOVERED_COLUMNS,
    )


def write_plan(plan: Plan, out: Path | str) -> Path:
    """Write the three files into `out`; on any failure `out` is left as it was."""
    return write_folder(out, lambda folder: fill_plan(plan, folder))


def fill_plan(plan: Plan, folder: Path) -> None:
    """The plan's three files, written into an existing (staging) folder."""
    safe_frame(plan_frame(plan)).to_csv(folder / "plan.csv", index=False, lineterminator="\n")
    safe_frame(uncovered_frame(plan)).to_csv(
        folder / "uncovered.csv", index=False, lineterminator="\n"
    )
    (folder / "summary.json").write_text(
        json.dumps(plan.summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_plan_assignments(folder: Path | str) -> tuple[list[Assignment], list[Problem]]:
    """The bookings of a written plan (`plan.csv`), for a quote or a re-plan's baseline.

    Read with the dataset reader's bounds and encodings; every bad cell is a
    problem naming its row and column, and nothing is returned with problems.
    """
    path = Path(folder) / "plan.csv"
    if not path.is_file():
        return [], [Problem(str(path), None, None, "no plan.csv in the plan folder")]
    table, problems = read_csv_file(path, "plan.csv")
    if table is None:
        return [], problems
    column = {name: i for i, name in enumerate(table.header)}
    missing = [c for c in _PLAN_KEY_COLUMNS if c not in column]
    if missing:
        return [], [Problem("plan.csv", 1, c, "required column is missing") for c in missing]

    def cell(values: list[str], name: str) -> str:
        i = column.get(name)
        return values[i].strip() if i is not None and i < len(values) else ""

    rows: list[Assignment] = []
    for line, values in table.rows:
        found = _booking_problems(line, {c: cell(values, c) for c in _PLAN_KEY_COLUMNS})
        if found:
            problems.extend(found)
            continue
        rows.append(
            Assignment(
                cell(values, "demand_id"),
                cell(values, "operator_id"),
                cell(values, "role"),
                parse_date(cell(values, "week")),
                cell(values, "specialist_id"),
                int(cell(values, "units")),
            )
        )
    return ([], problems) if problems else (rows, [])


_PLAN_KEY_COLUMNS = ("demand_id", "week", "specialist_id", "units")


def _booking_problems(line: int, cells: dict[str, str]) -> list[Problem]:
    problems = []
    for name in ("demand_id", "specialist_id"):
        if not cells[name]:
            problems.append(Problem("plan.csv", line, name, "is empty"))
        elif len(cells[name]) > MAX_ID:
            problems.append(Problem("plan.csv", line, name, f"is longer than {MAX_ID} characters"))
    try:
        parse_date(cells["week"])
    except ValueError as error:
        problems.append(Problem("plan.csv", line, "week", str(error)))
    units = cells["units"]
    if not (units.isascii() and units.isdigit() and 0 < len(units) <= 4):
        problems.append(
            Problem("plan.csv", line, "units", f"{units[:20]!r} is not a whole number of units")
        )
    return problems
