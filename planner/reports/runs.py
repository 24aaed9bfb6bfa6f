"""The Plan runs screen: the history of runs, a running solve's progress, two runs compared.

A manager re-plans here and needs to see what the solver is doing while it
works, and who a new run would affect before confirming it. Builders take
stored runs, progress events or two `Plan`s and return text or DataFrames; no
Streamlit, so a comparison is checked in a unit test without a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from planner.domain.records import Dataset, Pin
from planner.planning.plan import PRIORITY_NAMES, Plan
from planner.planning.stability import kept_by_operator
from planner.reports.format import (
    count,
    fte_weeks,
    moment_label,
    money,
    number,
    operator_label,
    share,
    specialist_label,
    units_by_priority,
    week_label,
)
from planner.solver.model import Progress


def runs_frame(runs: Sequence[Any]) -> pd.DataFrame:
    """The history of plan runs (`PlanRun` rows), newest first, for a table."""
    columns = [
        "Run",
        "Created",
        "Status",
        "Confirmed",
        "From week",
        "Weeks",
        "Covered (FTE-weeks)",
        "Demand (FTE-weeks)",
        "Covered share",
        "Handovers",
        "Cost",
        "Solve seconds",
        "Time limit",
        "Max tz gap",
        "Note",
    ]
    return pd.DataFrame(
        [
            {
                "Run": r.id,
                "Created": moment_label(r.created_at),
                "Status": r.status,
                "Confirmed": bool(r.confirmed),
                "From week": week_label(r.start),
                "Weeks": r.weeks,
                "Covered (FTE-weeks)": fte_weeks(r.covered_units),
                "Demand (FTE-weeks)": fte_weeks(r.demand_units),
                "Covered share": 100 * (share(r.covered_units, r.demand_units) or 0),
                "Handovers": r.handovers,
                "Cost": money(r.cost),
                "Solve seconds": r.solve_seconds,
                "Time limit": r.time_limit,
                "Max tz gap": r.max_tz_gap,
                "Note": r.note or "",
            }
            for r in runs
        ],
        columns=columns,
    )


# --------------------------------------------------------------------------- confirmed bookings


def run_mondays(start: date, weeks: int) -> list[date]:
    """The Mondays of a run's weeks, the choices of the week-range pickers."""
    return [start + timedelta(weeks=k) for k in range(weeks)]


def weeks_to_confirm(start: date, weeks: int, today: date, count: int = 4) -> tuple[date, date]:
    """The weeks a manager most likely means to promise: the next `count` weeks of the run
    from today's week on (its first ones when it starts later, its last ones when it is
    over), as (first, last) Mondays."""
    mondays = run_mondays(start, weeks)
    this_week = today - timedelta(days=today.weekday())
    first = next((k for k, m in enumerate(mondays) if m >= this_week), len(mondays) - 1)
    first = max(0, min(first, len(mondays) - count))
    return mondays[first], mondays[min(first + count, len(mondays)) - 1]


def pins_by_week(pinned: Sequence[Pin]) -> pd.DataFrame:
    """The confirmed bookings in force, counted per week, the earliest first."""
    weeks = sorted({p.week for p in pinned})
    return pd.DataFrame(
        [
            {
                "Week": week_label(week),
                "Bookings": sum(1 for p in pinned if p.week == week),
                "Specialists": len({p.specialist_id for p in pinned if p.week == week}),
                "FTE-weeks": fte_weeks(sum(p.units for p in pinned if p.week == week)),
            }
            for week in weeks
        ],
        columns=["Week", "Bookings", "Specialists", "FTE-weeks"],
    )


def weeks_label(first: date, last: date) -> str:
    """A range of weeks as people say it: `week 2027-W02, 11 Jan`, or `weeks ... to ...`."""
    if first == last:
        return f"week {week_label(first)}"
    return f"weeks {week_label(first)} to {week_label(last)}"


def pins_note(pinned: Sequence[Pin]) -> str | None:
    """What a screen that plans with the pins must say: how many confirmed bookings, in
    which weeks, stay as they are; None when nothing is confirmed."""
    if not pinned:
        return None
    weeks = weeks_label(min(p.week for p in pinned), max(p.week for p in pinned))
    bookings = "1 confirmed booking" if len(pinned) == 1 else f"{len(pinned)} confirmed bookings"
    verb = "is" if len(pinned) == 1 else "are"
    return f"{bookings} in {weeks} {verb} kept as {'it is' if len(pinned) == 1 else 'they are'}."


