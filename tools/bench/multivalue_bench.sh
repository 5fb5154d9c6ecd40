#!/usr/bin/env bash
# Benchmark (not a test): the cost of reading every text value (issue 20). The
# corpus (lib.sh) is rewritten as ninjs 3.x with several values per article: two
# headlines (main and a subtitle), two bodies (text/plain main and the same text as
# application/xhtml+xml), two descriptions (a summary and a caption); then one
# build's `scan --stats` runs over the plain corpus and over the rewritten one with
# the dense golden lists, RUNS times each, and prints the median MB/s and
# articles/s of each. With CALLGRIND=1 it also prints the instructions per input
# byte of one `scan --workers 1` over the first CALLGRIND_ARTICLES articles of each.
#
#   tools/bench/multivalue_bench.sh build-bench/newshound
set -euo pipefail
bin=$(realpath "${1:-build-bench/newshound}")
source "$(dirname "$0")/lib.sh"
export BENCH_BUILD=0
bench_init jq ${CALLGRIND:+valgrind}
bench_corpus
g=tests/fixtures/golden
lists=(-w $g/wire.names -w $g/markets.names -w $g/desk.topics)
multi=$WORK/corpus-multi.ndjson
jq -c '{uri, versioncreated, located,
  headlines: [{role: "main", value: .headline}, {role: "sub", value: ("Update: " + (.headline // ""))}],
  bodies: [{role: "main", contenttype: "text/plain", value: .body_text},
           {contenttype: "application/xhtml+xml", value: ("<div><p>" + (.body_text // "") + "</p></div>")}],
  descriptions: [{role: "summary", value: ((.body_text // "")[0:200])},
                 {role: "caption", value: ("Photo: " + (.headline // ""))}]}' \
  "$WORK/corpus.ndjson" >"$multi"

run() {  # label FILE
  local t=() bytes articles
  bytes=$(stat -c %s "$2")
  articles=$(wc -l <"$2")
  for ((r = 0; r < RUNS; r++)); do
    t+=("$("$bin" scan --stats --workers 1 "${lists[@]}" <"$2" 2>&1 >/dev/null |
      sed -nE 's/.*, scan ([0-9.]+) s.*/\1/p' || true)")
  done
  local m
  m=$(printf '%s\n' "${t[@]}" | median | cut -d' ' -f1)
  awk -v l="$1" -v s="$m" -v n="$bytes" -v a="$articles" 'BEGIN {
    printf "%-12s %10d bytes %7d articles  scan %7.3f s  %7.1f MB/s  %8.0f articles/s\n",
      l, n, a, s, n / s / 1e6, a / s }'
  if [[ -n ${CALLGRIND:-} ]]; then
    head -n "${CALLGRIND_ARTICLES:-2000}" "$2" >"$WORK/cg.ndjson"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" scan --workers 1 "${lists[@]}" \
      <"$WORK/cg.ndjson" 2>&1 >/dev/null | sed -nE 's/.*Collected : ([0-9]+).*/\1/p' |
      awk -v l="$1" -v n="$(stat -c %s "$WORK/cg.ndjson")" '{
        printf "%-12s instructions %.0f over %d bytes: %.1f per byte\n", l, $1, n, $1 / n }'
  fi
}
echo "input: $CORPUS_KIND; $RUNS runs each; 1 worker; golden dense lists" >&2
run plain "$WORK/corpus.ndjson"
run multi-value "$multi"
