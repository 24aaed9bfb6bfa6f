"""What several service areas share: problems about values a user typed, and the engine a
call works on."""

from __future__ import annotations

from planner.data.db import Engine, get_engine
from planner.data.problems import DatasetError, Problem


def engine_or_default(engine: Engine | None) -> Engine:
    """The engine a caller passed (tests, the app's cached one), else the configured one."""
    return engine or get_engine()


def option_problem(option: str, message: str) -> Problem:
    """A problem with a value the user gave (an option or a choice), not a file's cell."""
    return Problem(option, None, None, message)


def refused(option: str, message: str) -> DatasetError:
    """One problem with a value the user gave, ready to raise."""
    return DatasetError([option_problem(option, message)])


def no_plan_run(run_id: int) -> DatasetError:
    return refused("plan run", f"no plan run {run_id}")


def no_rota_run(run_id: int) -> DatasetError:
    return refused("rota run", f"no rota run {run_id}")
