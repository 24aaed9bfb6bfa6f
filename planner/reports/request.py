"""The Request screen: a quote's verdict, week by week, the hand-overs, the alternatives, status.

An account manager answers a client's request here: can we cover it, who
would, what if the client took a less senior person or a later start, and how
the filed requests fare in the latest plan. Builders take a `Quote`, a
`Request` or the `Dataset` and return text, lists or DataFrames; no Streamlit,
so each answer is checked in a unit test without a browser.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from planner.domain.calendar import request_units
from planner.domain.demand import request_demand_id
from planner.domain.records import Dataset, Request
from planner.planning.plan import Plan
from planner.quotes.quote import Quote
from planner.quotes.reshuffle import Move
from planner.reports.format import (
    LEVEL_NAMES,
    fte_weeks,
    fte_weeks_text,
    number,
    operator_label,
    share,
    specialist_label,
    specialist_name_and_id,
    week_label,
)
from planner.reports.reasons import named_reason, reason_namer

FULL_WEEK_DAYS = 5  # the week a label's FTE figure is read in


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
            f"{specialist_name_and_id(dataset, line.specialist_id)}: "
            f"{number(fte_weeks(line.units))} FTE"
        )
        covered[line.week] += line.units
    named = reason_namer(dataset)
    reasons = {gap.week: named(gap.reason) for gap in quote.uncovered}
    weeks = sorted(set(quote.weekly_demand) | set(covered) | set(reasons))
    rows = []
    for monday in weeks:
        needed = quote.weekly_demand.get(monday, 0)
        rows.append(
            {
                "Week": week_label(monday),
                "Needed (FTE)": fte_weeks(needed),
                "Covered (FTE)": fte_weeks(covered[monday]),
                "By whom": ", ".join(given[monday]) or "—",
                "Not covered (FTE)": fte_weeks(max(0, needed - covered[monday])),
                "Why not": reasons.get(monday, ""),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Week",
            "Needed (FTE)",
            "Covered (FTE)",
            "By whom",
            "Not covered (FTE)",
            "Why not",
        ],
    )


def quote_reasons(quote: Quote, dataset: Dataset) -> list[str]:
    """`2027-W03, 18 Jan: reason`, in full: a table cell cuts a long reason short."""
    return [
        f"{week_label(gap.week)}: {named_reason(gap.reason, dataset)}"
        for gap in sorted(quote.uncovered, key=lambda g: g.week)
        if gap.reason
    ]


def moves_frame(moves: Iterable[Move], dataset: Dataset) -> pd.DataFrame:
    """The hand-overs a reshuffled quote needs, in words a manager can pass on."""
    rows = [
        {
            "Week": week_label(m.week),
            "From": specialist_label(dataset, m.from_specialist),
            "To": specialist_label(dataset, m.to_specialist),
            "Work": f"{operator_label(dataset, m.operator_id)}: {m.demand_id}",
            "FTE": fte_weeks(m.units),
        }
        for m in moves
    ]
    return pd.DataFrame(rows, columns=["Week", "From", "To", "Work", "FTE"])


def quote_specialists(quote: Quote, dataset: Dataset) -> list[str]:
    """Who would cover the request, most units first."""
    units: Counter = Counter()
    for line in quote.assignments:
        units[line.specialist_id] += line.units
    return [
        f"{specialist_name_and_id(dataset, s)}: {fte_weeks_text(u)}" for s, u in units.most_common()
    ]


def request_alternatives(request: Request) -> list[tuple[str, Request]]:
    """The changes a client will usually accept: a less senior person, a later start, less time.

    A later start moves the whole request, keeping its length.
    """
    options = []
    if request.min_level > 1:
        lower = request.min_level - 1
        options.append(
            (
                f"Min level {lower} ({LEVEL_NAMES[lower]}) instead of {request.min_level}",
                replace(request, min_level=lower),
            )
        )
    for weeks in (1, 2):
        moved = replace(
            request,
            start=request.start + timedelta(weeks=weeks),
            end=request.end + timedelta(weeks=weeks),
        )
        options.append(
            (
                f"Start {weeks} week{'s' if weeks > 1 else ''} later "
                f"({_day(moved.start)} – {_day(moved.end)})",
                moved,
            )
        )
    half = round(request.fte / 2, 3)
    if half > 0:
        options.append((_half_label(request.fte, half), replace(request, fte=half)))
    return options


def _half_label(fte: float, half: float) -> str:
    """`Half the FTE (0.25 instead of 0.5)`, and what the quote really asks when units round.

    A request is booked in whole half-days, `ceil(2 * fte * days)` a week, so
    0.25 FTE in a five-day week is 2.5 half-days asked as 3: 0.3 FTE. The label
    says so rather than leave the quote's 0.3 unexplained.
    """
    label = f"Half the FTE ({number(half, 3)} instead of {number(fte, 3)})"
    booked = fte_weeks(request_units(half, FULL_WEEK_DAYS))
    if abs(booked - half) > 1e-9:
        label = (
            f"Half the FTE ({number(half, 3)} instead of {number(fte, 3)}; booked in whole "
            f"half-days: {number(booked)} FTE in a five-day week)"
        )
    return label


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def alternatives_frame(answers: Sequence[tuple[str, Quote]]) -> pd.DataFrame:
    """Each alternative's cover; the share in whole percent, as the progress bar shows it."""
    return pd.DataFrame(
        [
            {
                "Alternative": label,
                "Covered (FTE-weeks)": fte_weeks(q.covered_units),
                "Asked (FTE-weeks)": fte_weeks(q.demand_units),
                "Covered share": round(100 * (share(q.covered_units, q.demand_units) or 0)),
            }
            for label, q in answers
        ],
        columns=["Alternative", "Covered (FTE-weeks)", "Asked (FTE-weeks)", "Covered share"],
    )


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
            status = (
                f"covered {number(fte_weeks(covered[demand]))} of "
                f"{fte_weeks_text(covered[demand] + missing[demand])}"
            )
        elif plan is not None and (r.end < plan.start or r.start > plan.horizon.end):
            status = "outside the plan's weeks"
        else:
            status = "not yet: re-plan to include it"
        rows.append(
            {
                "Request": r.request_id,
                "Client": operator_label(dataset, r.operator_id),
                "Role": r.role,
                "From": r.start,
                "To": r.end,
                "FTE": r.fte,
                "Priority": r.priority,
                "In the latest plan": status,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Request",
            "Client",
            "Role",
            "From",
            "To",
            "FTE",
            "Priority",
            "In the latest plan",
        ],
    )
