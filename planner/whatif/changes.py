"""What-if changes: small frozen records laid over the base data.

A change has a `kind` tag and a pure `apply(dataset) -> Dataset`. The planner
itself never learns about changes: a change only ever produces an ordinary
`Dataset`, so every plan, report and explanation works on it unchanged.

Dates in a change mean the day the change takes effect: `on` for a leaver is
the first day they are gone (their `left_on` becomes the day before), `on`
for a joiner is their first working day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, ClassVar

from planner.domain.records import (
    ABSENCE_KINDS,
    PRIORITIES,
    ROLES,
    Absence,
    Dataset,
    Operator,
    Request,
    Requirement,
    Specialist,
    SpecialistAbsence,
    StaffMember,
)

ONE_DAY = timedelta(days=1)
# staff ids made up to switch an operator's demand off outside its time as a client
PLACEHOLDER_PREFIX = "~"


class ChangeError(ValueError):
    """A change does not fit the data; `field` names the change's field at fault."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


# --------------------------------------------------------------------------- lookups


def _specialist(dataset: Dataset, specialist_id: str) -> Specialist:
    for specialist in dataset.specialists:
        if specialist.specialist_id == specialist_id:
            return specialist
    raise ChangeError("specialist_id", f"{specialist_id!r} is not in specialists.csv")


def _staff(dataset: Dataset, staff_id: str) -> StaffMember:
    for member in dataset.staff:
        if member.staff_id == staff_id:
            return member
    raise ChangeError("staff_id", f"{staff_id!r} is not in staff.csv")


def _check_operator(dataset: Dataset, operator_id: str) -> None:
    if operator_id not in {o.operator_id for o in dataset.operators}:
        raise ChangeError("operator_id", f"{operator_id!r} is not in operators.csv")


def _earlier(current: date | None, new: date) -> date:
    return new if current is None else min(current, new)


def _cover_placeholders(
    operator_id: str,
    role: str,
    min_fte: float,
    *,
    tag: str,
    joined_on: date | None = None,
    left_on: date | None = None,
) -> list[StaffMember]:
    """Made-up staff who fill `min_fte` exactly, so the role has no gap while they are there.

    This is how a client's demand starts or stops on a date without a new column in
    the contract: the demand rules already count staff by their employment dates.
    """
    members, remaining, number = [], round(min_fte, 6), 1
    while remaining > 1e-9:
        fte = min(1.0, remaining)
        members.append(
            StaffMember(
                f"{PLACEHOLDER_PREFIX}{operator_id}-{role}-{tag}-{number}",
                operator_id,
                role,
                round(fte, 6),
                "(not a client then)",
                joined_on,
                left_on,
            )
        )
        remaining = round(remaining - fte, 6)
        number += 1
    return members


# --------------------------------------------------------------------------- the changes


@dataclass(frozen=True)
class SpecialistLeaves:
    """One of the vendor's specialists leaves: gone from `on`."""

    kind: ClassVar[str] = "specialist_leaves"
    specialist_id: str
    on: date

    def apply(self, dataset: Dataset) -> Dataset:
        specialist = _specialist(dataset, self.specialist_id)
        last_day = _earlier(specialist.left_on, self.on - ONE_DAY)
        if specialist.joined_on is not None and last_day < specialist.joined_on:
            raise ChangeError("on", f"{self.specialist_id} only joins on {specialist.joined_on}")
        return replace(
            dataset,
            specialists=tuple(
                replace(s, left_on=last_day) if s is specialist else s for s in dataset.specialists
            ),
        )

    def describe(self) -> str:
        return f"{self.specialist_id} leaves on {self.on}"


@dataclass(frozen=True)
class SpecialistLeave:
    """A specialist is away (long leave, sickness) from `start` to `end` inclusive."""

    kind: ClassVar[str] = "specialist_leave"
    specialist_id: str
    start: date
    end: date
    absence_kind: str = "leave"

    def apply(self, dataset: Dataset) -> Dataset:
        _specialist(dataset, self.specialist_id)
        _check_period(self.start, self.end)
        _check_absence_kind(self.absence_kind)
        absence = SpecialistAbsence(self.specialist_id, self.start, self.end, self.absence_kind)
        return replace(dataset, specialist_absences=(*dataset.specialist_absences, absence))

    def describe(self) -> str:
        return f"{self.specialist_id} away ({self.absence_kind}) {self.start} to {self.end}"


