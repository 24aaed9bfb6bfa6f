"""Users: who may log in, with which role; add and disable accounts (admins only)."""

import pandas as pd
import streamlit as st

from app_pages import common
from planner import services
from planner.services import ACCOUNT_ROLES, ADMIN, OPERATOR

actor = common.require_actor(ADMIN)
st.title("Users")
flash = st.session_state.pop("users_flash", None)
if flash:
    st.success(flash, icon=":material/task_alt:")

users = services.list_users(actor=actor, engine=common.engine())
st.dataframe(
    pd.DataFrame(
        users,
        columns=["username", "role", "operator_id", "disabled", "failed_attempts", "created_at"],
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Add a user")
dataset = common.stored_dataset()
with st.form("users_add_form", clear_on_submit=True):
    name_column, role_column, operator_column = st.columns(3)
    username = name_column.text_input("Username", key="users_username")
    role = role_column.selectbox("Role", ACCOUNT_ROLES, index=1, key="users_role")
    operator_id = operator_column.selectbox(
        "Operator (operator users only)",
        [None, *[o.operator_id for o in dataset.operators]],
        key="users_operator",
        format_func=lambda op: "—" if op is None else op,
    )
    password = st.text_input("Password", type="password", key="users_password")
    added = st.form_submit_button("Add user", type="primary", key="users_add")
if added:
    try:
        new = services.add_user(
            actor=actor,
            username=username,
            password=password,
            role=role,
            operator_id=operator_id if role == OPERATOR else None,
            engine=common.engine(),
        )
    except services.AccountError as error:
        st.error(f"Not added: {common.escape_markdown(str(error))}", icon=":material/error:")
    else:
        st.session_state["users_flash"] = common.escape_markdown(
            f"Added {new.role} {new.username}."
        )
        st.rerun()

st.subheader("Disable a user")
active = [u["username"] for u in users if not u["disabled"] and u["username"] != actor.username]
disable_column, button_column = st.columns([2, 3], vertical_alignment="bottom")
chosen = disable_column.selectbox("User", active, key="users_disable_choice")
if button_column.button("Disable", key="users_disable", disabled=not active):
    try:
        services.disable_user(actor=actor, username=chosen, engine=common.engine())
    except services.AccountError as error:
        st.error(str(error))
    else:
        st.session_state["users_flash"] = common.escape_markdown(
            f"Disabled {chosen}: their sessions ended."
        )
        st.rerun()
