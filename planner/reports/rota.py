"""The Rota screen and the operators' "Our incident support": a rota's headline figures, the
week grid of duty, the SLA heatmap, the gaps with their reasons, fairness per specialist, the
calendars as one zip, and who is on duty for one operator.

Hours are the one unit here (cover units reserved are shown as the hours they stand for).
A week is shown in UTC or in a chosen zone: its 168 columns then run from Monday 00:00 in that
zone, so the columns are the grid's hours shifted by the zone's offset, and hours outside the
rota stay blank. Pure functions of a `Rota` and its `Dataset`, free of Streamlit, so every
cell can be checked in a unit test without a browser.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from planner.domain.calendar import HOURS_PER_UNIT
from planner.domain.records import Dataset
from planner.reports.format import (
    COVERED_COLOR,
    ROW_HEIGHT,
    UNCOVERED_COLOR,
    chart_text,
    count,
    moment_label,
    percent,
    share,
    specialist_name_and_id,
    specialist_names,
    top_title,
    week_label,
)
from planner.reports.reasons import names_namer
from planner.rota.grid import RotaGrid, local_clock
from planner.rota.records import HOURS_PER_WEEK, Rota
from planner.rota.validation import duty_grid
from planner.solver.model import Progress

UTC_ZONE = "UTC"
OFF_COLOR = "#eceff1"
STANDBY_COLOR = "#f9a825"
AT_WORK_COLOR = "#1565c0"
NIGHT_HOURS = (22, 6)
"""Night duty: an hour starting at 22:00 or later, or before 06:00, local time."""
_STAGE_WORDS = {
    "fairness": "fairness (the most off-work hours of anyone)",
    "reservations": "cover work kept (fewest units reserved)",
    "shifts": "fewest shifts",
}


def operator_name_and_id(dataset: Dataset, operator_id: str) -> str:
    """`Находка Коннект (OP0001)`: the name people know, the id the files use."""
    name = next((o.name for o in dataset.operators if o.operator_id == operator_id), None)
    return f"{name} ({operator_id})" if name else operator_id


def hours_text(hours: float) -> str:
    """`1 h`, `1 008 h`: a count of hours as the screens write it."""
    return f"{count(hours)}\u00a0h"


# --------------------------------------------------------------------------- progress


def rota_progress_fraction(event: Progress) -> float:
    """The week-by-week cover is most of the work (70% of the bar), the later stages the rest."""
    if event.stage == "coverage":
        return min(1.0, 0.7 * (event.done / event.total if event.total else 1.0))
    later = max(1, event.total - 1)
    return min(1.0, 0.7 + 0.3 * (event.done - 1) / later)


def rota_progress_text(event: Progress) -> str:
    """What the rota solver is doing, in words: a stage, how far, the cover against its bound."""
    if event.stage == "coverage":
        return (
            f"Cover: week {event.done} of {event.total} solved · {count(event.covered)} "
            f"promised hours covered, proven bound {count(event.bound)} · {event.elapsed:.0f} s"
        )
    what = _STAGE_WORDS.get(event.stage, event.stage)
    return (
        f"Improving {what} (stage {event.done} of {event.total}, cover held at "
        f"{count(event.covered)} hours) · {event.elapsed:.0f} s"
    )


# --------------------------------------------------------------------------- headline


@dataclass(frozen=True)
class RotaHeadline:
    """A rota's figures as the screens show them, all in hours."""

    status: str
    promised_hours: int
    covered_hours: int
    bound_hours: int
    gaps: int
    gap_hours: int
    shifts: int
    max_off_work_hours: int
    reserved_hours: int

    @property
    def share_of_promised(self) -> float | None:
        return share(self.covered_hours, self.promised_hours)

    @property
    def share_of_bound(self) -> float | None:
        return share(self.covered_hours, self.bound_hours)


def rota_headline(rota: Rota) -> RotaHeadline:
    summary = rota.summary
    covered = int(summary.get("covered_hours", 0))
    return RotaHeadline(
        status=rota.status,
        promised_hours=int(summary.get("promised_hours", 0)),
        covered_hours=covered,
        bound_hours=int(summary.get("bound_hours", covered)),
        gaps=len(rota.gaps),
        gap_hours=sum(g.hours for g in rota.gaps),
        shifts=len(rota.shifts),
        max_off_work_hours=int(summary.get("max_off_work_hours", 0)),
        reserved_hours=HOURS_PER_UNIT * sum(r.units for r in rota.reservations),
    )