@dataclass(frozen=True)
class SpecialistJoins:
    """A hypothetical specialist joins the vendor from `on` (or from the start when empty)."""

    kind: ClassVar[str] = "specialist_joins"
    specialist_id: str
    roles: tuple[tuple[str, int], ...]
    timezone: str
    name: str = ""
    skills: tuple[str, ...] = ()
    capacity_fte: float = 1.0
    max_clients: int = 3
    cost_per_hour: float = 0.0
    on: date | None = None
    region: str = ""
    """Selects the regional lines of `calendar.csv` for the newcomer's working days."""

    def apply(self, dataset: Dataset) -> Dataset:
        if self.specialist_id in {s.specialist_id for s in dataset.specialists}:
            raise ChangeError(
                "specialist_id", f"{self.specialist_id!r} is already in specialists.csv"
            )
        if not 0 < self.capacity_fte <= 1:
            raise ChangeError("capacity_fte", f"{self.capacity_fte} must be > 0 and <= 1")
        if self.max_clients < 1:
            raise ChangeError("max_clients", f"{self.max_clients} must be >= 1")
        if self.cost_per_hour < 0:
            raise ChangeError("cost_per_hour", f"{self.cost_per_hour} must be >= 0")
        newcomer = Specialist(
            self.specialist_id,
            self.name or f"new {self.specialist_id}",
            self.roles,
            self.timezone,
            self.skills,
            self.capacity_fte,
            self.max_clients,
            self.cost_per_hour,
            self.on,
            None,
            region=self.region or None,
        )
        return replace(dataset, specialists=(*dataset.specialists, newcomer))

    def describe(self) -> str:
        roles = ";".join(f"{r}:{level}" for r, level in self.roles)
        skills = f" with {', '.join(self.skills)}" if self.skills else ""
        when = f" from {self.on}" if self.on else ""
        return f"hire {self.specialist_id} ({roles}{skills}, {self.timezone}){when}"


@dataclass(frozen=True)
class StaffLeaves:
    """An operator's staff member resigns: gone from `on`, the role's gap opens."""

    kind: ClassVar[str] = "staff_leaves"
    staff_id: str
    on: date

    def apply(self, dataset: Dataset) -> Dataset:
        member = _staff(dataset, self.staff_id)
        last_day = _earlier(member.left_on, self.on - ONE_DAY)
        if member.joined_on is not None and last_day < member.joined_on:
            raise ChangeError("on", f"{self.staff_id} only joins on {member.joined_on}")
        return replace(
            dataset,
            staff=tuple(replace(m, left_on=last_day) if m is member else m for m in dataset.staff),
        )

    def describe(self) -> str:
        return f"staff {self.staff_id} leaves on {self.on}"


@dataclass(frozen=True)
class StaffAbsent:
    """An operator's staff member is away from `start` to `end` inclusive."""

    kind: ClassVar[str] = "staff_absent"
    staff_id: str
    start: date
    end: date
    absence_kind: str = "leave"

    def apply(self, dataset: Dataset) -> Dataset:
        _staff(dataset, self.staff_id)
        _check_period(self.start, self.end)
        _check_absence_kind(self.absence_kind)
        absence = Absence(self.staff_id, self.start, self.end, self.absence_kind)
        return replace(dataset, absences=(*dataset.absences, absence))

    def describe(self) -> str:
        return f"staff {self.staff_id} away ({self.absence_kind}) {self.start} to {self.end}"


@dataclass(frozen=True)
class StaffJoins:
    """An operator hires someone into a role from `on` (how a resignation is refilled)."""

    kind: ClassVar[str] = "staff_joins"
    staff_id: str
    operator_id: str
    role: str
    fte: float = 1.0
    on: date | None = None
    name: str = ""

    def apply(self, dataset: Dataset) -> Dataset:
        _check_operator(dataset, self.operator_id)
        if self.staff_id in {m.staff_id for m in dataset.staff}:
            raise ChangeError("staff_id", f"{self.staff_id!r} is already in staff.csv")
        check_role(self.role)
        if not 0 < self.fte <= 1:
            raise ChangeError("fte", f"{self.fte} must be > 0 and <= 1")
        member = StaffMember(
            self.staff_id, self.operator_id, self.role, self.fte, self.name or None, self.on, None
        )
        return replace(dataset, staff=(*dataset.staff, member))

    def describe(self) -> str:
        when = f" from {self.on}" if self.on else ""
        return f"{self.operator_id} hires {self.staff_id} ({self.role}){when}"


