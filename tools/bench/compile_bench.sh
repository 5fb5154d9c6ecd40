#!/usr/bin/env bash
# Benchmark (not a test): watch-list load + compile time, Hyperscan database size
# and peak RSS of `newshound check` for generated lists of 100 to 100,000 names
# (`newshound-gen names -n N --seed 42`), plus the topics file when topics load.
#
#   tools/bench/compile_bench.sh             # Release build in build-bench/
#
# Prints `check`'s summary line per size and writes $BDIR/compile_bench.csv.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
csv=$BDIR/compile_bench.csv
echo "list,entries,wall_s,peak_rss_kb,summary" >"$csv"
check() {  # name file
  printf '[[watchlist]]\npath = "%s"\n[admin]\nlisten = ""\n' "$(basename "$2")" >"$WORK/compile.toml"
  local out
  out=$(/usr/bin/time -f "time %e %M" "$BDIR/newshound" check --config "$WORK/compile.toml" 2>&1) || {
    echo "compile_bench: check failed on $2:" >&2
    echo "$out" | head -5 >&2
    return 0
  }
  read -r _ wall rss <<<"$(grep '^time ' <<<"$out" | tail -1)"
  summary=$(grep -iE 'database|compile' <<<"$out" | tr '\n' ' ' | tr -s ' ' | tr , ';')
  printf '%-16s %8s %7.2f s %8d KB  %s\n' "$1" "$(wc -l <"$2")" "$wall" "$rss" "$summary"
  echo "$1,$(wc -l <"$2"),$wall,$rss,$summary" >>"$csv"
}
for n in $SIZES; do
  bench_names "$n"
  check "names-$n" "$WORK/names-$n.names"
done
# Topics: guarded until `.topics` watch-lists load (`check` fails on them before).
for n in 1000 5000; do
  "$GEN" topics -n "$n" --seed 42 >"$WORK/topics-$n.topics"
  check "topics-$n" "$WORK/topics-$n.topics"
done
echo "csv: $csv" >&2
