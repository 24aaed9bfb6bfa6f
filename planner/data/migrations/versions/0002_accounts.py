"""Accounts and the audit trail: users, login sessions, audit rows; a `version` on every
editable dataset row (existing rows start at 1); who made and confirmed a plan run.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:29:02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

VERSIONED = (
    "operators",
    "requirements",
    "staff",
    "absences",
    "specialists",
    "specialist_absences",
    "requests",
)


def _moment(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("operator_id", sa.String(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        _moment("locked_until", True),
        _moment("created_at", False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    )
    op.create_index("ix_users_username", "users", ["username"], unique=True)
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _moment("created_at", False),
        _moment("expires_at", False),
    )
    op.create_index("ix_login_sessions_token_hash", "login_sessions", ["token_hash"], unique=True)
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        _moment("at", False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=True),
        sa.Column("operator_id", sa.String(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    for column in ("at", "username", "action", "operator_id"):
        op.create_index(f"ix_audit_{column}", "audit", [column])
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("plan_runs") as batch:
        batch.add_column(sa.Column("created_by", sa.String(), nullable=True))
        batch.add_column(_moment("confirmed_at", True))
        batch.add_column(sa.Column("confirmed_by", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_runs") as batch:
        for column in ("confirmed_by", "confirmed_at", "created_by"):
            batch.drop_column(column)
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    op.drop_table("audit")
    op.drop_table("login_sessions")
    op.drop_table("users")
