#!/usr/bin/env bash
# Benchmark (not a test): `newshound scan` on dense watch-lists, the lists users
# write: the corpus's own N most frequent capitalised two- and three-word phrases
# (tools/bench/dense_names.sh), which hit nearly every article several times, so
# the per-match work (snippets, alert encoding) dominates. Prints MB/s (the scan's
# own seconds, start-up excluded), articles/s, the share of articles that alert and
# matches per article; with INSTRUCTIONS=1 also the instructions of one
# `scan --workers 1` over the first SLICE articles inside the worker's
# PipelineWorker::process (decode, normalize, match, encode; valgrind
# --tool=callgrind, collecting only there: load and compile excluded, and a count
# that does not move with the machine's load; perf stat has no instruction
# counter on this VM), per article and per match.
#
#   tools/bench/dense_bench.sh                     # Release build in build-bench/
#   BENCH_BUILD=0 BDIR=build-rel RUNS=3 REPEAT=3 DENSE_SIZES="100 10000" \
#     WORKERS="1 2" INSTRUCTIONS=1 tools/bench/dense_bench.sh
#
# Input: the Reuters corpus repeated REPEAT times (lib.sh; a dense list needs the
# real corpus: with generated articles it would be built from them). Environment
# as lib.sh, plus DENSE_SIZES (default "100 1000 10000"), WORKERS (default "2"),
# INSTRUCTIONS, SLICE (default 2000), BIN (default $BDIR/newshound).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DENSE_SIZES=${DENSE_SIZES:-"100 1000 10000"}
bench_init jq ${INSTRUCTIONS:+valgrind}
bench_corpus
BIN=${BIN:-$BDIR/newshound}
SLICE=${SLICE:-2000}
WORKERS=${WORKERS:-2}
head -n "$SLICE" "$WORK/corpus1.ndjson" >"$WORK/dense-slice.ndjson"

# stats ARGS...: the summary line of one `scan --stats` of the corpus.
stats() { "$BIN" scan --stats "$@" <"$WORK/corpus.ndjson" 2>&1 >/dev/null | tail -1 || true; }
field() { sed -nE "s/.*[ ,]$1 ([0-9.]+).*/\1/p"; }
# instructions NAMES INPUT: instructions of one `scan --workers 1` inside
# PipelineWorker::process.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
    '--toggle-collect=newshound::PipelineWorker::process*' "$BIN" scan --workers 1 -w "$1" <"$2" \
    2>&1 >/dev/null | sed -nE 's/.*Collected : ([0-9]+).*/\1/p' || true
}

echo "input: $CORPUS_KIND, $BYTES bytes, $ARTICLES articles; $BIN; $RUNS runs, median" >&2
printf '%-12s %7s %9s %11s %8s %9s %14s %12s\n' list workers "MB/s" articles/s alerting \
  matches/a "instr/article" "instr/match"
for n in $DENSE_SIZES; do
  bench_dense_names "$n"
  names=$WORK/dense-$n.names
  ipa=- ipm=-
  if [[ -n ${INSTRUCTIONS:-} ]]; then
    line=$("$BIN" scan --stats --workers 1 -w "$names" <"$WORK/dense-slice.ndjson" 2>&1 >/dev/null | tail -1 || true)
    instr=$(instructions "$names" "$WORK/dense-slice.ndjson")
    read -r ipa ipm <<<"$(awk -v i="$instr" -v a="$(field articles <<<"$line")" \
      -v m="$(field matches <<<"$line")" 'BEGIN {printf "%.0f %.0f", i / a, i / m}')"
  fi
  for w in $WORKERS; do
    out=()
    for ((r = 0; r < RUNS; r++)); do out+=("$(stats --workers "$w" -w "$names")"); done
    last=${out[-1]}
    s=$(for o in "${out[@]}"; do field scan <<<"$o"; done | median | cut -d' ' -f1)
    awk -v l="dense-$n" -v w="$w" -v s="$s" -v b="$BYTES" -v a="$(field articles <<<"$last")" \
      -v al="$(field alerts <<<"$last")" -v m="$(field matches <<<"$last")" -v ipa="$ipa" \
      -v ipm="$ipm" 'BEGIN {
      printf "%-12s %7s %9.1f %11.0f %7.1f%% %9.2f %14s %12s\n", l, w, b / s / 1e6, a / s,
        100 * al / a, m / a, ipa, ipm }'
  done
done
