"""What-if, second tab: sample turnover futures (resignations, refills, sickness, the
vendor's own leavers), plan each, and show the spread of cover."""

import streamlit as st

from app_pages.whatif_changes import WhatIfBase
from planner import services
from planner.services import ROLES, whatif_reports


def show(base: WhatIfBase) -> None:
    actor, dataset = base.actor, base.dataset
    default_start, default_weeks = base.start, base.weeks
    with st.form("whatif_risk_form"):
        st.markdown(
            "**Sample futures**: operators' people resign at these annual rates and "
            "are replaced after a delay, people fall sick, the vendor's own "
            "specialists leave. Each future is planned for cover."
        )
        cols = st.columns(4)
        runs = cols[0].number_input("Futures", 1, 500, 20, key="whatif_runs")
        seed = cols[1].number_input("Seed", 0, 10**9, 1, key="whatif_seed")
        vendor = cols[2].number_input(
            "Vendor attrition / year", 0.0, 0.9, 0.10, 0.05, key="whatif_vendor"
        )
        sick = cols[3].number_input(
            "Extra sick spells / person-year", 0.0, 10.0, 0.5, 0.5, key="whatif_sick"
        )
        cols = st.columns(4)
        rates = {
            role: cols[k].number_input(
                f"{role.capitalize()} attrition / year",
                0.0,
                0.9,
                0.15,
                0.01,
                key=f"whatif_rate_{role}",
            )
            for k, role in enumerate(ROLES)
        }
        refill = cols[3].slider("Refill delay (weeks)", 0, 26, (4, 12), key="whatif_refill")
        simulate = st.form_submit_button(
            "Simulate", type="primary", icon=":material/casino:", key="whatif_simulate"
        )
    if simulate:
        bar = st.progress(0.0, text="Sampling futures...")

        def show_runs(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"{done} of {total} futures planned")

        st.session_state["whatif_simulation"] = services.simulate_turnover(
            actor=actor,
            dataset=dataset,
            start=st.session_state.get("whatif_start", default_start),
            weeks=int(st.session_state.get("whatif_weeks", default_weeks)),
            runs=int(runs),
            seed=int(seed),
            attrition=rates,
            refill_weeks=tuple(refill),
            sick_episodes=float(sick),
            vendor_attrition=float(vendor),
            workers=1,
            progress=show_runs,
        )
        bar.empty()
    simulation = st.session_state.get("whatif_simulation")
    if simulation is not None:
        left, right = st.columns(2)
        left.metric(
            "Chance some critical demand goes uncovered", f"{100 * simulation.p_critical_gap:.0f}%"
        )
        right.metric(
            "Chance of more uncovered critical demand than the base plan",
            f"{100 * simulation.p_critical_worse:.0f}%",
        )
        percent = st.column_config.NumberColumn(format="%.1f%%")
        st.dataframe(
            whatif_reports.percentile_table(simulation),
            hide_index=True,
            width="stretch",
            key="whatif_percentiles",
            column_config={
                "Base plan": percent,
                whatif_reports.BAD_FUTURE: percent,
                whatif_reports.MIDDLE_FUTURE: percent,
                whatif_reports.GOOD_FUTURE: percent,
            },
        )
        st.caption(
            "Cover by priority over the sampled futures. Percentiles are of cover: the bad "
            f"future is {whatif_reports.percentile_meaning(10)}; the advice tab's "
            "target is judged in the same bad future."
        )
        left, right = st.columns(2)
        left.plotly_chart(whatif_reports.cover_distribution(simulation), key="whatif_box")
        right.plotly_chart(whatif_reports.critical_histogram(simulation), key="whatif_hist")
        st.plotly_chart(
            whatif_reports.exposed_bars(simulation, dataset=dataset), key="whatif_exposed"
        )
        st.dataframe(
            whatif_reports.exposed_table(simulation, dataset),
            hide_index=True,
            width="stretch",
            key="whatif_exposed_table",
            column_config={
                "Client": st.column_config.TextColumn(width="medium"),
                "Share of futures": st.column_config.NumberColumn(format="%d%%"),
                "Mean uncovered (FTE-weeks)": st.column_config.NumberColumn(format="%.1f"),
            },
        )
