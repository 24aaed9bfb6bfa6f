"""Figures for the What-if screen: base against scenario, simulated spreads, advice.

Kept apart from the plan screens' modules so the what-if work does not touch
their figures; every function takes the comparison, simulation or advice
object and returns a plotly figure or a DataFrame ready to show. No Streamlit, so
each figure is checked in a unit test without a browser.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from planner.domain.calendar import iso_week_label
from planner.domain.records import PRIORITIES, Dataset
from planner.reports.format import (
    chart_text,
    demand_label,
    fte_weeks,
    number,
    operator_label,
    plural,
)
from planner.reports.reasons import named_reason
from planner.whatif.advise import Advice
from planner.whatif.compare import Comparison
from planner.whatif.simulate import (
    BAD_FUTURE,
    GOOD_FUTURE,
    MIDDLE_FUTURE,
    Simulation,
    percentile_meaning,
)

BASE_COLOUR = "#8da0cb"
SCENARIO_COLOUR = "#fc8d62"
PRIORITY_COLOURS = {"critical": "#d62728", "high": "#ff7f0e", "normal": "#1f77b4"}


def cover_bars(comparison: Comparison, by: str = "priority") -> go.Figure:
    """Grouped bars: cover % of base and scenario, by priority or by role."""
    frame = comparison.by_priority if by == "priority" else comparison.by_role
    labels = frame[by].tolist()
    figure = go.Figure(
        [
            go.Bar(
                name="base",
                x=labels,
                y=frame["base_cover_pct"],
                marker_color=BASE_COLOUR,
                text=[
                    _of(c, d) for c, d in zip(frame.base_covered, frame.base_demand, strict=True)
                ],
                hovertemplate="%{x}: %{y:.1f}% (%{text} FTE-weeks)<extra>base</extra>",
            ),
            go.Bar(
                name="scenario",
                x=labels,
                y=frame["scenario_cover_pct"],
                marker_color=SCENARIO_COLOUR,
                text=[
                    _of(c, d)
                    for c, d in zip(frame.scenario_covered, frame.scenario_demand, strict=True)
                ],
                hovertemplate="%{x}: %{y:.1f}% (%{text} FTE-weeks)<extra>scenario</extra>",
            ),
        ]
    )
    figure.update_layout(
        barmode="group",
        title=f"Cover by {by}: base and scenario",
        yaxis_title="% of demand covered",
        yaxis_range=[0, 105],
        height=340,
        margin={"t": 50, "b": 30, "l": 40, "r": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def _of(covered_units: int, demand_units: int) -> str:
    return f"{number(fte_weeks(covered_units))} of {number(fte_weeks(demand_units))}"


def horizon_weeks(comparison: Comparison) -> list[str]:
    """Every Monday of the compared plans' horizon, as the ISO dates the gap frames use."""
    start = date.fromisoformat(comparison.figures["start"])
    return [(start + timedelta(weeks=k)).isoformat() for k in range(comparison.figures["weeks"])]


def gaps_heatmap(
    comparison: Comparison, *, appear: bool = True, dataset: Dataset | None = None
) -> go.Figure:
    """FTE-weeks that become uncovered (or covered), by client and role against week.

    Every week of the horizon has its column, an empty one where nothing changes,
    so a gap's place in time reads true.
    """
    frame = comparison.gaps_appear if appear else comparison.gaps_disappear
    title = "Gaps that appear in the scenario" if appear else "Gaps that disappear in the scenario"
    if frame.empty:
        figure = go.Figure()
        figure.update_layout(
            title=f"{title}: none", height=160, xaxis={"visible": False}, yaxis={"visible": False}
        )
        return figure
    client = frame.operator_id.map(lambda op: _client(dataset, op))
    rows = frame.assign(line=client + " " + frame.role + " (" + frame.priority + ")")
    table = rows.pivot_table(index="line", columns="week", values="units", aggfunc="sum")
    weeks = horizon_weeks(comparison)
    table = table.reindex(columns=weeks)  # weeks without a change stay empty (NaN)
    order = (
        rows.assign(rank=rows.priority.map(PRIORITIES.index))
        .groupby("line")["rank"]
        .min()
        .sort_values(kind="stable")
    )
    table = table.loc[order.index] / 10  # units of 0.1 FTE-week as FTE-weeks
    figure = go.Figure(
        go.Heatmap(
            z=table.values,
            x=[iso_week_label(date.fromisoformat(w)) for w in weeks],
            y=[chart_text(line) for line in table.index],
            colorscale="Reds" if appear else "Greens",
            colorbar={"title": "FTE-weeks"},
            hovertemplate="%{y}<br>%{x}: %{z:.1f} FTE-weeks<extra></extra>",
            hoverongaps=False,
            xgap=1,
            ygap=1,
        )
    )
    figure.update_layout(
        title=title,
        height=max(220, 60 + 24 * len(table)),
        margin={"t": 50, "b": 30, "l": 10, "r": 10},
        yaxis={"autorange": "reversed"},
        xaxis={"type": "category"},
    )
    return figure


