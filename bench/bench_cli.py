"""How fast the command line answers `--help`: wall time of `python -m planner --help` and
`planner plan --help`, and what `planner.cli` costs to import.

    python -m bench.bench_cli                         # this checkout, 7 runs each
    python -m bench.bench_cli --tree /tmp/before      # another tree (e.g. a git archive)

Each command runs once first to warm the disk cache and the bytecode cache (written under
a private PYTHONPYCACHEPREFIX, so a read-only or PYTHONDONTWRITEBYTECODE environment is
measured as an installed planner would be). The median and the fastest run are printed;
on a shared machine the fastest is the better estimate. The target is 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = (("--help",), ("plan", "--help"))
# the floor: a Typer app of two commands, whose --help loads what any Typer help loads
TYPER_ALONE = (
    "import typer\napp = typer.Typer()\n@app.command()\ndef plan(start: str) -> None:\n"
    '    """Plan."""\n@app.command()\ndef other() -> None:\n    """Other."""\napp()\n'
)
HEAVY = ("pandas", "numpy", "ortools", "sqlalchemy", "sqlmodel", "streamlit", "openpyxl", "plotly")


def environment(tree: Path, cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": cache}


def wall_times(tree: Path, command: list[str], runs: int, env: dict[str, str]) -> list[float]:
    subprocess.run(command, cwd=tree, env=env, capture_output=True, check=True)  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=tree, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def import_profile(tree: Path, env: dict[str, str]) -> tuple[float, list[str]]:
    """Seconds `import planner.cli` takes (by -X importtime), and the heavy packages it loads."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import planner.cli"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    total, loaded = 0.0, set()
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (
            part.strip() for part in line.removeprefix("import time:").split("|")
        )
        loaded.add(name.split(".")[0])
        if name == "planner.cli":
            total = int(cumulative) / 1e6
    return total, sorted(loaded & set(HEAVY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    tree = options.tree.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as cache:
        env = environment(tree, cache)
        print(f"tree {tree}, {options.runs} runs each, load average {os.getloadavg()[0]:.1f}")
        runs = {
            f"planner {' '.join(args)}": [sys.executable, "-m", "planner", *args]
            for args in COMMANDS
        }
        runs["typer alone: plan --help"] = [sys.executable, "-c", TYPER_ALONE, "plan", "--help"]
        for label, command in runs.items():
            times = wall_times(tree, command, options.runs, env)
            print(
                f"{label:<26} median {statistics.median(times):.2f} s, "
                f"fastest {min(times):.2f} s (target 0.5 s)"
            )
        seconds, heavy = import_profile(tree, env)
        print(f"import planner.cli {seconds:.2f} s; heavy packages: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
