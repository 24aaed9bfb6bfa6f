"""Two changes at once on SQLite: the second waits its turn, and when the first holds the
database too long it is told so in a sentence, its change rolled back whole."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planner import services
from planner.data.db import BUSY_SECONDS_VARIABLE, make_engine, upgrade

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"


@pytest.fixture
def database(tmp_path) -> Path:
    path = tmp_path / "planner.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another program in the middle of a change (another import, the app saving)."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def operators(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM operators").fetchone()[0]


def test_a_change_waits_for_the_other_to_finish(database, monkeypatch):
    monkeypatch.setenv(BUSY_SECONDS_VARIABLE, "20")
    engine = make_engine(f"sqlite:///{database}")
    other = hold_write_lock(database)
    threading.Timer(0.5, lambda: other.execute("ROLLBACK")).start()
    started = time.monotonic()
    services.import_dataset(actor=services.LOCAL_ADMIN, source=DEMO, engine=engine)
    assert time.monotonic() - started >= 0.4
    assert operators(database) == 40
    other.close()
    engine.dispose()


def test_a_change_that_finds_the_database_busy_too_long_says_so(database, monkeypatch):
    monkeypatch.setenv(BUSY_SECONDS_VARIABLE, "0.2")
    engine = make_engine(f"sqlite:///{database}")
    other = hold_write_lock(database)
    try:
        with pytest.raises(services.DatabaseBusy, match="busy with another change; try again"):
            services.import_dataset(actor=services.LOCAL_ADMIN, source=DEMO, engine=engine)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert operators(database) == 0
    engine.dispose()


def test_two_imports_at_once_on_the_command_line_give_a_sentence_not_a_traceback(database):
    other = hold_write_lock(database)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "planner", "import", str(DEMO)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={
                **os.environ,
                "PLANNER_DATABASE_URL": f"sqlite:///{database}",
                BUSY_SECONDS_VARIABLE: "0.3",
            },
            timeout=120,
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.returncode == 1, result.stderr
    assert "the database is busy with another change; try again" in result.stderr
    assert "Traceback" not in result.stderr
    assert operators(database) == 0
