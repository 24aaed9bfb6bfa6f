"""The What-if screen under AppTest: build "SP003 leaves", compare, save, simulate, advise;
the confirmed bookings it plans with, or ignores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import streamlit as st

from planner import services
from planner.accounts.access import LOCAL_ADMIN
from planner.data import storage
from planner.data.db import session_scope
from tests.app.test_app import database, logged_in, open_page, texts

PAGE = "app_pages/whatif.py"

__all__ = ["database"]


@pytest.fixture
def seeded(database: str) -> Iterator[str]:
    """The seeded database, with the app's cached engine forgotten before and after.

    `st.cache_resource` outlives an AppTest run: the app's screens tested before
    would otherwise leave an engine on their own database in the cache.
    """
    st.cache_resource.clear()
    st.cache_data.clear()
    yield database
    st.cache_resource.clear()
    st.cache_data.clear()


def test_what_if_sp003_leaves_end_to_end(seeded: str) -> None:
    database = seeded
    at = logged_in(database)
    at.default_timeout = 120
    open_page(at, PAGE)
    assert at.title[0].value == "What-if"

    at.selectbox(key="whatif_specialist_leaves_specialist").set_value("SP003")
    at.date_input(key="whatif_specialist_leaves_on").set_value(date(2027, 2, 1))
    at.button(key="whatif_add_specialist_leaves_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "SP003 leaves on 2027-02-01" in texts(at.markdown)

    at.text_input(key="whatif_name").set_value("SP003 leaves in February")
    at.button(key="whatif_save").click().run()
    assert services.scenario_names(actor=LOCAL_ADMIN, engine=services.get_engine(database)) == [
        "SP003 leaves in February"
    ]

    at.checkbox(key="whatif_full").uncheck()
    at.button(key="whatif_compare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [m.label for m in at.metric]
    assert {"Critical cover", "High cover", "Normal cover", "Handovers", "Cost"} <= set(labels)
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert any("Cover by priority" in spec for spec in specs)
    assert any("Gaps that appear" in spec for spec in specs)
    comparison = at.session_state["whatif_result"]
    assert comparison.scenario == "SP003 leaves in February"
    # the scenario can only lose cover: SP003 is gone for four of the eight weeks
    assert (comparison.by_priority.delta_covered <= 0).all()

    at.number_input(key="whatif_runs").set_value(3)
    at.button(key="whatif_simulate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    simulation = at.session_state["whatif_simulation"]
    assert len(simulation.outcomes) == 3
    assert any("sampled futures" in chart.proto.spec for chart in at.get("plotly_chart"))

    at.number_input(key="whatif_advice_weeks").set_value(4)
    at.number_input(key="whatif_advice_futures").set_value(2)
    at.number_input(key="whatif_max_hires").set_value(1)
    at.button(key="whatif_advise").click().run()
    assert not at.exception, [e.value for e in at.exception]
    answer = at.session_state["whatif_advice"]
    assert len(answer.hires) <= 1
    assert answer.futures == 2
    assert any(
        "Cover in the bad future of 2 (P10 of cover: reached in 90% of futures)" in chart.proto.spec
        for chart in at.get("plotly_chart")
    )
    # every table on the three tabs has headers people read, not field names
    headers = [str(c) for table in at.dataframe for c in table.value.columns]
    assert "Share of futures" in headers
    assert "Bad future (P10)" in headers
    assert not [h for h in headers if "_" in h], headers


def test_a_saved_scenario_loads_back(seeded: str) -> None:
    database = seeded
    engine = services.get_engine(database)
    scenario = services.read_scenario_file(path="data/scenarios/sp003_leaves.yaml")
    services.save_scenario(actor=LOCAL_ADMIN, scenario=scenario, engine=engine)
    at = logged_in(database)
    open_page(at, PAGE)
    at.selectbox(key="whatif_saved").set_value(scenario.name).run()
    at.button(key="whatif_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_input(key="whatif_name").value == scenario.name
    assert "SP003 leaves on 2027-04-01" in texts(at.markdown)


def test_what_if_says_which_pins_it_keeps_and_can_ignore_them(
    seeded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = services.get_engine(seeded)
    _, plan = services.latest_plan(actor=LOCAL_ADMIN, engine=engine)
    last = plan.horizon.mondays[-1]
    with session_scope(engine) as session:  # pin the last week of the newest run
        storage.pin_plan(session=session, plan=plan, weeks=(last, last))
    planned_with: list[tuple] = []

    def whatif(*, dataset, **_):  # the pins the screen plans with, and no solve
        planned_with.append(dataset.pinned)
        raise services.DatasetError([services.Problem("scenario", None, None, "not planned")])

    monkeypatch.setattr(services, "whatif", whatif)
    try:
        at = logged_in(seeded)
        open_page(at, PAGE)
        assert "confirmed bookings in week" in texts(at.info)
        assert "Every tab below plans with them" in texts(at.info)
        at.selectbox(key="whatif_specialist_leaves_specialist").set_value("SP003")
        at.button(key="whatif_add_specialist_leaves_submit").click().run()
        at.button(key="whatif_compare").click().run()
        assert planned_with[-1] == services.stored_dataset(actor=LOCAL_ADMIN, engine=engine).pinned
        assert planned_with[-1]

        at.checkbox(key="whatif_ignore_pins").check().run()
        assert "Confirmed bookings ignored" in texts(at.warning)
        at.button(key="whatif_compare").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert planned_with[-1] == ()
    finally:
        services.release_pins(actor=LOCAL_ADMIN, first_week=last, last_week=last, engine=engine)