def _client(dataset: Dataset | None, operator_id: str) -> str:
    return operator_label(dataset, operator_id) if dataset is not None else operator_id


def _named(dataset: Dataset | None, reason: str) -> str:
    return named_reason(reason, dataset) if dataset is not None else reason


def gaps_table(frame: pd.DataFrame, dataset: Dataset | None = None) -> pd.DataFrame:
    """Gap rows that appear (or disappear) with human headers, the worst priority first."""
    return pd.DataFrame(
        {
            "Week": [iso_week_label(date.fromisoformat(w)) for w in frame.week],
            "Client": [_client(dataset, op) for op in frame.operator_id],
            "Role": frame.role,
            "Priority": frame.priority,
            "Demand": [
                demand_label(d, op, role)
                for d, op, role in zip(frame.demand_id, frame.operator_id, frame.role, strict=True)
            ],
            "FTE-weeks": [fte_weeks(u) for u in frame.units],
            "Why": [_named(dataset, r) for r in frame.reason],
        },
        columns=["Week", "Client", "Role", "Priority", "Demand", "FTE-weeks", "Why"],
    )


def clients_table(comparison: Comparison, dataset: Dataset | None = None) -> pd.DataFrame:
    """Cover by client (only clients that change) in FTE-weeks and shares, base beside scenario."""
    frame = comparison.by_operator
    columns = {
        "Base demand (FTE-weeks)": "base_demand",
        "Base covered (FTE-weeks)": "base_covered",
        "Scenario demand (FTE-weeks)": "scenario_demand",
        "Scenario covered (FTE-weeks)": "scenario_covered",
        "Change in cover (FTE-weeks)": "delta_covered",
    }
    table = pd.DataFrame({"Client": [_client(dataset, op) for op in frame.operator_id]})
    for header, name in columns.items():
        table[header] = [fte_weeks(u) for u in frame[name]]
    table["Base cover"] = [p / 100 for p in frame.base_cover_pct]
    table["Scenario cover"] = [p / 100 for p in frame.scenario_cover_pct]
    return table


def cover_distribution(simulation: Simulation) -> go.Figure:
    """Box plots of cover % by priority over the futures, with the base plan as a marker."""
    figure = go.Figure()
    for priority in PRIORITIES:
        figure.add_trace(
            go.Box(
                y=simulation.runs[f"cover_pct_{priority}"],
                name=priority,
                marker_color=PRIORITY_COLOURS[priority],
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=list(PRIORITIES),
            y=[100 * simulation.base.cover_fraction(p) for p in PRIORITIES],
            mode="markers",
            marker={"symbol": "diamond", "size": 12, "color": "black"},
            name="base plan",
        )
    )
    figure.update_layout(
        title=f"Cover over {len(simulation.outcomes)} sampled futures",
        yaxis_title="% of demand covered",
        height=380,
        showlegend=True,
        margin={"t": 50, "b": 30, "l": 40, "r": 10},
    )
    return figure


def critical_histogram(simulation: Simulation) -> go.Figure:
    """How many critical FTE-weeks go uncovered, future by future."""
    figure = go.Figure(
        go.Histogram(
            x=simulation.runs["critical_uncovered"] / 10, marker_color=PRIORITY_COLOURS["critical"]
        )
    )
    base = simulation.base.demand["critical"] - simulation.base.covered["critical"]
    figure.add_vline(x=fte_weeks(base), line_dash="dash", annotation_text="base plan")
    figure.update_layout(
        title="Uncovered critical FTE-weeks per future",
        xaxis_title="FTE-weeks uncovered",
        yaxis_title="futures",
        height=320,
        margin={"t": 50, "b": 30, "l": 40, "r": 10},
    )
    return figure


