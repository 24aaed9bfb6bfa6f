#!/usr/bin/env bash
# Run the whole test suite: unit, solver, CLI, database (SQLite and a throwaway PostgreSQL),
# Streamlit AppTest and a real headless Chromium. Installs what is missing (Debian, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing ${need[*]}: browser or PostgreSQL tests will be skipped (fail under CI=true)" >&2
  fi
fi

bash scripts/setup.sh

# A throwaway PostgreSQL server for the database tests, stopped on exit.
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && [ -z "${PLANNER_TEST_POSTGRES_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  PGPORT=${PGPORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  PGDATA=$(mktemp -d /tmp/planner-pg.XXXXXX)
  as_postgres=()
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDATA"; as_postgres=(runuser -u postgres --); fi
  "${as_postgres[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust --no-locale \
    --encoding=UTF8 --no-sync >/dev/null
  "${as_postgres[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off" start >/dev/null
  trap '"${as_postgres[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null; rm -rf "$PGDATA"' EXIT
  "${as_postgres[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres planner_test
  export PLANNER_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/planner_test"
fi

.venv/bin/ruff check planner app.py app_pages tests bench
.venv/bin/ruff format --check planner app.py app_pages tests bench
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
