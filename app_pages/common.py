"""What every screen shares: the engine, cached reads of the stored data, labels, messages.

Reads are cached with `st.cache_data` and cleared by `data_changed()` after any
write, so every page sees the same dataset and latest plan without asking the
database on each rerun.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from planner import reports, services
from planner.dataset import Dataset, Problem
from planner.plan import Plan

RUNS_PAGE = "app_pages/runs.py"


@st.cache_resource(show_spinner=False)
def engine():
    """The engine for the database `PLANNER_DATABASE_URL` names (SQLite file by default)."""
    return services.get_engine()


@st.cache_resource(show_spinner=False)
def seed_demo() -> bool:
    """Load the demo data and plan it when the database is empty; once per process."""
    return services.ensure_demo(engine=engine())


@st.cache_data(show_spinner=False)
def stored_dataset() -> Dataset:
    return services.stored_dataset(engine=engine())


@st.cache_data(show_spinner=False)
def latest_plan() -> tuple[int, Plan] | None:
    """The newest run's id and plan: what the overview, timeline and quotes answer from."""
    return services.latest_plan(engine=engine())


@st.cache_data(show_spinner=False)
def stored_plan(run_id: int) -> Plan | None:
    return services.stored_plan(run_id=run_id, engine=engine())


@st.cache_data(show_spinner=False)
def plan_runs() -> pd.DataFrame:
    return reports.runs_frame(services.plan_runs(engine=engine()))


@st.cache_data(show_spinner=False)
def plan_files(run_id: int) -> dict[str, bytes]:
    """A run's plan.csv, uncovered.csv and Excel workbook, built once per run."""
    plan = stored_plan(run_id)
    assert plan is not None
    return {"plan": reports.plan_csv(plan), "uncovered": reports.uncovered_csv(plan),
            "workbook": reports.plan_workbook(plan)}


@st.cache_data(show_spinner=False)
def dataset_zip() -> bytes:
    """The stored dataset as a zip of the contract's CSV files."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        paths = services.export_dataset(folder=folder, engine=engine())
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=Path(path).name)
    return buffer.getvalue()


@st.cache_data(show_spinner=False)
def dataset_xlsx() -> bytes:
    """The stored dataset as one workbook, a sheet per file."""
    with tempfile.TemporaryDirectory() as folder:
        path = services.dataset_workbook(dataset=stored_dataset(),
                                         path=Path(folder) / "dataset.xlsx")
        return Path(path).read_bytes()


def data_changed() -> None:
    """Forget every cached read: call after any write to the database."""
    st.cache_data.clear()


def week_label(monday: date) -> str:
    return reports.week_label(monday)


def escape_markdown(text: str) -> str:
    """User data and messages shown literally: `*`, `_`, `$`, `<` are not markup here."""
    for char in "\\`*_[]<>#|~$":
        text = text.replace(char, "\\" + char)
    return text


def show_problems(problems: Iterable[Problem | str], headline: str) -> None:
    """Every problem, one per line, under a headline that says what did not happen."""
    lines = [escape_markdown(str(p)) for p in problems]
    st.error(f"**{headline}** ({len(lines)} problem{'s' if len(lines) != 1 else ''})\n\n"
             + "  \n".join(lines), icon=":material/error:")


def no_plan_yet() -> None:
    st.info("There is no plan yet. Run the planner first.", icon=":material/info:")
    st.page_link(RUNS_PAGE, label="Go to Plan runs", icon=":material/play_circle:")


def require_plan() -> tuple[int, Plan, Dataset]:
    """The latest run, its plan and the stored data; stops the page with a hint if none."""
    latest = latest_plan()
    if latest is None:
        no_plan_yet()
        st.stop()
    run_id, plan = latest
    return run_id, plan, stored_dataset()


def plan_caption(run_id: int, plan: Plan) -> str:
    last = plan.horizon.mondays[-1]
    return (f"Plan run #{run_id} · {plan.weeks} weeks from {week_label(plan.start)} to "
            f"{week_label(last)} · {plan.status.lower()} · max time-zone gap "
            f"{plan.max_tz_gap:g} h")