# --------------------------------------------------------------------------- progress


def progress_fraction(event: Progress) -> float:
    """The cover stage is most of the work (70% of the bar), the later stages the rest."""
    done = event.done / event.total if event.total else 1.0
    return min(1.0, 0.7 * done if event.stage == "cover" else 0.7 + 0.3 * done)


def progress_text(event: Progress) -> str:
    """What the solver is doing, in words: a stage, how far, the best cover against its bound."""
    if event.stage == "cover":
        return (
            f"Cover: {event.done} of {event.total} weeks proven optimal · best cover "
            f"{fte_weeks(event.covered):g} FTE-weeks, proven bound "
            f"{fte_weeks(event.bound):g} · {event.elapsed:.0f} s"
        )
    if event.stage == "continuity":
        return (
            f"Keeping the same specialists on each job: week {event.done + 1} of "
            f"{event.total}, {event.bound:g} handovers so far · {event.elapsed:.0f} s"
        )
    return (
        f"Improving {event.stage} (stage {event.done} of {event.total}, cover held at "
        f"{fte_weeks(event.covered):g} FTE-weeks) · {event.stage}: {event.bound:g} · "
        f"{event.elapsed:.0f} s"
    )


# --------------------------------------------------------------------------- two runs compared


def compare_figures(before: Plan, after: Plan) -> pd.DataFrame:
    """Headline figures of two runs side by side, with the change, written as people read them.

    The rows mix units (FTE-weeks, counts, roubles), so each cell is text in its
    row's unit: `18 349 000 ₽`, `-5.8`, never `1.8349e+07` or `-5.799999999999997`.
    """
    first, second = _run_figures(before), _run_figures(after)
    rows = []
    for name, write in _FIGURE_WRITERS.items():
        change = second[name] - first[name]
        rows.append(
            {
                "Figure": name,
                "Before": write(first[name]),
                "After": write(second[name]),
                "Change": "0" if round(change, 1) == 0 else _signed_in(write, change),
            }
        )
    return pd.DataFrame(rows, columns=["Figure", "Before", "After", "Change"])


def _signed_in(write: Callable[[float], str], change: float) -> str:
    text = write(change)
    return text if text.startswith("-") else f"+{text}"


def _run_figures(plan: Plan) -> dict[str, float]:
    """The figures a comparison shows, by the row name it shows them under."""
    covered = units_by_priority(plan, "covered_units")
    demand = units_by_priority(plan, "demand_units")
    values = {f"Covered {p} (FTE-weeks)": fte_weeks(covered[p]) for p in PRIORITY_NAMES}
    values |= {f"Demand {p} (FTE-weeks)": fte_weeks(demand[p]) for p in PRIORITY_NAMES}
    values["Uncovered (FTE-weeks)"] = fte_weeks(sum(u.units for u in plan.uncovered))
    values["Handovers"] = float(plan.summary.get("handovers", 0))
    values["Familiar (FTE-weeks)"] = fte_weeks(plan.summary.get("familiar_units", 0))
    values["Cost"] = float(plan.summary.get("cost", 0.0))
    values["Assignment rows"] = float(len(plan.assignments))
    return values


_FIGURE_WRITERS: dict[str, Callable[[float], str]] = {
    **{f"Covered {p} (FTE-weeks)": number for p in PRIORITY_NAMES},
    **{f"Demand {p} (FTE-weeks)": number for p in PRIORITY_NAMES},
    "Uncovered (FTE-weeks)": number,
    "Handovers": count,
    "Familiar (FTE-weeks)": number,
    "Cost": money,
    "Assignment rows": count,
}


def _booked(plan: Plan) -> dict[tuple[str, str, date], tuple[str, int]]:
    return {
        (a.specialist_id, a.demand_id, a.week): (a.operator_id, a.units) for a in plan.assignments
    }