def rota_headline_text(rota: Rota) -> str:
    """`Incident support: covered 1 008 of 2 692 promised hours (37%), 163 gaps`."""
    head = rota_headline(rota)
    gaps = "1 gap" if head.gaps == 1 else f"{count(head.gaps)} gaps"
    return (
        f"Incident support: covered {count(head.covered_hours)} of "
        f"{count(head.promised_hours)} promised hours ({percent(head.share_of_promised)}), {gaps}"
    )


def rota_caption(rota: Rota, run_id: int) -> str:
    """`Rota run #3 · 1 week from 2027-W01, 4 Jan · feasible · 4-12 h shifts, 11 h rest`."""
    p = rota.params
    weeks = "1 week" if p.weeks == 1 else f"{p.weeks} weeks"
    return (
        f"Rota run #{run_id} · {weeks} from {week_label(p.start)} · {rota.status.lower()} · "
        f"{p.min_shift_hours}-{p.max_shift_hours} h shifts, {p.min_rest_hours} h rest · "
        f"work hours {p.work_hours[0]:02d}:00-{p.work_hours[1] + 1:02d}:00 local"
    )


def rota_weeks(rota: Rota) -> list[int]:
    return list(range(rota.params.weeks))


def rota_week_label(rota: Rota, week: int) -> str:
    return week_label(rota.params.monday(week))


def rota_zones(dataset: Dataset) -> list[str]:
    """UTC first, then every zone of the dataset's specialists and operators."""
    zones = {s.timezone for s in dataset.specialists} | {o.timezone for o in dataset.operators}
    return [UTC_ZONE, *sorted(zones - {UTC_ZONE})]


RUN_COLUMNS = [
    "Run",
    "Created",
    "By",
    "Status",
    "Confirmed",
    "From week",
    "Weeks",
    "Covered hours",
    "Promised hours",
    "Covered share",
    "Note",
]


def rota_runs_frame(runs: Sequence[Any]) -> pd.DataFrame:
    """The history of rota runs (`RotaRun` rows), newest first, for a table."""
    return pd.DataFrame(
        [
            {
                "Run": r.id,
                "Created": moment_label(r.created_at),
                "By": r.created_by or "",
                "Status": r.status,
                "Confirmed": bool(r.confirmed),
                "From week": week_label(r.start),
                "Weeks": r.weeks,
                "Covered hours": r.covered_hours,
                "Promised hours": r.promised_hours,
                "Covered share": 100 * (share(r.covered_hours, r.promised_hours) or 0),
                "Note": r.note or "",
            }
            for r in runs
        ],
        columns=RUN_COLUMNS,
    )


def rota_run_label(run: Any) -> str:
    """`#3 · 2027-W01, 4 Jan · 1 week · confirmed`: a run in a picker."""
    weeks = "1 week" if run.weeks == 1 else f"{run.weeks} weeks"
    state = "confirmed" if run.confirmed else run.status.lower()
    return f"#{run.id} · {week_label(run.start)} · {weeks} · {state}"


# --------------------------------------------------------------------------- the week's columns


@dataclass(frozen=True)
class WeekColumns:
    """The 168 columns of one rota week in one zone: the grid hour each shows (None outside
    the rota), its label for the hover, the hour ticks (every six hours) and the days (the
    column of each local midnight and the day's name)."""

    hours: tuple[int | None, ...]
    labels: tuple[str, ...]
    tickvals: tuple[int, ...]
    ticktext: tuple[str, ...]
    days: tuple[tuple[int, str], ...]


def week_columns(rota: Rota, week: int, zone: str = UTC_ZONE) -> WeekColumns:
    """The week from Monday 00:00 in `zone`: each column a UTC hour, labelled in `zone`."""
    p = rota.params
    tz = ZoneInfo(zone)
    first = datetime.combine(p.monday(week), time(0), tzinfo=tz).astimezone(UTC)
    hours, labels, tickvals, ticktext, days = [], [], [], [], []
    for column in range(HOURS_PER_WEEK):
        moment = first + timedelta(hours=column)
        h = p.hour_of(moment)
        hours.append(h if 0 <= h < p.hours else None)
        local = moment.astimezone(tz)
        labels.append(f"{local:%a %d %b %H}:00 {zone}")
        if local.hour % 6 == 0:
            tickvals.append(column)
            ticktext.append(f"{local.hour:02d}")
        if local.hour == 0:
            days.append((column, f"{local:%a %d %b}"))
    return WeekColumns(tuple(hours), tuple(labels), tuple(tickvals), tuple(ticktext), tuple(days))


