"""Log in: username and password, checked by the services (throttled after failures)."""

import streamlit as st

from app_pages import common
from planner import services

st.title("Cover Planner")
flash = st.session_state.pop("login_flash", None)
if flash:
    st.info(common.escape_markdown(flash), icon=":material/schedule:")

with st.form("login_form"):
    username = st.text_input("Username", key="login_username", autocomplete="username")
    password = st.text_input(
        "Password", type="password", key="login_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(
        "Log in", type="primary", key="login_submit", icon=":material/login:"
    )

if submitted:
    try:
        token, _ = services.login(
            username=username,
            password=password,
            source=common.client_address(),
            engine=common.engine(),
        )
    except services.LoginFailed as refusal:
        st.error(f"Not logged in: {common.escape_markdown(str(refusal))}", icon=":material/lock:")
    else:
        st.session_state[common.TOKEN_KEY] = token
        st.rerun()

if common.single_sign_on():
    if st.user.is_logged_in:
        st.button("Log out of single sign-on", key="login_sso_logout", on_click=st.logout)
    else:
        st.button(
            "Log in with single sign-on", key="login_sso", on_click=st.login, icon=":material/key:"
        )

if services.has_users(engine=common.engine()):
    st.caption("The demo's accounts are listed in the README (section *Accounts and security*).")
else:
    st.warning(
        "There are no accounts yet. Create the first administrator on the server: "
        "`planner user create-admin`.",
        icon=":material/person_add:",
    )
