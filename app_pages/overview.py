"""Overview: how well the current plan covers the clients, and where it does not."""

import streamlit as st

from app_pages import common
from planner.services import MANAGER, reports

st.title("Overview")
common.require_actor(MANAGER)

run_id, plan, dataset = common.require_plan()
head = reports.headline(plan, dataset)
st.caption(common.plan_caption(run_id, plan))

top = st.columns(3)
bottom = st.columns(3)
top[0].metric(
    "Covered",
    f"{head.share_of_demand or 0:.0%}",
    help=f"{reports.fte_weeks(head.covered_units):g} of {reports.fte_weeks(head.demand_units):g} "
    "FTE-weeks of gaps and requests are covered.",
    border=True,
)
top[1].metric(
    "Of the proven optimum",
    f"{head.share_of_bound or 1:.0%}",
    help="Cover as a share of the most any plan can give with these specialists (the proven "
    "bound); 100% means no better plan exists.",
    border=True,
)
top[2].metric(
    "Uncovered FTE-weeks",
    f"{head.uncovered_fte_weeks:g}",
    help="One FTE-week is one person full time for one week.",
    border=True,
)
bottom[0].metric(
    "Handovers",
    f"{head.handovers}",
    help="Distinct (demand, specialist) pairs: each one is a person a client must brief.",
    border=True,
)
bottom[1].metric(
    "Cost",
    reports.money(head.cost),
    help="Hours booked × each specialist's hourly rate.",
    border=True,
)
bottom[2].metric(
    "Specialists' utilisation",
    f"{head.utilisation or 0:.0%}",
    help="Booked hours against the hours specialists can give (absences and "
    "joining/leaving dates counted).",
    border=True,
)

latest_rota = common.latest_rota()
if latest_rota is None:
    st.info(
        "Incident support: there is no on-call rota yet. Run one on the Rota page to see how "
        "many promised hours have someone on duty.",
        icon=":material/support_agent:",
    )
    st.page_link(common.ROTA_PAGE, label="Go to Rota", icon=":material/support_agent:")
else:
    rota_run, rota = latest_rota
    with st.container(border=True):
        st.markdown(f"**{common.escape_markdown(reports.rota_headline_text(rota))}**")
        st.caption(reports.rota_caption(rota, rota_run))

dropped = plan.summary.get("dropped_pins") or []
if dropped:
    st.warning(
        f"{len(dropped)} confirmed booking(s) could not be kept with today's data; "
        "see the Plan runs page.",
        icon=":material/warning:",
    )

st.subheader("Clients most at risk")
risk = reports.clients_at_risk(plan, dataset)
if risk.empty:
    st.success("Every critical and high priority gap is covered.")
else:
    st.caption("Uncovered critical and high priority demand, the worst first.")
    st.dataframe(
        risk,
        hide_index=True,
        width="stretch",
        height=min(400, 38 + 35 * len(risk)),
        column_config={
            "Client": st.column_config.TextColumn(width=250),
            "Critical uncovered (FTE-weeks)": st.column_config.NumberColumn(
                "Critical uncovered", width=125, help="FTE-weeks"
            ),
            "High uncovered (FTE-weeks)": st.column_config.NumberColumn(
                "High uncovered", width=110, help="FTE-weeks"
            ),
            "Weeks affected": st.column_config.NumberColumn("Weeks", width=60),
            "From week": st.column_config.TextColumn(width=130),
            "Main reason": st.column_config.TextColumn(
                width=700, help="Hover a cell for the whole sentence"
            ),
        },
    )

st.subheader("Cover by priority")
st.dataframe(
    reports.priority_frame(plan),
    hide_index=True,
    width="stretch",
    column_config={
        "Of demand": st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100),
        "Of proven optimum": st.column_config.ProgressColumn(
            format="%.1f%%",
            min_value=0,
            max_value=100,
            help="The most any plan can cover with these specialists, as proven by the solver",
        ),
    },
)
st.caption(
    "In FTE-weeks. Critical cover comes first, then high, then normal: no amount of "
    "lower priority cover is worth one unit of higher priority."
)

st.plotly_chart(reports.coverage_heatmap(plan, dataset), width="stretch", key="overview_coverage")
st.caption(
    "Weeks with other than five working days by the production calendar carry their days "
    "(`· 4d`); a dark column labelled holidays is a week without working days: no gap and no "
    "capacity there is the calendar, not the plan. Hover a cell for the week's working days."
)
st.plotly_chart(
    reports.utilisation_heatmap(plan, dataset), width="stretch", key="overview_utilisation"
)