def _week_layout(figure: go.Figure, columns: WeekColumns, rows: int, title: str) -> go.Figure:
    """Hours on the axis, the days' names in a row above it, a line at each local midnight."""
    figure.update_layout(
        title=top_title(title),
        height=max(240, rows * ROW_HEIGHT + 150),
        margin={"l": 10, "r": 10, "t": 100, "b": 10},
        plot_bgcolor="#ffffff",
        xaxis={
            "side": "top",
            "range": [-0.5, HOURS_PER_WEEK - 0.5],
            "tickvals": list(columns.tickvals),
            "ticktext": list(columns.ticktext),
            "tickangle": 0,
            "tickfont": {"size": 10},
            "title": "",
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={"autorange": "reversed", "type": "category", "title": "", "automargin": True},
    )
    for column, day in columns.days:
        figure.add_vline(x=column - 0.5, line_width=1, line_color="#90a4ae")
        figure.add_annotation(
            x=min(column + 12, HOURS_PER_WEEK - 1),
            y=1,
            yref="paper",
            yanchor="bottom",
            yshift=22,
            text=day,
            showarrow=False,
            font={"size": 11},
        )
    return figure


def _three_states(colors: tuple[str, str, str], names: tuple[str, str, str]) -> dict:
    scale = []
    for i, color in enumerate(colors):
        scale += [[i / 3, color], [(i + 1) / 3, color]]
    return {
        "colorscale": scale,
        "zmin": -0.5,
        "zmax": 2.5,
        "colorbar": {
            "tickvals": [0, 1, 2],
            "ticktext": list(names),
            "title": {"text": ""},
            "len": 0.5,
            "y": 1,
            "yanchor": "top",
        },
    }


# --------------------------------------------------------------------------- duty by specialist


def duty_states(dataset: Dataset, rota: Rota) -> tuple[list[str], np.ndarray]:
    """The on-call specialists' ids and [specialist, hour]: 0 off, 1 standby, 2 at-work duty."""
    grid = RotaGrid(dataset, rota.params)
    on, _ = duty_grid(grid, rota)
    states = np.where(on, np.where(grid.at_work, 2, 1), 0)
    return [s.specialist_id for s in grid.specialists], states


def duty_heatmap(dataset: Dataset, rota: Rota, week: int, zone: str = UTC_ZONE) -> go.Figure:
    """Specialist by hour of one week: at-work duty, standby duty, off."""
    ids, states = duty_states(dataset, rota)
    columns = week_columns(rota, week, zone)
    words = ("off", "standby duty", "at-work duty")
    z, text = [], []
    for row, sid in enumerate(ids):
        label = chart_text(specialist_name_and_id(dataset, sid))
        z.append([None if h is None else int(states[row, h]) for h in columns.hours])
        text.append(
            [
                f"{label}<br>{when}<br>"
                + ("outside the rota" if h is None else words[int(states[row, h])])
                for h, when in zip(columns.hours, columns.labels, strict=True)
            ]
        )
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(HOURS_PER_WEEK)),
            y=[chart_text(specialist_name_and_id(dataset, sid)) for sid in ids],
            text=text,
            hovertemplate="%{text}<extra></extra>",
            xgap=0,
            ygap=1,
            **_three_states((OFF_COLOR, STANDBY_COLOR, AT_WORK_COLOR), words),
        )
    )
    title = f"Duty in {rota_week_label(rota, week)} ({chart_text(zone)})"
    return _week_layout(figure, columns, len(ids), title)


# --------------------------------------------------------------------------- the SLA by operator


def sla_states(dataset: Dataset, rota: Rota) -> tuple[list[str], np.ndarray]:
    """The dataset's operators and [operator, hour]: 0 not promised, 1 covered, 2 gap.

    Read from the promise and the rota's gaps, not from the duty: an operator user's rota
    holds only the shifts of those who answer for it, and its gaps say the rest."""
    grid = RotaGrid(dataset, rota.params)
    states = np.where(grid.promised, 1, 0)
    p = rota.params
    for gap in rota.gaps:
        o = grid.operator_index.get(gap.operator_id)
        if o is not None:
            first, end = max(0, p.hour_of(gap.start)), min(p.hours, p.hour_of(gap.end))
            states[o, first:end] = 2
    return [o.operator_id for o in grid.operators], states


