"""The Overview screen: the headline figures, cover by priority, where the holes are, who is busy.

Also the run history's headline (`app_pages/runs.py` shows a run's figures the
same way). Every builder takes a `Plan` and the `Dataset` it was planned from
and returns a dataclass, a DataFrame or a plotly figure; nothing here touches
Streamlit or the database, so each figure is checked in a unit test.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from planner.domain.records import Dataset
from planner.planning.plan import PRIORITY_NAMES, Plan
from planner.reports.calendar_weeks import calendar_weeks
from planner.reports.format import (
    COVERED_COLOR,
    HOLIDAY_WEEK_COLOR,
    PARTLY_COLOR,
    ROW_HEIGHT,
    UNCOVERED_COLOR,
    chart_text,
    fte_weeks,
    operator_label,
    operator_names,
    share,
    top_title,
    units_by_priority,
    week_label,
)
from planner.reports.reasons import reason_namer
from planner.rules.capacity import specialist_capacity

_THIRD = 1 / 3
# three flat bands over the states 0, 1 and 2 (z runs from -0.5 to 2.5)
_COVERAGE_SCALE = [
    [0, UNCOVERED_COLOR],
    [_THIRD, UNCOVERED_COLOR],
    [_THIRD, PARTLY_COLOR],
    [2 * _THIRD, PARTLY_COLOR],
    [2 * _THIRD, COVERED_COLOR],
    [1, COVERED_COLOR],
]


# --------------------------------------------------------------------------- headline figures


@dataclass(frozen=True)
class Headline:
    """The figures the overview leads with, in units unless named otherwise."""

    status: str
    demand_units: int
    covered_units: int
    bound_units: int
    uncovered_fte_weeks: float
    handovers: int
    cost: float
    booked_units: int
    capacity_units: int

    @property
    def share_of_demand(self) -> float | None:
        return share(self.covered_units, self.demand_units)

    @property
    def share_of_bound(self) -> float | None:
        """How close the cover is to the proven optimum (1.0 when proven optimal)."""
        return share(self.covered_units, self.bound_units)

    @property
    def utilisation(self) -> float | None:
        return share(self.booked_units, self.capacity_units)


def headline(plan: Plan, dataset: Dataset) -> Headline:
    """Demand, cover and bound come from the plan's summary, as proven when it was solved."""
    demand = units_by_priority(plan, "demand_units")
    covered = units_by_priority(plan, "covered_units")
    bound = units_by_priority(plan, "bound_units")
    capacity = specialist_capacity(dataset, plan.horizon)
    return Headline(
        status=plan.status,
        demand_units=sum(demand.values()),
        covered_units=sum(covered.values()),
        bound_units=sum(bound.values()),
        uncovered_fte_weeks=fte_weeks(sum(u.units for u in plan.uncovered)),
        handovers=int(plan.summary.get("handovers", 0)),
        cost=float(plan.summary.get("cost", 0.0)),
        booked_units=sum(a.units for a in plan.assignments if a.specialist_id in capacity),
        capacity_units=sum(sum(weeks) for weeks in capacity.values()),
    )


def _percent_of(part: int, whole: int) -> float | None:
    """A share in percent with one decimal, as the tables' progress bars print it."""
    fraction = share(part, whole)
    return None if fraction is None else round(100 * fraction, 1)


