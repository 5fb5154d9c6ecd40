#!/usr/bin/env bash
# Prints the golden-alerts digest line ("<sha256> alerts=<n>") of a newshound binary
# for the Reuters corpus and the lists in tests/fixtures/golden/: the line that
# tests/fixtures/golden/reuters-alerts.sha256 records and tests/e2e/golden_alerts_test.cpp
# checks. Use it to compare two builds, or to update the file (with a reason in the
# commit) when a change is meant to change alert bytes.
#   scripts/golden-alerts.sh [path/to/newshound]     (default build/newshound)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/newshound}
corpus=../shared/corpus/reuters21578.ndjson.gz
[[ -f $corpus ]] || { echo "golden-alerts: $corpus is absent" >&2; exit 2; }
g=tests/fixtures/golden
out=$(mktemp)
trap 'rm -f "$out"' EXIT
gzip -dc "$corpus" | "$bin" scan --workers 2 -w $g/wire.names -w $g/markets.names -w $g/desk.topics >"$out" || [[ $? == 1 ]]
sum=$(sed -E 's/"(received_at|alerted_at)":"[^"]*"/"\1":""/g' "$out" | sha256sum | cut -c1-64)
echo "$sum alerts=$(wc -l <"$out")"
