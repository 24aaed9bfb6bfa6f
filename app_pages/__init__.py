"""The screens of the Cover Planner app, one module per page."""