def exposed_bars(
    simulation: Simulation, top: int = 10, dataset: Dataset | None = None
) -> go.Figure:
    frame = simulation.exposed.head(top)
    figure = go.Figure(
        go.Bar(
            x=[chart_text(_client(dataset, op)) for op in frame["operator_id"]],
            y=100 * frame["share_of_runs"],
            marker_color="#e15759",
            text=[f"mean {number(fte_weeks(m))} FTE-weeks" for m in frame["mean_units"]],
            textposition="none",
            hovertemplate="%{x}: %{y:.0f}% of futures, %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        title="Clients most often left with critical or high demand uncovered",
        yaxis_title="% of futures",
        yaxis_range=[0, 105],
        height=320,
        margin={"t": 50, "b": 30, "l": 40, "r": 10},
    )
    return figure


def exposed_table(simulation: Simulation, dataset: Dataset | None = None) -> pd.DataFrame:
    """The clients most often left short, with human headers, FTE-weeks and shares of futures."""
    frame = simulation.exposed
    return pd.DataFrame(
        {
            "Client": [_client(dataset, op) for op in frame.operator_id],
            "Futures exposed": frame.runs_exposed.astype(int),
            "Share of futures": [round(100 * x) for x in frame.share_of_runs],
            "Mean uncovered (FTE-weeks)": [round(fte_weeks(u), 1) for u in frame.mean_units],
            "Most uncovered (FTE-weeks)": [fte_weeks(u) for u in frame.max_units],
            "In the base plan (FTE-weeks)": [fte_weeks(u) for u in frame.base_units],
        }
    )


def percentile_table(simulation: Simulation) -> pd.DataFrame:
    """Cover % (one decimal) by priority: the base plan, then a bad, a middle and a good future."""
    table = simulation.percentiles
    return pd.DataFrame(
        {
            "Priority": list(PRIORITIES),
            "Base plan": [round(100 * simulation.base.cover_fraction(p), 1) for p in PRIORITIES],
            BAD_FUTURE: [round(table.loc[p, "P10"], 1) for p in PRIORITIES],
            MIDDLE_FUTURE: [round(table.loc[p, "P50"], 1) for p in PRIORITIES],
            GOOD_FUTURE: [round(table.loc[p, "P90"], 1) for p in PRIORITIES],
        }
    )


def gain_header(priority: str) -> str:
    """`Critical gain`: FTE-weeks of cover a recommendation adds per future (the column's help)."""
    return f"{priority.capitalize()} gain"


def advice_table(advice: Advice) -> pd.DataFrame:
    """The recommended hires and training, with what each adds per future in FTE-weeks."""
    rows = [r.as_row() for r in (*advice.hires, *advice.training)]
    gains = {gain_header(p): p for p in PRIORITIES}
    return pd.DataFrame(
        [
            {
                "Action": row["action"],
                "Recommendation": row["recommendation"],
                **{
                    header: round(fte_weeks(row[f"{p}_units_per_future"]), 1)
                    for header, p in gains.items()
                },
                "Why": row["reason"],
            }
            for row in rows
        ],
        columns=["Action", "Recommendation", *gains, "Why"],
    )


def advice_headline(advice: Advice) -> str:
    """`2 hires reach the target in the bad future (P10 of cover: ...)`: the advice in a line."""
    before = ", ".join(f"{p} {100 * advice.start.percentile_cover[p]:.1f}%" for p in PRIORITIES)
    after = ", ".join(f"{p} {100 * advice.with_hires.percentile_cover[p]:.1f}%" for p in PRIORITIES)
    verb = "reach" if advice.target_met else "do not reach"
    if len(advice.hires) == 1:
        verb = "reaches" if advice.target_met else "does not reach"
    return (
        f"**{plural(len(advice.hires), 'hire')}** {verb} the target in the bad future of "
        f"{advice.futures} ({percentile_meaning(100 - advice.percentile)}): {before} → {after}."
    )


def advice_bars(advice: Advice) -> go.Figure:
    """Cover in the chosen percentile future: before the hires, with them, and the target."""
    labels = list(PRIORITIES)
    figure = go.Figure(
        [
            go.Bar(
                name="today",
                x=labels,
                marker_color=BASE_COLOUR,
                y=[100 * advice.start.percentile_cover[p] for p in labels],
            ),
            go.Bar(
                name=f"with {plural(len(advice.hires), 'hire')}",
                x=labels,
                marker_color=SCENARIO_COLOUR,
                y=[100 * advice.with_hires.percentile_cover[p] for p in labels],
            ),
        ]
    )
    targets = [p for p in labels if p in advice.target]
    figure.add_trace(
        go.Scatter(
            x=targets,
            y=[100 * advice.target[p] for p in targets],
            mode="markers",
            name="target",
            marker={"symbol": "line-ew-open", "size": 40, "color": "black", "line": {"width": 3}},
        )
    )
    figure.update_layout(
        barmode="group",
        yaxis_range=[0, 105],
        yaxis_title="% covered",
        title=f"Cover in the bad future of {advice.futures} "
        f"({percentile_meaning(100 - advice.percentile)})",
        height=340,
        margin={"t": 50, "b": 30, "l": 40, "r": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure
