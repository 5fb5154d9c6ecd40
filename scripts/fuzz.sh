#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets (tests/fuzz/) with clang in build-fuzz/,
# replays the saved regressions, then runs every target for FUZZ_SECONDS on a
# scratch copy of its seed corpus (tests/fuzz/corpus/ is never written).
# Exits non-zero if any target crashes, leaks, times out or breaks an invariant;
# the failing input is left in build-fuzz/fuzz/artifacts/.
#
#   FUZZ_SECONDS=30      time per target
#   FUZZ_TARGETS="..."   subset of: framer_decoder normalizer watchlist config
#   FUZZ_BUILD_DIR=...   build folder (default <repo>/build-fuzz)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${FUZZ_SECONDS:-30}
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=(${FUZZ_TARGETS:-framer_decoder normalizer watchlist config})

# Longest input per target: long enough for many NDJSON lines or a rich article,
# short enough that a watch-list (one Hyperscan compile per input) stays fast.
declare -A max_len=([framer_decoder]=16384 [normalizer]=8192 [watchlist]=4096 [config]=4096)

# --- packages: the project's, then clang 14 and its libFuzzer runtime --------
"$root/scripts/deps.sh" clang libclang-rt-14-dev

# --- build ----------------------------------------------------------------------
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DNEWSHOUND_FUZZ=ON \
  -DNEWSHOUND_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

# --- run ------------------------------------------------------------------------
artifacts=$build/fuzz/artifacts
mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/newshound-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

failed=()
for t in "${targets[@]}"; do
  bin=$build/fuzz/fuzz_$t
  [[ -n ${max_len[$t]:-} ]] || { echo "fuzz: unknown target $t" >&2; exit 2; }
  common=(-timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$t]}"
          -artifact_prefix="$artifacts/$t-")

  # Saved crashers must stay fixed: each is replayed once.
  shopt -s nullglob
  regressions=("$root"/tests/fuzz/regressions/"$t"-*)
  shopt -u nullglob
  if ((${#regressions[@]} > 0)); then
    echo "== $t: ${#regressions[@]} regression input(s)"
    if ! "$bin" "${common[@]}" "${regressions[@]}" >"$work/$t-regress.log" 2>&1; then
      tail -n 40 "$work/$t-regress.log" >&2
      failed+=("$t (regression)")
      continue
    fi
  fi

  echo "== $t: ${seconds}s, max_len ${max_len[$t]}"
  mkdir -p "$work/$t"
  cp -r "$root/tests/fuzz/corpus/$t/." "$work/$t/"
  if TMPDIR=$work "$bin" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    "$work/$t" >"$work/$t.log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+ +DONE' "$work/$t.log" || true
  else
    tail -n 60 "$work/$t.log" >&2
    failed+=("$t")
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $artifacts)" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a crash"
