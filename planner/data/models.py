"""All database tables, in one module: the dataset's files, plan runs and rota runs and
their rows, user accounts, login sessions and the audit trail.

Tables mirror the contract's files column for column, so import and export are
a plain copy. List cells (skills, roles) are stored as the contract's `;` text:
they are small, never queried by element, and keep the schema the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

Day = date
"""`date` under another name, for the column called `date` (`calendar.csv`'s own)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _moment(**column) -> Any:
    """A time zone-aware timestamp column (SQLite gives it back naive: read it as UTC)."""
    return Field(
        sa_column=Column(DateTime(timezone=True), **column),
        **({"default_factory": _now} if column.get("nullable") is False else {"default": None}),
    )


def _utc_time() -> Any:
    """A required moment of the rota (a shift's or a gap's start or end): stored with its
    zone where the database keeps one; SQLite gives it back naive, and storage reads it
    as the UTC it was written in."""
    return Field(sa_column=Column(DateTime(timezone=True), nullable=False))


def _version() -> Any:
    """The row's edit counter: a save names the version it started from, and a save
    against an older one is refused instead of overwriting somebody's change."""
    return Field(default=1, sa_column_kwargs={"server_default": "1"})


class OperatorRow(SQLModel, table=True):
    __tablename__ = "operators"
    id: int | None = Field(default=None, primary_key=True)
    operator_id: str = Field(index=True, unique=True)
    name: str
    timezone: str
    sla: str = "8x5"
    response_minutes: int = 240
    region: str | None = None
    incident_level: int = Field(default=2, sa_column_kwargs={"server_default": "2"})
    incident_skills: str = Field(default="", sa_column_kwargs={"server_default": ""})
    version: int = _version()


class RequirementRow(SQLModel, table=True):
    __tablename__ = "requirements"
    __table_args__ = (UniqueConstraint("operator_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    operator_id: str = Field(index=True)
    role: str
    min_fte: float
    skills: str = ""
    min_level: int = 1
    priority: str = "normal"
    version: int = _version()


class StaffRow(SQLModel, table=True):
    __tablename__ = "staff"
    id: int | None = Field(default=None, primary_key=True)
    staff_id: str = Field(index=True, unique=True)
    operator_id: str = Field(index=True)
    role: str
    fte: float
    name: str | None = None
    joined_on: date | None = None
    left_on: date | None = None
    version: int = _version()


class AbsenceRow(SQLModel, table=True):
    __tablename__ = "absences"
    id: int | None = Field(default=None, primary_key=True)
    staff_id: str = Field(index=True)
    start: date
    end: date
    kind: str = "other"
    version: int = _version()


class SpecialistRow(SQLModel, table=True):
    __tablename__ = "specialists"
    id: int | None = Field(default=None, primary_key=True)
    specialist_id: str = Field(index=True, unique=True)
    name: str
    roles: str
    timezone: str
    skills: str = ""
    capacity_fte: float = 1.0
    max_clients: int = 3
    cost_per_hour: float = 0.0
    joined_on: date | None = None
    left_on: date | None = None
    region: str | None = None
    oncall: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    standby_response_minutes: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    max_duty_hours: int = Field(default=40, sa_column_kwargs={"server_default": "40"})
    version: int = _version()


class SpecialistAbsenceRow(SQLModel, table=True):
    __tablename__ = "specialist_absences"
    id: int | None = Field(default=None, primary_key=True)
    specialist_id: str = Field(index=True)
    start: date
    end: date
    kind: str = "other"
    version: int = _version()


class RequestRow(SQLModel, table=True):
    __tablename__ = "requests"
    id: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(index=True, unique=True)
    operator_id: str = Field(index=True)
    role: str
    start: date
    end: date
    fte: float
    skills: str = ""
    min_level: int = 1
    priority: str = "normal"
    version: int = _version()


class HistoryRow(SQLModel, table=True):
    __tablename__ = "history"
    id: int | None = Field(default=None, primary_key=True)
    specialist_id: str = Field(index=True)
    operator_id: str = Field(index=True)


class CalendarDayRow(SQLModel, table=True):
    """A line of `calendar.csv`; the empty region is stored as NULL, as the file leaves it."""

    __tablename__ = "calendar_days"
    id: int | None = Field(default=None, primary_key=True)
    date: Day = Field(index=True)
    working: bool
    region: str | None = None
    note: str = ""
    version: int = _version()


class PinRow(SQLModel, table=True):
    __tablename__ = "pinned"
    id: int | None = Field(default=None, primary_key=True)
    specialist_id: str = Field(index=True)
    demand_id: str
    week: date
    units: int


class RotaPinRow(SQLModel, table=True):
    """A line of `rota_pinned.csv`: confirmed on-call duty, `end` exclusive."""

    __tablename__ = "rota_pinned"
    id: int | None = Field(default=None, primary_key=True)
    specialist_id: str = Field(index=True)
    start: datetime = _utc_time()
    end: datetime = _utc_time()


class PlanRun(SQLModel, table=True):
    """One run of the planner: its parameters, outcome and figures."""

    __tablename__ = "plan_runs"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    start: date
    weeks: int
    max_tz_gap: float
    time_limit: float
    status: str
    covered_units: int
    demand_units: int
    handovers: int
    cost: float
    solve_seconds: float
    confirmed: bool = False
    note: str | None = None
    summary: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: str | None = None
    confirmed_at: datetime | None = _moment(nullable=True)
    confirmed_by: str | None = None


class PlanAssignmentRow(SQLModel, table=True):
    __tablename__ = "plan_assignments"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="plan_runs.id", index=True)
    demand_id: str
    operator_id: str = Field(index=True)
    role: str
    week: date
    specialist_id: str = Field(index=True)
    units: int


class PlanUncoveredRow(SQLModel, table=True):
    __tablename__ = "plan_uncovered"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="plan_runs.id", index=True)
    demand_id: str
    operator_id: str = Field(index=True)
    role: str
    week: date
    priority: str
    units: int
    reason: str


class RotaRun(SQLModel, table=True):
    """One run of the rota: its grid, outcome and figures; `summary` is the run's
    `rota_summary.json`, parameters included, from which the rota is read back."""

    __tablename__ = "rota_runs"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _moment(nullable=False)
    created_by: str | None = None
    start: date
    weeks: int
    status: str
    promised_hours: int
    covered_hours: int
    confirmed: bool = False
    note: str | None = None
    summary: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    confirmed_at: datetime | None = _moment(nullable=True)
    confirmed_by: str | None = None


class RotaShiftRow(SQLModel, table=True):
    __tablename__ = "rota_shifts"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="rota_runs.id", index=True)
    specialist_id: str = Field(index=True)
    start: datetime = _utc_time()
    end: datetime = _utc_time()
    at_work_hours: int
    off_work_hours: int


