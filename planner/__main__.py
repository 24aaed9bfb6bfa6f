"""`python -m planner` runs the command line."""

from planner.cli import main_entry

main_entry()
