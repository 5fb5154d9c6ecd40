#!/usr/bin/env bash
# Benchmark (not a test): daemon start-up time to "starting" (config read, lists
# loaded and compiled or loaded from <state_dir>/hs-cache) for generated lists of
# 10,000 and 100,000 names, without the cache (cold: the folder emptied first)
# and with it (warm: the second start). Three starts each; prints each time.
#
#   tools/bench/restart_bench.sh        # Release build in build-bench/
#   SIZES="10000" tools/bench/restart_bench.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIZES=${SIZES:-10000 100000}
bench_init

# start_ms CONFIG LOG: starts the daemon, waits for its "starting" line, stops it;
# prints the milliseconds from exec to that line.
start_ms() {
  local t0 t1 pid
  t0=$(date +%s%N)
  "$BDIR/newshound" run --config "$1" 2>"$2" &
  pid=$!
  until grep -q 'starting:' "$2" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "restart_bench: daemon died:" >&2; cat "$2" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  kill -TERM "$pid"
  wait "$pid" || true
  echo $(((t1 - t0) / 1000000))
}

for n in $SIZES; do
  bench_names "$n"
  state=$(realpath -m "$WORK/restart-state-$n")
  rm -rf "$state"
  mkdir -p "$state"
  cfg=$WORK/restart-$n.toml
  printf 'state_dir = "%s"\n[[input]]\ntype = "tcp"\nlisten = "127.0.0.1:%s"\n[[watchlist]]\npath = "%s"\n[admin]\nlisten = ""\n' \
    "$state" "$(free_port)" "names-$n.names" >"$cfg"
  cold=() warm=()
  for _ in 1 2 3; do
    rm -rf "$state/hs-cache"
    cold+=("$(start_ms "$cfg" "$WORK/restart.log")")
    warm+=("$(start_ms "$cfg" "$WORK/restart.log")")
  done
  grep -o 'loaded from the cache[^)]*' "$WORK/restart.log" >&2 || true
  printf '%-14s cold (compile) ms: %s   warm (cache) ms: %s   cache %s\n' "names-$n" "${cold[*]}" \
    "${warm[*]}" "$(du -sh "$state/hs-cache" | cut -f1)"
done
