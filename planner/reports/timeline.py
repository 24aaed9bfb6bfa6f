"""The Plan timeline screen: the filters, the Gantt chart, the tables and the plan's files.

Who covers whom, which weeks and how much, and what stays uncovered and why;
the downloads on that screen (`plan.csv`, `uncovered.csv`, the workbook) are
built here too. Pure functions of a `Plan` and its `Dataset`, free of
Streamlit, so a filter or a bar can be checked in a unit test without a browser.
"""

from __future__ import annotations

import html
import io
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from planner.data.exports import fill_sheet, people_csv
from planner.data.plan_files import plan_frame, uncovered_frame
from planner.domain.demand import demand_sources
from planner.domain.records import PRIORITIES, Dataset
from planner.planning.plan import Plan
from planner.reports.calendar_weeks import CalendarWeek, band_color, calendar_week, calendar_weeks
from planner.reports.format import (
    PRIORITY_COLORS,
    ROW_HEIGHT,
    chart_text,
    demand_label,
    fte_weeks,
    operator_label,
    operator_names,
    specialist_label,
    specialist_names,
    week_label,
)
from planner.reports.reasons import reason_namer

_GANTT_COLUMNS = ["row", "group", "start", "finish", "kind", "text", "details"]
PAGE_ROWS = 40  # timeline rows a page shows: the chart stays a screen or two tall
_CALENDAR_LINES = 4  # weeks a bar's hover names before it says how many more


def demand_priorities(plan: Plan, dataset: Dataset) -> dict[str, str]:
    """Priority of every demand of the plan: assignments do not carry it, the data does."""
    priorities = {
        demand_id: source.priority for demand_id, source in demand_sources(dataset).items()
    }
    # the plan's own uncovered rows know the priority it was planned with
    priorities.update({u.demand_id: u.priority for u in plan.uncovered})
    return priorities


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class PlanFilter:
    """What the timeline shows; an empty set means no restriction."""

    roles: frozenset[str] = frozenset()
    operators: frozenset[str] = frozenset()
    specialists: frozenset[str] = frozenset()
    priorities: frozenset[str] = frozenset()
    start: date | None = None  # first Monday shown
    end: date | None = None  # last Monday shown


def filter_plan(plan: Plan, dataset: Dataset, keep: PlanFilter) -> Plan:
    """The plan restricted to `keep`; uncovered rows have no specialist, so a specialist
    filter hides them."""
    priorities = demand_priorities(plan, dataset)

    def wanted(row: Any, priority: str) -> bool:
        return (
            (not keep.roles or row.role in keep.roles)
            and (not keep.operators or row.operator_id in keep.operators)
            and (not keep.priorities or priority in keep.priorities)
            and (keep.start is None or row.week >= keep.start)
            and (keep.end is None or row.week <= keep.end)
        )

    assignments = tuple(
        a
        for a in plan.assignments
        if wanted(a, priorities.get(a.demand_id, "normal"))
        and (not keep.specialists or a.specialist_id in keep.specialists)
    )
    uncovered = (
        () if keep.specialists else tuple(u for u in plan.uncovered if wanted(u, u.priority))
    )
    return replace(plan, assignments=assignments, uncovered=uncovered)


# --------------------------------------------------------------------------- the Gantt chart


