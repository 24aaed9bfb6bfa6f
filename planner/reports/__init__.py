"""DataFrames and figures for the screens and exports: a plan as people read it.

Pure functions of a `Plan` (and of the `Dataset` for names, priorities and
capacities): no Streamlit and no database, so the screens stay glue and every
figure can be checked in a unit test. Loads are shown in FTE-weeks (one person
full time for one week = 10 units), weeks as `2027-W27, 5 Jul`.
"""

from __future__ import annotations

import io
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from planner.data.exports import safe_frame
from planner.data.plan_files import plan_frame, uncovered_frame
from planner.data.schema import SPECS
from planner.domain.calendar import UNITS_PER_FTE, iso_week_label
from planner.domain.demand import demand_sources, request_demand_id
from planner.domain.records import Dataset, Request
from planner.planning.plan import PRIORITY_NAMES, Plan
from planner.quotes.quote import Quote
from planner.rules.capacity import specialist_capacity
from planner.solver.model import Progress

COVERED_COLOR = "#2e7d32"
PARTLY_COLOR = "#f9a825"
UNCOVERED_COLOR = "#d32f2f"
PRIORITY_COLORS = {"critical": "#1a237e", "high": "#3f51b5", "normal": "#90a4d4",
                   "uncovered": UNCOVERED_COLOR}
LEVEL_NAMES = {1: "junior", 2: "middle", 3: "senior"}
_ROW_HEIGHT = 22


# --------------------------------------------------------------------------- labels


def week_label(monday: date) -> str:
    """`2027-W27, 5 Jul`: the ISO week people quote, with a date they recognise."""
    return iso_week_label(monday)


def fte_weeks(units: float) -> float:
    """Units (0.1 FTE for a week) as FTE-weeks, the figure an account manager thinks in."""
    return units / UNITS_PER_FTE


def share(part: float, whole: float) -> float | None:
    """`part / whole`, or None when there is nothing to share (no demand, no capacity)."""
    return part / whole if whole else None


def operator_names(dataset: Dataset) -> dict[str, str]:
    return {o.operator_id: o.name for o in dataset.operators}


def specialist_names(dataset: Dataset) -> dict[str, str]:
    return {s.specialist_id: s.name for s in dataset.specialists}


def operator_label(dataset: Dataset, operator_id: str) -> str:
    """`OP0001 — name`: the id users search by, and the name they recognise."""
    name = operator_names(dataset).get(operator_id)
    return f"{operator_id} — {name}" if name else operator_id


def specialist_label(dataset: Dataset, specialist_id: str) -> str:
    """A specialist's name; the id when the plan is older than the data and names it no more."""
    return specialist_names(dataset).get(specialist_id, specialist_id)


def skill_vocabulary(dataset: Dataset) -> list[str]:
    """Skills a request may ask for: only those some specialist has can ever be covered."""
    return sorted({skill for s in dataset.specialists for skill in s.skills})


def demand_label(demand_id: str, operator_id: str, role: str) -> str:
    """`OP0001 finance`, plus the request id for cover asked for on top of a gap."""
    if demand_id.startswith("req:"):
        return f"{operator_id} {role} ({demand_id.removeprefix('req:')})"
    return f"{operator_id} {role}"


def demand_priorities(plan: Plan, dataset: Dataset) -> dict[str, str]:
    """Priority of every demand of the plan: assignments do not carry it, the data does."""
    priorities = {demand_id: source.priority
                  for demand_id, source in demand_sources(dataset).items()}
    # the plan's own uncovered rows know the priority it was planned with
    priorities.update({u.demand_id: u.priority for u in plan.uncovered})
    return priorities


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


def _by_priority(plan: Plan, key: str) -> dict[str, int]:
    values = plan.summary.get(key) or {}
    return {p: int(values.get(p, 0)) for p in PRIORITY_NAMES}


def headline(plan: Plan, dataset: Dataset) -> Headline:
    """Demand, cover and bound come from the plan's summary, as proven when it was solved."""
    demand = _by_priority(plan, "demand_units")
    covered = _by_priority(plan, "covered_units")
    bound = _by_priority(plan, "bound_units")
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