def priority_frame(plan: Plan) -> pd.DataFrame:
    """Cover by priority, against demand and against the proven bound.

    The bound matters because demand is often impossible to meet: 80% of demand
    may be 100% of what any plan could do with these specialists.
    """
    demand = units_by_priority(plan, "demand_units")
    covered = units_by_priority(plan, "covered_units")
    bound = units_by_priority(plan, "bound_units")
    rows = []
    for priority in PRIORITY_NAMES:
        rows.append(
            {
                "Priority": priority,
                "Demand": fte_weeks(demand[priority]),
                "Covered": fte_weeks(covered[priority]),
                "Uncovered": fte_weeks(demand[priority] - covered[priority]),
                "Proven bound": fte_weeks(bound[priority]),
                "Of demand": _percent_of(covered[priority], demand[priority]),
                "Of proven optimum": _percent_of(covered[priority], bound[priority]),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- coverage


def coverage_frame(plan: Plan) -> pd.DataFrame:
    """Demand and cover per operator and week; demand is what was covered plus what was not."""
    covered: dict[tuple[str, date], int] = defaultdict(int)
    uncovered: dict[tuple[str, date], int] = defaultdict(int)
    for a in plan.assignments:
        covered[(a.operator_id, a.week)] += a.units
    for u in plan.uncovered:
        uncovered[(u.operator_id, u.week)] += u.units
    rows = [
        {
            "operator_id": operator,
            "week": week,
            "covered": covered[(operator, week)],
            "uncovered": uncovered[(operator, week)],
            "demand": covered[(operator, week)] + uncovered[(operator, week)],
        }
        for operator, week in sorted(set(covered) | set(uncovered))
    ]
    frame = pd.DataFrame(rows, columns=["operator_id", "week", "covered", "uncovered", "demand"])
    frame["share"] = frame["covered"] / frame["demand"].where(frame["demand"] > 0)
    return frame


def coverage_state(covered: int, demand: int) -> int | None:
    """2 covered, 1 partly covered, 0 uncovered, None when nothing was needed."""
    if demand <= 0:
        return None
    if covered >= demand:
        return 2
    return 1 if covered > 0 else 0


def coverage_heatmap(plan: Plan, dataset: Dataset) -> go.Figure:
    """Operator by week, coloured covered / partly / uncovered: where the holes are at a glance."""
    frame = coverage_frame(plan)
    names = operator_names(dataset)
    operators = sorted(frame["operator_id"].unique())
    z, text = _coverage_cells(plan, frame, operators, dataset)
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=_week_columns(plan),
            y=[chart_text(f"{o} {names.get(o, '')}".strip()) for o in operators],
            text=text,
            hovertemplate="%{text}<extra></extra>",
            zmin=-0.5,
            zmax=2.5,
            xgap=1,
            ygap=1,
            colorscale=_COVERAGE_SCALE,
            colorbar={
                "tickvals": [0, 1, 2],
                "ticktext": ["uncovered", "partly", "covered"],
                "title": {"text": ""},
                "len": 0.5,
                "y": 1,
                "yanchor": "top",
            },
        )
    )
    return _heatmap_layout(figure, len(operators), "Coverage of gaps and requests", plan)


def _coverage_cells(
    plan: Plan, frame: pd.DataFrame, operators: list[str], dataset: Dataset
) -> tuple[list[list[int | None]], list[list[str]]]:
    """Each (operator, week) cell's state and hover text; a week with no gap stays blank.

    The hover names the week's working days by the operator's calendar, so a
    blank week of holidays does not read as a week nobody needs cover.
    """
    cells = {(r.operator_id, r.week): r for r in frame.itertuples()}
    regions = {o.operator_id: o.region for o in dataset.operators}
    z, text = [], []
    for operator in operators:
        z_row: list[int | None] = []
        text_row: list[str] = []
        for week in calendar_weeks(plan, regions.get(operator)):
            head = (
                f"{chart_text(operator_label(dataset, operator))}<br>{week_label(week.monday)}<br>"
            )
            days = html.escape(week.note, quote=False)
            cell = cells.get((operator, week.monday))
            if cell is None:
                z_row.append(None)
                text_row.append(head + (days if week.working_days == 0 else f"no gap<br>{days}"))
                continue
            z_row.append(coverage_state(cell.covered, cell.demand))
            text_row.append(
                head + f"covered {fte_weeks(cell.covered):g} of {fte_weeks(cell.demand):g} FTE "
                f"({cell.covered / cell.demand:.0%})<br>{days}"
            )
        z.append(z_row)
        text.append(text_row)
    return z, text


def _week_columns(plan: Plan) -> list[str]:
    """`2027-W10, 8 Mar · 4d`: a column's week, and its working days when they are not five."""
    return [
        f"{week_label(week.monday)} · {week.short_label}"
        if week.unusual
        else week_label(week.monday)
        for week in calendar_weeks(plan)
    ]


def _heatmap_layout(figure: go.Figure, rows: int, title: str, plan: Plan) -> go.Figure:
    """The shared layout; a week without working days is a dark column labelled `holidays`."""
    figure.update_layout(
        # the title sits at the very top, above the rotated week labels, not over them
        title=top_title(title),
        height=max(300, rows * ROW_HEIGHT + 230),
        margin={"l": 10, "r": 10, "t": 190, "b": 10},
        plot_bgcolor="#f4f4f4",
        xaxis={"side": "top", "tickangle": -60, "type": "category", "title": ""},
        yaxis={"autorange": "reversed", "type": "category", "title": "", "automargin": True},
    )
    for column, week in enumerate(calendar_weeks(plan)):
        if week.working_days == 0:
            figure.add_vrect(
                x0=column - 0.5,
                x1=column + 0.5,
                fillcolor=HOLIDAY_WEEK_COLOR,
                layer="below",
                line_width=0,
                name=week.note,
                label={
                    "text": "holidays",
                    "textangle": -90,
                    "textposition": "middle center",
                    "font": {"size": 10, "color": "white"},
                },
            )
    return figure


