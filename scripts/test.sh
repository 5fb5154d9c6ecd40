#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite twice: once in
# a normal build (./build) and once under AddressSanitizer + UBSan (./build-asan).
# SKIP_ASAN=1 runs only the first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

jobs=$(nproc)
echo "== build (RelWithDebInfo)"
scripts/build.sh build
echo "== tests"
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900

if [[ -z "${SKIP_ASAN:-}" ]]; then
  echo "== build (ASan + UBSan)"
  BUILD_TYPE=Debug scripts/build.sh build-asan -DNEWSHOUND_SANITIZE=ON
  echo "== tests under ASan + UBSan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900
fi
