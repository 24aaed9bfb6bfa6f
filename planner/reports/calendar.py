"""The Data screen's calendar view: one year's working days as a region sees them.

The days come from the planner's own production calendar (`calendar_for`), with the
dataset's `calendar.csv` rows, so the view shows exactly the days a plan counts. The
federal calendar names no holidays: a weekday off is a public holiday of the Labour Code
or a day off the calendar moved; a `calendar.csv` row shows its note. Pure functions of
the dataset, a year and a region: no Streamlit.
"""

from __future__ import annotations

import calendar as month_calendar
import html
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from planner.domain.production_calendar import (
    FEDERAL,
    WorkingCalendar,
    calendar_for,
    is_known_year,
    labour_code_holidays,
)
from planner.domain.records import CalendarDay, Dataset
from planner.reports.format import COVERED_COLOR

NO_REGION = "no region"
"""How the screen names the people without a region: the rows for everyone apply to them."""

DAY_OFF_COLOR = "#bdbdbd"
MONTHS = tuple(month_calendar.month_abbr[m] for m in range(1, 13))
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_HOLIDAY = "public holiday"
_MOVED = "day off moved by the calendar"
_WEEKEND = "weekend"
_WORKING_WEEKEND = "working weekend day (moved by the calendar)"


def calendar_regions(dataset: Dataset) -> list[str]:
    """The regions a user can look at: those of operators, specialists and `calendar.csv`,
    after `NO_REGION`."""
    regions = {
        *(o.region for o in dataset.operators),
        *(s.region for s in dataset.specialists),
        *(row.region for row in dataset.calendar),
    }
    return [NO_REGION, *sorted(region for region in regions if region)]


def _region(region: str | None) -> str | None:
    return None if not region or region == NO_REGION else region


def year_warning(year: int) -> str | None:
    """What the user must know when the planner does not hold `year`'s production calendar."""
    if is_known_year(year):
        return None
    first, last = date(year, 1, 1), date(year, 12, 31)
    return "; ".join(calendar_for(FEDERAL).warnings(first, last))


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=k) for k in range((date(year + 1, 1, 1) - first).days)]


def _what(calendar: WorkingCalendar, day: date, region: str | None) -> tuple[str, str]:
    """Why `day` is what it is, and where that comes from (`federal` or `calendar.csv`)."""
    row = calendar.override(day, region)
    if row is not None:
        kind = "working day" if row.working else "day off"
        return (f"{kind}: {row.note}" if row.note else kind), _row_source(row)
    working = calendar.is_working(day, region)
    weekend = day.weekday() >= 5
    if weekend:
        return (_WORKING_WEEKEND if working else _WEEKEND), "federal"
    if working:
        return "", "federal"
    return (_HOLIDAY if day in labour_code_holidays(day.year) else _MOVED), "federal"


def _row_source(row: CalendarDay) -> str:
    return f"calendar.csv ({row.region})" if row.region else "calendar.csv"


def calendar_days(dataset: Dataset, year: int, region: str | None = None) -> pd.DataFrame:
    """Every day of `year` for someone of `region` (None or `NO_REGION`: no region): whether
    it is a working day, why not, and whether the federal calendar or `calendar.csv` says so."""
    where = _region(region)
    calendar = calendar_for(FEDERAL, dataset.calendar)
    rows = []
    for day in _days_of(year):
        what, source = _what(calendar, day, where)
        rows.append(
            {
                "date": day,
                "month": MONTHS[day.month - 1],
                "weekday": WEEKDAYS[day.weekday()],
                "working": calendar.is_working(day, where),
                "what": what,
                "source": source,
            }
        )
    return pd.DataFrame(rows)


def month_counts(days: pd.DataFrame) -> pd.DataFrame:
    """Working days and days off per month of `calendar_days`, with the year's total last."""
    months = pd.DataFrame(
        {
            "month": list(MONTHS),
            "working days": [int(days.loc[days["month"] == m, "working"].sum()) for m in MONTHS],
            "days off": [int((~days.loc[days["month"] == m, "working"]).sum()) for m in MONTHS],
        }
    )
    total = pd.DataFrame(
        {
            "month": ["year"],
            "working days": [int(days["working"].sum())],
            "days off": [int((~days["working"]).sum())],
        }
    )
    return pd.concat([months, total], ignore_index=True)


def working_days_in_year(days: pd.DataFrame) -> int:
    return int(days["working"].sum())


def days_off_on_weekdays(days: pd.DataFrame) -> pd.DataFrame:
    """The weekdays off and the working weekend days: what differs from Monday to Friday."""
    weekend = days["weekday"].isin(WEEKDAYS[5:])
    unusual = (weekend & days["working"]) | (~weekend & ~days["working"])
    return days.loc[unusual, ["date", "weekday", "working", "what", "source"]].reset_index(
        drop=True
    )


def applying_rows(dataset: Dataset, year: int, region: str | None = None) -> pd.DataFrame:
    """The `calendar.csv` rows of `year` that apply to someone of `region`, by their line in
    the file; a row for everyone that the region's own row replaces says so."""
    where = _region(region)
    calendar = calendar_for(FEDERAL, dataset.calendar)
    rows = []
    for position, row in enumerate(dataset.calendar):
        if row.date.year != year or row.region not in (None, where):
            continue
        deciding = calendar.override(row.date, where) or row
        rows.append(
            {
                "line": position + 2,
                "date": row.date,
                "working": "yes" if row.working else "no",
                "region": row.region or "",
                "note": row.note,
                "applies": "yes" if deciding == row else f"no: {_row_source(deciding)} decides",
            }
        )
    columns = ["line", "date", "working", "region", "note", "applies"]
    return pd.DataFrame(rows, columns=columns)


def calendar_heatmap(days: pd.DataFrame, title: str) -> go.Figure:
    """Months by day of the month, working days coloured and days off grey; the hover
    names each day off."""
    z: list[list[float | None]] = [[None] * 31 for _ in MONTHS]
    text: list[list[str]] = [[""] * 31 for _ in MONTHS]
    for row in days.itertuples():
        month, day = row.date.month - 1, row.date.day - 1
        z[month][day] = 1 if row.working else 0
        state = "working day" if row.working else "day off"
        reason = f"<br>{html.escape(row.what)}" if row.what else ""
        text[month][day] = f"{row.date.isoformat()}, {row.weekday}<br>{state}{reason}"
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(d) for d in range(1, 32)],
            y=list(MONTHS),
            text=text,
            hovertemplate="%{text}<extra></extra>",
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorscale=[
                [0, DAY_OFF_COLOR],
                [0.5, DAY_OFF_COLOR],
                [0.5, COVERED_COLOR],
                [1, COVERED_COLOR],
            ],
            colorbar={"tickvals": [0.25, 0.75], "ticktext": ["day off", "working"], "len": 0.5},
        )
    )
    figure.update_layout(
        title=html.escape(title),
        height=420,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="#ffffff",
        xaxis={"side": "top", "type": "category", "title": ""},
        yaxis={"autorange": "reversed", "type": "category", "title": ""},
    )
    return figure
