"""Tests of the Streamlit app (app.py, app_pages/): AppTest and a real headless browser."""
