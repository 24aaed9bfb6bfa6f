"""The Audit screen: who changed what, from what to what, and when.

Takes the stored audit rows and returns DataFrames; no Streamlit and no
database session, so the table is checked in a unit test without a browser.
The readable table says only what changed (`fte: 1 → 0.5`) and names the
operators and specialists beside their ids; the raw table keeps the whole
record before and after as JSON, for the rare question the summary cannot answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC
from typing import Any

import pandas as pd

from planner.accounts.audit import LOGIN_ACTIONS
from planner.data.exports import safe_frame
from planner.domain.records import Dataset
from planner.reports.format import moment_label, operator_names, specialist_names

AUDIT_COLUMNS = ["When", "Who", "Action", "What", "Change"]
_SUMMARY_FIELDS = 6  # fields an added or deleted row's summary names before "…"
_VALUE_CHARACTERS = 60  # a long text value is cut here: the raw JSON has it whole


def _json_text(value: Any) -> str:
    """Before and after as stable JSON (sorted keys, Cyrillic kept), empty when absent."""
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _when(entry: Any) -> str:
    return moment_label(entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC))


def _value(value: Any) -> str:
    """One value as people read it: `1` not `1.0`, `—` for nothing, a list by its length."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return f"{len(value)} row{'s' * (len(value) != 1)}"
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return text if len(text) <= _VALUE_CHARACTERS else text[: _VALUE_CHARACTERS - 1] + "…"


def _summary(record: dict[str, Any]) -> str:
    """An added or deleted row in one line: its filled-in fields, the first few of them."""
    fields = [f"{key}: {_value(value)}" for key, value in record.items() if value not in (None, "")]
    shown = ", ".join(fields[:_SUMMARY_FIELDS])
    return shown + (", …" if len(fields) > _SUMMARY_FIELDS else "")


def change_text(before: Any, after: Any) -> str:
    """What an entry changed: the changed fields of an edit, a summary of an add or delete.

    An import's row edits carry lists of the rows removed and added; they are
    counted, as the rows themselves are in the raw JSON.
    """
    if isinstance(before, dict) and isinstance(after, dict):
        changed = [
            f"{key}: {_value(before.get(key))} → {_value(after.get(key))}"
            for key in dict.fromkeys([*before, *after])
            if before.get(key) != after.get(key)
        ]
        return "; ".join(changed) or "no field changed"
    if isinstance(before, list) or isinstance(after, list):
        counts = [(len(before or []), "removed"), (len(after or []), "added")]
        parts = [f"{n} row{'s' * (n != 1)} {what}" for n, what in counts if n]
        return ", ".join(parts) or "no rows changed"
    if isinstance(after, dict):
        return _summary(after)
    if isinstance(before, dict):
        return "removed: " + _summary(before)
    return ""


def _what(entry: Any, names: dict[str, str]) -> str:
    """`staff OP0003:finance (Волга-Онлайн)`: the table and id, with the names of the ids."""
    entity_id = entry.entity_id or ""
    named = [names[part] for part in entity_id.split(":") if part in names]
    if entry.operator_id in names and entry.operator_id not in entity_id.split(":"):
        named.insert(0, names[entry.operator_id])
    what = f"{entry.entity} {entity_id}".strip()
    return what + (f" ({', '.join(named)})" if named else "")


def audit_frame(
    entries: Sequence[Any], dataset: Dataset | None = None, *, logins: bool = False
) -> pd.DataFrame:
    """Audit rows (`AuditRow`), newest first: when, who, action, what and the change.

    Logins and failed logins are left out unless `logins`: on a busy trail they
    are a third of the rows and change nothing.
    """
    names = {} if dataset is None else {**operator_names(dataset), **specialist_names(dataset)}
    return pd.DataFrame(
        [
            {
                "When": _when(e),
                "Who": e.username,
                "Action": e.action,
                "What": _what(e, names),
                "Change": change_text(e.before, e.after),
            }
            for e in entries
            if logins or e.action not in LOGIN_ACTIONS
        ],
        columns=AUDIT_COLUMNS,
    )


def audit_raw_frame(entries: Sequence[Any], *, logins: bool = False) -> pd.DataFrame:
    """The same rows with the whole record before and after as JSON text."""
    columns = ["When", "User", "Action", "What", "Id", "Operator", "Before", "After"]
    return pd.DataFrame(
        [
            {
                "When": _when(e),
                "User": e.username,
                "Action": e.action,
                "What": e.entity,
                "Id": e.entity_id or "",
                "Operator": e.operator_id or "",
                "Before": _json_text(e.before),
                "After": _json_text(e.after),
            }
            for e in entries
            if logins or e.action not in LOGIN_ACTIONS
        ],
        columns=columns,
    )


def audit_csv(frame: pd.DataFrame) -> bytes:
    """A table of this screen as a CSV file, formula-guarded like every export."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")
