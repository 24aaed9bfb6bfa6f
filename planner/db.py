"""One engine per database URL (`PLANNER_DATABASE_URL`, or a SQLite file by default),
always at the newest schema: the first use of an engine runs the Alembic migrations.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, event, inspect
from sqlmodel import Session, create_engine

import planner.models  # noqa: F401  (registers the tables on SQLModel.metadata)

DATABASE_URL_VARIABLE = "PLANNER_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
"""The schema of the release before migrations existed (tables made by `create_all`)."""


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
    """The engine for `url` (default: from the environment), its schema upgraded to the newest."""
    return _engine_for(url or database_url())


def make_engine(url: str) -> Engine:
    """A new engine with the planner's connection settings, schema untouched."""
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@cache
def _engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process: engines own connection pools."""
    engine = make_engine(url)
    upgrade(engine)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(connection=None):
    """Alembic's configuration for the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision`, keeping its data.

    A database of the release before migrations has the tables but no
    `alembic_version`: it is recorded as revision 1 first, then upgraded.
    """
    from alembic import command

    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        config = alembic_config(connection)
        if "operators" in tables and "alembic_version" not in tables:
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


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


@contextmanager
def snapshot_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A read-only session whose queries all see the same committed data.

    A plan must not mix tables read before and after somebody's save.
    PostgreSQL gets a REPEATABLE READ transaction; SQLite a transaction opened
    with an explicit BEGIN (its driver would otherwise run each SELECT alone).
    """
    engine = engine or get_engine()
    with Session(engine) as session:
        if engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN")
        else:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
        finally:
            session.rollback()