def _runs(weeks: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive Mondays as (first, last) pairs, so a steady booking is one bar."""
    runs: list[tuple[date, date]] = []
    for monday in sorted(weeks):
        if runs and monday - runs[-1][1] == timedelta(weeks=1):
            runs[-1] = (runs[-1][0], monday)
        else:
            runs.append((monday, monday))
    return runs


def _weeks_text(first: date, last: date) -> str:
    if first == last:
        return week_label(first)
    count = (last - first).days // 7 + 1
    return f"{week_label(first)} to {week_label(last)} ({count} weeks)"


def gantt_frame(plan: Plan, dataset: Dataset, by: str = "specialist") -> pd.DataFrame:
    """Bars from Monday to the Monday after, one row per specialist and demand.

    A row per pair (not per specialist) because a specialist often serves two or
    three clients in the same week, and bars in one row would hide each other.
    Weeks with the same load are merged into one bar; uncovered gaps get rows of
    their own, in red, with the reason, and come first: the rows to act on are
    at the top, not below a hundred assigned ones.
    """
    bars = _assignment_bars(plan, dataset, by) + _gap_bars(plan, dataset, by)
    frame = pd.DataFrame(bars, columns=_GANTT_COLUMNS)
    return frame.sort_values(["group", "start"], kind="stable").reset_index(drop=True)


def _assignment_bars(plan: Plan, dataset: Dataset, by: str) -> list[dict[str, Any]]:
    """One bar per run of weeks a specialist covers a demand with the same load."""
    priorities = demand_priorities(plan, dataset)
    names = specialist_names(dataset)
    regions = _regions(dataset)
    bars = []
    pairs: dict[tuple, list[date]] = defaultdict(list)
    for a in plan.assignments:
        pairs[(a.specialist_id, a.demand_id, a.operator_id, a.role, a.units)].append(a.week)
    for (spec, demand, operator, role, units), weeks in pairs.items():
        name = chart_text(names.get(spec, spec))
        what = chart_text(demand_label(demand, operator, role))
        row = f"{name} · {what}" if by == "specialist" else f"{what} · {name}"
        group = (1, name, what) if by == "specialist" else (1, what, name)
        for first, last in _runs(weeks):
            bars.append(
                {
                    "row": row,
                    "group": group,
                    "start": first,
                    "finish": last + timedelta(weeks=1),
                    "kind": priorities.get(demand, "normal"),
                    "text": f"{fte_weeks(units):g}",
                    "details": (
                        f"<b>{name}</b> ({chart_text(spec)}) covers "
                        f"<b>{chart_text(operator_label(dataset, operator))}</b>"
                        f"<br>{chart_text(role)}, {chart_text(demand)}"
                        f"<br>{_weeks_text(first, last)}"
                        f"<br>{fte_weeks(units):g} FTE a week"
                        f" · priority {priorities.get(demand, 'normal')}"
                        f"{_calendar_lines(plan, regions.get(operator), first, last)}"
                    ),
                }
            )
    return bars


def _gap_bars(plan: Plan, dataset: Dataset, by: str) -> list[dict[str, Any]]:
    """One red bar per run of weeks a demand misses the same load for the same reason.

    The uncovered rows sort before every assigned row, in either view, the most
    important demand first (critical, then high, ...). The
    reason names specialists by name (`Морозов Павел (SP003)`), escaped, as
    hover text is HTML.
    """
    regions = _regions(dataset)
    named = reason_namer(dataset)
    bars = []
    gaps: dict[tuple, list[date]] = defaultdict(list)
    for u in plan.uncovered:
        gaps[(u.demand_id, u.operator_id, u.role, u.priority, u.units, u.reason)].append(u.week)
    for (demand, operator, role, priority, units, reason), weeks in gaps.items():
        what = chart_text(demand_label(demand, operator, role))
        row = f"Uncovered · {what}" if by == "specialist" else f"{what} · uncovered"
        group = (0, PRIORITIES.index(priority), what)
        for first, last in _runs(weeks):
            bars.append(
                {
                    "row": row,
                    "group": group,
                    "start": first,
                    "finish": last + timedelta(weeks=1),
                    "kind": "uncovered",
                    "text": f"{fte_weeks(units):g}",
                    "details": (
                        f"<b>Uncovered</b>: {chart_text(operator_label(dataset, operator))}"
                        f"<br>{chart_text(role)}, {chart_text(demand)}, priority {priority}"
                        f"<br>{_weeks_text(first, last)}<br>"
                        f"{fte_weeks(units):g} FTE a week missing<br>"
                        f"<i>why</i>: {chart_text(named(reason))}"
                        f"{_calendar_lines(plan, regions.get(operator), first, last)}"
                    ),
                }
            )
    return bars


def gantt_pages(frame: pd.DataFrame, page_rows: int = PAGE_ROWS) -> int:
    """How many pages of `page_rows` rows the chart of `frame` takes (at least one)."""
    return max(1, math.ceil(frame["row"].nunique() / page_rows))


def gantt_page(frame: pd.DataFrame, page: int, page_rows: int = PAGE_ROWS) -> pd.DataFrame:
    """The bars of the rows on `page` (from 1), in the frame's order; a row is never split."""
    rows = list(dict.fromkeys(frame["row"]))
    shown = set(rows[(page - 1) * page_rows : page * page_rows])
    return frame[frame["row"].isin(shown)].reset_index(drop=True)


def gantt_figure(
    plan: Plan,
    dataset: Dataset,
    by: str = "specialist",
    weeks: tuple[date, date] | None = None,
    page: int = 1,
    page_rows: int = PAGE_ROWS,
) -> go.Figure:
    """Who covers whom, which weeks and how much (bar text = FTE a week); red = uncovered.

    One page of `page_rows` rows, uncovered first; the height follows the rows
    shown. The axis spans `weeks` (first and last Monday shown; the plan's horizon
    by default) rather than the bars: a week without working days has no bars,
    and at either end it would drop out of the chart with the band that explains it.
    """
    frame = gantt_page(gantt_frame(plan, dataset, by), page, page_rows)
    if frame.empty:
        return _nothing_to_show()
    frame = frame.assign(
        start=pd.to_datetime(frame["start"]), finish=pd.to_datetime(frame["finish"])
    )
    kinds = [k for k in PRIORITY_COLORS if k in set(frame["kind"])]
    figure = px.timeline(
        frame,
        x_start="start",
        x_end="finish",
        y="row",
        color="kind",
        text="text",
        custom_data=["details"],
        color_discrete_map=PRIORITY_COLORS,
        category_orders={"kind": kinds, "row": list(dict.fromkeys(frame["row"]))},
        labels={"kind": "", "row": ""},
    )
    figure.update_traces(
        hovertemplate="%{customdata[0]}<extra></extra>",
        textposition="inside",
        insidetextanchor="middle",
        textangle=0,
        marker_line_width=0.5,
        marker_line_color="white",
    )
    first, last = weeks or (plan.horizon.mondays[0], plan.horizon.mondays[-1])
    shown = [week for week in calendar_weeks(plan) if first <= week.monday <= last]
    return _gantt_layout(figure, frame, shown)


def _nothing_to_show() -> go.Figure:
    """An empty chart that says so, rather than axes with no bars when the filters hide all."""
    figure = go.Figure()
    figure.add_annotation(text="Nothing to show for these filters", showarrow=False)
    figure.update_layout(height=200, xaxis={"visible": False}, yaxis={"visible": False})
    return figure


def _gantt_layout(figure: go.Figure, frame: pd.DataFrame, weeks: list[CalendarWeek]) -> go.Figure:
    """Week labels on top, at most eight of them, and a height that grows with the rows.

    A week that is not five working days is a band behind the bars, labelled with
    its days (`4d`); a tick that falls on one says them too.
    """
    step = max(1, math.ceil(len(weeks) / 8))  # labels stay level next to long row names
    ticks = weeks[::step]
    rows = frame["row"].nunique()
    first, last = frame["start"].min(), frame["finish"].max()
    if weeks:
        first = min(first, pd.Timestamp(weeks[0].monday))
        last = max(last, pd.Timestamp(weeks[-1].monday + timedelta(weeks=1)))
    figure.update_layout(
        height=max(260, rows * ROW_HEIGHT + 160),
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        uniformtext_minsize=8,
        uniformtext_mode="hide",
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "top",
            "y": 1,
            "x": 0,
            "title": "",
        },
        xaxis={
            "tickvals": [pd.Timestamp(week.monday) for week in ticks],
            "ticktext": [_tick_text(week) for week in ticks],
            "side": "top",
            "range": [first, last],
            "showgrid": True,
            "tickangle": 0,
        },
        yaxis={"automargin": True, "title": ""},  # px lists the first category on top
    )
    for week in weeks:
        if week.unusual:
            figure.add_vrect(
                x0=pd.Timestamp(week.monday),
                x1=pd.Timestamp(week.monday + timedelta(weeks=1)),
                fillcolor=band_color(week),
                opacity=0.6,
                layer="below",
                line_width=0,
                name=week.note,
                label={
                    "text": week.short_label,
                    "textposition": "top center",
                    "font": {"size": 10, "color": "#616161"},
                },
            )
    return figure


