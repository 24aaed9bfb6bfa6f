"""How every screen writes a figure: week labels, FTE-weeks, shares, names beside ids, colours.

Shared by the screen modules so one unit and one label reads the same on the
overview, the timeline, the request screen and the run history. Plain
functions of dates, units and the `Dataset`: no Streamlit, so a label can be
checked in a unit test without a browser.
"""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta

from planner.domain.calendar import UNITS_PER_FTE, iso_week_label
from planner.domain.records import Dataset
from planner.planning.plan import PRIORITY_NAMES, Plan

COVERED_COLOR = "#2e7d32"
PARTLY_COLOR = "#f9a825"
UNCOVERED_COLOR = "#d32f2f"
PRIORITY_COLORS = {
    "critical": "#1a237e",
    "high": "#3f51b5",
    "normal": "#90a4d4",
    "uncovered": UNCOVERED_COLOR,
}
HOLIDAY_WEEK_COLOR = "#9e9e9e"  # a week without working days
SHORT_WEEK_COLOR = "#e0e0e0"  # fewer than five working days
LONG_WEEK_COLOR = "#bbdefb"  # a working Saturday: six working days
LEVEL_NAMES = {1: "junior", 2: "middle", 3: "senior"}
ROW_HEIGHT = 22  # pixels per row of a heatmap or a timeline, so long lists stay readable


def top_title(text: str) -> dict:
    """A chart's title at the very top left of the figure, above axis labels placed on top."""
    return {
        "text": text,
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 10},
    }


def chart_text(text: object) -> str:
    """A user's text (an id, a name, a reason) as it goes into a chart: plotly reads hover
    text, bar text, axis labels and annotations as HTML, so a request id written as
    `<a href=...>` would become a link in somebody else's chart. Escaped, it shows as typed."""
    return html.escape(str(text), quote=False)


def week_label(monday: date) -> str:
    """`2027-W27, 5 Jul`: the ISO week people quote, with a date they recognise."""
    return iso_week_label(monday)


def fte_weeks(units: float) -> float:
    """Units (0.1 FTE for a week) as FTE-weeks, the figure an account manager thinks in."""
    return units / UNITS_PER_FTE


# Digit groups and the gap before a unit: no-break spaces, so `18 349 000 ₽` never wraps
GROUP_SPACE = "\u202f"  # narrow no-break space, between groups of three digits
UNIT_SPACE = "\u00a0"  # no-break space, between a figure and its unit


def number(value: float, decimals: int = 1) -> str:
    """`-5.8`, `12`, `1 234.5`: at most `decimals` places, no float noise, digits grouped."""
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no `-0`
    text = f"{rounded:,.{decimals}f}".replace(",", GROUP_SPACE)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def count(value: float) -> str:
    """A whole count with its thousands grouped: `12 480`."""
    return number(value, 0)


def money(rubles: float) -> str:
    """`18 349 000 ₽`: whole roubles, the way the Overview's Cost metric shows them."""
    return f"{count(rubles)}{UNIT_SPACE}₽"


def percent(fraction: float | None, decimals: int = 0) -> str:
    """A share (0..1) as `95%`; an empty string when there is nothing to share."""
    if fraction is None:
        return ""
    return f"{number(100 * fraction, decimals)}%"


def plural(value: float, unit: str) -> str:
    """`1 FTE-week`, `2 FTE-weeks`, `0.5 FTE-weeks`: singular only for exactly one."""
    text = number(value)
    return f"{text} {unit}" if text == "1" else f"{text} {unit}s"


def fte_weeks_text(units: float) -> str:
    """Units as `2.5 FTE-weeks` (`1 FTE-week`): the figure and its unit, as a sentence says it."""
    return plural(fte_weeks(units), "FTE-week")


def signed(value: float, decimals: int = 1) -> str:
    """A change: `+1.5`, `-5.8`, `0`."""
    text = number(value, decimals)
    return text if text == "0" or text.startswith("-") else f"+{text}"


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


def specialist_name_and_id(dataset: Dataset, specialist_id: str) -> str:
    """`Морозов Павел (SP003)`: the name people know, the id the reasons and files use."""
    name = specialist_names(dataset).get(specialist_id)
    return f"{name} ({specialist_id})" if name else specialist_id


def skill_vocabulary(dataset: Dataset) -> list[str]:
    """Skills a request may ask for: only those some specialist has can ever be covered."""
    return sorted({skill for s in dataset.specialists for skill in s.skills})


def demand_label(demand_id: str, operator_id: str, role: str) -> str:
    """`OP0001 finance`, plus the request id for cover asked for on top of a gap."""
    if demand_id.startswith("req:"):
        return f"{operator_id} {role} ({demand_id.removeprefix('req:')})"
    return f"{operator_id} {role}"


def units_by_priority(plan: Plan, key: str) -> dict[str, int]:
    """One of the plan summary's per-priority figures, every priority present (0 if absent).

    The overview and the run comparison read the same summary, so a plan saved
    before a priority existed still shows a row for it.
    """
    values = plan.summary.get(key) or {}
    return {p: int(values.get(p, 0)) for p in PRIORITY_NAMES}


def moment_label(moment: datetime | None) -> str:
    """`2027-01-04 09:30 UTC`; the suffix only when the moment is (or is taken as) UTC."""
    if moment is None:
        return ""
    suffix = " UTC" if moment.tzinfo is None or moment.utcoffset() == timedelta(0) else ""
    return moment.strftime("%Y-%m-%d %H:%M") + suffix
