"""Each specialist's iCalendar file read back with `icalendar`: one event per shift, in UTC,
naming the clients the specialist answers for during it."""

from __future__ import annotations

from datetime import UTC

import pytest
from icalendar import Calendar

from planner.rota.grid import RotaGrid
from planner.rota.ics import calendars
from tests.builders import operator, specialist
from tests.rota.cases import WORKING_WEEK, by_hand, rota_data, solved

P = WORKING_WEEK
DATA = rota_data(
    operators=[
        operator("OPA", name="Альфа", sla="24x7", response_minutes=30, incident_level=1),
        operator("OP8", name="Восьмёрка", sla="8x5", response_minutes=60, incident_level=2),
        operator("OPS", name="Скилл", sla="24x7", incident_skills=("oracle",)),
    ],
    specialists=[
        specialist("SP1", tz="Europe/Moscow"),
        specialist("SP2", roles="technical:1", tz="Europe/Moscow"),
    ],
)
# SP1 on Monday night (03:00-07:00 Moscow) and Tuesday by day (09:00-15:00 Moscow)
SHIFTS = {"SP1": [(0, 4), (30, 36)], "SP2": [(40, 50)]}


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    rota = by_hand(DATA, P, SHIFTS)
    return calendars(RotaGrid(DATA, P), rota)


def test_one_calendar_per_specialist_on_duty_one_event_per_shift(files):
    assert sorted(files) == ["SP1", "SP2"]
    assert [len(events(files[s])) for s in ("SP1", "SP2")] == [2, 1]


def test_events_start_and_end_with_the_shift_in_utc(files):
    for sid, shifts in SHIFTS.items():
        found = [(e.decoded("dtstart"), e.decoded("dtend")) for e in events(files[sid])]
        assert found == [(P.moment(a), P.moment(b)) for a, b in shifts]
        for start, end in found:
            assert start.tzinfo is not None
            assert start.utcoffset().total_seconds() == 0
            assert end.astimezone(UTC) == end


def test_the_description_lists_the_clients_answered_during_the_shift(files):
    night, day = (str(e.get("description")) for e in events(files["SP1"]))
    assert "Альфа (OPA)" in night
    assert "OP8" not in night  # 8x5: nothing promised at 03:00-09:00 Moscow
    assert "Альфа (OPA)" in day
    assert "Восьмёрка (OP8)" in day
    assert "OPS" not in night + day  # SP1 lacks the oracle skill
    (only,) = (str(e.get("description")) for e in events(files["SP2"]))
    assert "Альфа (OPA)" in only
    assert "OP8" not in only  # level 1 below the client's incident level 2
    assert day.startswith("6 h at work, 0 h standby")


def test_the_files_are_valid_icalendar_that_round_trips(files):
    for data in files.values():
        calendar = Calendar.from_ical(data)
        assert calendar.get("version") == "2.0"
        assert calendar.get("prodid")
        assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()
        uids = [str(e.get("uid")) for e in calendar.walk("VEVENT")]
        assert len(set(uids)) == len(uids)
        for event in calendar.walk("VEVENT"):
            assert event.get("dtstamp") is not None


def test_a_solved_rota_has_an_event_for_every_shift():
    rota = solved(DATA, P)
    files = calendars(RotaGrid(DATA, P), rota)
    for sid in {s.specialist_id for s in rota.shifts}:
        mine = [(s.start, s.end) for s in rota.shifts if s.specialist_id == sid]
        assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events(files[sid])] == mine
