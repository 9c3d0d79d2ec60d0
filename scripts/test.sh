#!/usr/bin/env bash
# Install everything (Chromium for the browser tests included) and run the whole suite:
# lint and type checks, model and store tests, AppTests, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's Chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: sudo apt-get install -y chromium (browser tests need /usr/bin/chromium)." >&2
    exit 1
  fi
fi
scripts/setup.sh dev

echo "== ruff (lint, format) and mypy (model/)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy model

echo "== pytest"
exec .venv/bin/python -m pytest "$@"
