#!/usr/bin/env bash
# Benchmark helpers (sourced by tools/bench/*.sh, not run on their own): the
# Release build, the workload (Reuters corpus repeated, or generated articles) and
# the generated watch-lists, timing with median/min/max, peak RSS.
#
# Environment: RUNS (runs per measurement, default 5), REPEAT (corpus copies,
# default 10), SIZES (list sizes, default "100 1000 10000 100000"), SYNTHETIC=1
# (use generated articles even when ../shared/corpus exists), BDIR (build dir),
# BENCH_BUILD=0 (do not build).

bench_init() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  BDIR=${BDIR:-build-bench}
  RUNS=${RUNS:-5}
  REPEAT=${REPEAT:-10}
  SIZES=${SIZES:-"100 1000 10000 100000"}
  WORK=$BDIR/bench
  mkdir -p "$WORK"
  scripts/deps.sh time ripgrep gnuplot-nox "$@"
  # BENCH_BUILD=0 measures an existing build in $BDIR as it is (any build type).
  if [[ ${BENCH_BUILD:-1} != 0 ]]; then
    BUILD_TYPE=Release TARGETS="newshound newshound-gen newshound-replay newshound-receive ${EXTRA_TARGETS:-}" \
      scripts/build.sh "$BDIR" -DNEWSHOUND_TESTS=OFF >/dev/null
  fi
  GEN=$BDIR/newshound-gen
  echo "load before: $(uptime | sed 's/.*load average: //') on $(nproc) cores" >&2
}

# The input: $WORK/corpus1.ndjson (one copy) and $WORK/corpus.ndjson (REPEAT copies).
bench_corpus() {
  local corpus=../shared/corpus/reuters21578.ndjson.gz
  if [[ -f $corpus && -z ${SYNTHETIC:-} ]]; then
    CORPUS_KIND="reuters21578 x$REPEAT"
    gzip -dc "$corpus" >"$WORK/corpus1.ndjson"
  else
    CORPUS_KIND="generated articles x$REPEAT (newshound-gen articles -n 20000 --seed 7)"
    "$GEN" names -n 1000 --seed 42 >"$WORK/mention.names"
    "$GEN" articles -n 20000 --seed 7 --names "$WORK/mention.names" >"$WORK/corpus1.ndjson"
  fi
  : >"$WORK/corpus.ndjson"
  for ((i = 0; i < REPEAT; i++)); do cat "$WORK/corpus1.ndjson" >>"$WORK/corpus.ndjson"; done
  BYTES=$(stat -c %s "$WORK/corpus.ndjson")
  ARTICLES=$(wc -l <"$WORK/corpus.ndjson")
  BYTES1=$(stat -c %s "$WORK/corpus1.ndjson")
  ARTICLES1=$(wc -l <"$WORK/corpus1.ndjson")
}

# $WORK/names-N.names (newshound) and $WORK/names-N.txt (every alias, one a line,
# for grep and ripgrep).
bench_names() {
  local n=$1
  [[ -f $WORK/names-$n.names ]] || "$GEN" names -n "$n" --seed 42 >"$WORK/names-$n.names"
  tr '|' '\n' <"$WORK/names-$n.names" >"$WORK/names-$n.txt"
}

# Prints "median min max" of the numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'; }

# Runs a shell command once; prints "wall_seconds peak_rss_kb cpu_seconds" (CPU =
# user + system of the command and its children). Output goes to /dev/null unless
# the command redirects it itself. On a loaded machine CPU seconds are the steadier
# number for one thread; wall seconds are what counts for several.
measure() {
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$WORK/rss" sh -c "$1" >/dev/null 2>&1 || true
  e=$(date +%s.%N)
  read -r m u y <<<"$(tail -1 "$WORK/rss")"
  awk -v s="$s" -v e="$e" -v m="$m" -v u="$u" -v y="$y" 'BEGIN {printf "%.4f %s %.2f\n", e - s, m, u + y}'
}

# Runs `measure` RUNS (or $2) times; sets MED MIN MAX (wall seconds), CPU (median
# CPU seconds) and RSS (max KB).
measure_runs() {
  local out
  out=$(for ((r = 0; r < ${2:-$RUNS}; r++)); do measure "$1"; done)
  read -r MED MIN MAX <<<"$(cut -d' ' -f1 <<<"$out" | median)"
  CPU=$(cut -d' ' -f3 <<<"$out" | median | cut -d' ' -f1)
  RSS=$(cut -d' ' -f2 <<<"$out" | sort -g | tail -1)
}

# A loopback port nothing listens on now (for the daemon benchmarks).
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    ss -ltn "( sport = :$p )" | grep -q ":$p" || { echo "$p"; return; }
  done
}

# $WORK/dense-N.names: the corpus's N most frequent capitalised two- and three-word
# phrases (tools/bench/dense_names.sh). The largest of DENSE_SIZES is built once
# from the one-copy corpus; the smaller lists are its first lines (the same order).
bench_dense_names() {
  local n=$1 top
  top=$(tr ' ' '\n' <<<"${DENSE_SIZES:-$n}" | sort -g | tail -1)
  ((top >= n)) || top=$n
  [[ -f $WORK/dense-$top.names ]] ||
    tools/bench/dense_names.sh "$top" "$WORK/corpus1.ndjson" >"$WORK/dense-$top.names"
  [[ -f $WORK/dense-$n.names ]] || head -n $((n + 2)) "$WORK/dense-$top.names" >"$WORK/dense-$n.names"
}
