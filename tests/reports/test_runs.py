"""The Plan runs screen's builders for confirmed bookings: the weeks offered for
confirming, the pins counted per week, the note every planning screen shows."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.records import Pin
from planner.reports.runs import pins_by_week, pins_note, weeks_to_confirm

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
