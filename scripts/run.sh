#!/usr/bin/env bash
# Install everything and start the app with the bundled Thái Bình plan.
#   scripts/run.sh                         -> http://localhost:8501 and this machine's addresses
#   PORT=8080 scripts/run.sh               -> another port
#   ALLOWED_HOSTS=planner.internal scripts/run.sh   -> also accept that host name (comma-separated)
# Starting the server (host allow-list, launcher) is scripts/serve.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
exec scripts/serve.sh "$@"