class RotaGapRow(SQLModel, table=True):
    __tablename__ = "rota_gaps"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="rota_runs.id", index=True)
    operator_id: str = Field(index=True)
    start: datetime = _utc_time()
    end: datetime = _utc_time()
    reason: str


class RotaReservationRow(SQLModel, table=True):
    __tablename__ = "rota_reservations"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="rota_runs.id", index=True)
    specialist_id: str = Field(index=True)
    week: date
    units: int


class UserRow(SQLModel, table=True):
    """Someone who logs in: `admin` (users), `manager` (all planning) or `operator`
    (one client's own data, `operator_id`)."""

    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)
    password_hash: str
    role: str
    operator_id: str | None = None
    disabled: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = _moment(nullable=True)
    created_at: datetime = _moment(nullable=False)
    version: int = _version()


class LoginThrottleRow(SQLModel, table=True):
    """Failed logins in a row for one account name from one source (the browser's IP
    address). Keyed by an HMAC of both with the server's secret, so neither a mistyped
    password in the name field nor the addresses are kept readable; rows an hour past
    their last failure are dropped."""

    __tablename__ = "login_throttle"
    key: str = Field(primary_key=True)
    failures: int = 0
    locked_until: datetime | None = _moment(nullable=True)
    last_failure_at: datetime = _moment(nullable=False, index=True)


class LoginSessionRow(SQLModel, table=True):
    """A logged-in browser: only the token's SHA-256 is kept, so a copy of the
    database does not let anyone in."""

    __tablename__ = "login_sessions"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = _moment(nullable=False)
    expires_at: datetime = _moment(nullable=False)


class AuditRow(SQLModel, table=True):
    """Who did what to which row, when, with the values before and after.

    Written in the transaction of the change itself, so there is no change
    without its record and no record of a change that was rolled back.
    """

    __tablename__ = "audit"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _moment(nullable=False, index=True)
    username: str = Field(index=True)
    action: str = Field(index=True)
    entity: str
    entity_id: str | None = None
    operator_id: str | None = Field(default=None, index=True)
    before: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))


# the dataset file each table holds, in the contract's order
# Any: SQLModel's table classes share no typed base that declares `id` and `version`
DATASET_TABLES: dict[str, Any] = {
    "operators": OperatorRow,
    "requirements": RequirementRow,
    "staff": StaffRow,
    "absences": AbsenceRow,
    "specialists": SpecialistRow,
    "specialist_absences": SpecialistAbsenceRow,
    "requests": RequestRow,
    "history": HistoryRow,
    "calendar": CalendarDayRow,
    "pinned": PinRow,
    "rota_pinned": RotaPinRow,
}


class ScenarioRow(SQLModel, table=True):
    """A saved what-if scenario: its changes as the same JSON a scenario file holds."""

    __tablename__ = "scenarios"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    description: str = ""
    body: str  # JSON text of the changes, as in a .json scenario file
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
