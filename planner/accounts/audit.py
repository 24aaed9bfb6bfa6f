"""The audit trail: who imported, edited, planned, confirmed or filed what, and when.

`record` adds a row to the caller's database session, so it commits or rolls
back together with the change it describes. Values are stored as JSON: dates as
ISO text, tuples as lists.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from planner.accounts.access import Actor
from planner.data.models import AuditRow

ACTIONS = (
    "import",
    "edit",
    "add",
    "delete",
    "plan",
    "confirm",
    "release",
    "file request",
    "user add",
    "user disable",
    "login",
    "login failed",
)
LOGIN_ACTIONS = ("login", "login failed")  # on record, but they change nothing


def jsonable(value: Any) -> Any:
    """`value` as plain JSON: dataclasses and rows become dicts, dates ISO text."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    elif hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(
    *,
    session: Session,
    actor: Actor | str,
    action: str,
    entity: str,
    entity_id: str | None = None,
    operator_id: str | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditRow:
    """Add one entry; `actor` is the acting user, or just a name (a failed login)."""
    username = actor if isinstance(actor, str) else actor.username
    row = AuditRow(
        username=username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        operator_id=operator_id,
        before=None if before is None else jsonable(before),
        after=None if after is None else jsonable(after),
    )
    session.add(row)
    return row


def entries(
    *,
    session: Session,
    operator_id: str | None = None,
    username: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    action: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    logins: bool = True,
    limit: int = 1000,
) -> list[AuditRow]:
    """The newest entries first, filtered by whatever is given; without `logins`, no
    logins or failed logins (before the limit, so they take none of it)."""
    query = select(AuditRow)
    if operator_id:
        query = query.where(AuditRow.operator_id == operator_id)
    if username:
        query = query.where(AuditRow.username == username)
    if action:
        query = query.where(AuditRow.action == action)
    if entity:
        query = query.where(AuditRow.entity == entity)
    if entity_id:
        query = query.where(AuditRow.entity_id == entity_id)
    if not logins:
        query = query.where(col(AuditRow.action).not_in(LOGIN_ACTIONS))
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if until is not None:
        query = query.where(AuditRow.at < until)
    return list(session.exec(query.order_by(col(AuditRow.id).desc()).limit(limit)))


def change_mark(*, session: Session) -> tuple[int, int]:
    """How many entries record a change, and the newest one's id: every change writes its
    entry in its own transaction, so this pair moves whenever the stored data does (the
    count catches a transaction that took an older id but committed later)."""
    count, newest = session.exec(
        select(func.count(), func.max(AuditRow.id)).where(
            col(AuditRow.action).not_in(LOGIN_ACTIONS)
        )
    ).one()
    return int(count or 0), int(newest or 0)
