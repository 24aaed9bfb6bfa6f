"""Each specialist's shifts as an iCalendar file (RFC 5545) for their phone: one event per
shift in UTC, with the clients it answers for during that shift in the description."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from icalendar import Calendar, Event

from planner.rota.grid import RotaGrid
from planner.rota.records import Rota, Shift

PRODUCT = "-//Cover Planner//On-call rota//EN"


def clients_of(grid: RotaGrid, shift: Shift) -> list[str]:
    """Operators with a promised hour in the shift that the specialist answers in time."""
    s = grid.index.get(shift.specialist_id)
    if s is None:
        return []
    first, end = grid.params.hour_of(shift.start), grid.params.hour_of(shift.end)
    first, end = max(0, first), min(grid.hours, end)
    found = []
    for o, op in enumerate(grid.operators):
        if not grid.qualified[o, s]:
            continue
        fast = grid.answer_minutes[s, first:end] <= op.response_minutes
        if np.any(fast & grid.promised[o, first:end]):
            found.append(f"{op.name} ({op.operator_id})")
    return found


def specialist_calendar(
    grid: RotaGrid, rota: Rota, specialist_id: str, stamp: datetime | None = None
) -> bytes:
    """The `.ics` file of one specialist's shifts."""
    spec = grid.dataset.specialist(specialist_id)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"On call: {spec.name}")
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    for shift in rota.shifts:
        if shift.specialist_id != specialist_id:
            continue
        event = Event()
        event.add("uid", f"{specialist_id}-{shift.start:%Y%m%dT%H%M}Z@cover-planner")
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.start.astimezone(UTC))
        event.add("dtend", shift.end.astimezone(UTC))
        event.add("summary", f"On call ({shift.hours} h)")
        clients = clients_of(grid, shift)
        lines = [
            f"{shift.at_work_hours} h at work, {shift.off_work_hours} h standby "
            f"(answer within {spec.standby_response_minutes} min off work).",
            "Answers for: " + ("; ".join(clients) if clients else "nobody promised then"),
        ]
        event.add("description", "\n".join(lines))
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def calendars(grid: RotaGrid, rota: Rota) -> dict[str, bytes]:
    """An `.ics` per specialist with at least one shift."""
    stamp = datetime.now(UTC).replace(microsecond=0)
    ids = sorted({s.specialist_id for s in rota.shifts})
    return {sid: specialist_calendar(grid, rota, sid, stamp) for sid in ids}
