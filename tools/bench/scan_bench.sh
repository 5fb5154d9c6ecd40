#!/usr/bin/env bash
# Benchmark (not a test): `newshound scan` throughput with 1 and 2 workers against
# GNU grep and ripgrep on the same input with the same names, for generated
# watch-lists of several sizes. Also peak RSS and start-up (load + compile) time;
# newshound's start-up and scan seconds are its own (`scan --stats`), so MB/s-scan
# is the scan alone, not the run minus a separately measured start-up.
#
#   tools/bench/scan_bench.sh            # Release build in build-bench/
#   RUNS=3 SIZES="100 10000" REPEAT=5 tools/bench/scan_bench.sh
#
# Input: the Reuters-21578 corpus from ../shared/corpus repeated REPEAT times, or
# generated articles when it is absent (or SYNTHETIC=1). Lists: `newshound-gen
# names -n N --seed 42` (people, organisations, places with aliases); grep and
# ripgrep get every alias, one a line: -F -i -w (LC_ALL=C), output piped through
# cat (GNU grep stops at the first match when its output is /dev/null). When an
# alternative is slow it runs on one copy of the corpus, or on its first 2 MB,
# and fewer times (the table says which): MB/s stays comparable.
#
# grep-utf8 is GNU grep in the C.UTF-8 locale, the only way it folds case beyond
# ASCII (`Zoë`/`ZOË`) as newshound does: it is so slow with large lists that it
# runs once on the first UTF8_PROBE_BYTES (default 200,000) of the corpus, for
# lists up to UTF8_MAX_NAMES (default 10000). TOPICS=N (default 1000; 0 = none)
# adds a `newshound+topics` row: the largest list up to 10,000 names plus N
# generated topics (`newshound-gen topics -n N --seed 42`); TOPIC_OPERATORS=new
# generates them with the issue-17 operators instead (`--operators new`: `~` word
# forms, NEAR/s, NEAR/p, MENTIONS, lang:), in a `newshound+new-ops` row.
#
# Prints a table with ratios, writes $BDIR/scan_bench.csv and plots it into
# docs/performance-throughput.svg (tools/bench/plot.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
bench_corpus
ALT_MAX_S=${ALT_MAX_S:-20}  # longest single run (CPU s) of an alternative on the full sample
# grep and ripgrep run for lists up to ALT_MAX_NAMES (default 10000): beyond, a 2 MB
# probe alone takes many minutes.
csv=$BDIR/scan_bench.csv
echo "system,names,workers,input_bytes,articles,runs,median_s,min_s,max_s,startup_s,mb_per_s,mb_per_s_after_startup,articles_per_s,peak_rss_kb,cpu_s,mb_per_cpu_s" >"$csv"
echo "input: $CORPUS_KIND, $BYTES bytes, $ARTICLES articles; $RUNS runs each" >&2
printf '%-10s %7s %3s %7s %4s %8s %8s %8s %9s %9s %9s %10s %7s %9s %8s\n' system names w in_MB runs \
  median_s min_s max_s startup_s MB/s MB/s-scan articles/s cpu_s MB/cpu-s RSS_MB
