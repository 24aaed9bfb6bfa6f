"""The rota's vocabulary: its parameters, shifts, SLA gaps, cover reservations, and the
rota itself. Times are timezone-aware UTC datetimes on whole hours; an hour index `h`
counts hours from the grid's first hour (`start` 00:00 UTC)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from planner.domain.defaults import (
    ACTIVE_RESPONSE_MINUTES,
    DEFAULT_CALENDAR,
    DUTY_LOAD,
    MAX_SHIFT_HOURS,
    MIN_REST_HOURS,
    MIN_SHIFT_HOURS,
    WORK_HOURS,
)
from planner.domain.records import Operator, Specialist

HOURS_PER_WEEK = 168


@dataclass(frozen=True)
class RotaParams:
    """Everything a rota depends on besides the dataset: its grid and the contract's options."""

    start: date
    weeks: int
    min_shift_hours: int = MIN_SHIFT_HOURS
    max_shift_hours: int = MAX_SHIFT_HOURS
    min_rest_hours: int = MIN_REST_HOURS
    active_response_minutes: int = ACTIVE_RESPONSE_MINUTES
    work_hours: tuple[int, int] = WORK_HOURS
    duty_load: float = DUTY_LOAD
    calendar: str = DEFAULT_CALENDAR

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError(
                f"the rota must start on a Monday; {self.start} is a {self.start.strftime('%A')}"
            )
        if self.weeks < 1:
            raise ValueError(f"the rota needs at least one week, got {self.weeks}")
        if not 1 <= self.min_shift_hours <= self.max_shift_hours:
            raise ValueError(
                f"--min-shift-hours {self.min_shift_hours} must be between 1 and "
                f"--max-shift-hours {self.max_shift_hours}"
            )
        if self.min_rest_hours < 0:
            raise ValueError(f"--min-rest-hours must be 0 or more, got {self.min_rest_hours}")
        first, last = self.work_hours
        if not 0 <= first <= last <= 23:
            raise ValueError(f"--work-hours {first}-{last} must be two hours 0-23, first <= last")
        if not 0 <= self.duty_load <= 1:
            raise ValueError(f"--duty-load must be between 0 and 1, got {self.duty_load}")
        if self.active_response_minutes < 1:
            raise ValueError("--active-response-minutes must be at least 1")

    @property
    def hours(self) -> int:
        return self.weeks * HOURS_PER_WEEK

    @property
    def origin(self) -> datetime:
        """The grid's first hour: `start` 00:00 UTC."""
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    def moment(self, hour: int) -> datetime:
        """The UTC start of hour index `hour`."""
        return self.origin + timedelta(hours=hour)

    def hour_of(self, moment: datetime) -> int:
        """The hour index of a whole-hour UTC moment (may lie outside the grid)."""
        return int((moment - self.origin).total_seconds() // 3600)

    def monday(self, week: int) -> date:
        return self.start + timedelta(weeks=week)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "weeks": self.weeks,
            "min_shift_hours": self.min_shift_hours,
            "max_shift_hours": self.max_shift_hours,
            "min_rest_hours": self.min_rest_hours,
            "active_response_minutes": self.active_response_minutes,
            "work_hours": f"{self.work_hours[0]}-{self.work_hours[1]}",
            "duty_load": self.duty_load,
            "calendar": self.calendar,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> RotaParams:
        """The parameters `as_dict` wrote (a stored run's `summary["params"]`); an option
        it lacks takes today's default, a bad value raises ValueError like a bad option."""
        first, last = WORK_HOURS
        if "work_hours" in values:
            first_text, _, last_text = str(values["work_hours"]).partition("-")
            first, last = int(first_text), int(last_text)
        return cls(
            start=date.fromisoformat(str(values["start"])),
            weeks=int(values["weeks"]),
            min_shift_hours=int(values.get("min_shift_hours", MIN_SHIFT_HOURS)),
            max_shift_hours=int(values.get("max_shift_hours", MAX_SHIFT_HOURS)),
            min_rest_hours=int(values.get("min_rest_hours", MIN_REST_HOURS)),
            active_response_minutes=int(
                values.get("active_response_minutes", ACTIVE_RESPONSE_MINUTES)
            ),
            work_hours=(first, last),
            duty_load=float(values.get("duty_load", DUTY_LOAD)),
            calendar=str(values.get("calendar", DEFAULT_CALENDAR)),
        )


@dataclass(frozen=True)
class Shift:
    """A run of consecutive on-duty hours of one specialist, `end` exclusive."""

    specialist_id: str
    start: datetime
    end: datetime
    at_work_hours: int = 0
    off_work_hours: int = 0

    @property
    def hours(self) -> int:
        return int((self.end - self.start).total_seconds() // 3600)


@dataclass(frozen=True)
class SlaGap:
    """A maximal run of consecutive uncovered promised hours of one operator."""

    operator_id: str
    start: datetime
    end: datetime
    reason: str

    @property
    def hours(self) -> int:
        return int((self.end - self.start).total_seconds() // 3600)


@dataclass(frozen=True)
class Reservation:
    """Cover units the rota takes from a specialist's capacity in one plan week."""

    specialist_id: str
    week: date
    units: int


@dataclass(frozen=True)
class DroppedRotaPin:
    specialist_id: str
    start: datetime
    end: datetime
    reason: str


@dataclass(frozen=True)
class Rota:
    """A solved (or read back) rota and its headline figures (`rota_summary.json`)."""

    params: RotaParams
    shifts: tuple[Shift, ...]
    gaps: tuple[SlaGap, ...]
    reservations: tuple[Reservation, ...]
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return str(self.summary.get("status", "FEASIBLE"))


def can_answer_for(specialist: Specialist, operator: Operator) -> bool:
    """The contract's "can answer for": `technical` at a level of at least the operator's
    `incident_level`, and every skill in its `incident_skills` (time zones do not limit
    incident support)."""
    return specialist.level("technical") >= operator.incident_level and set(
        operator.incident_skills
    ) <= set(specialist.skills)


def utc_text(moment: datetime) -> str:
    """`2027-01-04T06:00Z`: the contract's way of writing a rota time."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def parse_utc(text: str) -> datetime:
    """Read `2027-01-04T06:00Z` (or `...+00:00`) as a whole-hour UTC moment; ValueError else."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a UTC time like 2027-01-04T06:00Z") from None
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no zone: write it in UTC, like 2027-01-04T06:00Z")
    moment = moment.astimezone(UTC)
    if moment.minute or moment.second or moment.microsecond:
        raise ValueError(f"{text!r} is not a whole hour")
    return moment
