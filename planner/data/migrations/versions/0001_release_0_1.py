"""The schema of release 0.1, the last one without migrations: its tables came from
`SQLModel.metadata.create_all`. `planner.db.upgrade` stamps such a database with this
revision before upgrading it, so its data is kept.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 00:28:13.848587
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_absences_staff_id", "absences", ["staff_id"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("specialist_id", sa.String(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_history_operator_id", "history", ["operator_id"])
    op.create_index("ix_history_specialist_id", "history", ["specialist_id"])
    op.create_table(
        "operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("sla", sa.String(), nullable=False),
        sa.Column("response_minutes", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_operators_operator_id", "operators", ["operator_id"], unique=True)
    op.create_table(
        "pinned",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("specialist_id", sa.String(), nullable=False),
        sa.Column("demand_id", sa.String(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pinned_specialist_id", "pinned", ["specialist_id"])
    op.create_table(
        "plan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("max_tz_gap", sa.Float(), nullable=False),
        sa.Column("time_limit", sa.Float(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("covered_units", sa.Integer(), nullable=False),
        sa.Column("demand_units", sa.Integer(), nullable=False),
        sa.Column("handovers", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("solve_seconds", sa.Float(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("fte", sa.Float(), nullable=False),
        sa.Column("skills", sa.String(), nullable=False),
        sa.Column("min_level", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_requests_operator_id", "requests", ["operator_id"])
    op.create_index("ix_requests_request_id", "requests", ["request_id"], unique=True)
    op.create_table(
        "requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("min_fte", sa.Float(), nullable=False),
        sa.Column("skills", sa.String(), nullable=False),
        sa.Column("min_level", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("operator_id", "role"),
    )
    op.create_index("ix_requirements_operator_id", "requirements", ["operator_id"])
    op.create_table(
        "specialist_absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("specialist_id", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_specialist_absences_specialist_id", "specialist_absences", ["specialist_id"]
    )
    op.create_table(
        "specialists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("specialist_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("roles", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("skills", sa.String(), nullable=False),
        sa.Column("capacity_fte", sa.Float(), nullable=False),
        sa.Column("max_clients", sa.Integer(), nullable=False),
        sa.Column("cost_per_hour", sa.Float(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_specialists_specialist_id", "specialists", ["specialist_id"], unique=True)
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("fte", sa.Float(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staff_operator_id", "staff", ["operator_id"])
    op.create_index("ix_staff_staff_id", "staff", ["staff_id"], unique=True)
    op.create_table(
        "plan_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.String(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("specialist_id", sa.String(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_assignments_operator_id", "plan_assignments", ["operator_id"])
    op.create_index("ix_plan_assignments_run_id", "plan_assignments", ["run_id"])
    op.create_index("ix_plan_assignments_specialist_id", "plan_assignments", ["specialist_id"])
    op.create_table(
        "plan_uncovered",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.String(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("priority", sa.String(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_uncovered_operator_id", "plan_uncovered", ["operator_id"])
    op.create_index("ix_plan_uncovered_run_id", "plan_uncovered", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_uncovered_run_id", table_name="plan_uncovered")
    op.drop_index("ix_plan_uncovered_operator_id", table_name="plan_uncovered")
    op.drop_table("plan_uncovered")
    op.drop_index("ix_plan_assignments_specialist_id", table_name="plan_assignments")
    op.drop_index("ix_plan_assignments_run_id", table_name="plan_assignments")
    op.drop_index("ix_plan_assignments_operator_id", table_name="plan_assignments")
    op.drop_table("plan_assignments")
    op.drop_index("ix_staff_staff_id", table_name="staff")
    op.drop_index("ix_staff_operator_id", table_name="staff")
    op.drop_table("staff")
    op.drop_index("ix_specialists_specialist_id", table_name="specialists")
    op.drop_table("specialists")
    op.drop_index("ix_specialist_absences_specialist_id", table_name="specialist_absences")
    op.drop_table("specialist_absences")
    op.drop_index("ix_requirements_operator_id", table_name="requirements")
    op.drop_table("requirements")
    op.drop_index("ix_requests_request_id", table_name="requests")
    op.drop_index("ix_requests_operator_id", table_name="requests")
    op.drop_table("requests")
    op.drop_table("plan_runs")
    op.drop_index("ix_pinned_specialist_id", table_name="pinned")
    op.drop_table("pinned")
    op.drop_index("ix_operators_operator_id", table_name="operators")
    op.drop_table("operators")
    op.drop_index("ix_history_specialist_id", table_name="history")
    op.drop_index("ix_history_operator_id", table_name="history")
    op.drop_table("history")
    op.drop_index("ix_absences_staff_id", table_name="absences")
    op.drop_table("absences")
