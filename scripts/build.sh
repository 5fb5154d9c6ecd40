#!/usr/bin/env bash
# Configures and builds newshound into ./build (or $1), leaving build/newshound.
# Extra arguments after the directory go to CMake (e.g. -DNEWSHOUND_SANITIZE=ON).
# TARGETS="a b" builds only those targets (default: everything, tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
targets=()
for t in ${TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