row() {  # system names workers bytes articles runs startup [scan_seconds]
  local mbs mbs_scan aps mbcpu scan=${8:-}
  [[ -n $scan ]] || scan=$(awk -v t="$MED" -v s="$7" 'BEGIN {print t - s}')
  mbs=$(awk -v b="$4" -v t="$MED" 'BEGIN {printf "%.1f", b / t / 1e6}')
  mbs_scan=$(awk -v b="$4" -v t="$scan" 'BEGIN {printf "%.1f", (t > 0) ? b / t / 1e6 : 0}')
  aps=$(awk -v a="$5" -v t="$MED" 'BEGIN {printf "%.0f", a / t}')
  mbcpu=$(awk -v b="$4" -v c="$CPU" 'BEGIN {printf "%.1f", (c > 0 ? b / c / 1e6 : 0)}')
  printf '%-10s %7d %3s %7.1f %4d %8.3f %8.3f %8.3f %9.3f %9s %9s %10s %7s %9s %8.1f\n' "$1" "$2" "$3" \
    "$(awk -v b="$4" 'BEGIN {print b / 1e6}')" "$6" "$MED" "$MIN" "$MAX" "$7" "$mbs" "$mbs_scan" "$aps" \
    "$CPU" "$mbcpu" "$(awk -v r="$RSS" 'BEGIN {print r / 1024}')"
  echo "$1,$2,$3,$4,$5,$6,$MED,$MIN,$MAX,$7,$mbs,$mbs_scan,$aps,$RSS,$CPU,$mbcpu" >>"$csv"
  LAST_MBS=$mbs_scan LAST_MBCPU=$mbcpu
}
# newshound_runs ARGS: RUNS runs of `newshound scan ARGS --stats < corpus`; besides
# measure_runs' numbers sets STARTUP and SCAN (median seconds of load + compile and
# of the scan itself, as the process measured them: --stats).
newshound_runs() {
  local stats=$WORK/stats
  : >"$stats"
  measure_runs "$BDIR/newshound scan $1 --stats < $WORK/corpus.ndjson 2>>$stats"
  STARTUP=$(sed -n 's/.*load+compile \([0-9.]*\) s.*/\1/p' "$stats" | median | cut -d' ' -f1)
  SCAN=$(sed -n 's/.*, scan \([0-9.]*\) s$/\1/p' "$stats" | median | cut -d' ' -f1)
}
head -c 2000000 "$WORK/corpus1.ndjson" | sed '$d' >"$WORK/probe.ndjson"  # whole lines only
head -c "${UTF8_PROBE_BYTES:-200000}" "$WORK/corpus1.ndjson" | sed '$d' >"$WORK/probe-utf8.ndjson"
largest=100
for n in $SIZES; do
  bench_names "$n"
  names=$WORK/names-$n.names
  declare -A mbs=() cpu=()
  for w in 1 2; do
    newshound_runs "-w $names --workers $w"
    row newshound "$n" "$w" "$BYTES" "$ARTICLES" "$RUNS" "$STARTUP" "$SCAN"
    mbs[newshound$w]=$LAST_MBS
    cpu[newshound$w]=$LAST_MBCPU
  done
  if ((n <= ${UTF8_MAX_NAMES:-10000})); then
    input=$WORK/probe-utf8.ndjson
    measure_runs "LC_ALL=C.UTF-8 timeout 1800 grep -F -i -w -f $WORK/names-$n.txt $input | cat" 1
    row grep-utf8 "$n" 1 "$(stat -c %s "$input")" "$(wc -l <"$input")" 1 0
    # Unrounded: with large lists the rate is far below the table's 0.1 MB/s.
    mbs[grep-utf8]=$(awk -v b="$(stat -c %s "$input")" -v t="$MED" 'BEGIN {printf "%.9f", b / t / 1e6}')
  fi
  for sys in grep ripgrep; do
    ((n <= ${ALT_MAX_NAMES:-10000})) || { mbs[$sys]=0 cpu[$sys]=0; continue; }
    if [[ $sys == grep ]]; then
      cmd="LC_ALL=C timeout 900 grep -F -i -w -f $WORK/names-$n.txt"
    else
      cmd="LC_ALL=C timeout 900 rg --no-config -F -i -w -f $WORK/names-$n.txt"
    fi
    # Probe on 2 MB; run on one corpus copy if that stays under ALT_MAX_S.
    read -r _ _ probe <<<"$(measure "$cmd $WORK/probe.ndjson | cat")"  # CPU s: load-proof
    est=$(awk -v p="$probe" -v b="$BYTES1" -v pb="$(stat -c %s "$WORK/probe.ndjson")" 'BEGIN {print p * b / pb}')
    if awk -v e="$est" -v m="$ALT_MAX_S" 'BEGIN {exit !(e < m)}'; then
      input=$WORK/corpus1.ndjson
      ib=$BYTES1 ia=$ARTICLES1
    else
      input=$WORK/probe.ndjson
      ib=$(stat -c %s "$input") ia=$(wc -l <"$input")
    fi
    runs=$RUNS
    awk -v e="$est" 'BEGIN {exit !(e > 10)}' && runs=1
    measure_runs "$cmd $input | cat" "$runs"
    row "$sys" "$n" 1 "$ib" "$ia" "$runs" 0
    mbs[$sys]=$LAST_MBS
    cpu[$sys]=$LAST_MBCPU
  done
  awk -v n="$n" -v a="${mbs[newshound1]}" -v b="${mbs[newshound2]}" -v g="${mbs[grep]}" -v r="${mbs[ripgrep]}" \
    -v ca="${cpu[newshound1]}" -v cg="${cpu[grep]}" -v cr="${cpu[ripgrep]}" \
    'function q(x, y) { return y > 0 ? sprintf("%.1f", x / y) : "n/a" }
     BEGIN {printf "ratios, %d names: wall MB/s newshound(1 worker)/grep %s, /ripgrep %s; newshound(2 workers)/grep %s, /ripgrep %s; 2 workers/1 worker %s. MB per CPU-second, newshound/grep %s, /ripgrep %s\n", n, q(a, g), q(a, r), q(b, g), q(b, r), q(b, a), q(ca, cg), q(ca, cr)}'
  [[ -n ${mbs[grep-utf8]:-} ]] && awk -v n="$n" -v b="${mbs[newshound2]}" -v u="${mbs[grep-utf8]}" \
    'BEGIN {if (u > 0) printf "ratio, %d names: newshound(2 workers)/grep in C.UTF-8 %.0f\n", n, b / u}'
  largest=$n
done
topics=${TOPICS:-1000}
if ((topics > 0)); then
  ((largest <= 10000)) || largest=10000
  bench_names "$largest"
  ops=${TOPIC_OPERATORS:-classic}
  tfile=$WORK/topics-$topics-$ops.topics
  [[ -f $tfile ]] || "$GEN" topics -n "$topics" --seed 42 --operators "$ops" >"$tfile"
  lists="-w $WORK/names-$largest.names -w $tfile"
  newshound_runs "$lists --workers 2"
  label=newshound+topics
  [[ $ops == classic ]] || label=newshound+new-ops
  row "$label" "$largest" 2 "$BYTES" "$ARTICLES" "$RUNS" "$STARTUP" "$SCAN"
  echo "($label: $largest names and $topics generated topics ($ops operators), 2 workers)" >&2
fi
echo "load after: $(uptime | sed 's/.*load average: //'); csv: $csv" >&2
tools/bench/plot.sh "$csv" docs/performance-throughput.svg