def sla_heatmap(dataset: Dataset, rota: Rota, week: int, zone: str = UTC_ZONE) -> go.Figure:
    """Operator by hour of one week, the most gap hours first: not promised, covered, gap."""
    ids, states = sla_states(dataset, rota)
    columns = week_columns(rota, week, zone)
    shown = [h for h in columns.hours if h is not None]
    gap_hours = (states[:, shown] == 2).sum(axis=1) if shown else np.zeros(len(ids), dtype=int)
    order = sorted(range(len(ids)), key=lambda o: (-int(gap_hours[o]), ids[o]))
    words = ("not promised", "covered", "gap")
    z, text, rows = [], [], []
    for o in order:
        label = chart_text(operator_name_and_id(dataset, ids[o]))
        rows.append(label)
        z.append([None if h is None else int(states[o, h]) for h in columns.hours])
        text.append(
            [
                f"{label}<br>{when}<br>"
                + ("outside the rota" if h is None else words[int(states[o, h])])
                for h, when in zip(columns.hours, columns.labels, strict=True)
            ]
        )
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(HOURS_PER_WEEK)),
            y=rows,
            text=text,
            hovertemplate="%{text}<extra></extra>",
            xgap=0,
            ygap=1,
            **_three_states((OFF_COLOR, COVERED_COLOR, UNCOVERED_COLOR), words),
        )
    )
    title = f"Incident support promised in {rota_week_label(rota, week)} ({chart_text(zone)})"
    return _week_layout(figure, columns, len(rows), title)


# --------------------------------------------------------------------------- tables


def _moment(moment: datetime, zone: str = UTC_ZONE) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %a %H:%M")


GAP_COLUMNS = [
    "Operator",
    "Start (UTC)",
    "End (UTC)",
    "Start (local)",
    "End (local)",
    "Zone",
    "Hours",
    "Reason",
]


