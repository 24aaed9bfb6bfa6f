"""The database itself, for the people who run the server: bring its schema up to date and,
for developers, write the next migration."""

from __future__ import annotations

from pathlib import Path

from planner.data.db import current_revision, database_url, get_engine, new_revision

__all__ = ["new_migration", "upgrade_database"]


def upgrade_database() -> tuple[str, str | None]:
    """Migrate the configured database to the newest schema, keeping its data (opening it
    does that); where it is (password hidden) and the revision it is now at."""
    engine = get_engine()
    return (
        engine.url.render_as_string(hide_password=True) or database_url(),
        current_revision(engine),
    )


def new_migration(*, message: str) -> Path:
    """Write the next migration from the change to the tables in `planner.data.models`."""
    return new_revision(message)
