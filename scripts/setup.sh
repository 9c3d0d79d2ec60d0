#!/usr/bin/env bash
# Create .venv and install pinned dependencies. Usage: scripts/setup.sh [runtime|dev]
# Needs only Python 3.11 (Debian: python3, plus python3-venv where venv is split out).
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-runtime}"
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$PYTHON" -m venv .venv
    else
      echo "Python's venv module is missing: install python3-venv (sudo apt-get install python3-venv)." >&2
      exit 1
    fi
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$kind" = dev ]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt
else
  .venv/bin/python -m pip install -q -r requirements.txt
fi
