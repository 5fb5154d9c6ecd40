#!/usr/bin/env bash
# Benchmark (not a test): instructions the daemon spends on one copy of the corpus,
# with the story stage on and off, counted by valgrind (callgrind): a number this
# shared VM's load does not move, unlike the wall and CPU seconds of
# daemon_bench.sh. For each mode it runs the daemon (one worker, a tcp input, a
# file output taking every alert) twice under callgrind: once fed one article that
# matches nothing (startup, compiling the list, shutdown) and once fed the corpus;
# the difference is what the articles cost. Prints both, the ratio on/off, and
# leaves the callgrind files in $WORK/instr-{on,off}-{base,corpus}.out for
# callgrind_annotate.
#
#   NAMES=10000 tools/bench/daemon_instructions.sh     # Release build in build-bench/
#   BENCH_BUILD=0 BDIR=build-rel tools/bench/daemon_instructions.sh
#   MODES=on ...                                     # one mode only, no ratio
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPEAT=1
bench_init valgrind curl iproute2
bench_corpus
n=${NAMES:-10000}
bench_names "$n"
root=$PWD
echo '{"uri":"quiet","headline":"Nothing","body_text":"A quiet day."}' >"$WORK/quiet.ndjson"

# instructions MODE(on|off) INPUT TAG: the daemon's total instruction count.
instructions() {
  local mode=$1 input=$2 tag=$3 pin state alerts log expect pid
  pin=$(free_port)
  state=$WORK/instr-state
  alerts=$WORK/instr-alerts.ndjson
  log=$WORK/instr-$tag.log
  rm -rf "$state" "$alerts" && mkdir -p "$state"
  cat >"$WORK/instr.toml" <<TOML
workers = 1
state_dir = "$root/$state"
[stories]
enabled = $([[ $mode == on ]] && echo true || echo false)
[admin]
listen = ""
[[input]]
type = "tcp"
listen = "127.0.0.1:$pin"
[[output]]
stories = "all"
type = "file"
path = "$root/$alerts"
[[watchlist]]
path = "$root/$WORK/names-$n.names"
TOML
  expect=$( ("$BDIR/newshound" scan -w "$WORK/names-$n.names" <"$input" || true) | wc -l)
  valgrind --tool=callgrind --callgrind-out-file="$WORK/instr-$tag.out" \
    "$BDIR/newshound" run --config "$WORK/instr.toml" 2>"$log" &
  pid=$!
  for ((i = 0; i < 600; i++)); do
    grep -q "ready:" "$log" && break
    sleep 0.2
  done
  "$BDIR/newshound-replay" --port "$pin" "$input" 2>/dev/null
  for ((i = 0; i < 6000; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    [[ -f $alerts ]] && (($(wc -l <"$alerts") >= expect)) && ((expect > 0 || i >= 30)) && break
    sleep 0.1
  done
  kill -TERM "$pid"
  wait "$pid" || true
  if (($(wc -l <"$alerts") != expect)); then
    echo "daemon_instructions: $tag: $(wc -l <"$alerts") alerts, scan gives $expect; see $log" >&2
    exit 1
  fi
  sed -n 's/.*Collected : //p' "$log"
}

declare -A total
for mode in ${MODES:-on off}; do
  base=$(instructions "$mode" "$WORK/quiet.ndjson" "$mode-base")
  corpus=$(instructions "$mode" "$WORK/corpus1.ndjson" "$mode-corpus")
  total[$mode]=$((corpus - base))
  printf 'stories %-3s: %14d instructions (corpus %d - startup and shutdown %d)\n' \
    "$mode" "${total[$mode]}" "$corpus" "$base"
done
[[ -n ${total[on]:-} && -n ${total[off]:-} ]] || exit 0
awk -v on="${total[on]}" -v off="${total[off]}" -v k="$CORPUS_KIND" -v n="$n" \
  'BEGIN { printf "%s, %d names: on / off = %.3f (%.1f M instructions for the story stage)\n",
           k, n, on / off, (on - off) / 1e6 }'
