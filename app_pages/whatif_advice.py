"""What-if, third tab: the fewest hires (and the training moves) that reach a cover target
in a bad sampled future."""

import streamlit as st

from app_pages import common
from app_pages.whatif_changes import WhatIfBase
from planner import services
from planner.services import PRIORITIES, ROLES, whatif_reports


def show(base: WhatIfBase) -> None:
    actor, dataset = base.actor, base.dataset
    default_start, default_weeks = base.start, base.weeks
    with st.form("whatif_advice_form"):
        st.markdown(
            "**Hires and training** that reach a cover target in a bad future. Every "
            "recommendation is measured by planning the sampled futures with it."
        )
        cols = st.columns(4)
        role_choice = cols[0].selectbox(
            "Role", ("all roles", *ROLES), index=3, key="whatif_advice_role"
        )
        critical = cols[1].number_input(
            "Critical target %", 0.0, 100.0, 100.0, 1.0, key="whatif_target_critical"
        )
        high = cols[2].number_input(
            "High target %", 0.0, 100.0, 95.0, 1.0, key="whatif_target_high"
        )
        percentile = cols[3].number_input(
            "Reached in % of futures",
            50,
            100,
            90,
            5,
            key="whatif_percentile",
            help="The target must hold in the cover reached in this share of the futures: "
            "90 is the bad future of the turnover tab, P10 of cover (only 10% of futures "
            "do worse).",
        )
        cols = st.columns(4)
        advice_start = cols[0].date_input(
            "Start (a Monday)", value=default_start, format="YYYY-MM-DD", key="whatif_advice_start"
        )
        advice_weeks = cols[1].number_input(
            "Weeks", 1, 104, min(default_weeks, 13), key="whatif_advice_weeks"
        )
        futures = cols[2].number_input("Futures", 1, 100, 10, key="whatif_advice_futures")
        max_hires = cols[3].number_input("Most hires", 0, 20, 5, key="whatif_max_hires")
        ask = st.form_submit_button(
            "Advise", type="primary", icon=":material/lightbulb:", key="whatif_advise"
        )
    if ask:
        status = st.status("Searching for hires...", expanded=False)

        def show_step(message: str) -> None:
            status.update(label=message)

        try:
            st.session_state["whatif_advice"] = services.advise_staffing(
                actor=actor,
                dataset=dataset,
                start=advice_start,
                weeks=int(advice_weeks),
                futures=int(futures),
                seed=int(st.session_state.get("whatif_seed", 1)),
                target={"critical": critical / 100, "high": high / 100},
                percentile=int(percentile),
                role=None if role_choice == "all roles" else role_choice,
                max_hires=int(max_hires),
                progress=show_step,
            )
            status.update(label="Advice ready", state="complete")
        except services.DatasetError as error:
            status.update(label="No advice", state="error")
            common.show_problems(error.problems, "The advice did not run")
    answer = st.session_state.get("whatif_advice")
    if answer is not None:
        (st.success if answer.target_met else st.warning)(whatif_reports.advice_headline(answer))
        st.plotly_chart(whatif_reports.advice_bars(answer), key="whatif_advice_chart")
        st.dataframe(
            whatif_reports.advice_table(answer),
            hide_index=True,
            width="stretch",
            key="whatif_advice_table",
            column_config={
                "Action": st.column_config.TextColumn(width=70),
                "Recommendation": st.column_config.TextColumn(width="medium"),
                **{
                    whatif_reports.gain_header(p): st.column_config.NumberColumn(
                        width=100, help="FTE-weeks of cover it adds per future", format="%.1f"
                    )
                    for p in PRIORITIES
                },
                "Why": st.column_config.TextColumn(width="large"),
            },
        )
        for note in answer.notes:
            st.caption(note)
