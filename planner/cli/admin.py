"""`planner db ...` and `planner user ...`: the database's schema and the app's accounts,
for whoever runs the server."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from planner import services
from planner.cli.common import fail
from planner.services import ACCOUNT_ROLES, ADMIN

db_app = typer.Typer(no_args_is_help=True, help="The database's schema.")
user_app = typer.Typer(no_args_is_help=True, help="User accounts of the app.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema, keeping its data (the app and every
    command also do this on first use)."""
    where, revision = services.upgrade_database()
    typer.echo(f"{where} is at revision {revision}")


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Argument(help="What the migration does.")]) -> None:
    """For developers: write the next migration from the change to planner/models.py."""
    typer.echo(f"wrote {services.new_migration(message=message)}: review it, then run the tests")


def _password(from_stdin: bool) -> str:
    """From standard input (for scripts), else typed twice at a hidden prompt: never an
    option, which would land in the shell's history."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _add_user(username: str, role: str, operator: str | None, password_stdin: bool) -> None:
    password = _password(password_stdin)
    try:
        added = services.add_user(
            actor=services.LOCAL_ADMIN,
            username=username,
            password=password,
            role=role,
            operator_id=operator,
        )
    except services.AccountError as error:
        raise fail([str(error)]) from None
    where = f" of {added.operator_id}" if added.operator_id else ""
    typer.echo(f"added {added.role} {added.username}{where}")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option("--role", help=" | ".join(ACCOUNT_ROLES))],
    operator: Annotated[
        str | None, typer.Option("--operator", help="operator_id an operator user belongs to.")
    ] = None,
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Add a user; the password is asked for (or read with --password-stdin)."""
    _add_user(username, role, operator, password_stdin)


@user_app.command("create-admin")
def user_create_admin(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")] = "admin",
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Create the first administrator, who then manages the other users."""
    _add_user(username, ADMIN, None, password_stdin)


@user_app.command("list")
def user_list() -> None:
    """Every user: name, role, operator, whether disabled."""
    for user in services.list_users(actor=services.LOCAL_ADMIN):
        state = "disabled" if user["disabled"] else "active"
        typer.echo(f"{user['username']}\t{user['role']}\t{user['operator_id'] or '-'}\t{state}")


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Disable a user: they cannot log in, and their open sessions end now."""
    try:
        services.disable_user(actor=services.LOCAL_ADMIN, username=username)
    except services.AccountError as error:
        raise fail([str(error)]) from None
    typer.echo(f"disabled {username}")
