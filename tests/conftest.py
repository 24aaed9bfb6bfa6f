"""Shared fixtures: a database engine per backend (SQLite always, PostgreSQL when given)."""

from __future__ import annotations

import os

import pytest
from sqlmodel import SQLModel, create_engine

POSTGRES_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI") == "true"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """An empty database with the planner's tables, on each backend in turn.

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
    engine = create_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    SQLModel.metadata.drop_all(engine)
    engine.dispose()
