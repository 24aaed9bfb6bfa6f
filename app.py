"""Cover Planner: the Streamlit entry point. Page setup, login and navigation only."""

import streamlit as st

from app_pages import common
from planner.services import ADMIN, MANAGER

st.set_page_config(page_title="Cover Planner", layout="wide", page_icon=":material/groups:")

with st.spinner("First start: loading the demo data and planning it (about half a minute)..."):
    common.seed_demo()

LOGIN = "app_pages/login.py"
# Every screen's URL path: before login each one shows the login form (a reloaded /timeline
# finds a page), and after login the same URL is the screen itself.
SCREENS = (
    "overview",
    "timeline",
    "request",
    "runs",
    "rota",
    "whatif",
    "data",
    "audit",
    "users",
    "support",
)

actor = common.current_actor()
if actor is None:
    common.forget_login()
    login_page = st.navigation(
        [
            st.Page(LOGIN, title="Log in", icon=":material/login:", default=True),
            *(
                st.Page(LOGIN, title="Log in", url_path=screen, visibility="hidden")
                for screen in SCREENS
            ),
        ],
        position="hidden",
    )
    common.run_safely(login_page.run)
    st.stop()

common.check_data_version()

with st.sidebar:
    common.remember_login()
    where = f" · {actor.operator_id}" if actor.operator_id else ""
    st.caption(f"Logged in as **{common.escape_markdown(actor.username)}** ({actor.role}{where})")
    if st.button("Log out", key="logout", icon=":material/logout:"):
        common.log_out()
        st.rerun()

if actor.may(MANAGER):
    pages = [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
        st.Page("app_pages/timeline.py", title="Plan timeline", icon=":material/view_timeline:"),
        st.Page("app_pages/request.py", title="Request cover", icon=":material/person_add:"),
        st.Page("app_pages/runs.py", title="Plan runs", icon=":material/play_circle:"),
        st.Page("app_pages/rota.py", title="Rota", icon=":material/support_agent:"),
        st.Page("app_pages/whatif.py", title="What-if", icon=":material/science:"),
        st.Page("app_pages/data.py", title="Data", icon=":material/table_view:"),
        st.Page("app_pages/audit.py", title="Audit trail", icon=":material/history:"),
    ]
else:  # an operator user: its own cover, requests and data
    pages = [
        st.Page(
            "app_pages/timeline.py",
            title="Our cover",
            icon=":material/view_timeline:",
            default=True,
        ),
        st.Page("app_pages/request.py", title="Request cover", icon=":material/person_add:"),
        st.Page(
            "app_pages/support.py", title="Our incident support", icon=":material/support_agent:"
        ),
        st.Page("app_pages/data.py", title="Our data", icon=":material/table_view:"),
    ]
if actor.may(ADMIN):
    pages.append(st.Page("app_pages/users.py", title="Users", icon=":material/manage_accounts:"))
# The screens this account may not use stay known by URL, hidden: a link to one says "not
# available to your account" (each screen checks the role first) instead of "Page not found".
taken = {page.url_path for page in pages} | {"overview" if actor.may(MANAGER) else "timeline"}
pages += [
    st.Page(f"app_pages/{screen}.py", visibility="hidden")
    for screen in SCREENS
    if screen not in taken
]
common.run_safely(st.navigation(pages).run)
