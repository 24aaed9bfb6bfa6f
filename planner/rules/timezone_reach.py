"""Rule 2, time-zone reach: specialist and operator at most `max_tz_gap` hours apart.

The offsets are taken at Monday 12:00 UTC of the week (`calendar.utc_offset_hours`),
so the rule can only change from week to week through daylight saving. Like rule 1
it needs no constraint: eligibility asks `near_mask`, so a specialist out of reach
gets no variable for the demand.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from planner.domain.calendar import utc_offset_hours
from planner.domain.records import Specialist

# Offsets such as +5:30 are fractions of an hour: compare with a little slack.
_EPS = 1e-9


def gap_hours(tz_a: str, tz_b: str, monday: date) -> float:
    """How many hours apart two zones are in the week of `monday`."""
    return abs(utc_offset_hours(tz_a, monday) - utc_offset_hours(tz_b, monday))


def within_reach(gap: float, max_gap_hours: float) -> bool:
    """The rule on a gap already measured."""
    return gap <= max_gap_hours + _EPS


def within_tz_gap(tz_a: str, tz_b: str, monday: date, max_gap_hours: float) -> bool:
    """The rule itself, for one specialist's zone and one operator's zone."""
    return within_reach(gap_hours(tz_a, tz_b, monday), max_gap_hours)


def near_mask(
    specialist_offsets: np.ndarray, demand_offsets: np.ndarray, max_gap_hours: float
) -> np.ndarray:
    """`[s, d]`: the rule for every specialist and demand of a week at once, from offsets.

    Eligibility asks this for every week of the horizon; one comparison of two
    offset vectors keeps it to milliseconds where a call per pair would take seconds.
    """
    gaps = np.abs(specialist_offsets[:, None] - demand_offsets[None, :])
    near: np.ndarray = gaps <= max_gap_hours + _EPS
    return near


def check(specialist_tz: str, operator_tz: str, monday: date, max_gap_hours: float) -> str | None:
    """What the validator says of a booking out of reach, or None when it is within it."""
    if within_tz_gap(specialist_tz, operator_tz, monday, max_gap_hours):
        return None
    return f"rule 2: time zones more than {max_gap_hours:g} h apart"


def pin_reason(
    specialist_tz: str, operator_tz: str, monday: date, max_gap_hours: float
) -> str | None:
    """Why a pin across too wide a gap is dropped, or None when it is within reach."""
    if within_tz_gap(specialist_tz, operator_tz, monday, max_gap_hours):
        return None
    gap = gap_hours(specialist_tz, operator_tz, monday)
    return f"time zones {gap:g} h apart, more than {max_gap_hours:g} h"


def out_of_reach_reason(
    qualified: list[Specialist], operator_tz: str, monday: date, max_gap_hours: float
) -> str:
    """Why nobody qualified can cover: all too far away; names the nearest two."""
    by_distance = sorted(qualified, key=lambda spec: gap_hours(spec.timezone, operator_tz, monday))
    nearest = ", ".join(
        f"{spec.specialist_id} in {spec.timezone} "
        f"{gap_hours(spec.timezone, operator_tz, monday):g} h away"
        for spec in by_distance[:2]
    )
    return (
        f"no eligible specialist within {max_gap_hours:g} h of {operator_tz} "
        f"(nearest qualified: {nearest})"
    )
