#!/usr/bin/env bash
# Benchmark (not a test): `newshound scan` throughput on the Reuters-21578 corpus
# (repeated REPEAT times, default 10)
# with generated name lists of several sizes, against GNU grep with the same
# names (-F -i -w, LC_ALL=C, piped through cat: GNU grep stops at the first match
# when its output is /dev/null) on the same input. Median of RUNS runs (default 5).
#
#   tools/bench/scan_bench.sh [build-dir]      # default: build-bench (Release)
#
# Prints a table and writes build-bench/scan_bench.csv. Needs ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
bdir=${1:-build-bench}
runs=${RUNS:-5}
sizes=${SIZES:-"100 1000 10000"}
corpus=../shared/corpus/reuters21578.ndjson.gz
[[ -f $corpus ]] || { echo "scan_bench: $corpus is absent; nothing to measure" >&2; exit 0; }

scripts/deps.sh
BUILD_TYPE=Release scripts/build.sh "$bdir" -DNEWSHOUND_TESTS=OFF >/dev/null
work=$bdir/bench
mkdir -p "$work"
repeat=${REPEAT:-10}  # the corpus is 22 MB: repeat it so timings are not dominated by start-up
gzip -dc "$corpus" >"$work/corpus1.ndjson"
: >"$work/corpus.ndjson"
for ((i = 0; i < repeat; i++)); do cat "$work/corpus1.ndjson" >>"$work/corpus.ndjson"; done
bytes=$(stat -c %s "$work/corpus.ndjson")
articles=$(wc -l <"$work/corpus.ndjson")

# Realistic generated names: first x last name pools, some with middle names.
gen_names() {
  awk -v n="$1" 'BEGIN {
    srand(42);
    split("James Maria Ahmed Li Olga Pierre Kenji Ana David Fatima Hans Yuki Carlos Ingrid Ravi Sofia John Mary Peter Paul Elena Ivan Chen Wei Omar Lucia Marco Anna Thomas Karl Jean Luis Ali Sara Mikhail Helmut Margaret Ronald Jacques Nigel", F, " ");
    split("Smith Baker Tanaka Muller Rossi Kowalski Nakamura Silva Novak Jensen Petrov Haddad Garcia Kim Olsen Dubois Schmidt Sato Moreau Ivanov Reagan Thatcher Kohl Volcker Baker Lawson Delors Nakasone Brown Wilson Clark Lewis Walker Young King Wright Lopez Hill Scott Green Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Murphy", L, " ");
    nf = length(F); nl = length(L); seen = 0;
    while (seen < n) {
      name = F[int(rand()*nf)+1] " " L[int(rand()*nl)+1];
      if (rand() < 0.7) name = F[int(rand()*nf)+1] " " substr("ABCDEFGHIJKLMNOPRSTVW", int(rand()*21)+1, 1) ". " L[int(rand()*nl)+1];
      if (!(name in have)) { have[name] = 1; print name; seen++ }
    }
  }'
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] " " a[1] " " a[NR]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN {print e - s}'; }
csv=$bdir/scan_bench.csv
echo "tool,names,median_s,min_s,max_s,startup_s,mb_per_s,mb_per_s_after_startup,articles_per_s" >"$csv"
printf '%-10s %8s %10s %10s %10s %14s %12s\n' tool names median_s startup_s MB/s MB/s-scan articles/s
for n in $sizes; do
  gen_names "$n" >"$work/names-$n.names"
  cut -d'|' -f1 "$work/names-$n.names" >"$work/names-$n.txt"
  # Start-up (process, watch-list load and Hyperscan compile) measured on empty input.
  startup=$(for ((r = 0; r < runs; r++)); do
    seconds sh -c "$bdir/newshound scan -w $work/names-$n.names < /dev/null"
  done | median | cut -d' ' -f1)
  for tool in newshound grep; do
    times=$(for ((r = 0; r < runs; r++)); do
      if [[ $tool == newshound ]]; then
        seconds sh -c "$bdir/newshound scan -w $work/names-$n.names < $work/corpus.ndjson"
      else
        seconds sh -c "LC_ALL=C grep -F -i -w -f $work/names-$n.txt $work/corpus.ndjson | cat"
      fi
    done | median)
    read -r med min max <<<"$times"
    st=0
    [[ $tool == newshound ]] && st=$startup
    mbs=$(awk -v b="$bytes" -v t="$med" 'BEGIN {print b / t / 1e6}')
    mbs_scan=$(awk -v b="$bytes" -v t="$med" -v s="$st" 'BEGIN {print (t > s) ? b / (t - s) / 1e6 : 0}')
    aps=$(awk -v a="$articles" -v t="$med" 'BEGIN {print a / t}')
    printf '%-10s %8d %10.3f %10.3f %10.1f %14.1f %12.0f\n' "$tool" "$n" "$med" "$st" "$mbs" "$mbs_scan" "$aps"
    echo "$tool,$n,$med,$min,$max,$st,$mbs,$mbs_scan,$aps" >>"$csv"
  done
done
echo "input: $bytes bytes, $articles articles; csv: $csv"
