#!/usr/bin/env bash
# Set everything up and open the app on the demo data (seeded into data/planner.db on first run).
#   bash scripts/app.sh                 http://localhost:8501
#   bash scripts/app.sh --port 8600     another port (PORT=8600 bash scripts/app.sh works too)
# Any other arguments go to `streamlit run` as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8501}
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || { echo "--port needs a number" >&2; exit 2; }; PORT=$2; shift 2 ;;
    --port=*) PORT=${1#--port=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
bash scripts/setup.sh
echo "Cover Planner: open http://localhost:${PORT} (the first start seeds the demo and plans it)"
exec .venv/bin/python -m streamlit run app.py --server.port "$PORT" \
  --server.headless true --browser.gatherUsageStats false \
  --client.showErrorDetails none --client.disableDataExport true ${args[@]+"${args[@]}"}
