#!/usr/bin/env bash
# Install everything and start the app with the bundled Thái Bình plan.
#   scripts/run.sh                 -> http://localhost:8501
#   PORT=8080 scripts/run.sh       -> another port
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" --server.address "${ADDRESS:-0.0.0.0}"
