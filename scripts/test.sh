#!/usr/bin/env bash
# Install everything (Chromium and nginx for the browser tests included) and run the whole
# suite: lint and type checks, model and store tests, AppTests, browser and proxy tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium (browser tests) and nginx (the reverse proxy in deploy/, tested in front of the app).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${missing[*]} for the browser and proxy tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}" \
      "(browser tests need /usr/bin/chromium, proxy tests nginx)." >&2
    exit 1
  fi
fi
scripts/setup.sh dev

echo "== ruff (lint, format) and mypy (model/)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy model

echo "== pytest"
# Two workers, a test file each at a time (a file's tests share their server and proxy):
# about a third faster on two cores. `-n 0` runs everything in this process.
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
