"""Small datasets written in a few lines, for tests that need exact, hand-checked numbers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from planner.domain.records import (
    Absence,
    Dataset,
    HistoryEntry,
    Operator,
    Pin,
    Request,
    Requirement,
    Specialist,
    SpecialistAbsence,
    StaffMember,
)

# the repository root, wherever under tests/ a test file sits (app.py, data/demo, README.md)
REPO_ROOT = Path(__file__).resolve().parents[1]
MONDAY = date(2027, 1, 4)


def day(offset: int) -> date:
    """A day counted from the first Monday of the test horizon."""
    return MONDAY + timedelta(days=offset)


def operator(op_id: str = "OP1", tz: str = "Europe/Moscow", **kw) -> Operator:
    return Operator(op_id, kw.pop("name", f"Оператор {op_id}"), tz, **kw)


def requirement(
    op_id: str = "OP1", role: str = "technical", min_fte: float = 1.0, **kw
) -> Requirement:
    return Requirement(op_id, role, min_fte, **kw)


def staff(
    staff_id: str, op_id: str = "OP1", role: str = "technical", fte: float = 1.0, **kw
) -> StaffMember:
    return StaffMember(staff_id, op_id, role, fte, **kw)


def specialist(
    spec_id: str = "SP1",
    roles: str = "technical:3;finance:3;subscriber:3",
    tz: str = "Europe/Moscow",
    **kw,
) -> Specialist:
    parsed = tuple((r.split(":")[0], int(r.split(":")[1])) for r in roles.split(";"))
    skills = tuple(kw.pop("skills", ()))
    return Specialist(
        spec_id, kw.pop("name", f"Специалист {spec_id}"), parsed, tz, skills=skills, **kw
    )


def dataset(
    *,
    operators=(),
    requirements=(),
    staff_members=(),
    absences=(),
    specialists=(),
    specialist_absences=(),
    requests=(),
    history=(),
    pinned=(),
) -> Dataset:
    return Dataset(
        operators=tuple(operators or [operator()]),
        requirements=tuple(requirements),
        staff=tuple(staff_members),
        absences=tuple(absences),
        specialists=tuple(specialists),
        specialist_absences=tuple(specialist_absences),
        requests=tuple(requests),
        history=tuple(history),
        pinned=tuple(pinned),
    )


__all__ = [
    "MONDAY",
    "Absence",
    "HistoryEntry",
    "Pin",
    "Request",
    "SpecialistAbsence",
    "dataset",
    "day",
    "operator",
    "requirement",
    "specialist",
    "staff",
]