def priority_frame(plan: Plan) -> pd.DataFrame:
    """Cover by priority, against demand and against the proven bound.

    The bound matters because demand is often impossible to meet: 80% of demand
    may be 100% of what any plan could do with these specialists.
    """
    demand = _by_priority(plan, "demand_units")
    covered = _by_priority(plan, "covered_units")
    bound = _by_priority(plan, "bound_units")
    rows = []
    for priority in PRIORITY_NAMES:
        rows.append({
            "Priority": priority,
            "Demand": fte_weeks(demand[priority]),
            "Covered": fte_weeks(covered[priority]),
            "Uncovered": fte_weeks(demand[priority] - covered[priority]),
            "Proven bound": fte_weeks(bound[priority]),
            "Of demand": share(covered[priority], demand[priority]),
            "Of proven optimum": share(covered[priority], bound[priority]),
        })
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
        {"operator_id": operator, "week": week, "covered": covered[(operator, week)],
         "uncovered": uncovered[(operator, week)],
         "demand": covered[(operator, week)] + uncovered[(operator, week)]}
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
    mondays = plan.horizon.mondays
    names = operator_names(dataset)
    operators = sorted(frame["operator_id"].unique())
    cells = {(r.operator_id, r.week): r for r in frame.itertuples()}
    z, text = [], []
    for operator in operators:
        z_row, text_row = [], []
        for monday in mondays:
            cell = cells.get((operator, monday))
            if cell is None:
                z_row.append(None)
                text_row.append(f"{operator_label(dataset, operator)}<br>{week_label(monday)}"
                                "<br>no gap")
                continue
            z_row.append(coverage_state(cell.covered, cell.demand))
            text_row.append(
                f"{operator_label(dataset, operator)}<br>{week_label(monday)}<br>"
                f"covered {fte_weeks(cell.covered):g} of {fte_weeks(cell.demand):g} FTE "
                f"({cell.covered / cell.demand:.0%})")
        z.append(z_row)
        text.append(text_row)
    third = 1 / 3
    figure = go.Figure(go.Heatmap(
        z=z, x=[week_label(m) for m in mondays],
        y=[f"{o} {names.get(o, '')}".strip() for o in operators],
        text=text, hovertemplate="%{text}<extra></extra>",
        zmin=-0.5, zmax=2.5, xgap=1, ygap=1,
        colorscale=[[0, UNCOVERED_COLOR], [third, UNCOVERED_COLOR], [third, PARTLY_COLOR],
                    [2 * third, PARTLY_COLOR], [2 * third, COVERED_COLOR], [1, COVERED_COLOR]],
        colorbar={"tickvals": [0, 1, 2], "ticktext": ["uncovered", "partly", "covered"],
                  "title": {"text": ""}, "len": 0.5, "y": 1, "yanchor": "top"},
    ))
    return _heatmap_layout(figure, len(operators), "Coverage of gaps and requests")


