#!/usr/bin/env bash
# Benchmark (not a test): two builds of newshound side by side, for a change that
# must not cost speed (a refactor). For each list, runs `scan --stats` of build A
# and build B in turn, RUNS times each, and prints the median scan seconds (the
# process's own, start-up excluded) and MB/s of each, and B's ratio to A. With
# CALLGRIND=1 it also counts instructions of one `scan --workers 1` of each build on
# the first CALLGRIND_ARTICLES articles (valgrind --tool=callgrind): a count that
# does not depend on what else the machine is doing. With DAEMON=1 it also runs
# each build as the daemon (TCP input, file output, the dense golden lists),
# replays the corpus into it RUNS times and reports the daemon's CPU seconds and
# wall seconds until every line was taken (newshound_lines_total on /metrics).
#
#   tools/bench/ab_bench.sh OLD/newshound NEW/newshound
#   RUNS=7 WORKERS=2 SIZES="100 10000" CALLGRIND=1 tools/bench/ab_bench.sh A B
#
# Input: the Reuters corpus repeated REPEAT times (lib.sh); lists: generated names
# (`newshound-gen names -n N --seed 42`) and the dense golden lists of
# tests/fixtures/golden/ (nearly every article alerts, several matches each).
set -euo pipefail
a=$(realpath "$1") b=$(realpath "$2")
SIZES=${SIZES:-"100 10000"}
source "$(dirname "$0")/lib.sh"
export BENCH_BUILD=0  # measures the two builds given, builds nothing
bench_init ${CALLGRIND:+valgrind} ${DAEMON:+curl iproute2}
[[ -x $GEN ]] || GEN=$(dirname "$b")/newshound-gen  # names generator: B's build
bench_corpus
workers=${WORKERS:-1}
g=tests/fixtures/golden

# scan_seconds BIN ARGS...: the scan seconds `scan --stats` reports.
scan_seconds() {
  local bin=$1
  shift
  "$bin" scan --stats --workers "$workers" "$@" <"$WORK/corpus.ndjson" 2>&1 >/dev/null |
    sed -nE 's/.*, scan ([0-9.]+) s.*/\1/p' || true  # scan exits 1 when nothing alerted
}

compare() {  # label ARGS...
  local label=$1 ta=() tb=()
  shift
  for ((r = 0; r < RUNS; r++)); do
    ta+=("$(scan_seconds "$a" "$@")")
    tb+=("$(scan_seconds "$b" "$@")")
  done
  local ma mb
  ma=$(printf '%s\n' "${ta[@]}" | median | cut -d' ' -f1)
  mb=$(printf '%s\n' "${tb[@]}" | median | cut -d' ' -f1)
  awk -v l="$label" -v a="$ma" -v b="$mb" -v n="$BYTES" -v w="$workers" 'BEGIN {
    printf "%-14s w=%s  A %7.3f s %8.1f MB/s   B %7.3f s %8.1f MB/s   B/A time %.3f\n",
      l, w, a, n / a / 1e6, b, n / b / 1e6, b / a }'
  if [[ -n ${CALLGRIND:-} ]]; then
    local n=${CALLGRIND_ARTICLES:-2000} ia ib
    head -n "$n" "$WORK/corpus1.ndjson" >"$WORK/cg.ndjson"
    for bin in "$a" "$b"; do
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" scan --workers 1 "$@" \
        <"$WORK/cg.ndjson" 2>&1 >/dev/null | sed -nE 's/.*Collected : ([0-9]+).*/\1/p' || true
    done | paste -sd' ' | awk -v l="$label" -v n="$n" '{
      printf "%-14s instructions on %d articles: A %.0f  B %.0f  B/A %.4f\n", l, n, $1, $2, $2 / $1 }'
  fi
}

echo "input: $CORPUS_KIND, $BYTES bytes; A = $a; B = $b; $RUNS runs each, interleaved" >&2
for n in $SIZES; do
  bench_names "$n"
  compare "names-$n" -w "$WORK/names-$n.names"
done
compare "golden-dense" -w $g/wire.names -w $g/markets.names -w $g/desk.topics

[[ -n ${DAEMON:-} ]] || exit 0
lines=$(wc -l <"$WORK/corpus.ndjson")
# daemon_run BIN: one replay of the corpus into a fresh daemon; prints "cpu_s wall_s".
daemon_run() {
  local bin=$1 pin padmin pid t0 t1 before after tick
  pin=$(free_port) padmin=$(free_port)
  cat >"$WORK/ab.toml" <<TOML
[log]
level = "warn"
[admin]
listen = "127.0.0.1:$padmin"
[[input]]
type = "tcp"
listen = "127.0.0.1:$pin"
[[output]]
type = "file"
path = "ab-alerts.ndjson"
fsync = "never"
[[watchlist]]
path = "$PWD/$g/wire.names"
[[watchlist]]
path = "$PWD/$g/markets.names"
[[watchlist]]
path = "$PWD/$g/desk.topics"
TOML
  rm -f "$WORK/ab-alerts.ndjson"
  "$bin" run --config "$WORK/ab.toml" 2>"$WORK/ab-daemon.log" &
  pid=$!
  until curl -fs "127.0.0.1:$padmin/readyz" >/dev/null 2>&1; do sleep 0.1; done
  tick=$(getconf CLK_TCK)
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  t0=$(date +%s.%N)
  "$(dirname "$b")/newshound-replay" --port "$pin" "$WORK/corpus.ndjson" 2>/dev/null
  until curl -fs "127.0.0.1:$padmin/metrics" | grep -qx "newshound_lines_total $lines"; do
    sleep 0.02
  done
  t1=$(date +%s.%N)
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid" && wait "$pid" || true
  awk -v a="$after" -v b="$before" -v k="$tick" -v t0="$t0" -v t1="$t1" \
    'BEGIN {printf "%.2f %.3f\n", (a - b) / k, t1 - t0}'
}
ca=() cb=() wa=() wb=()
for ((r = 0; r < RUNS; r++)); do
  read -r c w <<<"$(daemon_run "$a")" && ca+=("$c") wa+=("$w")
  read -r c w <<<"$(daemon_run "$b")" && cb+=("$c") wb+=("$w")
done
med() { printf '%s\n' "$@" | median | cut -d' ' -f1; }
awk -v ca="$(med "${ca[@]}")" -v cb="$(med "${cb[@]}")" -v wa="$(med "${wa[@]}")" \
  -v wb="$(med "${wb[@]}")" -v n="$BYTES" 'BEGIN {
  printf "daemon dense   A cpu %6.2f s wall %6.2f s (%5.1f MB/s)   B cpu %6.2f s wall %6.2f s (%5.1f MB/s)   B/A cpu %.3f\n",
    ca, wa, n / wa / 1e6, cb, wb, n / wb / 1e6, cb / ca }'
