#!/usr/bin/env bash
# Create .venv with Python 3.11 and install the pinned dependencies and the planner itself.
# Safe to run again: an up-to-date environment is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Cover Planner needs Python 3.11; found $("$PYTHON" --version 2>&1) at $PYTHON" >&2
  exit 1
fi

stamp=.venv/.installed
if [ -f "$stamp" ] && [ "$stamp" -nt requirements.lock ] && [ "$stamp" -nt pyproject.toml ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
.venv/bin/uv pip install --quiet --python .venv/bin/python -r requirements.lock -e ".[dev]"
touch "$stamp"
