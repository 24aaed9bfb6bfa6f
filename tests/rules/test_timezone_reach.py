"""Rule 2: specialist and operator at most `max_tz_gap` hours apart, at Monday 12:00 UTC."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from planner.domain.calendar import Horizon, utc_offset_hours
from planner.rules import timezone_reach
from planner.solver.instance import build_instance
from tests.builders import Pin, dataset, operator, requirement, specialist
from tests.rules.cases import ONE_WEEK, changed, index_of, planned, status_with, verdict

DEMAND = "gap:OP1:technical"


def _data(**kw):
    return dataset(
        operators=[operator("OP1", "Asia/Kamchatka")],  # UTC+12
        requirements=[requirement()],
        specialists=[
            specialist("SP1", tz="Asia/Yakutsk"),  # +9: 3 h
            specialist("SP2", tz="Asia/Novosibirsk"),
        ],  # +7: 5 h
        **kw,
    )


def test_only_the_specialist_within_reach_gets_a_variable():
    instance = build_instance(_data(), ONE_WEEK)
    sp1, d = index_of(instance, "SP1", DEMAND)
    assert instance.eligible[0] == ((sp1, d),)
    assert status_with(instance, None, {(sp1, d, 0): 10}) == "OPTIMAL"


def test_nobody_within_reach_means_no_variable_unless_the_reach_grows():
    data = dataset(
        operators=[operator("OP1", "Asia/Kamchatka")],
        requirements=[requirement()],
        specialists=[specialist("SP2", tz="Asia/Novosibirsk")],
    )
    assert build_instance(data, ONE_WEEK).eligible == ((),)
    assert len(build_instance(data, ONE_WEEK, max_tz_gap=5).eligible[0]) == 1


def test_daylight_saving_moves_the_gap_between_weeks():
    # Berlin goes from +1 to +2 on 28 March 2027; Moscow stays +3
    data = dataset(
        operators=[operator("OP1", "Europe/Moscow")],
        requirements=[requirement()],
        specialists=[specialist("SP1", tz="Europe/Berlin")],
    )
    instance = build_instance(data, Horizon(date(2027, 3, 22), 2), max_tz_gap=1.5)
    assert [len(week) for week in instance.eligible] == [0, 1]


@pytest.mark.parametrize("gap", [0.0, 1.5, 4.0, 5.5])
def test_the_array_form_agrees_with_the_rule(gap):
    monday = date(2027, 1, 4)
    zones = ["Europe/Moscow", "Asia/Kolkata", "Asia/Kamchatka", "Europe/Berlin", "UTC"]
    offsets = np.array([utc_offset_hours(tz, monday) for tz in zones])
    mask = timezone_reach.near_mask(offsets, offsets, gap)
    assert mask.tolist() == [
        [timezone_reach.within_tz_gap(a, b, monday, gap) for b in zones] for a in zones
    ]


def test_the_validator_accepts_a_plan_and_names_a_gap_too_wide():
    data = _data()
    plan = planned(data)
    assert [b.specialist_id for b in plan] == ["SP1"]
    assert verdict(data, plan) == []
    broken = verdict(data, changed(plan, 0, specialist_id="SP2"))
    assert broken == [f"SP2 -> {DEMAND} in week 2027-01-04: rule 2: time zones more than 4 h apart"]
    assert verdict(data, changed(plan, 0, specialist_id="SP2"), max_tz_gap=5) == []


def test_a_pin_out_of_reach_is_dropped_with_the_gap():
    data = _data(pinned=[Pin("SP2", DEMAND, ONE_WEEK.start, 4)])
    (dropped,) = build_instance(data, ONE_WEEK).dropped_pins
    assert dropped.reason == "time zones 5 h apart, more than 4 h"


def test_the_reason_names_the_nearest_two():
    reason = timezone_reach.out_of_reach_reason(
        [
            specialist("SP1", tz="Europe/Moscow"),
            specialist("SP2", tz="Asia/Novosibirsk"),
            specialist("SP3", tz="Europe/Berlin"),
        ],
        "Asia/Kamchatka",
        date(2027, 1, 4),
        4,
    )
    assert reason == (
        "no eligible specialist within 4 h of Asia/Kamchatka (nearest qualified: "
        "SP2 in Asia/Novosibirsk 5 h away, SP1 in Europe/Moscow 9 h away)"
    )