# --------------------------------------------------------------------------- utilisation


def utilisation_frame(plan: Plan, dataset: Dataset) -> pd.DataFrame:
    """Booked units against capacity per specialist and week (capacity from today's data)."""
    capacity = specialist_capacity(dataset, plan.horizon)
    booked: dict[tuple[str, date], int] = defaultdict(int)
    for a in plan.assignments:
        booked[(a.specialist_id, a.week)] += a.units
    rows = []
    for spec in dataset.specialists:
        for w, monday in enumerate(plan.horizon.mondays):
            units = booked[(spec.specialist_id, monday)]
            cap = capacity[spec.specialist_id][w]
            rows.append(
                {
                    "specialist_id": spec.specialist_id,
                    "name": spec.name,
                    "week": monday,
                    "booked": units,
                    "capacity": cap,
                    "share": share(units, cap),
                }
            )
    return pd.DataFrame(
        rows, columns=["specialist_id", "name", "week", "booked", "capacity", "share"]
    )


def utilisation_heatmap(plan: Plan, dataset: Dataset) -> go.Figure:
    """Specialist by week, darker = busier; blank where the specialist is away."""
    frame = utilisation_frame(plan, dataset)
    z, text, labels = [], [], []
    for spec in dataset.specialists:
        rows = frame[frame["specialist_id"] == spec.specialist_id]
        labels.append(chart_text(f"{spec.specialist_id} {spec.name}"))
        z_row: list[float | None] = []
        text_row: list[str] = []
        for row, week in zip(rows.itertuples(), calendar_weeks(plan, spec.region), strict=True):
            who = chart_text(f"{spec.name} ({spec.specialist_id})")
            head = f"{who}<br>{week_label(row.week)}<br>"
            days = html.escape(week.note, quote=False)
            if row.capacity <= 0:
                z_row.append(None)
                text_row.append(head + (days if week.working_days == 0 else "not available"))
            else:
                busy = row.booked / row.capacity
                z_row.append(busy)
                text_row.append(
                    head + f"booked {fte_weeks(row.booked):g} of "
                    f"{fte_weeks(row.capacity):g} FTE ({busy:.0%})<br>{days}"
                )
        z.append(z_row)
        text.append(text_row)
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=_week_columns(plan),
            y=labels,
            text=text,
            hovertemplate="%{text}<extra></extra>",
            zmin=0,
            zmax=1,
            xgap=1,
            ygap=1,
            colorscale="Blues",
            colorbar={"tickformat": ".0%", "title": {"text": ""}, "len": 0.6},
        )
    )
    figure = _heatmap_layout(
        figure,
        len(labels),
        "Specialists' utilisation (booked / capacity; grey: not available; dark: holidays)",
        plan,
    )
    return figure.update_layout(plot_bgcolor="#c8c8c8")


# --------------------------------------------------------------------------- clients at risk


def clients_at_risk(plan: Plan, dataset: Dataset) -> pd.DataFrame:
    """Operators with uncovered critical or high demand, the worst first.

    Sorted by critical, then high, in the plan's own lexicographic order: one
    uncovered critical unit outweighs any amount of high.
    """
    totals: dict[str, Counter] = defaultdict(Counter)
    weeks: dict[str, set[date]] = defaultdict(set)
    reasons: dict[str, Counter] = defaultdict(Counter)
    for u in plan.uncovered:
        if u.priority not in ("critical", "high"):
            continue
        totals[u.operator_id][u.priority] += u.units
        weeks[u.operator_id].add(u.week)
        reasons[u.operator_id][u.reason] += u.units
    named = reason_namer(dataset)
    rows = [
        {
            "Client": operator_label(dataset, operator),
            "Critical uncovered (FTE-weeks)": fte_weeks(counts["critical"]),
            "High uncovered (FTE-weeks)": fte_weeks(counts["high"]),
            "Weeks affected": len(weeks[operator]),
            "From week": week_label(min(weeks[operator])),
            "Main reason": named(reasons[operator].most_common(1)[0][0]),
        }
        for operator, counts in totals.items()
    ]
    columns = [
        "Client",
        "Critical uncovered (FTE-weeks)",
        "High uncovered (FTE-weeks)",
        "Weeks affected",
        "From week",
        "Main reason",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(columns[1:3], ascending=False, kind="stable").reset_index(drop=True)
