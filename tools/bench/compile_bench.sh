#!/usr/bin/env bash
# Benchmark (not a test): watch-list compile time, database size and peak RSS of
# `newshound check` on a generated list of 27,000 entities with two aliases each
# ("First M. Last-Last|First Last-Last", every combination of fixed pools).
#
#   tools/bench/compile_bench.sh [build-dir]      # default: build-bench (Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
bdir=${1:-build-bench}
scripts/deps.sh time
BUILD_TYPE=Release TARGETS=newshound scripts/build.sh "$bdir" -DNEWSHOUND_TESTS=OFF >/dev/null
work=$bdir/bench
mkdir -p "$work"
awk 'BEGIN {
  split("James Maria Ahmed Li Olga Pierre Kenji Ana David Fatima Hans Yuki Carlos Ingrid Ravi Sofia John Mary Peter Paul Elena Ivan Chen Wei Omar Lucia Marco Anna Thomas Karl", F, " ");
  split("Smith Baker Tanaka Muller Rossi Kowalski Nakamura Silva Novak Jensen Petrov Haddad Garcia Kim Olsen Dubois Schmidt Sato Moreau Ivanov Reagan Thatcher Kohl Volcker Lawson Delors Brown Wilson Clark Lewis", L, " ");
  for (a = 1; a <= 30; a++) for (b = 1; b <= 30; b++) for (c = 1; c <= 30; c++)
    print F[a] " " substr("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (b % 26) + 1, 1) ". " L[c] "-" L[b] "|" F[a] " " L[c] "-" L[b]
}' >"$work/compile.names"
printf '[[watchlist]]\npath = "compile.names"\n[admin]\nlisten = ""\n' >"$work/compile.toml"
/usr/bin/time -f "check: %e s wall, %M KB peak RSS" "$bdir/newshound" check --config "$work/compile.toml" | tail -1
