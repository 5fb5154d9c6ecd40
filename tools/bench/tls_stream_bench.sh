#!/usr/bin/env bash
# Benchmark (not a test): the CPU cost of TLS in net::SocketStream alone, this tree
# against BASE (a git revision, default main), TLS and plain: builds
# tools/bench/tls_stream_bench.cpp with g++ -O2 twice (the SocketStream sources of
# each revision, the rest of src/net from this tree), then runs each RUNS times
# (default 3) over MB megabytes (default 500). Prints read-side and write-side
# CPU seconds and MB per CPU second; a busy machine disturbs these far less than
# wall time. Needs only g++, Boost and OpenSSL (no CMake build).
#
#   BASE=0156da6 MB=500 RUNS=3 tools/bench/tls_stream_bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${BASE:-main}
mb=${MB:-500}
runs=${RUNS:-3}
out=${OUT:-build-tls-stream-bench}
mkdir -p "$out/base/include/newshound/net" "$out/base/src"
tests/support/make_test_certs.sh "$out/certs" >/dev/null 2>&1
git show "$base:include/newshound/net/socket_stream.hpp" >"$out/base/include/newshound/net/socket_stream.hpp"
git show "$base:src/net/socket_stream.cpp" >"$out/base/src/socket_stream.cpp"
common=(src/net/tls_context.cpp src/net/tls_inspect.cpp)
flags=(-std=c++20 -O2 -DNDEBUG -fcoroutines)
libs=(-lssl -lcrypto -lpthread)
# The base revision's SocketStream (and its private files, when it has any beside it).
base_srcs=("$out/base/src/socket_stream.cpp")
if git cat-file -e "$base:src/net/tls_session.cpp" 2>/dev/null; then
  git show "$base:src/net/tls_session.cpp" >"$out/base/src/tls_session.cpp"
  git show "$base:src/net/tls_session.hpp" >"$out/base/src/tls_session.hpp"
  base_srcs+=("$out/base/src/tls_session.cpp")
fi
g++ "${flags[@]}" -I"$out/base/include" -I"$out/base/src" -Iinclude tools/bench/tls_stream_bench.cpp \
  "${base_srcs[@]}" "${common[@]}" "${libs[@]}" -o "$out/bench-base" &
g++ "${flags[@]}" -Iinclude -Isrc/net tools/bench/tls_stream_bench.cpp src/net/socket_stream.cpp src/net/tls_session.cpp \
  "${common[@]}" "${libs[@]}" -o "$out/bench-head"
wait
echo "load before: $(uptime | sed 's/.*load average: //') on $(nproc) cores" >&2
for ((r = 0; r < runs; r++)); do
  for v in base head; do
    for tls in 1 0; do
      printf '%s (%s) ' "$v" "$([[ $v == base ]] && echo "$base" || git rev-parse --short HEAD)"
      "$out/bench-$v" "$out/certs" "$mb" "$tls"
    done
  done
done
echo "load after: $(uptime | sed 's/.*load average: //')" >&2
