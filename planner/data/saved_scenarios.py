"""What-if scenarios kept in the database by name, their changes as the JSON text a
scenario file holds (the scenario's format belongs to `planner.whatif.scenario`)."""

from __future__ import annotations

from sqlmodel import Session, select

from planner.data.models import ScenarioRow


def find_scenario(*, session: Session, name: str) -> ScenarioRow | None:
    return session.exec(select(ScenarioRow).where(ScenarioRow.name == name)).first()


def scenario_names(*, session: Session) -> list[str]:
    return list(session.exec(select(ScenarioRow.name).order_by(ScenarioRow.name)))


def put_scenario(
    *, session: Session, name: str, description: str, body: str
) -> dict[str, str] | None:
    """Store a scenario under `name`, replacing one of that name; what it replaced (its
    description and changes), or None when the name is new, for the audit trail."""
    row = find_scenario(session=session, name=name)
    before = None if row is None else {"description": row.description, "changes": row.body}
    if row is None:
        row = ScenarioRow(name=name, description=description, body=body)
    else:
        row.description, row.body = description, body
    session.add(row)
    return before


def remove_scenario(*, session: Session, row: ScenarioRow) -> None:
    session.delete(row)
