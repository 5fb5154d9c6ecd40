#!/usr/bin/env bash
# Configures and builds newshound into ./build (or $1), leaving build/newshound.
# Extra arguments after the directory go to CMake (e.g. -DNEWSHOUND_SANITIZE=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
