#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets (tests/fuzz/) with clang in build-fuzz/,
# replays the saved regressions, then runs every target for FUZZ_SECONDS on a
# scratch copy of its seed corpus (tests/fuzz/corpus/ is never written).
# Exits non-zero if any target crashes, leaks, times out or breaks an invariant,
# printing the failing input's path and the command that reproduces it.
#
# The build compiles only what the targets test (the util, decode, normalize and
# match libraries, the line framer and the config loader): no daemon, no tests.
#
#   FUZZ_SECONDS=30      time per target
#   FUZZ_TARGETS="..."   subset of: framer_decoder newsml feed normalizer watchlist topics config
#   FUZZ_BUILD_DIR=...   build folder (default <repo>/build-fuzz)
#   FUZZ_JOBS=2          parallel compile jobs, and targets fuzzed at once
#   FUZZ_TOPICS_ROUNDTRIP=0  do not check that a topic's canonical form parses back
#                        to itself (checked by default; switch it off only to fuzz
#                        for crashes while a round-trip counterexample is open)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${FUZZ_SECONDS:-30}
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=(${FUZZ_TARGETS:-framer_decoder newsml feed normalizer watchlist topics config json_writer push_body})
export FUZZ_TOPICS_ROUNDTRIP=${FUZZ_TOPICS_ROUNDTRIP:-1}

# Longest input per target: long enough for many NDJSON lines or a rich article,
# short enough that a watch-list (one Hyperscan compile per input) stays fast.
declare -A max_len=([framer_decoder]=16384 [newsml]=16384 [feed]=16384 [normalizer]=8192 [watchlist]=4096 [topics]=4096
                    [config]=4096 [json_writer]=4096 [push_body]=16384)

# --- packages: the project's, then clang 14 and its libFuzzer runtime --------
"$root/scripts/deps.sh" clang libclang-rt-14-dev

# --- build ----------------------------------------------------------------------
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
generator=()
if [[ ! -f $build/CMakeCache.txt ]] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${generator[@]}" "${launcher[@]}" \
  -DNEWSHOUND_FUZZ=ON -DNEWSHOUND_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

# --- run ------------------------------------------------------------------------
# One folder of findings per run, so a report never shows an older run's input.
artifacts=$build/fuzz/artifacts/$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/newshound-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Prints what libFuzzer saved for target $1 and how to replay it.
report() {
  local t=$1 f found=0
  for f in "$artifacts/$t"-*; do
    [[ -e $f ]] || continue
    found=1
    echo "fuzz: $t: failing input saved as $f" >&2
    echo "fuzz:   reproduce: FUZZ_TOPICS_ROUNDTRIP=$FUZZ_TOPICS_ROUNDTRIP $build/fuzz/fuzz_$t $f" >&2
  done
  ((found)) || echo "fuzz: $t: no input saved (see the log above)" >&2
}

# fuzz_one TARGET: replays its regressions, then fuzzes it; its output goes to
# $work/TARGET.out, and $work/TARGET.failed names what failed (if anything). It
# writes $work/TARGET.done last: a runner that stopped before (set -e) failed too.
fuzz_one() {
  local t=$1 bin=$build/fuzz/fuzz_$1
  local common=(-timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$t]}"
                -artifact_prefix="$artifacts/$t-")
  local regressions
  shopt -s nullglob
  regressions=("$root"/tests/fuzz/regressions/"$t"-*)
  shopt -u nullglob
  if ((${#regressions[@]} > 0)); then
    echo "== $t: ${#regressions[@]} regression input(s)"
    if ! "$bin" "${common[@]}" "${regressions[@]}" >"$work/$t-regress.log" 2>&1; then
      tail -n 40 "$work/$t-regress.log"
      echo "fuzz: $t: a saved regression fails again; replay: $bin ${regressions[*]}"
      echo "$t (regression)" >"$work/$t.failed"
      : >"$work/$t.done"
      return
    fi
  fi
  echo "== $t: ${seconds}s, max_len ${max_len[$t]}"
  mkdir -p "$work/$t"
  cp -r "$root/tests/fuzz/corpus/$t/." "$work/$t/"
  if TMPDIR=$work "$bin" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    "$work/$t" >"$work/$t.log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+ +DONE' "$work/$t.log" || true
  else
    tail -n 60 "$work/$t.log"
    report "$t" 2>&1
    echo "$t" >"$work/$t.failed"
  fi
  : >"$work/$t.done"
}

# FUZZ_JOBS targets at a time (each libFuzzer run is single-threaded); their
# reports are printed in target order once all are done.
for t in "${targets[@]}"; do
  [[ -n ${max_len[$t]:-} ]] || { echo "fuzz: unknown target $t" >&2; exit 2; }
done
running=0
for t in "${targets[@]}"; do
  if ((running >= ${FUZZ_JOBS:-2})); then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$t" >"$work/$t.out" 2>&1 &
  running=$((running + 1))
done
wait || true
failed=()
for t in "${targets[@]}"; do
  if [[ -f $work/$t.failed || ! -f $work/$t.done ]]; then
    cat "$work/$t.out" >&2
    if [[ -f $work/$t.failed ]]; then
      failed+=("$(<"$work/$t.failed")")
    else
      failed+=("$t (its runner stopped early)")
    fi
  else
    cat "$work/$t.out"
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $artifacts)" >&2
  exit 1
fi
rmdir "$artifacts" 2>/dev/null || true
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a crash"
