"""What-if: build a scenario from the stored data, compare it with the base plan, sample
turnover risk, and ask for hiring and training advice.

The page entry the navigation points to: it sets the page up and draws the three
tabs, each in its own module (`whatif_scenario`, `whatif_turnover`,
`whatif_advice`); the change forms are in `whatif_changes`.
"""

import streamlit as st

from app_pages import common, whatif_advice, whatif_scenario, whatif_turnover
from app_pages.whatif_changes import WhatIfBase, changes_in_progress
from planner import services
from planner.services import MANAGER, reports

RESULTS = ("whatif_result", "whatif_simulation", "whatif_advice")


def forget_results() -> None:
    """Results planned with the pins (or without) no longer answer once that changes."""
    for key in RESULTS:
        st.session_state.pop(key, None)


st.title("What-if")
st.caption(
    "Lay changes over the stored data and see what they do to the cover: a leaver, "
    "a long absence, a new hire, a lost client. Then sample many possible futures "
    "and ask how many people to hire, and whom to train."
)

actor = common.require_actor(MANAGER)
dataset = common.stored_dataset()
pins = reports.pins_note(dataset.pinned)
if pins:
    # Kept by default: a what-if about the future should keep the promises made to
    # clients. Ignoring them plans as the CLI does on files without pinned.csv.
    ignore = st.checkbox(
        "Ignore confirmed bookings",
        key="whatif_ignore_pins",
        help="Plan the base, the scenario, the futures and the advice as if nothing were "
        "confirmed, as the command line does on files without pinned.csv.",
        on_change=forget_results,
    )
    if ignore:
        dataset = services.without_pins(dataset)
        st.warning(
            "Confirmed bookings ignored: every tab below plans all weeks afresh, "
            "as if nothing were confirmed.",
            icon=":material/lock_open:",
        )
    else:
        st.info(f"{pins} Every tab below plans with them.", icon=":material/push_pin:")
latest = common.latest_plan()
default_start = latest[1].start if latest else services.DEMO_START
default_weeks = latest[1].weeks if latest else services.DEMO_WEEKS
changes = changes_in_progress()
base = WhatIfBase(actor, dataset, default_start, default_weeks)

scenario_tab, risk_tab, advice_tab = st.tabs(
    ["Scenario against the base plan", "Turnover risk", "Hiring and training advice"]
)

with scenario_tab:
    whatif_scenario.show(base, changes)

with risk_tab:
    whatif_turnover.show(base)

with advice_tab:
    whatif_advice.show(base)