def _tick_text(week: CalendarWeek) -> str:
    label = week_label(week.monday).replace(", ", "<br>")
    return f"{label} · {week.short_label}" if week.unusual else label


def _regions(dataset: Dataset) -> dict[str, str | None]:
    return {o.operator_id: o.region for o in dataset.operators}


def _calendar_lines(plan: Plan, region: str | None, first: date, last: date) -> str:
    """`<br>2027-W10, 8 Mar: 4 working days (8 Mar Women's Day)` per week of a bar that is
    not five working days by its operator's calendar.

    An operator's demand follows its region's calendar, so a bar names the
    operator's own working days, and says so where they are not the federal
    calendar's. Regions and `calendar.csv` notes are the user's text: escaped,
    as hover text is HTML.
    """
    lines = []
    for monday in _mondays(first, last):
        week, federal = calendar_week(plan, monday, region), calendar_week(plan, monday)
        note = html.escape(week.note, quote=False)
        if week.working_days != federal.working_days:
            lines.append(
                f"{week_label(monday)}: {note} in {html.escape(region or '', quote=False)}"
            )
        elif week.unusual:
            lines.append(f"{week_label(monday)}: {note}")
    if len(lines) > _CALENDAR_LINES:
        more = len(lines) - _CALENDAR_LINES
        lines = [*lines[:_CALENDAR_LINES], f"and {more} more week{'s' * (more > 1)} like these"]
    return "".join(f"<br>{line}" for line in lines)


