#!/usr/bin/env bash
# Benchmark (not a test): two builds of newshound side by side, for a change that
# must not cost speed (a refactor). For each list, runs `scan --stats` of build A
# and build B in turn, RUNS times each, and prints the median scan seconds (the
# process's own, start-up excluded) and MB/s of each, and B's ratio to A. With
# CALLGRIND=1 it also counts instructions of one `scan --workers 1` of each build on
# the first CALLGRIND_ARTICLES articles (valgrind --tool=callgrind): a count that
# does not depend on what else the machine is doing.
#
#   tools/bench/ab_bench.sh OLD/newshound NEW/newshound
#   RUNS=7 WORKERS=2 SIZES="100 10000" CALLGRIND=1 tools/bench/ab_bench.sh A B
#
# Input: the Reuters corpus repeated REPEAT times (lib.sh); lists: generated names
# (`newshound-gen names -n N --seed 42`) and the dense golden lists of
# tests/fixtures/golden/ (nearly every article alerts, several matches each).
set -euo pipefail
a=$(realpath "$1") b=$(realpath "$2")
source "$(dirname "$0")/lib.sh"
export BENCH_BUILD=0  # measures the two builds given, builds nothing
bench_init ${CALLGRIND:+valgrind}
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
      printf "%-14s instructions on %d articles: A %d  B %d  B/A %.4f\n", l, n, $1, $2, $2 / $1 }'
  fi
}

echo "input: $CORPUS_KIND, $BYTES bytes; A = $a; B = $b; $RUNS runs each, interleaved" >&2
for n in ${SIZES:-100 10000}; do
  bench_names "$n"
  compare "names-$n" -w "$WORK/names-$n.names"
done
compare "golden-dense" -w $g/wire.names -w $g/markets.names -w $g/desk.topics
