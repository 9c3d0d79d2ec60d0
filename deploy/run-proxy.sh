#!/usr/bin/env bash
# Start nginx (Debian's package) in front of a running planner server, in the foreground.
#   deploy/run-proxy.sh                      -> http://<this machine>:8080 in front of 127.0.0.1:8501
#   PROXY_PORT=80 STREAMLIT=127.0.0.1:8501 SERVER_NAMES="planner.so-cong-thuong.local" deploy/run-proxy.sh
# Start the app first, reachable only from this machine:
#   ADDRESS=127.0.0.1 ALLOWED_HOSTS=planner.so-cong-thuong.local scripts/run.sh
# Settings: PROXY_PORT (8080), PROXY_ADDRESS (all addresses), STREAMLIT (127.0.0.1:8501),
# SERVER_NAMES (the host names users type: localhost, 127.0.0.1 and this machine's names
# by default), PROXY_DIR (where the filled-in configuration, pid and logs go: var/proxy).
set -euo pipefail
cd "$(dirname "$0")/.."

NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
if [ ! -x "$NGINX" ]; then
  echo "nginx is missing: sudo apt-get install -y nginx (Debian's package)." >&2
  exit 1
fi
run_dir="$(mkdir -p "${PROXY_DIR:-var/proxy}" && cd "${PROXY_DIR:-var/proxy}" && pwd)"
listen="${PROXY_PORT:-8080}"
if [ -n "${PROXY_ADDRESS:-}" ]; then
  listen="${PROXY_ADDRESS}:${listen}"
fi
names="${SERVER_NAMES:-localhost 127.0.0.1 $(hostname 2>/dev/null || true) $(hostname -f 2>/dev/null || true)}"
names="$(echo "$names" | tr ', ' '\n\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ')"

sed -e "s|@RUN_DIR@|$run_dir|g" -e "s|@LISTEN@|$listen|g" -e "s|@UPSTREAM@|${STREAMLIT:-127.0.0.1:8501}|g" \
  -e "s|@SERVER_NAMES@|$names|g" deploy/nginx.conf.template >"$run_dir/nginx.conf"
"$NGINX" -t -q -e "$run_dir/error.log" -p "$run_dir" -c "$run_dir/nginx.conf"
exec "$NGINX" -e "$run_dir/error.log" -p "$run_dir" -c "$run_dir/nginx.conf" -g "daemon off;"
