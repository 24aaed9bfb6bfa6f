"""`planner app --port N` and `bash scripts/app.sh --port N` run the same Streamlit command;
without a port both keep 8501, or `PORT` when it is set."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from planner.cli import app, serve
from tests.builders import REPO_ROOT

FLAGS = [
    "--server.headless",
    "true",
    "--browser.gatherUsageStats",
    "false",
    "--client.showErrorDetails",
    "none",
    "--client.disableDataExport",
    "true",
]


@pytest.fixture
def execs(monkeypatch) -> list[list[str]]:
    """What `planner app` would exec, instead of exec'ing it."""
    calls: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.append(argv))
    return calls


@pytest.mark.parametrize(
    ("args", "env", "port"),
    [([], {}, "8501"), (["--port", "8600"], {}, "8600"), ([], {"PORT": "8700"}, "8700")],
)
def test_planner_app_runs_streamlit_on_the_port(execs, monkeypatch, args, env, port):
    monkeypatch.delenv("PORT", raising=False)
    result = CliRunner().invoke(app, ["app", *args], env=env)
    assert result.exit_code == 0, result.output
    assert f"http://localhost:{port}" in result.output
    (argv,) = execs
    assert argv[1:5] == ["-m", "streamlit", "run", str(REPO_ROOT / "app.py")]
    assert argv[5:] == ["--server.port", port, *FLAGS]


def test_planner_app_refuses_a_port_that_is_no_port(execs):
    result = CliRunner().invoke(app, ["app", "--port", "70000"])
    assert result.exit_code == 2
    assert execs == []


def app_sh(tmp_path, *args: str, env: dict | None = None) -> list[str]:
    """Run scripts/app.sh in a copy of the checkout whose setup does nothing and whose
    Python prints its arguments."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO_ROOT / "scripts" / "app.sh", tmp_path / "scripts" / "app.sh")
    (tmp_path / "scripts" / "setup.sh").write_text("exit 0\n")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\necho "$@"\n')
    python.chmod(0o755)
    result = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "app.sh"), *args],
        capture_output=True,
        text=True,
        env={**{k: v for k, v in os.environ.items() if k != "PORT"}, **(env or {})},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


@pytest.mark.parametrize(
    ("args", "env", "port", "extra"),
    [
        ((), {}, "8501", []),
        (("--port", "8600"), {}, "8600", []),
        (("--port=8601", "--theme.base", "dark"), {}, "8601", ["--theme.base", "dark"]),
        ((), {"PORT": "8700"}, "8700", []),
    ],
)
def test_app_sh_takes_a_port_option_and_still_reads_port(tmp_path, args, env, port, extra):
    argv = app_sh(tmp_path, *args, env=env)
    assert argv == ["-m", "streamlit", "run", "app.py", "--server.port", port, *FLAGS, *extra]
