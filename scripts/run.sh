#!/usr/bin/env bash
# Install everything and start the app with the bundled Thái Bình plan.
#   scripts/run.sh                         -> http://localhost:8501 and this machine's addresses
#   PORT=8080 scripts/run.sh               -> another port
#   ALLOWED_HOSTS=planner.internal scripts/run.sh   -> also accept that host name (comma-separated)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime

# The WebSocket host allow-list (DNS-rebinding guard): loopback, this machine's names and
# addresses, and whatever ALLOWED_HOSTS adds (e.g. the reverse proxy's public name).
hosts="localhost 127.0.0.1 ::1 $(hostname 2>/dev/null || true) $(hostname -f 2>/dev/null || true)"
hosts="$hosts $(hostname -I 2>/dev/null || true) $(echo "${ALLOWED_HOSTS:-}" | tr "," " ")"
host_args=()
for host in $(echo "$hosts" | tr ' ' '\n' | sort -u); do
  host_args+=(--server.allowedHosts "$host")
done

# ui/serve.py: `streamlit run` with the bounds on uploads and links in place from the first request.
exec .venv/bin/python -m ui.serve run app.py --server.port "${PORT:-8501}" \
  --server.address "${ADDRESS:-0.0.0.0}" "${host_args[@]}"
