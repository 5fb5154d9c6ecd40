#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs the daemon on the shipped
# default config (config/newshound.toml) while a demo feed is replayed into it.
# Alerts print on stdout; the TCP output's copy goes to demo-out/tcp-alerts.ndjson.
# Stop with Ctrl-C. DEMO_SECONDS=N stops it by itself after N seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
TARGETS="newshound newshound-replay newshound-receive" scripts/build.sh build >&2

mkdir -p demo-out
build/newshound check --config config/newshound.toml >&2
build/newshound-receive --port 7302 --out demo-out/tcp-alerts.ndjson &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT

# The replayer retries until the daemon listens, then sends the feed once.
(build/newshound-replay tools/demo/feed.ndjson --port 7301 --wait 30 || true) &

if [[ -n "${DEMO_SECONDS:-}" ]]; then
  (sleep "$DEMO_SECONDS"; pkill -TERM -f "build/newshound run --config config/newshound.toml") &
fi
build/newshound run --config config/newshound.toml
