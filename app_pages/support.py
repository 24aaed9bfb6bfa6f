"""Our incident support, for an operator user: the hours its SLA promises, who is on duty
for it hour by hour, and its gaps with their reasons.

What it shows comes scoped from the services: the duty of the specialists who can answer
for this operator and its own gaps; never other clients, rates or costs.
"""

import streamlit as st

from app_pages import common
from planner.services import OPERATOR, reports

st.title("Our incident support")
actor = common.require_actor(OPERATOR)
operator_id = actor.operator_id
assert operator_id is not None  # an operator user is bound to its operator

latest = common.latest_rota()
if latest is None:
    common.no_rota_yet()
    st.stop()
run_id, rota = latest
dataset = common.stored_dataset()
names = common.rota_names(run_id)
zone = next((o.timezone for o in dataset.operators if o.operator_id == operator_id), "UTC")
st.caption(f"{reports.rota_caption(rota, run_id)} · times in {zone}, your time zone")

figures = reports.support_figures(dataset, rota, operator_id)
columns = st.columns(3)
columns[0].metric(
    "Promised hours",
    reports.hours_text(figures.promised_hours),
    help="Hours your SLA promises incident support in, over the rota's weeks.",
    border=True,
)
columns[1].metric(
    "Covered",
    reports.percent(figures.share_covered) or "–",
    help=f"{reports.hours_text(figures.covered_hours)} of the promised hours have someone on "
    "duty who can answer your incidents in time.",
    border=True,
)
columns[2].metric(
    "Gaps",
    reports.count(figures.gaps),
    help=f"{reports.hours_text(figures.gap_hours)} promised and not covered; the reasons are "
    "below.",
    border=True,
)

week = st.selectbox(
    "Week",
    reports.rota_weeks(rota),
    key="support_week",
    format_func=lambda k: reports.rota_week_label(rota, k),
)
week = week if week is not None and week < rota.params.weeks else 0
st.plotly_chart(reports.sla_heatmap(dataset, rota, week, zone), width="stretch", key="support_sla")

st.subheader("Who is on duty for you")
st.caption("Hour by hour in your time, runs of hours alike together.")
st.dataframe(
    reports.on_duty_frame(dataset, rota, operator_id, week, names),
    hide_index=True,
    width="stretch",
    column_config={
        "From": st.column_config.TextColumn(width=150),
        "To": st.column_config.TextColumn(width=150),
        "Hours": st.column_config.NumberColumn(width=60),
        "Support": st.column_config.TextColumn(width=110),
        "On duty": st.column_config.TextColumn(width=500),
    },
)

st.subheader("Gaps and why")
gaps = reports.own_gaps_frame(dataset, rota, operator_id, names)
if gaps.empty:
    st.success("Every promised hour has someone on duty who can answer in time.")
else:
    st.dataframe(
        gaps,
        hide_index=True,
        width="stretch",
        column_config={
            "Start (local)": st.column_config.TextColumn(width=150),
            "End (local)": st.column_config.TextColumn(width=150),
            "Hours": st.column_config.NumberColumn(width=60),
            "Reason": st.column_config.TextColumn(width=600),
            "Start (UTC)": st.column_config.TextColumn(width=150),
            "End (UTC)": st.column_config.TextColumn(width=150),
        },
    )
