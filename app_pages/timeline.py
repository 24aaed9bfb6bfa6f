"""Plan timeline: who covers whom, which weeks and how much; what stays uncovered and why.

An operator user sees its own operator only: rows by specialist, no view toggle
and no Operator filter (there is nothing to choose).
"""

import streamlit as st

from app_pages import common
from planner.services import PRIORITIES, ROLES, reports

actor = common.require_actor()
for_operator = actor.operator_id is not None
st.title("Plan timeline" if actor.operator_id is None else "Our cover")

run_id, plan, dataset = common.require_plan()
st.caption(common.plan_caption(run_id, plan))

operators = sorted(
    {a.operator_id for a in plan.assignments} | {u.operator_id for u in plan.uncovered}
)
specialists = sorted({a.specialist_id for a in plan.assignments})
mondays = plan.horizon.mondays

if for_operator:
    view, weeks_column = "By specialist", st.container()
else:
    view_column, weeks_column = st.columns([2, 5])
    view = view_column.radio(
        "Rows", ["By specialist", "By operator"], horizontal=True, key="timeline_view"
    )
first, last = weeks_column.select_slider(
    "Weeks",
    options=mondays,
    value=(mondays[0], mondays[-1]),
    format_func=common.week_label,
    key="timeline_weeks",
)
if for_operator:
    role_column, priority_column, specialist_column = st.columns([1, 1, 2])
else:
    role_column, priority_column, operator_column, specialist_column = st.columns([1, 1, 2, 2])
roles = role_column.multiselect("Role", ROLES, key="timeline_roles", placeholder="All roles")
priorities = priority_column.multiselect(
    "Priority", PRIORITIES, key="timeline_priorities", placeholder="All priorities"
)
chosen_operators = (
    []
    if for_operator
    else operator_column.multiselect(
        "Operator",
        operators,
        key="timeline_operators",
        placeholder="All operators",
        format_func=lambda op: reports.operator_label(dataset, op),
    )
)
chosen_specialists = specialist_column.multiselect(
    "Specialist",
    specialists,
    key="timeline_specialists",
    placeholder="All specialists",
    format_func=lambda sp: reports.specialist_label(dataset, sp),
)

shown = reports.filter_plan(
    plan,
    dataset,
    reports.PlanFilter(
        roles=frozenset(roles),
        operators=frozenset(chosen_operators),
        specialists=frozenset(chosen_specialists),
        priorities=frozenset(priorities),
        start=first,
        end=last,
    ),
)

covered_units = sum(a.units for a in shown.assignments)
missing_units = sum(u.units for u in shown.uncovered)
st.markdown(
    f"**{len(shown.assignments)}** assignment rows, "
    f"**{reports.fte_weeks(covered_units):g}** FTE-weeks covered · "
    f"**{reports.fte_weeks(missing_units):g}** FTE-weeks uncovered "
    f"(red bars; hover for the reason). Bar text is FTE a week."
)

by = "specialist" if view == "By specialist" else "operator"
gantt = reports.gantt_frame(shown, dataset, by)
rows, pages = gantt["row"].nunique(), reports.gantt_pages(gantt)
page = 1
if pages > 1:
    page = st.selectbox(
        "Rows shown",
        range(1, pages + 1),
        key="timeline_page",
        format_func=lambda p: (
            f"{(p - 1) * reports.PAGE_ROWS + 1}–{min(p * reports.PAGE_ROWS, rows)} of {rows}"
            + (" (uncovered first)" if p == 1 and shown.uncovered else "")
        ),
    )
st.plotly_chart(
    reports.gantt_figure(shown, dataset, by, weeks=(first, last), page=page or 1),
    width="stretch",
    key="timeline_gantt",
)
unusual = [w for w in reports.calendar_weeks(plan) if w.unusual and first <= w.monday <= last]
if unusual:
    st.caption(
        "Shaded weeks are not five working days (production calendar; darker: none, blue: a "
        "working Saturday): "
        + "; ".join(
            f"{reports.week_label(w.monday)}: {common.escape_markdown(w.note)}" for w in unusual
        )
        + "."
    )

assignments_tab, uncovered_tab = st.tabs(["Assignments", "Uncovered"])
with assignments_tab:
    st.dataframe(reports.assignment_table(shown, dataset), hide_index=True, width="stretch")
with uncovered_tab:
    st.dataframe(reports.uncovered_table(shown, dataset), hide_index=True, width="stretch")

st.subheader("Download the plan")
st.caption("The whole plan of this run, in the files `planner plan` writes (filters do not apply).")
files = common.plan_files(run_id)
plan_column, uncovered_column, excel_column, _ = st.columns([1, 1, 1, 2])
plan_column.download_button(
    "plan.csv",
    files["plan"],
    file_name=f"plan-run-{run_id}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    key="timeline_download_plan",
)
uncovered_column.download_button(
    "uncovered.csv",
    files["uncovered"],
    file_name=f"uncovered-run-{run_id}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    key="timeline_download_uncovered",
)
excel_column.download_button(
    "Excel workbook",
    files["workbook"],
    file_name=f"plan-run-{run_id}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    on_click="ignore",
    key="timeline_download_excel",
)
