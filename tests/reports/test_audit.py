"""The Audit screen's table: who changed what from what to what; logins only when asked."""

from __future__ import annotations

from datetime import UTC, datetime

from planner.data.models import AuditRow
from planner.reports.audit import audit_csv, audit_frame, audit_raw_frame, change_text
from tests.builders import dataset, operator, specialist

DATA = dataset(
    operators=[operator("OP1", name="Волга-Онлайн")],
    specialists=[specialist("SP1", name="Морозов Павел")],
)
STAFF = {"staff_id": "ST1", "operator_id": "OP1", "role": "finance", "fte": 1.0, "name": "Анна"}


def entry(action: str, entity: str = "staff", entity_id: str | None = "ST1", **kw) -> AuditRow:
    return AuditRow(
        at=datetime(2027, 1, 4, 9, 30, tzinfo=UTC),
        username="manager",
        action=action,
        entity=entity,
        entity_id=entity_id,
        **kw,
    )


TRAIL = [
    entry("edit", operator_id="OP1", before=STAFF, after={**STAFF, "fte": 0.5}),
    entry("login", "user", "manager"),
    entry("add", operator_id="OP1", after={**STAFF, "staff_id": "ST2", "name": None}),
    entry("delete", "specialists", "SP1", before={"specialist_id": "SP1", "name": "Морозов"}),
    entry("login failed", "user", "nobody", after={"reason": "no such user"}),
]


def test_an_edit_shows_only_the_changed_fields_from_and_to():
    frame = audit_frame(TRAIL, DATA)
    assert list(frame.columns) == ["When", "Who", "Action", "What", "Change"]
    assert frame["Change"][0] == "fte: 1 → 0.5"
    assert frame["What"][0] == "staff ST1 (Волга-Онлайн)"
    assert change_text({"a": 1, "b": "x"}, {"a": 1, "b": None}) == "b: x → —"


def test_adds_and_deletes_are_one_line_summaries_with_names_beside_the_ids():
    frame = audit_frame(TRAIL, DATA)
    assert frame["Change"][1] == ("staff_id: ST2, operator_id: OP1, role: finance, fte: 1")
    assert frame["Change"][2] == "removed: specialist_id: SP1, name: Морозов"
    assert frame["What"][2] == "specialists SP1 (Морозов Павел)"
    assert change_text([{"x": 1}, {"x": 2}], [{"x": 3}]) == "2 rows removed, 1 row added"
    assert change_text([], [{"x": 1}, {"x": 2}]) == "2 rows added"


def test_logins_are_left_out_unless_asked_for():
    assert list(audit_frame(TRAIL, DATA)["Action"]) == ["edit", "add", "delete"]
    assert list(audit_frame(TRAIL, DATA, logins=True)["Action"]) == [
        "edit",
        "login",
        "add",
        "delete",
        "login failed",
    ]
    assert "login" not in set(audit_raw_frame(TRAIL)["Action"])


def test_the_raw_records_are_whole_json_and_download_formula_guarded():
    raw = audit_raw_frame([entry("edit", before={"name": "=1+1"}, after={"name": "x"})])
    assert raw["Before"][0] == '{"name": "=1+1"}'
    assert b",'=1+1," in audit_csv(audit_raw_frame([entry("add", entity_id="=1+1")]))
