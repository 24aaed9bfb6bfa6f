"""The on-call rota in the app under AppTest: a manager runs a short rota and reads it, the
Overview gives its headline, and an operator user sees its own incident support only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planner import services
from tests.app.test_app import MANAGER, OP0012, database, logged_in, open_page, texts

ROTA = "app_pages/rota.py"
SUPPORT = "app_pages/support.py"
OVERVIEW = "app_pages/overview.py"
START = date(2027, 1, 11)  # a week of working days: the 8x5 clients have promised hours
TIME_LIMIT = 3.0

__all__ = ["database"]


@pytest.fixture
def seeded(database: str) -> Iterator[str]:
    """The seeded database, with the app's cached engine and reads forgotten before and after
    (`st.cache_resource` outlives an AppTest run)."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield database
    st.cache_resource.clear()
    st.cache_data.clear()


def run_rota(at: AppTest) -> AppTest:
    open_page(at, ROTA)
    at.date_input(key="rota_start").set_value(START)
    at.number_input(key="rota_weeks").set_value(1)
    at.number_input(key="rota_time_limit").set_value(TIME_LIMIT)
    at.button(key="rota_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def downloads(at: AppTest) -> dict[str, object]:
    return {element.proto.label: element.proto for element in at.get("download_button")}


def test_a_manager_runs_a_rota_and_reads_it(seeded: str) -> None:
    at = run_rota(logged_in(seeded))
    assert "covered" in texts(at.success)
    assert {
        "Promised hours covered",
        "Of the proven bound",
        "Gaps",
        "Shifts",
        "Most off-work hours",
        "Cover time reserved",
    } <= {m.label for m in at.metric}
    duty, sla = (chart.proto.spec for chart in at.get("plotly_chart"))
    assert "(SP001)" in duty
    assert "at-work duty" in duty
    assert "(OP0001)" in sla
    gaps, fairness = at.dataframe[-2].value, at.dataframe[-1].value
    assert list(gaps["Hours"]) == sorted(gaps["Hours"], reverse=True)
    assert {"Night hours", "Weekend hours", "Off-work hours"} <= set(fairness.columns)
    files = downloads(at)
    assert "All calendars (zip)" in files
    assert any(label.endswith(".ics") for label in files)

    at.selectbox(key="rota_zone").set_value("Asia/Vladivostok").run()
    assert not at.exception
    assert "Vladivostok" in at.get("plotly_chart")[0].proto.spec  # JSON writes "\\/"


def test_the_rota_run_is_kept_and_can_be_confirmed(seeded: str) -> None:
    engine = services.get_engine(seeded)
    at = run_rota(logged_in(seeded))
    runs = services.rota_runs(actor=MANAGER, engine=engine)
    assert f"Rota run #{runs[0].id} recorded" in texts(at.success)
    assert at.selectbox(key="rota_run").value == runs[0].id
    at.button(key="rota_confirm").click().run()
    assert not at.exception
    assert f"Rota run #{runs[0].id} confirmed" in texts(at.success)
    assert services.rota_runs(actor=MANAGER, engine=engine)[0].confirmed


def test_the_overview_gives_the_rota_s_headline(seeded: str) -> None:
    at = run_rota(logged_in(seeded))
    open_page(at, OVERVIEW)
    assert "Incident support: covered" in texts(at.markdown)
    assert "promised hours" in texts(at.markdown)


def test_an_operator_user_sees_its_own_incident_support_only(seeded: str) -> None:
    engine = services.get_engine(seeded)
    dataset = services.stored_dataset(actor=MANAGER, engine=engine)
    rota = services.plan_rota(
        actor=MANAGER,
        dataset=dataset,
        params=services.rota_params(start=START, weeks=1),
        time_limit=TIME_LIMIT,
    )
    run_id = services.record_rota(actor=MANAGER, rota=rota, engine=engine)
    own = services.stored_rota(actor=OP0012, run_id=run_id, engine=engine)
    on_duty = {shift.specialist_id for shift in own.shifts}
    at = logged_in(seeded, "op0012")
    open_page(at, SUPPORT)
    assert at.title[0].value == "Our incident support"
    assert {"Promised hours", "Covered", "Gaps"} <= {m.label for m in at.metric}
    spec = at.get("plotly_chart")[0].proto.spec
    assert "(OP0012)" in spec
    shown = "\n".join(
        [
            spec,
            texts(at.markdown),
            texts(at.caption),
            texts(at.metric),
            *(frame.value.to_csv() for frame in at.dataframe),
        ]
    )
    others = [o for o in dataset.operators if o.operator_id != OP0012.operator_id]
    assert not [o.operator_id for o in others if o.operator_id in shown]
    assert not [o.name for o in others if o.name in shown]
    assert "₽" not in shown
    names = [s.name for s in dataset.specialists if s.specialist_id in on_duty]
    assert names
    assert all(name in shown for name in names)  # who is on duty, by name
    strangers = [s.name for s in dataset.specialists if s.specialist_id not in on_duty]
    assert not [name for name in strangers if name in shown]
    assert not downloads(at)


def test_the_support_page_is_not_for_managers(seeded: str) -> None:
    at = logged_in(seeded)
    at.switch_page(SUPPORT).run()
    assert not at.exception
    assert "not available to your account" in texts(at.error)