def _heatmap_layout(figure: go.Figure, rows: int, title: str) -> go.Figure:
    figure.update_layout(
        title=title, height=max(260, rows * _ROW_HEIGHT + 170),
        margin={"l": 10, "r": 10, "t": 50, "b": 10}, plot_bgcolor="#f4f4f4",
        xaxis={"side": "top", "tickangle": -60, "type": "category", "title": ""},
        yaxis={"autorange": "reversed", "type": "category", "title": "", "automargin": True},
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
            rows.append({"specialist_id": spec.specialist_id, "name": spec.name, "week": monday,
                         "booked": units, "capacity": cap, "share": share(units, cap)})
    return pd.DataFrame(rows, columns=["specialist_id", "name", "week", "booked", "capacity",
                                       "share"])


def utilisation_heatmap(plan: Plan, dataset: Dataset) -> go.Figure:
    """Specialist by week, darker = busier; blank where the specialist is away."""
    frame = utilisation_frame(plan, dataset)
    mondays = plan.horizon.mondays
    z, text, labels = [], [], []
    for spec in dataset.specialists:
        rows = frame[frame["specialist_id"] == spec.specialist_id]
        labels.append(f"{spec.specialist_id} {spec.name}")
        z_row, text_row = [], []
        for row in rows.itertuples():
            head = f"{spec.name} ({spec.specialist_id})<br>{week_label(row.week)}<br>"
            if row.capacity <= 0:
                z_row.append(None)
                text_row.append(head + "not available")
            else:
                busy = row.booked / row.capacity
                z_row.append(busy)
                text_row.append(head + f"booked {fte_weeks(row.booked):g} of "
                                f"{fte_weeks(row.capacity):g} FTE ({busy:.0%})")
        z.append(z_row)
        text.append(text_row)
    figure = go.Figure(go.Heatmap(
        z=z, x=[week_label(m) for m in mondays], y=labels, text=text,
        hovertemplate="%{text}<extra></extra>", zmin=0, zmax=1, xgap=1, ygap=1,
        colorscale="Blues", colorbar={"tickformat": ".0%", "title": {"text": ""}, "len": 0.6},
    ))
    figure = _heatmap_layout(figure, len(labels),
                             "Specialists' utilisation (booked / capacity; grey: not available)")
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
    rows = [
        {"Client": operator_label(dataset, operator),
         "Critical uncovered (FTE-weeks)": fte_weeks(counts["critical"]),
         "High uncovered (FTE-weeks)": fte_weeks(counts["high"]),
         "Weeks affected": len(weeks[operator]),
         "From week": week_label(min(weeks[operator])),
         "Main reason": reasons[operator].most_common(1)[0][0]}
        for operator, counts in totals.items()
    ]
    columns = ["Client", "Critical uncovered (FTE-weeks)", "High uncovered (FTE-weeks)",
               "Weeks affected", "From week", "Main reason"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(columns[1:3], ascending=False, kind="stable").reset_index(drop=True)


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
        return ((not keep.roles or row.role in keep.roles)
                and (not keep.operators or row.operator_id in keep.operators)
                and (not keep.priorities or priority in keep.priorities)
                and (keep.start is None or row.week >= keep.start)
                and (keep.end is None or row.week <= keep.end))

    assignments = tuple(
        a for a in plan.assignments
        if wanted(a, priorities.get(a.demand_id, "normal"))
        and (not keep.specialists or a.specialist_id in keep.specialists))
    uncovered = () if keep.specialists else tuple(
        u for u in plan.uncovered if wanted(u, u.priority))
    return replace(plan, assignments=assignments, uncovered=uncovered)


# --------------------------------------------------------------------------- timeline


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
    their own, in red, with the reason.
    """
    priorities = demand_priorities(plan, dataset)
    names = specialist_names(dataset)
    bars = []
    pairs: dict[tuple, list[date]] = defaultdict(list)
    for a in plan.assignments:
        pairs[(a.specialist_id, a.demand_id, a.operator_id, a.role, a.units)].append(a.week)
    for (spec, demand, operator, role, units), weeks in pairs.items():
        name = names.get(spec, spec)
        what = demand_label(demand, operator, role)
        row = f"{name} · {what}" if by == "specialist" else f"{what} · {name}"
        group = (name, what) if by == "specialist" else (what, name)
        for first, last in _runs(weeks):
            bars.append({
                "row": row, "group": group, "start": first, "finish": last + timedelta(weeks=1),
                "kind": priorities.get(demand, "normal"), "text": f"{fte_weeks(units):g}",
                "details": (f"<b>{name}</b> ({spec}) covers <b>{operator_label(dataset, operator)}"
                            f"</b><br>{role}, {demand}<br>{_weeks_text(first, last)}"
                            f"<br>{fte_weeks(units):g} FTE a week"
                            f" · priority {priorities.get(demand, 'normal')}"),
            })
    gaps: dict[tuple, list[date]] = defaultdict(list)
    for u in plan.uncovered:
        gaps[(u.demand_id, u.operator_id, u.role, u.priority, u.units, u.reason)].append(u.week)
    for (demand, operator, role, priority, units, reason), weeks in gaps.items():
        what = demand_label(demand, operator, role)
        row = f"Uncovered · {what}" if by == "specialist" else f"{what} · uncovered"
        last = "\uffff"  # sorts after every name, Cyrillic included
        group = (last, what) if by == "specialist" else (what, last)
        for first, last in _runs(weeks):
            bars.append({
                "row": row, "group": group, "start": first, "finish": last + timedelta(weeks=1),
                "kind": "uncovered", "text": f"{fte_weeks(units):g}",
                "details": (f"<b>Uncovered</b>: {operator_label(dataset, operator)}<br>{role}, "
                            f"{demand}, priority {priority}<br>{_weeks_text(first, last)}<br>"
                            f"{fte_weeks(units):g} FTE a week missing<br>"
                            f"<i>why</i>: {reason}"),
            })
    columns = ["row", "group", "start", "finish", "kind", "text", "details"]
    frame = pd.DataFrame(bars, columns=columns)
    return frame.sort_values(["group", "start"], kind="stable").reset_index(drop=True)


def gantt_figure(plan: Plan, dataset: Dataset, by: str = "specialist") -> go.Figure:
    """Who covers whom, which weeks and how much (bar text = FTE a week); red = uncovered."""
    frame = gantt_frame(plan, dataset, by)
    mondays = plan.horizon.mondays
    if frame.empty:
        figure = go.Figure()
        figure.add_annotation(text="Nothing to show for these filters", showarrow=False)
        figure.update_layout(height=200, xaxis={"visible": False}, yaxis={"visible": False})
        return figure
    frame = frame.assign(start=pd.to_datetime(frame["start"]),
                         finish=pd.to_datetime(frame["finish"]))
    kinds = [k for k in PRIORITY_COLORS if k in set(frame["kind"])]
    figure = px.timeline(
        frame, x_start="start", x_end="finish", y="row", color="kind", text="text",
        custom_data=["details"], color_discrete_map=PRIORITY_COLORS,
        category_orders={"kind": kinds, "row": list(dict.fromkeys(frame["row"]))},
        labels={"kind": "", "row": ""},
    )
    figure.update_traces(hovertemplate="%{customdata[0]}<extra></extra>",
                         textposition="inside", insidetextanchor="middle", textangle=0,
                         marker_line_width=0.5, marker_line_color="white")
    step = max(1, math.ceil(len(mondays) / 8))  # labels stay level next to long row names
    ticks = mondays[::step]
    rows = frame["row"].nunique()
    figure.update_layout(
        height=max(260, rows * _ROW_HEIGHT + 160),
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        uniformtext_minsize=8, uniformtext_mode="hide",
        legend={"orientation": "h", "yref": "container", "yanchor": "top", "y": 1, "x": 0,
                "title": ""},
        xaxis={"tickvals": [pd.Timestamp(m) for m in ticks],
               "ticktext": [week_label(m).replace(", ", "<br>") for m in ticks], "side": "top",
               "range": [pd.Timestamp(frame["start"].min()), pd.Timestamp(frame["finish"].max())],
               "showgrid": True, "tickangle": 0},
        yaxis={"automargin": True, "title": ""},  # px lists the first category on top
    )
    return figure


def assignment_table(plan: Plan, dataset: Dataset) -> pd.DataFrame:
    """The plan's rows with names and week labels, for reading rather than for files."""
    priorities = demand_priorities(plan, dataset)
    return pd.DataFrame(
        [{"Week": week_label(a.week), "Client": operator_label(dataset, a.operator_id),
          "Role": a.role, "Demand": a.demand_id,
          "Priority": priorities.get(a.demand_id, "normal"),
          "Specialist": specialist_label(dataset, a.specialist_id),
          "FTE": fte_weeks(a.units)} for a in plan.assignments],
        columns=["Week", "Client", "Role", "Demand", "Priority", "Specialist", "FTE"])


def uncovered_table(plan: Plan, dataset: Dataset) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Week": week_label(u.week), "Client": operator_label(dataset, u.operator_id),
          "Role": u.role, "Demand": u.demand_id, "Priority": u.priority,
          "FTE missing": fte_weeks(u.units), "Reason": u.reason} for u in plan.uncovered],
        columns=["Week", "Client", "Role", "Demand", "Priority", "FTE missing", "Reason"])


