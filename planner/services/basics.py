"""The light words of the services: roles, defaults, problems and dates.

Importing them loads no pandas, solver or database, so the command line can build its
options and `--help` from them in a moment; everything else in `planner.services` is
imported on first use.
"""

from __future__ import annotations

from pathlib import Path

from planner.accounts.roles import ACCOUNT_ROLES, ADMIN, MANAGER, OPERATOR
from planner.data.folders import check_writable
from planner.data.problems import DatabaseBusy, DatasetError, Problem
from planner.domain.dates import DATE_FORMS, parse_day
from planner.domain.defaults import (
    DEFAULT_CALENDAR,
    DEFAULT_MAX_TZ_GAP,
    DEMO_START,
    DEMO_WEEKS,
    PLAN_TIME_LIMIT,
    SCREEN_TIME_LIMIT,
)
from planner.domain.records import PRIORITIES, ROLES

__all__ = [
    "ACCOUNT_ROLES",
    "ADMIN",
    "DATE_FORMS",
    "DEFAULT_CALENDAR",
    "DEFAULT_MAX_TZ_GAP",
    "DEMO_START",
    "DEMO_WEEKS",
    "MANAGER",
    "OPERATOR",
    "PLAN_TIME_LIMIT",
    "PRIORITIES",
    "ROLES",
    "SCREEN_TIME_LIMIT",
    "DatabaseBusy",
    "DatasetError",
    "Problem",
    "check_output_folder",
    "parse_day",
]


def check_output_folder(out: Path | str, option: str = "--out") -> list[Problem]:
    """The problem with an output folder, found before the work that fills it (a solve
    may take minutes; a read-only disk should say so at once)."""
    reason = check_writable(out)
    return [] if reason is None else [Problem(option, None, None, reason)]
