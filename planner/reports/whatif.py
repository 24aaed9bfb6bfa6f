"""Figures for the What-if screen: base against scenario, simulated spreads, advice.

Kept apart from the plan screens' modules so the what-if work does not touch
their figures; every function takes the comparison, simulation or advice
object and returns a plotly figure or a DataFrame ready to show. No Streamlit, so
each figure is checked in a unit test without a browser.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from planner.domain.calendar import iso_week_label
from planner.domain.records import PRIORITIES
from planner.whatif.advise import Advice
from planner.whatif.compare import Comparison
from planner.whatif.simulate import Simulation

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
                    f"{c}/{d}" for c, d in zip(frame.base_covered, frame.base_demand, strict=True)
                ],
                hovertemplate="%{x}: %{y:.1f}% (%{text} units)<extra>base</extra>",
            ),
            go.Bar(
                name="scenario",
                x=labels,
                y=frame["scenario_cover_pct"],
                marker_color=SCENARIO_COLOUR,
                text=[
                    f"{c}/{d}"
                    for c, d in zip(frame.scenario_covered, frame.scenario_demand, strict=True)
                ],
                hovertemplate="%{x}: %{y:.1f}% (%{text} units)<extra>scenario</extra>",
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


def gaps_heatmap(comparison: Comparison, *, appear: bool = True) -> go.Figure:
    """Units that become uncovered (or covered), by operator and role against week."""
    frame = comparison.gaps_appear if appear else comparison.gaps_disappear
    title = "Gaps that appear in the scenario" if appear else "Gaps that disappear in the scenario"
    if frame.empty:
        figure = go.Figure()
        figure.update_layout(
            title=f"{title}: none", height=160, xaxis={"visible": False}, yaxis={"visible": False}
        )
        return figure
    rows = frame.assign(line=frame.operator_id + " " + frame.role + " (" + frame.priority + ")")
    table = rows.pivot_table(
        index="line", columns="week", values="units", aggfunc="sum", fill_value=0
    )
    weeks = sorted(table.columns)
    table = table[weeks]
    order = (
        rows.assign(rank=rows.priority.map(PRIORITIES.index))
        .groupby("line")["rank"]
        .min()
        .sort_values(kind="stable")
    )
    table = table.loc[order.index]
    figure = go.Figure(
        go.Heatmap(
            z=table.values,
            x=[iso_week_label(date.fromisoformat(w)) for w in weeks],
            y=table.index.tolist(),
            colorscale="Reds" if appear else "Greens",
            colorbar={"title": "units"},
            hovertemplate="%{y}<br>%{x}: %{z} units<extra></extra>",
        )
    )
    figure.update_layout(
        title=title,
        height=max(220, 60 + 24 * len(table)),
        margin={"t": 50, "b": 30, "l": 10, "r": 10},
        yaxis={"autorange": "reversed"},
    )
    return figure


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
    """How many critical units go uncovered, future by future."""
    figure = go.Figure(
        go.Histogram(
            x=simulation.runs["critical_uncovered"], marker_color=PRIORITY_COLOURS["critical"]
        )
    )
    base = simulation.base.demand["critical"] - simulation.base.covered["critical"]
    figure.add_vline(x=base, line_dash="dash", annotation_text="base plan")
    figure.update_layout(
        title="Uncovered critical units per future",
        xaxis_title="units (0.1 FTE-week)",
        yaxis_title="futures",
        height=320,
        margin={"t": 50, "b": 30, "l": 40, "r": 10},
    )
    return figure


def exposed_bars(simulation: Simulation, top: int = 10) -> go.Figure:
    frame = simulation.exposed.head(top)
    figure = go.Figure(
        go.Bar(
            x=frame["operator_id"],
            y=100 * frame["share_of_runs"],
            marker_color="#e15759",
            text=[f"mean {m:g} units" for m in frame["mean_units"]],
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


def percentile_table(simulation: Simulation) -> pd.DataFrame:
    table = simulation.percentiles.copy()
    table.insert(0, "base", [round(100 * simulation.base.cover_fraction(p), 1) for p in PRIORITIES])
    table.index.name = "priority"
    return table.reset_index()


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
                name=f"with {len(advice.hires)} hire(s)",
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
        title=f"Cover in the P{advice.percentile} future of {advice.futures}",
        height=340,
        margin={"t": 50, "b": 30, "l": 40, "r": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure
