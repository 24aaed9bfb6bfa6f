"""The `planner` command: thin wrappers over `planner.services`.

Exit codes: 0 success, 2 bad input (every problem printed as
`FILE:ROW: column COL: message`), 1 anything unexpected.

The command line runs on the server next to the database, so it acts as a local
administrator (`services.LOCAL_ADMIN`, on the audit trail as `cli:<login>`).

The commands live by group: `data` (validate, import, export), `plan` (plan,
quote), `whatif` (whatif, simulate, advise), `rota` (rota, oncall), `serve` (app) and
`admin` (db, user); what they share is in `common`. They are registered here, in the
order `--help` lists them.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from planner.cli import admin, data, plan, rota, serve, whatif
from planner.cli.common import EXIT_BAD_INPUT
from planner.services import DatabaseBusy

__all__ = ["EXIT_BAD_INPUT", "app", "main_entry"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Cover Planner: find staffing gaps at telecom operators and plan the vendor's cover.",
)


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log the solver's stages.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


app.command()(data.validate)
app.command()(plan.plan)
app.command("import")(data.import_)
app.command()(data.export)
app.command()(plan.quote)
app.command()(whatif.whatif)
app.command()(whatif.simulate)
app.command()(whatif.advise)
app.command()(rota.rota)
app.command()(rota.oncall)
app.command("app")(serve.app_)
app.add_typer(admin.db_app, name="db")
app.add_typer(admin.user_app, name="user")


def main_entry() -> None:
    """The `planner` program: the commands, with the errors a user can act on worded as
    a sentence on standard error (exit 1) instead of a traceback."""
    try:
        app(prog_name="planner")
    except DatabaseBusy as error:
        typer.echo(f"error: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main_entry()
