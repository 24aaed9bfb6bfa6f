"""The Audit screen: who changed what and when, with the record before and after.

Takes the stored audit rows and returns a DataFrame; no Streamlit and no
database session, so the table is checked in a unit test without a browser.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC
from typing import Any

import pandas as pd

from planner.reports.format import moment_label


def _json_text(value: Any) -> str:
    """Before and after as stable JSON (sorted keys, Cyrillic kept), empty when absent."""
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_frame(entries: Sequence[Any]) -> pd.DataFrame:
    """Audit rows (`AuditRow`), newest first, with before and after as JSON text."""
    columns = ["When", "User", "Action", "What", "Id", "Operator", "Before", "After"]
    return pd.DataFrame(
        [
            {
                "When": moment_label(e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)),
                "User": e.username,
                "Action": e.action,
                "What": e.entity,
                "Id": e.entity_id or "",
                "Operator": e.operator_id or "",
                "Before": _json_text(e.before),
                "After": _json_text(e.after),
            }
            for e in entries
        ],
        columns=columns,
    )
