"""Shared fixtures: a database engine per backend (SQLite always, PostgreSQL when given)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import MetaData

from planner.data.db import make_engine, upgrade

POSTGRES_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI") == "true"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def drop_everything(engine) -> None:
    """Every table the database has, whatever revision made it (alembic_version too)."""
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path):
    """An empty database on each backend in turn, with no schema at all.

    PostgreSQL runs when PLANNER_TEST_POSTGRES_URL names a server; `.ci/run`
    starts one, and under CI a missing server fails the run instead of skipping.
    """
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'planner.db'}"
    else:
        if not POSTGRES_URL:
            if IN_CI:
                pytest.fail("CI=true but PLANNER_TEST_POSTGRES_URL is not set")
            pytest.skip("set PLANNER_TEST_POSTGRES_URL to run the PostgreSQL tests")
        url = POSTGRES_URL
    engine = make_engine(url)
    drop_everything(engine)
    yield engine
    drop_everything(engine)
    engine.dispose()


@pytest.fixture
def engine(empty_engine):
    """A database migrated to the newest schema, as the app and the CLI get it."""
    upgrade(empty_engine)
    return empty_engine
