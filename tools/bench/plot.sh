#!/usr/bin/env bash
# Plots scan_bench.csv (throughput after start-up against list size, one line per
# system and worker count) with gnuplot into an SVG.
#
#   tools/bench/plot.sh build-bench/scan_bench.csv docs/performance-throughput.svg
#   PLOT=cpu tools/bench/plot.sh ...   # MB per CPU-second instead (loaded machines)
set -euo pipefail
csv=$1 out=$2
col=12 ylabel='MB/s' what='MB/s of NDJSON input, wall clock, after start-up'
[[ ${PLOT:-} == cpu ]] && col=16 ylabel='MB per CPU-second' what='MB per CPU-second of NDJSON input, start-up included'

command -v gnuplot >/dev/null || { echo "plot: gnuplot is missing (package gnuplot-nox)" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
series=()
for key in "newshound,1" "newshound,2" "grep,1" "grep-utf8,1" "ripgrep,1"; do
  sys=${key%,*} w=${key#*,}
  f=$tmp/$sys-$w.dat
  awk -F, -v s="$sys" -v w="$w" -v c="$col" 'NR > 1 && $1 == s && $3 == w {print $2, $c}' "$csv" >"$f"
  [[ -s $f ]] || continue
  title=$sys
  [[ $sys == newshound ]] && title="newshound scan, $w worker$([[ $w == 1 ]] || echo s)"
  [[ $sys == grep-utf8 ]] && title="grep, C.UTF-8 locale"
  series+=("'$f' using 1:2 with linespoints lw 2 title '$title'")
done
IFS=,
gnuplot <<GP
set terminal svg size 800,480 dynamic font 'sans,12'
set output '$out'
set title 'Throughput against watch-list size ($what)'
set logscale xy
set xlabel 'names in the watch-list'
set ylabel '$ylabel'
set grid
set key outside right
plot ${series[*]}
GP
echo "plot: $out" >&2
