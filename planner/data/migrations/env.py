"""Alembic's entry point: migrate the planner's database to the schema of `planner.models`.

Called from `planner.db.upgrade` with a connection in `config.attributes`, so a
migration runs inside the caller's engine (SQLite file, PostgreSQL, a test's
throwaway database); run by the `alembic` command it uses `PLANNER_DATABASE_URL`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import planner.data.models  # noqa: F401  (registers the tables on SQLModel.metadata)


def _configure(connection) -> None:
    # SQLite cannot ALTER most things in place: batch mode copies the table instead
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from planner.data.db import database_url

    engine = create_engine(database_url())
    try:
        with engine.connect() as own_connection:
            _configure(own_connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run them online")
run_migrations()