@dataclass(frozen=True)
class OperatorLeaves:
    """A client leaves: none of its demand counts from `on` (its requests end the day before)."""

    kind: ClassVar[str] = "operator_leaves"
    operator_id: str
    on: date

    def apply(self, dataset: Dataset) -> Dataset:
        _check_operator(dataset, self.operator_id)
        placeholders = [
            member
            for r in dataset.requirements
            if r.operator_id == self.operator_id
            for member in _cover_placeholders(
                r.operator_id, r.role, r.min_fte, tag="gone", joined_on=self.on
            )
        ]
        requests = []
        for request in dataset.requests:
            if request.operator_id != self.operator_id or request.end < self.on:
                requests.append(request)
            elif request.start < self.on:
                requests.append(replace(request, end=self.on - ONE_DAY))
        return replace(dataset, staff=(*dataset.staff, *placeholders), requests=tuple(requests))

    def describe(self) -> str:
        return f"client {self.operator_id} leaves on {self.on}"


@dataclass(frozen=True)
class NewRequirement:
    """A requirement of a joining client (its operator is the change's)."""

    role: str
    min_fte: float
    skills: tuple[str, ...] = ()
    min_level: int = 1
    priority: str = "normal"


@dataclass(frozen=True)
class NewStaff:
    """A staff member of a joining client."""

    staff_id: str
    role: str
    fte: float = 1.0
    name: str = ""


@dataclass(frozen=True)
class OperatorJoins:
    """A new client with its requirements (and own staff, if any) from `on`."""

    kind: ClassVar[str] = "operator_joins"
    operator_id: str
    name: str
    timezone: str
    requirements: tuple[NewRequirement, ...] = ()
    staff: tuple[NewStaff, ...] = ()
    sla: str = "8x5"
    region: str = ""
    on: date | None = None

    def apply(self, dataset: Dataset) -> Dataset:
        if self.operator_id in {o.operator_id for o in dataset.operators}:
            raise ChangeError("operator_id", f"{self.operator_id!r} is already in operators.csv")
        roles = [r.role for r in self.requirements]
        for role in roles:
            check_role(role, "requirements")
        if len(set(roles)) != len(roles):
            raise ChangeError("requirements", "each role may have one requirement")
        taken = {m.staff_id for m in dataset.staff}
        for member in self.staff:
            check_role(member.role, "staff")
            if member.staff_id in taken:
                raise ChangeError("staff", f"{member.staff_id!r} is already in staff.csv")
        operator = Operator(
            self.operator_id, self.name, self.timezone, self.sla, 240, self.region or None
        )
        requirements = [
            Requirement(self.operator_id, r.role, r.min_fte, r.skills, r.min_level, r.priority)
            for r in self.requirements
        ]
        members = [
            StaffMember(m.staff_id, self.operator_id, m.role, m.fte, m.name or None, self.on, None)
            for m in self.staff
        ]
        if self.on is not None:
            for r in self.requirements:
                members += _cover_placeholders(
                    self.operator_id, r.role, r.min_fte, tag="before", left_on=self.on - ONE_DAY
                )
        return replace(
            dataset,
            operators=(*dataset.operators, operator),
            requirements=(*dataset.requirements, *requirements),
            staff=(*dataset.staff, *members),
        )

    def describe(self) -> str:
        when = f" from {self.on}" if self.on else ""
        return f"new client {self.operator_id} ({self.name}){when}"


