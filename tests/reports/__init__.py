"""Tests of planner.reports: the screens' frames and figures, without Streamlit."""
