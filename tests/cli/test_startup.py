"""The command line answers at once and explains itself: `--help` loads none of the heavy
libraries, every option says what it is for, and the lazy `planner.services` hands out
the same names it did when everything was imported up front."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
import typer.main

from planner import services
from planner.cli import app
from tests.builders import REPO_ROOT

HEAVY = ("pandas", "numpy", "ortools", "sqlalchemy", "sqlmodel", "streamlit", "openpyxl", "plotly")


def imported_by(*args: str) -> set[str]:
    """The top-level packages `python -X importtime -m planner ARGS` imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize("args", [("--help",), ("plan", "--help"), ("advise", "--help")])
def test_help_imports_no_heavy_library(args):
    loaded = imported_by(*args)
    assert "planner" in loaded
    assert sorted(loaded & set(HEAVY)) == []


def commands(group, prefix: str = "planner"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix} {name}")


def test_every_option_and_argument_of_every_command_has_help():
    root = typer.main.get_command(app)
    unexplained = [
        f"{where} {param.opts[0]}"
        for where, command in [("planner", root), *commands(root)]
        for param in command.params
        if not (getattr(param, "help", None) or "").strip()
    ]
    assert unexplained == []


def test_every_command_has_help():
    root = typer.main.get_command(app)
    assert [where for where, command in commands(root) if not command.help] == []


def type_checking_names() -> dict[str, str]:
    """What `planner/services/__init__.py` imports for the type checker, name by home."""
    tree = ast.parse((REPO_ROOT / "planner" / "services" / "__init__.py").read_text("utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    return {
        alias.asname or alias.name: node.module or ""
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_lazy_services_name_what_the_type_checker_sees():
    homes = {name: home for name, home in type_checking_names().items() if name in services._HOME}
    assert homes == services._HOME
    assert set(type_checking_names()) == set(services.__all__)
    assert set(services.__all__) == set(services._HOME) | set(services._REPORT_MODULES)
    missing = [name for name in services.__all__ if getattr(services, name, None) is None]
    assert missing == []


def test_importing_the_whatif_module_first_leaves_the_whatif_function():
    """`planner.services.whatif` is a module and `services.whatif` a function: whichever is
    imported first, the services hand out the function."""
    code = (
        "import planner.services.whatif\n"
        "from planner import services\n"
        "print(services.whatif.__module__, callable(services.whatif))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )
    assert result.stdout.split() == ["planner.services.whatif", "True"], result.stderr[-2000:]
