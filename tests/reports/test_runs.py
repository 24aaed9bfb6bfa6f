"""The Plan runs screen's builders: the weeks offered for confirming, the pins counted per
week, the note every planning screen shows; the run comparison reads like a report (no float
noise, money written whole)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.domain.records import Pin
from planner.planning.plan import Assignment, Plan
from planner.reports.runs import (
    compare_by_party,
    compare_figures,
    pins_by_week,
    pins_note,
    weeks_to_confirm,
)
from tests.builders import dataset, operator, specialist

START = date(2027, 1, 4)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 2), (date(2027, 1, 4), date(2027, 1, 25))),  # the run starts later
        (date(2027, 2, 3), (date(2027, 2, 1), date(2027, 2, 22))),  # today's week and 3 more
        (date(2027, 3, 20), (date(2027, 3, 8), date(2027, 3, 29))),  # near the end: the last 4
        (date(2028, 1, 1), (date(2027, 3, 8), date(2027, 3, 29))),  # over: the last 4
    ],
)
def test_the_weeks_offered_for_confirming_are_the_next_four(today, expected):
    assert weeks_to_confirm(START, 13, today) == expected


def test_a_short_run_is_offered_whole():
    assert weeks_to_confirm(START, 2, date(2027, 1, 1)) == (START, date(2027, 1, 11))


PINS = (
    Pin("SP1", "gap:OP1:finance", date(2027, 1, 11), 5),
    Pin("SP2", "gap:OP1:finance", date(2027, 1, 11), 3),
    Pin("SP1", "gap:OP2:technical", date(2027, 2, 1), 10),
)


def test_pins_are_counted_per_week():
    frame = pins_by_week(PINS)
    assert frame.to_dict("records") == [
        {"Week": "2027-W02, 11 Jan", "Bookings": 2, "Specialists": 2, "FTE-weeks": 0.8},
        {"Week": "2027-W05, 1 Feb", "Bookings": 1, "Specialists": 1, "FTE-weeks": 1.0},
    ]


def test_the_note_names_the_count_and_the_weeks():
    assert pins_note(PINS) == (
        "3 confirmed bookings in weeks 2027-W02, 11 Jan to 2027-W05, 1 Feb are kept as they are."
    )
    assert pins_note(PINS[:1]) == "1 confirmed booking in week 2027-W02, 11 Jan is kept as it is."
    assert pins_note(()) is None


MONDAY = date(2027, 1, 4)


def _plan(units: list[int], cost: float) -> Plan:
    rows = tuple(
        Assignment("OP1:finance", "OP1", "finance", MONDAY + timedelta(weeks=k), "SP1", u)
        for k, u in enumerate(units)
    )
    return Plan(MONDAY, len(units) or 1, 3.0, rows, (), {"cost": cost, "handovers": 1234})


def test_figures_are_written_without_float_noise_and_money_whole():
    before, after = _plan([1, 2, 55], 18349000), _plan([], 15000000)
    frame = compare_figures(before, after).set_index("Figure")
    cost = frame.loc["Cost"].str.replace("\u202f", " ").str.replace("\u00a0", " ")
    assert cost.tolist() == ["18 349 000 ₽", "15 000 000 ₽", "-3 349 000 ₽"]
    assert frame.loc["Handovers"].tolist() == ["1\u202f234", "1\u202f234", "0"]
    assert all(len(text) < 16 for text in frame.to_numpy().ravel())


def test_who_is_affected_sums_fte_weeks_to_one_decimal():
    data = dataset(operators=[operator("OP1")], specialists=[specialist("SP1")])
    frame = compare_by_party(_plan([1, 2], 0), _plan([], 0), data)  # 0.1 + 0.2 in floats
    assert str(float(frame["FTE-weeks before"].iloc[0])) == "0.3"
    assert str(float(frame["Change (FTE-weeks)"].iloc[0])) == "-0.3"
