#!/usr/bin/env bash
# Benchmark (not a test): watch-list load + compile time, Hyperscan database size
# and peak RSS of `newshound check` for generated lists of 100 to 100,000 names
# (`newshound-gen names -n N --seed 42`), plus the topics file when topics load.
#
#   tools/bench/compile_bench.sh             # Release build in build-bench/
#
# Prints wall and CPU seconds, peak RSS and `check`'s summary per size; writes
# $BDIR/compile_bench.csv. (The summary's compile time is wall clock.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
csv=$BDIR/compile_bench.csv
echo "list,entries,wall_s,cpu_s,peak_rss_kb,summary" >"$csv"
check() {  # name file
  printf '[[watchlist]]\npath = "%s"\n[admin]\nlisten = ""\n' "$(basename "$2")" >"$WORK/compile.toml"
  local out
  out=$(/usr/bin/time -f "time %e %M %U %S" "$BDIR/newshound" check --config "$WORK/compile.toml" 2>&1) || {
    echo "compile_bench: check failed on $2:" >&2
    echo "$out" | head -5 >&2
    return 0
  }
  read -r _ wall rss usr sys <<<"$(grep '^time ' <<<"$out" | tail -1)"
  cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
  summary=$(grep -iE 'database|compile' <<<"$out" | tr '\n' ' ' | tr -s ' ' | tr , ';')
  printf '%-16s %8s %7.2f s wall %6.2f s CPU %8d KB  %s\n' "$1" "$(wc -l <"$2")" "$wall" "$cpu" "$rss" "$summary"
  echo "$1,$(wc -l <"$2"),$wall,$cpu,$rss,$summary" >>"$csv"
}
for n in $SIZES; do
  bench_names "$n"
  check "names-$n" "$WORK/names-$n.names"
done
# Topics: guarded until `.topics` watch-lists load (`check` fails on them before).
for n in 1000 5000; do
  "$GEN" topics -n "$n" --seed 42 >"$WORK/topics-$n.topics"
  # A build without topic support reads the file as names: check the summary says topics.
  printf '[[watchlist]]\npath = "topics-%s.topics"\n[admin]\nlisten = ""\n' "$n" >"$WORK/compile.toml"
  if ! "$BDIR/newshound" check --config "$WORK/compile.toml" 2>&1 | grep -qi 'topic'; then
    echo "topics-$n: this build does not load .topics watch-lists; skipped" >&2
    continue
  fi
  check "topics-$n" "$WORK/topics-$n.topics"
done
echo "csv: $csv" >&2