def compare_assignments(before: Plan, after: Plan, dataset: Dataset) -> pd.DataFrame:
    """Every assignment row added, removed or changed between two runs."""
    old, new = _booked(before), _booked(after)
    rows = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[2], k[1], k[0])):
        spec, demand, week = key
        operator, units_before = old.get(key, (new.get(key, ("", 0))[0], 0))
        units_after = new.get(key, ("", 0))[1]
        if units_before == units_after:
            continue
        change = "added" if key not in old else "removed" if key not in new else "changed"
        rows.append(
            {
                "Change": change,
                "Week": week_label(week),
                "Client": operator_label(dataset, operator),
                "Demand": demand,
                "Specialist": specialist_label(dataset, spec),
                "FTE before": fte_weeks(units_before),
                "FTE after": fte_weeks(units_after),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["Change", "Week", "Client", "Demand", "Specialist", "FTE before", "FTE after"],
    )


KEPT_COLUMNS = [
    "Client",
    "Booked before (FTE-weeks)",
    "Kept (FTE-weeks)",
    "Moved (FTE-weeks)",
    "New (FTE-weeks)",
]


def compare_kept(before: Plan, after: Plan, dataset: Dataset) -> pd.DataFrame:
    """Per client, the earlier run's bookings the later keeps and moves, most moved first.

    Only the weeks both runs plan count: a run that starts a week later has not
    moved the week it no longer plans. Clients where nothing moved and nothing
    is new are left out.
    """
    weeks = _weeks_in_common(before, after)
    rows = [
        {
            "Client": operator_label(dataset, k.operator_id),
            "Booked before (FTE-weeks)": fte_weeks(k.earlier_units),
            "Kept (FTE-weeks)": fte_weeks(k.kept_units),
            "Moved (FTE-weeks)": fte_weeks(k.moved_units),
            "New (FTE-weeks)": fte_weeks(k.new_units),
        }
        for k in kept_by_operator(before.assignments, after.assignments, weeks)
        if k.moved_units or k.new_units
    ]
    return pd.DataFrame(rows, columns=KEPT_COLUMNS)


def kept_sentence(before_id: int, before: Plan, after_id: int, after: Plan) -> str:
    """One line: how much of run `before_id` run `after_id` keeps, over the weeks both plan."""
    weeks = _weeks_in_common(before, after)
    if not weeks:
        return f"Runs #{before_id} and #{after_id} plan no week in common."
    kept = kept_by_operator(before.assignments, after.assignments, weeks)
    booked = sum(k.earlier_units for k in kept)
    held = sum(k.kept_units for k in kept)
    return (
        f"Over the {len(weeks)} weeks both plan, run #{after_id} keeps "
        f"{number(fte_weeks(held), 1)} of the {number(fte_weeks(booked), 1)} FTE-weeks "
        f"run #{before_id} booked and moves {number(fte_weeks(booked - held), 1)}."
    )


def _weeks_in_common(before: Plan, after: Plan) -> set[date]:
    return set(before.horizon.mondays) & set(after.horizon.mondays)


def compare_by_party(before: Plan, after: Plan, dataset: Dataset) -> pd.DataFrame:
    """Rows added / removed / changed per client and specialist: who is affected by a re-plan."""
    detail = compare_assignments(before, after, dataset)
    columns = [
        "Client",
        "Specialist",
        "Added",
        "Removed",
        "Changed",
        "FTE-weeks before",
        "FTE-weeks after",
        "Change (FTE-weeks)",
    ]
    if detail.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab([detail["Client"], detail["Specialist"]], detail["Change"])
    for change in ("added", "removed", "changed"):
        if change not in counts:
            counts[change] = 0
    sums = detail.groupby(["Client", "Specialist"])[["FTE before", "FTE after"]].sum()
    frame = counts[["added", "removed", "changed"]].join(sums).reset_index()
    frame.columns = columns[:-1]
    frame["Change (FTE-weeks)"] = frame["FTE-weeks after"] - frame["FTE-weeks before"]
    # sums of tenths are not tenths in binary: round so `-5.8` never shows as `-5.799999999999997`
    sums_columns = ["FTE-weeks before", "FTE-weeks after", "Change (FTE-weeks)"]
    frame[sums_columns] = frame[sums_columns].round(1)
    order = frame["Change (FTE-weeks)"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)
