"""`planner app`: the Streamlit app on a port of your choosing, as `scripts/app.sh` runs it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

APP = Path(__file__).resolve().parents[2] / "app.py"
DEFAULT_PORT = 8501


def streamlit_argv(port: int) -> list[str]:
    """The command that runs the app: headless (no browser opened on a server), no usage
    statistics sent, no error details or unguarded table downloads in the browser
    whichever folder it is started from (`.streamlit/config.toml` says why); the same
    flags as `scripts/app.sh`."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "none",
        "--client.disableDataExport",
        "true",
    ]


def app_(
    port: Annotated[
        int,
        typer.Option("--port", min=1, max=65535, envvar="PORT", help="Port the app listens on."),
    ] = DEFAULT_PORT,
) -> None:
    """Open the app (Streamlit) on http://localhost:PORT; the first start seeds the demo."""
    if not APP.is_file():
        raise typer.BadParameter(f"{APP} is missing: run `planner app` from a checkout")
    typer.echo(f"Cover Planner: open http://localhost:{port}")
    argv = streamlit_argv(port)
    os.execv(argv[0], argv)