# --------------------------------------------------------------------------- plan files


def plan_csv(plan: Plan) -> bytes:
    """`plan.csv` exactly as the contract and `planner plan` write it."""
    return safe_frame(plan_frame(plan)).to_csv(index=False, lineterminator="\n").encode("utf-8")


def uncovered_csv(plan: Plan) -> bytes:
    return safe_frame(uncovered_frame(plan)).to_csv(index=False,
                                                    lineterminator="\n").encode("utf-8")


def summary_frame(plan: Plan) -> pd.DataFrame:
    """The headline figures flattened to (figure, value) rows, for a spreadsheet sheet."""
    rows = []
    for key, value in plan.summary.items():
        if isinstance(value, dict):
            rows.extend({"figure": f"{key}.{k}", "value": v} for k, v in value.items())
        elif not isinstance(value, list):
            rows.append({"figure": key, "value": value})
    rows.append({"figure": "dropped_pins", "value": len(plan.summary.get("dropped_pins", []))})
    return pd.DataFrame(rows, columns=["figure", "value"]).astype({"value": str})


def plan_workbook(plan: Plan) -> bytes:
    """The plan, what is uncovered and the summary as one Excel file with three sheets."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(plan_frame(plan)).to_excel(writer, sheet_name="plan", index=False)
        safe_frame(uncovered_frame(plan)).to_excel(writer, sheet_name="uncovered", index=False)
        safe_frame(summary_frame(plan)).to_excel(writer, sheet_name="summary", index=False)
    return buffer.getvalue()


# --------------------------------------------------------------------------- quotes


def quote_verdict(quote: Quote) -> str:
    """`full`, `partial`, `none`, or `outside` when the request has no week in the plan."""
    if quote.demand_units <= 0:
        return "outside"
    if quote.covered_units >= quote.demand_units:
        return "full"
    return "partial" if quote.covered_units > 0 else "none"


def quote_weeks(quote: Quote, dataset: Dataset) -> pd.DataFrame:
    """Week by week: what is needed, who gives it, and why not where not."""
    given: dict[date, list[str]] = defaultdict(list)
    covered: dict[date, int] = defaultdict(int)
    for line in quote.assignments:
        given[line.week].append(
            f"{specialist_label(dataset, line.specialist_id)} ({fte_weeks(line.units):g} FTE)")
        covered[line.week] += line.units
    reasons = {gap.week: gap.reason for gap in quote.uncovered}
    weeks = sorted(set(quote.weekly_demand) | set(covered) | set(reasons))
    rows = []
    for monday in weeks:
        needed = quote.weekly_demand.get(monday, 0)
        rows.append({"Week": week_label(monday), "Needed (FTE)": fte_weeks(needed),
                     "Covered (FTE)": fte_weeks(covered[monday]),
                     "By whom": ", ".join(given[monday]) or "—",
                     "Not covered (FTE)": fte_weeks(max(0, needed - covered[monday])),
                     "Why not": reasons.get(monday, "")})
    return pd.DataFrame(rows, columns=["Week", "Needed (FTE)", "Covered (FTE)", "By whom",
                                       "Not covered (FTE)", "Why not"])


def moves_frame(moves, dataset: Dataset) -> pd.DataFrame:
    """The hand-overs a reshuffled quote needs, in words a manager can pass on."""
    rows = [{"Week": week_label(m.week),
             "From": specialist_label(dataset, m.from_specialist),
             "To": specialist_label(dataset, m.to_specialist),
             "Work": f"{operator_label(dataset, m.operator_id)}: {m.demand_id}",
             "FTE": fte_weeks(m.units)} for m in moves]
    return pd.DataFrame(rows, columns=["Week", "From", "To", "Work", "FTE"])


def quote_specialists(quote: Quote, dataset: Dataset) -> list[str]:
    """Who would cover the request, most units first."""
    units: Counter = Counter()
    for line in quote.assignments:
        units[line.specialist_id] += line.units
    return [f"{specialist_label(dataset, s)} ({fte_weeks(u):g} FTE-weeks)"
            for s, u in units.most_common()]


def request_alternatives(request: Request) -> list[tuple[str, Request]]:
    """The changes a client will usually accept: a less senior person, a later start, less time.

    A later start moves the whole request, keeping its length.
    """
    options = []
    if request.min_level > 1:
        lower = request.min_level - 1
        options.append((f"Min level {lower} ({LEVEL_NAMES[lower]}) instead of "
                        f"{request.min_level}", replace(request, min_level=lower)))
    for weeks in (1, 2):
        moved = replace(request, start=request.start + timedelta(weeks=weeks),
                        end=request.end + timedelta(weeks=weeks))
        options.append((f"Start {weeks} week{'s' if weeks > 1 else ''} later "
                        f"({_day(moved.start)} – {_day(moved.end)})", moved))
    half = round(request.fte / 2, 3)
    if half > 0:
        options.append((f"Half the FTE ({half:g} instead of {request.fte:g})",
                        replace(request, fte=half)))
    return options


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def alternatives_frame(answers: Sequence[tuple[str, Quote]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Alternative": label, "Covered (FTE-weeks)": fte_weeks(q.covered_units),
          "Asked (FTE-weeks)": fte_weeks(q.demand_units),
          "Covered share": share(q.covered_units, q.demand_units)} for label, q in answers],
        columns=["Alternative", "Covered (FTE-weeks)", "Asked (FTE-weeks)", "Covered share"])


def requests_status(plan: Plan | None, dataset: Dataset) -> pd.DataFrame:
    """Every filed request and how much of it a plan covers; new ones wait for a re-plan."""
    covered: dict[str, int] = defaultdict(int)
    missing: dict[str, int] = defaultdict(int)
    for a in plan.assignments if plan else ():
        covered[a.demand_id] += a.units
    for u in plan.uncovered if plan else ():
        missing[u.demand_id] += u.units
    rows = []
    for r in dataset.requests:
        demand = request_demand_id(r.request_id)
        if demand in covered or demand in missing:
            status = (f"covered {fte_weeks(covered[demand]):g} of "
                      f"{fte_weeks(covered[demand] + missing[demand]):g} FTE-weeks")
        elif plan is not None and (r.end < plan.start or r.start > plan.horizon.end):
            status = "outside the plan's weeks"
        else:
            status = "not yet: re-plan to include it"
        rows.append({
            "Request": r.request_id, "Client": operator_label(dataset, r.operator_id),
            "Role": r.role, "From": r.start, "To": r.end, "FTE": r.fte, "Priority": r.priority,
            "In the latest plan": status})
    return pd.DataFrame(rows, columns=["Request", "Client", "Role", "From", "To", "FTE",
                                       "Priority", "In the latest plan"])


# --------------------------------------------------------------------------- plan runs


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    suffix = " UTC" if moment.tzinfo is None or moment.utcoffset() == timedelta(0) else ""
    return moment.strftime("%Y-%m-%d %H:%M") + suffix


def runs_frame(runs: Sequence[Any]) -> pd.DataFrame:
    """The history of plan runs (`PlanRun` rows), newest first, for a table."""
    columns = ["Run", "Created", "Status", "Confirmed", "From week", "Weeks",
               "Covered (FTE-weeks)", "Demand (FTE-weeks)", "Covered share", "Handovers", "Cost",
               "Solve seconds", "Time limit", "Max tz gap", "Note"]
    return pd.DataFrame(
        [{"Run": r.id, "Created": _when(r.created_at), "Status": r.status,
          "Confirmed": bool(r.confirmed), "From week": week_label(r.start), "Weeks": r.weeks,
          "Covered (FTE-weeks)": fte_weeks(r.covered_units),
          "Demand (FTE-weeks)": fte_weeks(r.demand_units),
          "Covered share": share(r.covered_units, r.demand_units),
          "Handovers": r.handovers, "Cost": r.cost, "Solve seconds": r.solve_seconds,
          "Time limit": r.time_limit, "Max tz gap": r.max_tz_gap, "Note": r.note or ""}
         for r in runs],
        columns=columns)


def progress_fraction(event: Progress) -> float:
    """The cover stage is most of the work (70% of the bar), the later stages the rest."""
    done = event.done / event.total if event.total else 1.0
    return min(1.0, 0.7 * done if event.stage == "cover" else 0.7 + 0.3 * done)


def progress_text(event: Progress) -> str:
    """What the solver is doing, in words: a stage, how far, the best cover against its bound."""
    if event.stage == "cover":
        return (f"Cover: {event.done} of {event.total} weeks proven optimal · best cover "
                f"{fte_weeks(event.covered):g} FTE-weeks, proven bound "
                f"{fte_weeks(event.bound):g} · {event.elapsed:.0f} s")
    if event.stage == "continuity":
        return (f"Keeping the same specialists on each job: week {event.done + 1} of "
                f"{event.total}, {event.bound:g} handovers so far · {event.elapsed:.0f} s")
    return (f"Improving {event.stage} (stage {event.done} of {event.total}, cover held at "
            f"{fte_weeks(event.covered):g} FTE-weeks) · {event.stage}: {event.bound:g} · "
            f"{event.elapsed:.0f} s")


def compare_figures(before: Plan, after: Plan) -> pd.DataFrame:
    """Headline figures of two runs side by side, with the change."""
    def figures(plan: Plan) -> dict[str, float]:
        covered = _by_priority(plan, "covered_units")
        demand = _by_priority(plan, "demand_units")
        values = {f"Covered {p} (FTE-weeks)": fte_weeks(covered[p]) for p in PRIORITY_NAMES}
        values |= {f"Demand {p} (FTE-weeks)": fte_weeks(demand[p]) for p in PRIORITY_NAMES}
        values["Uncovered (FTE-weeks)"] = fte_weeks(sum(u.units for u in plan.uncovered))
        values["Handovers"] = float(plan.summary.get("handovers", 0))
        values["Familiar (FTE-weeks)"] = fte_weeks(plan.summary.get("familiar_units", 0))
        values["Cost"] = float(plan.summary.get("cost", 0.0))
        values["Assignment rows"] = float(len(plan.assignments))
        return values

    first, second = figures(before), figures(after)
    return pd.DataFrame(
        [{"Figure": name, "Before": first[name], "After": second[name],
          "Change": second[name] - first[name]} for name in first],
        columns=["Figure", "Before", "After", "Change"])


def _booked(plan: Plan) -> dict[tuple[str, str, date], tuple[str, int]]:
    return {(a.specialist_id, a.demand_id, a.week): (a.operator_id, a.units)
            for a in plan.assignments}


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
        change = ("added" if key not in old else "removed" if key not in new else "changed")
        rows.append({"Change": change, "Week": week_label(week),
                     "Client": operator_label(dataset, operator), "Demand": demand,
                     "Specialist": specialist_label(dataset, spec),
                     "FTE before": fte_weeks(units_before), "FTE after": fte_weeks(units_after)})
    return pd.DataFrame(rows, columns=["Change", "Week", "Client", "Demand", "Specialist",
                                       "FTE before", "FTE after"])


def compare_by_party(before: Plan, after: Plan, dataset: Dataset) -> pd.DataFrame:
    """Rows added / removed / changed per client and specialist: who is affected by a re-plan."""
    detail = compare_assignments(before, after, dataset)
    columns = ["Client", "Specialist", "Added", "Removed", "Changed", "FTE-weeks before",
               "FTE-weeks after", "Change (FTE-weeks)"]
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
    order = frame["Change (FTE-weeks)"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


# --------------------------------------------------------------------------- dataset tables


def column_notes(table: str) -> str:
    """What a user must know to edit a table: required columns and the cell formats."""
    spec = SPECS[table]
    required = ", ".join(c.name for c in spec.columns if c.required)
    return (f"Required: {required}. Dates YYYY-MM-DD; lists separated by `;`; empty optional "
            "cells take the default.")


# --------------------------------------------------------------------------- audit trail


def _json_text(value: Any) -> str:
    import json

    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_frame(entries: Sequence[Any]) -> pd.DataFrame:
    """Audit rows (`AuditRow`), newest first, with before and after as JSON text."""
    columns = ["When", "User", "Action", "What", "Id", "Operator", "Before", "After"]
    return pd.DataFrame(
        [{"When": _when(e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)),
          "User": e.username, "Action": e.action, "What": e.entity, "Id": e.entity_id or "",
          "Operator": e.operator_id or "", "Before": _json_text(e.before),
          "After": _json_text(e.after)} for e in entries],
        columns=columns)
