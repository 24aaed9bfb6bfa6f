"""The Data screen: what a user must know before editing one of the dataset's tables.

The notes come from the contract's column specs (`planner.data.schema`), so the
screen cannot drift from what validation accepts; a plain string, no Streamlit.
"""

from __future__ import annotations

from planner.data.schema import SPECS, parse_yes_no


def column_notes(table: str) -> str:
    """What a user must know to edit a table: required columns and the cell formats."""
    spec = SPECS[table]
    required = ", ".join(c.name for c in spec.columns if c.required)
    yes_no = [c.name for c in spec.columns if c.parse is parse_yes_no]
    choices = f"{', '.join(yes_no)}: yes or no; " if yes_no else ""
    return (
        f"Required: {required}. Dates YYYY-MM-DD or DD.MM.YYYY; {choices}lists separated by "
        "`;`; empty optional cells take the default."
    )
