#!/usr/bin/env bash
# Set everything up and open the app on the demo data (seeded into data/planner.db on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PORT=${PORT:-8501}
echo "Cover Planner: open http://localhost:${PORT} (the first start seeds the demo and plans it)"
exec .venv/bin/python -m streamlit run app.py --server.port "$PORT" \
  --server.headless true --browser.gatherUsageStats false "$@"
