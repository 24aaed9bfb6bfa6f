"""One engine per database URL: `PLANNER_DATABASE_URL`, or a SQLite file by default."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, event
from sqlmodel import Session, SQLModel, create_engine

import planner.models  # noqa: F401  (registers the tables on SQLModel.metadata)

DATABASE_URL_VARIABLE = "PLANNER_DATABASE_URL"


def default_database_path() -> Path:
    """`data/planner.db` in a checkout; the user's data folder for an installed package."""
    checkout_data = Path(__file__).resolve().parents[1] / "data"
    if checkout_data.is_dir() and os.access(checkout_data, os.W_OK):
        return checkout_data / "planner.db"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "cover-planner" / "planner.db"


def database_url() -> str:
    url = os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return url
    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: from the environment), with its tables created."""
    return _engine_for(url or database_url())


@cache
def _engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process: engines own connection pools."""
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    SQLModel.metadata.create_all(engine)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A short session that commits on success and rolls back on any error."""
    with Session(engine or get_engine()) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
