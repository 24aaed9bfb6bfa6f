"""Row-level edits of the stored dataset, each made only against the version the editor
loaded.

An update or delete names the row's id and the version it was read at; when
somebody else saved the row in between, nothing matches and the caller is told
(False), so a concurrent change is refused by name instead of overwritten. The
caller owns the transaction: one refused row rolls back the whole save.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session

from planner.data.models import DATASET_TABLES
from planner.data.storage import record_values


def add_row(*, session: Session, table: str, record: Any) -> None:
    """A new row at the end of `table` (ids grow, so it comes last in file order)."""
    session.add(DATASET_TABLES[table](**record_values(record)))


def update_row(*, session: Session, table: str, row_id: int, version: int, record: Any) -> bool:
    """Write `record` over row `row_id` if it is still at `version`; True if it was."""
    model = DATASET_TABLES[table]
    done = session.exec(
        update(model)
        .where(model.id == row_id, model.version == version)
        .values(**record_values(record), version=model.version + 1)
    )
    return done.rowcount == 1


def delete_row(*, session: Session, table: str, row_id: int, version: int) -> bool:
    """Delete row `row_id` if it is still at `version`; True if it was."""
    model = DATASET_TABLES[table]
    done = session.exec(delete(model).where(model.id == row_id, model.version == version))
    return done.rowcount == 1