@dataclass(frozen=True)
class RequirementChanges:
    """An operator's requirement for a role changes (or appears, when `min_fte` is given)."""

    kind: ClassVar[str] = "requirement_changes"
    operator_id: str
    role: str
    min_fte: float | None = None
    min_level: int | None = None
    skills: tuple[str, ...] | None = None
    priority: str | None = None

    def apply(self, dataset: Dataset) -> Dataset:
        _check_operator(dataset, self.operator_id)
        check_role(self.role)
        if self.min_fte is not None and self.min_fte < 0:
            raise ChangeError("min_fte", f"{self.min_fte} must be >= 0")
        if self.min_level is not None and self.min_level not in (1, 2, 3):
            raise ChangeError("min_level", f"{self.min_level} is not a level 1, 2 or 3")
        if self.priority is not None and self.priority not in PRIORITIES:
            raise ChangeError(
                "priority", f"{self.priority!r} is not one of {', '.join(PRIORITIES)}"
            )
        updates = {
            name: getattr(self, name)
            for name in ("min_fte", "min_level", "skills", "priority")
            if getattr(self, name) is not None
        }
        found = False
        requirements = []
        for r in dataset.requirements:
            if r.operator_id == self.operator_id and r.role == self.role:
                r, found = replace(r, **updates), True
            requirements.append(r)
        if not found:
            if self.min_fte is None:
                raise ChangeError(
                    "role",
                    f"{self.operator_id} has no {self.role} requirement; give min_fte to add one",
                )
            requirements.append(Requirement(self.operator_id, self.role, **updates))
        return replace(dataset, requirements=tuple(requirements))

    def describe(self) -> str:
        updates = ", ".join(
            f"{name} {_plain(getattr(self, name))}"
            for name in ("min_fte", "min_level", "skills", "priority")
            if getattr(self, name) is not None
        )
        return f"{self.operator_id} {self.role} requirement: {updates}"


@dataclass(frozen=True)
class DemandScales:
    """Demand grows or shrinks: `min_fte` of requirements and `fte` of requests times `factor`.

    The filter by role and operator keeps it to one department or one client. A
    gap is what `min_fte` exceeds the staff present, so scaling `min_fte` by 1.2
    adds 20% of the requirement to every gap, not 20% of the gap.
    """

    kind: ClassVar[str] = "demand_scales"
    factor: float
    role: str | None = None
    operator_id: str | None = None

    def apply(self, dataset: Dataset) -> Dataset:
        if not (self.factor >= 0 and math.isfinite(self.factor)):
            raise ChangeError("factor", f"{self.factor} must be a number >= 0")
        if self.role is not None:
            check_role(self.role)
        if self.operator_id is not None:
            _check_operator(dataset, self.operator_id)

        def matches(record: Requirement | Request) -> bool:
            return (self.role is None or record.role == self.role) and (
                self.operator_id is None or record.operator_id == self.operator_id
            )

        requirements = tuple(
            replace(r, min_fte=round(r.min_fte * self.factor, 3)) if matches(r) else r
            for r in dataset.requirements
        )
        requests = tuple(
            replace(r, fte=round(r.fte * self.factor, 3)) if matches(r) else r
            for r in dataset.requests
        )
        requests = tuple(r for r in requests if r.fte > 0)
        return replace(dataset, requirements=requirements, requests=requests)

    def describe(self) -> str:
        scope = " ".join(x for x in (self.operator_id, self.role) if x) or "all"
        return f"demand of {scope} × {self.factor:g}"


Change = (
    SpecialistLeaves
    | SpecialistLeave
    | SpecialistJoins
    | StaffLeaves
    | StaffAbsent
    | StaffJoins
    | OperatorLeaves
    | OperatorJoins
    | RequirementChanges
    | DemandScales
)
CHANGE_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (
        SpecialistLeaves,
        SpecialistLeave,
        SpecialistJoins,
        StaffLeaves,
        StaffAbsent,
        StaffJoins,
        OperatorLeaves,
        OperatorJoins,
        RequirementChanges,
        DemandScales,
    )
}


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ChangeError("end", f"{end} is before start {start}")


def _check_absence_kind(kind: str) -> None:
    if kind not in ABSENCE_KINDS:
        raise ChangeError("absence_kind", f"{kind!r} is not one of {', '.join(ABSENCE_KINDS)}")


def check_role(role: str, field_name: str = "role") -> None:
    if role not in ROLES:
        raise ChangeError(field_name, f"{role!r} is not one of {', '.join(ROLES)}")


def _plain(value: Any) -> str:
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value) or "none"
    return str(value)


def describe(changes: Sequence[Change]) -> list[str]:
    return [change.describe() for change in changes]
