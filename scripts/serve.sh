#!/usr/bin/env bash
# Start the app (what scripts/run.sh runs once everything is installed). The launcher
# (ui/serve.py) imports the app's libraries and runs its code once before the server
# listens, then starts `streamlit run app.py` in the same process with these options.
#   PORT=8080 scripts/serve.sh                       -> another port
#   ALLOWED_HOSTS=planner.internal scripts/serve.sh  -> also accept that host name (comma-separated)
#   extra arguments are passed on to `streamlit run` (e.g. --server.headless true)
set -euo pipefail
cd "$(dirname "$0")/.."

# The WebSocket host allow-list (DNS-rebinding guard): loopback, this machine's names and
# addresses, and whatever ALLOWED_HOSTS adds (e.g. the reverse proxy's public name).
hosts="localhost 127.0.0.1 ::1 $(hostname 2>/dev/null || true) $(hostname -f 2>/dev/null || true)"
hosts="$hosts $(hostname -I 2>/dev/null || true) $(echo "${ALLOWED_HOSTS:-}" | tr "," " ")"
host_args=()
for host in $(echo "$hosts" | tr ' ' '\n' | sort -u); do
  host_args+=(--server.allowedHosts "$host")
done

# APP_PYTHON: another interpreter with the requirements installed (the tests pass their own).
exec "${APP_PYTHON:-.venv/bin/python}" -m ui.serve --server.port "${PORT:-8501}" \
  --server.address "${ADDRESS:-0.0.0.0}" "${host_args[@]}" "$@"
