"""The audit trail as managers and admins read it: who changed what, and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from planner.accounts import audit
from planner.accounts.access import MANAGER, Actor, require_role
from planner.data.db import Engine, session_scope, snapshot_scope
from planner.data.models import AuditRow
from planner.services._common import engine_or_default

__all__ = ["audit_trail", "data_version"]


def audit_trail(
    *,
    actor: Actor,
    operator_id: str | None = None,
    username: str | None = None,
    since: date | None = None,
    until: date | None = None,
    action: str | None = None,
    logins: bool = True,
    engine: Engine | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """The audit trail, newest first, filtered (managers and admins); `until` is inclusive."""
    require_role(actor, MANAGER)
    start = datetime.combine(since, time(), tzinfo=UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC) if until else None
    with session_scope(engine_or_default(engine)) as session:
        rows = audit.entries(
            session=session,
            operator_id=operator_id,
            username=username,
            since=start,
            until=end,
            action=action,
            logins=logins,
            limit=limit,
        )
        session.expunge_all()
    return rows


def data_version(*, engine: Engine | None = None) -> str:
    """A mark that changes whenever anything stored changes, by anybody (the app, another
    browser, `planner import` on the server): the app's cached reads are keyed by it.
    It says nothing about the data itself, so any logged-in user may ask."""
    with snapshot_scope(engine_or_default(engine)) as session:
        count, newest = audit.change_mark(session=session)
    return f"{count}.{newest}"