def gaps_frame(
    dataset: Dataset, rota: Rota, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Every SLA gap, the longest first, with its reason naming specialists by name (those of
    `names`, id to name, when given: an operator user's dataset may lack the on-call ones)."""
    zones = {o.operator_id: o.timezone for o in dataset.operators}
    named = names_namer(specialist_names(dataset) if names is None else names)
    gaps = sorted(rota.gaps, key=lambda g: (-g.hours, g.start, g.operator_id))
    rows = []
    for gap in gaps:
        zone = zones.get(gap.operator_id, UTC_ZONE)
        rows.append(
            {
                "Operator": operator_name_and_id(dataset, gap.operator_id),
                "Start (UTC)": _moment(gap.start),
                "End (UTC)": _moment(gap.end),
                "Start (local)": _moment(gap.start, zone),
                "End (local)": _moment(gap.end, zone),
                "Zone": zone,
                "Hours": gap.hours,
                "Reason": named(gap.reason),
            }
        )
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


FAIRNESS_COLUMNS = [
    "Specialist",
    "Zone",
    "Off-work hours",
    "Night hours",
    "Weekend hours",
    "At-work hours",
    "Duty hours",
    "Shifts",
]


def fairness_frame(dataset: Dataset, rota: Rota) -> pd.DataFrame:
    """Per on-call specialist: the duty that costs them evenings, nights and weekends (local
    time), the worst first."""
    grid = RotaGrid(dataset, rota.params)
    on, _ = duty_grid(grid, rota)
    shifts: dict[str, int] = {}
    for shift in rota.shifts:
        shifts[shift.specialist_id] = shifts.get(shift.specialist_id, 0) + 1
    night_from, night_until = NIGHT_HOURS
    rows = []
    for s, spec in enumerate(grid.specialists):
        hour, day = local_clock(spec.timezone, rota.params.start, grid.hours)
        night = (hour >= night_from) | (hour < night_until)
        weekend = (day - 1) % 7 >= 5  # ordinal 1 (0001-01-01) is a Monday
        rows.append(
            {
                "Specialist": specialist_name_and_id(dataset, spec.specialist_id),
                "Zone": spec.timezone,
                "Off-work hours": int((on[s] & ~grid.at_work[s]).sum()),
                "Night hours": int((on[s] & night).sum()),
                "Weekend hours": int((on[s] & weekend).sum()),
                "At-work hours": int((on[s] & grid.at_work[s]).sum()),
                "Duty hours": int(on[s].sum()),
                "Shifts": shifts.get(spec.specialist_id, 0),
            }
        )
    frame = pd.DataFrame(rows, columns=FAIRNESS_COLUMNS)
    return frame.sort_values(
        ["Off-work hours", "Night hours", "Weekend hours", "Specialist"],
        ascending=[False, False, False, True],
        kind="stable",
    ).reset_index(drop=True)


def calendar_choices(dataset: Dataset, calendars: Iterable[str]) -> list[str]:
    """The specialists who have a calendar, by name: for the download picker."""
    names = specialist_names(dataset)
    return sorted(calendars, key=lambda sid: (names.get(sid, sid), sid))


def calendars_zip(calendars: dict[str, bytes]) -> bytes:
    """Every specialist's `.ics` in one zip: `SP001.ics`, ..."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sid, content in sorted(calendars.items()):
            archive.writestr(f"{sid}.ics", content)
    return buffer.getvalue()


# --------------------------------------------------------------------------- one operator


@dataclass(frozen=True)
class SupportFigures:
    """One operator's incident support in a rota, in hours."""

    promised_hours: int
    covered_hours: int
    gap_hours: int
    gaps: int

    @property
    def share_covered(self) -> float | None:
        return share(self.covered_hours, self.promised_hours)


def support_figures(dataset: Dataset, rota: Rota, operator_id: str) -> SupportFigures:
    ids, states = sla_states(dataset, rota)
    if operator_id not in ids:
        return SupportFigures(0, 0, 0, 0)
    row = states[ids.index(operator_id)]
    return SupportFigures(
        promised_hours=int((row > 0).sum()),
        covered_hours=int((row == 1).sum()),
        gap_hours=int((row == 2).sum()),
        gaps=sum(1 for g in rota.gaps if g.operator_id == operator_id),
    )


ON_DUTY_COLUMNS = ["From", "To", "Hours", "Support", "On duty"]


def on_duty_frame(
    dataset: Dataset,
    rota: Rota,
    operator_id: str,
    week: int | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Hour by hour, in the operator's local time: whether support is promised and covered,
    and who is on duty then, as runs of hours alike; all weeks, or only rota week `week`.
    People are named by `names` (id to name) when given, else by the dataset.

    Meant for the operator's own user, whose rota holds only the shifts of specialists who
    answer for it: it names people, never other clients, rates or costs."""
    ids, states = sla_states(dataset, rota)
    if operator_id not in ids:
        return pd.DataFrame(columns=ON_DUTY_COLUMNS)
    row = states[ids.index(operator_id)]
    zone = next(o.timezone for o in dataset.operators if o.operator_id == operator_id)
    p = rota.params
    names = specialist_names(dataset) if names is None else names
    on_duty: list[set[str]] = [set() for _ in range(p.hours)]
    for shift in rota.shifts:
        name = names.get(shift.specialist_id) or shift.specialist_id
        for h in range(max(0, p.hour_of(shift.start)), min(p.hours, p.hour_of(shift.end))):
            on_duty[h].add(name)
    words = ("not promised", "covered", "gap")
    runs: list[dict] = []
    previous: tuple | None = None
    hours = (
        range(p.hours)
        if week is None
        else range(week * HOURS_PER_WEEK, (week + 1) * HOURS_PER_WEEK)
    )
    for h in hours:
        key = (int(row[h]), tuple(sorted(on_duty[h])))
        if key == previous:
            runs[-1]["end"] = h + 1
            continue
        previous = key
        runs.append({"start": h, "end": h + 1, "key": key})
    return pd.DataFrame(
        [
            {
                "From": _moment(p.moment(r["start"]), zone),
                "To": _moment(p.moment(r["end"]), zone),
                "Hours": r["end"] - r["start"],
                "Support": words[r["key"][0]],
                "On duty": ", ".join(r["key"][1]) or "nobody",
            }
            for r in runs
        ],
        columns=ON_DUTY_COLUMNS,
    )


def own_gaps_frame(
    dataset: Dataset, rota: Rota, operator_id: str, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One operator's gaps for its own user: local times first, no operator column."""
    mine = Rota(
        rota.params,
        rota.shifts,
        tuple(g for g in rota.gaps if g.operator_id == operator_id),
        (),
        rota.summary,
    )
    frame = gaps_frame(dataset, mine, names)
    return frame[["Start (local)", "End (local)", "Hours", "Reason", "Start (UTC)", "End (UTC)"]]
