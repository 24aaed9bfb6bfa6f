"""Audit trail: who changed what from what to what, and when.

Logins are left out unless asked for; the whole records are in an expander.

For managers and admins; the service refuses anyone else, whatever this page shows.
"""

from datetime import timedelta

import streamlit as st

from app_pages import common
from planner import services
from planner.services import AUDIT_ACTIONS, AUDIT_LOGINS, MANAGER, reports

actor = common.require_actor(MANAGER)
st.title("Audit trail")
st.caption(
    "Every change to the data, every plan run, confirmation, filed request and user "
    "change: what it changed, from what to what. Newest first."
)

dataset = common.stored_dataset()
operator_column, user_column, action_column, dates_column = st.columns([2, 1, 1, 2])
operator_id = operator_column.selectbox(
    "Operator",
    [None, *[o.operator_id for o in dataset.operators]],
    key="audit_operator",
    format_func=lambda op: "All operators" if op is None else reports.operator_label(dataset, op),
)
username = user_column.text_input("User", key="audit_user", placeholder="All users")
action = action_column.selectbox(
    "Action",
    [None, *AUDIT_ACTIONS],
    key="audit_action",
    format_func=lambda a: "All actions" if a is None else a,
)
today = common.today()
days = dates_column.date_input(
    "Dates", value=(today - timedelta(days=30), today), format="YYYY-MM-DD", key="audit_dates"
)
since, until = (days[0], days[-1]) if days else (None, None)

logins = st.checkbox("Show logins", key="audit_logins")
shown_logins = logins or action in AUDIT_LOGINS  # asking for logins by action shows them
entries = services.audit_trail(
    actor=actor,
    operator_id=operator_id,
    username=username.strip() or None,
    action=action,
    logins=shown_logins,
    since=since,
    until=until,
    engine=common.engine(),
)
st.markdown(
    f"**{len(entries)}** entries"
    + (" (the newest 1000)" if len(entries) >= 1000 else "")
    + ("" if shown_logins else ", logins left out")
)
st.dataframe(
    reports.audit_frame(entries, dataset, logins=shown_logins),
    hide_index=True,
    width="stretch",
    column_config={"Change": st.column_config.TextColumn(width="large")},
    key="audit_table",
)
with st.expander("The whole records before and after (JSON)"):
    raw = reports.audit_raw_frame(entries, logins=shown_logins)
    st.dataframe(
        raw,
        hide_index=True,
        width="stretch",
        column_config={
            "Before": st.column_config.TextColumn(width="large"),
            "After": st.column_config.TextColumn(width="large"),
        },
    )
    st.download_button(
        "audit.csv",
        reports.audit_csv(raw),
        file_name="audit.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="audit_download",
    )