def _mondays(first: date, last: date) -> list[date]:
    return [first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1)]


# --------------------------------------------------------------------------- tables


def assignment_table(plan: Plan, dataset: Dataset) -> pd.DataFrame:
    """The plan's rows with names and week labels, for reading rather than for files."""
    priorities = demand_priorities(plan, dataset)
    return pd.DataFrame(
        [
            {
                "Week": week_label(a.week),
                "Client": operator_label(dataset, a.operator_id),
                "Role": a.role,
                "Demand": a.demand_id,
                "Priority": priorities.get(a.demand_id, "normal"),
                "Specialist": specialist_label(dataset, a.specialist_id),
                "FTE": fte_weeks(a.units),
            }
            for a in plan.assignments
        ],
        columns=["Week", "Client", "Role", "Demand", "Priority", "Specialist", "FTE"],
    )


def uncovered_table(plan: Plan, dataset: Dataset) -> pd.DataFrame:
    """The uncovered rows with names; the reason names specialists (`uncovered.csv` has ids)."""
    named = reason_namer(dataset)
    return pd.DataFrame(
        [
            {
                "Week": week_label(u.week),
                "Client": operator_label(dataset, u.operator_id),
                "Role": u.role,
                "Demand": u.demand_id,
                "Priority": u.priority,
                "FTE missing": fte_weeks(u.units),
                "Reason": named(u.reason),
            }
            for u in plan.uncovered
        ],
        columns=["Week", "Client", "Role", "Demand", "Priority", "FTE missing", "Reason"],
    )


# --------------------------------------------------------------------------- plan files


def plan_csv(plan: Plan) -> bytes:
    """`plan.csv` with the contract's columns, as a CSV for people (UTF-8 with a BOM, so
    Excel on a Russian-locale PC reads it right); `planner plan --out` writes it without."""
    return people_csv(plan_frame(plan))


def uncovered_csv(plan: Plan) -> bytes:
    return people_csv(uncovered_frame(plan))


def summary_frame(plan: Plan) -> pd.DataFrame:
    """The headline figures flattened to (figure, value) rows, for a spreadsheet sheet;
    the values keep their types, so numbers stay numbers there."""
    rows: list[dict[str, Any]] = []
    for key, value in plan.summary.items():
        if isinstance(value, dict):
            rows.extend(
                {"figure": f"{_figure_name(key)}, {k.replace('_', ' ')}", "value": v}
                for k, v in value.items()
                if not isinstance(v, list | dict)
            )
        elif not isinstance(value, list):
            rows.append({"figure": _figure_name(key), "value": value})
    rows.append({"figure": "Dropped pins", "value": len(plan.summary.get("dropped_pins", []))})
    return pd.DataFrame(rows, columns=["figure", "value"], dtype=object)


def _figure_name(key: str) -> str:
    """`covered_units` as people read it: `Covered units` (units of 0.1 FTE-week)."""
    words = key.replace("_", " ")
    return words[:1].upper() + words[1:]


def _with_names(frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """`frame` with a name column right of each operator and specialist id, and its weeks
    as dates, so a spreadsheet can filter and sort by them."""
    named = frame.copy()
    named["week"] = [date.fromisoformat(w) for w in named["week"]]
    columns = [
        ("operator_id", "operator", operator_names(dataset)),
        ("specialist_id", "specialist", specialist_names(dataset)),
    ]
    for id_column, name_column, names in columns:
        if id_column in named.columns:
            position = named.columns.get_loc(id_column) + 1
            named.insert(position, name_column, [names.get(i, "") for i in named[id_column]])
    return named


def plan_workbook(plan: Plan, dataset: Dataset) -> bytes:
    """The plan, what is uncovered and the summary as one Excel file with three sheets, for
    reading: names beside the ids, weeks as dates, numbers that add up."""
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for name, frame in (
        ("plan", _with_names(plan_frame(plan), dataset)),
        ("uncovered", _with_names(uncovered_frame(plan), dataset)),
        ("summary", summary_frame(plan)),
    ):
        rows = frame.astype(object).itertuples(index=False, name=None)
        fill_sheet(workbook.create_sheet(name), list(frame.columns), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
