"""A plan's files (`plan.csv`, `uncovered.csv`, `summary.json`), written all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from planner.data.exports import safe_frame
from planner.data.folders import write_folder
from planner.data.problems import Problem
from planner.data.schema import parse_date
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
    """The bookings of a written plan, to quote a new request against them."""
    path = Path(folder) / "plan.csv"
    if not path.is_file():
        return [], [Problem(str(path), None, None, "no plan.csv in the plan folder")]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("demand_id", "week", "specialist_id", "units") if c not in frame]
    if missing:
        return [], [Problem("plan.csv", 1, c, "required column is missing") for c in missing]
    rows, problems = [], []
    for offset, record in enumerate(frame.to_dict("records")):
        line = offset + 2
        try:
            week = parse_date(record["week"])
            units = int(record["units"])
        except ValueError as error:
            problems.append(Problem("plan.csv", line, None, str(error)))
            continue
        rows.append(
            Assignment(
                record["demand_id"],
                record.get("operator_id", ""),
                record.get("role", ""),
                week,
                record["specialist_id"],
                units,
            )
        )
    return rows, problems
