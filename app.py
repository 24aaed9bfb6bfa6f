"""Cover Planner: the Streamlit entry point. Page setup and navigation only."""

import streamlit as st

from app_pages import common

st.set_page_config(page_title="Cover Planner", layout="wide", page_icon=":material/groups:")

with st.spinner("First start: loading the demo data and planning it (about half a minute)..."):
    common.seed_demo()

st.navigation([
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/timeline.py", title="Plan timeline", icon=":material/view_timeline:"),
    st.Page("app_pages/request.py", title="Request cover", icon=":material/person_add:"),
    st.Page("app_pages/runs.py", title="Plan runs", icon=":material/play_circle:"),
    st.Page("app_pages/whatif.py", title="What-if", icon=":material/science:"),
    st.Page("app_pages/data.py", title="Data", icon=":material/table_view:"),
]).run()
