#!/usr/bin/env bash
# Benchmark (not a test): the daemon end to end. newshound-replay sends the corpus
# over TCP to `newshound run` (workers = WORKERS, default one per core), alerts go
# to a file output. Measures:
#   - peak throughput: MB/s and articles/s from the first alert's received_at to the
#     last alert's alerted_at, at full speed (median of RUNS);
#   - latency from receipt to alert at 50% and 90% of that peak rate (replay
#     --rate, DURATION seconds of feed, default 10): p50/p99/p99.9 from the alerts'
#     received_at/alerted_at (millisecond stamps) and from the daemon's
#     newshound_alert_latency_seconds histogram on /metrics (bucket upper bounds);
#   - the daemon's peak RSS (VmHWM), and its CPU seconds (utime + stime from
#     /proc/PID/stat at the end) with the MB of input per CPU second over the
#     whole run: steadier than wall throughput on a shared, busy machine.
#
#   NAMES=10000 tools/bench/daemon_bench.sh          # Release build in build-bench/
#   TCP_OUT=1 tools/bench/daemon_bench.sh            # alerts over TCP to newshound-receive
#   TLS=1 tools/bench/daemon_bench.sh                # the TLS cost: TLS tcp input (replay
#       --tls-ca) and TLS tcp output (newshound-receive --tls-cert/--tls-key), with
#       certificates from tests/support/make_test_certs.sh; compare with TCP_OUT=1.
#   TLS_IN=1 tools/bench/daemon_bench.sh             # a TLS tcp input alone (alerts to the
#       file output, as in the plain mode); compare with the plain mode.
#   STORIES=0 tools/bench/daemon_bench.sh            # the story stage off ([stories]
#       enabled = false); by default it is on, its store in a fresh state_dir, and the
#       output takes every alert (stories = "all") so both modes write the same alerts.
#
# Compare with `scan_bench.sh` on the same input (the issue's target: at least 70%).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init curl iproute2
bench_corpus
n=${NAMES:-10000}
duration=${DURATION:-10}
bench_names "$n"
pin=$(free_port) padmin=$(free_port) pout=$(free_port)
alerts=$WORK/daemon-alerts.ndjson
: >"$alerts"
tls=${TLS:-0}
tls_in=${TLS_IN:-$tls}
tcp_out=${TCP_OUT:-$tls}
input_tls="" output_tls="" replay_tls=() receive_tls=()
if [[ $tls == 1 || $tls_in == 1 ]]; then
  certs=$WORK/certs
  tests/support/make_test_certs.sh "$certs" >/dev/null 2>&1
fi
if [[ $tls_in == 1 ]]; then
  input_tls="tls = { crt_file = \"$PWD/$certs/server.pem\", key_file = \"$PWD/$certs/server.key\" }"
  replay_tls=(--tls-ca "$certs/ca.pem")
fi
if [[ $tls == 1 ]]; then
  output_tls="tls = { ca_file = \"$PWD/$certs/ca.pem\" }"
  receive_tls=(--tls-cert "$certs/server.pem" --tls-key "$certs/server.key")
fi
if [[ $tcp_out == 1 ]]; then
  "$BDIR/newshound-receive" --port "$pout" --out "$alerts" "${receive_tls[@]}" 2>"$WORK/receive.log" &
  receiver=$!
  output="type = \"tcp\"
connect = \"127.0.0.1:$pout\"
$output_tls"
else
  receiver=""
  output="type = \"file\"
path = \"daemon-alerts.ndjson\""
fi
stories=$([[ ${STORIES:-1} == 0 ]] && echo false || echo true)
rm -rf "$WORK/state" && mkdir -p "$WORK/state"
cat >"$WORK/daemon.toml" <<TOML
workers = ${WORKERS:-0}
state_dir = "state"
[stories]
enabled = $stories
[log]
level = "warn"
[admin]
listen = "127.0.0.1:$padmin"
[[input]]
type = "tcp"
listen = "127.0.0.1:$pin"
$input_tls
[[output]]
stories = "all"
$output
[[watchlist]]
path = "names-$n.names"
TOML
"$BDIR/newshound" run --config "$WORK/daemon.toml" 2>"$WORK/daemon.log" &
daemon=$!
trap 'kill $daemon ${receiver:-} 2>/dev/null || true' EXIT
for ((i = 0; i < 200; i++)); do
  curl -fs "127.0.0.1:$padmin/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

# Alerts per copy of the corpus, from scan (the daemon must produce the same number).
per_copy=$("$BDIR/newshound" scan -w "$WORK/names-$n.names" <"$WORK/corpus1.ndjson" | wc -l)
# Seconds of day of an RFC 3339 stamp.
secs='function s(t,  x) { split(substr(t, 12, 12), x, ":"); return x[1] * 3600 + x[2] * 60 + x[3] }'

# send FILE [RATE]: replays FILE and waits until its alerts arrived; leaves the
# new alert lines in $WORK/last-alerts.ndjson.
sent_bytes=0
send() {
  local before expect
  before=$(wc -l <"$alerts")
  expect=$(($(wc -l <"$1") / ARTICLES1 * per_copy))
  sent_bytes=$((sent_bytes + $(stat -c %s "$1")))
  "$BDIR/newshound-replay" --port "$pin" "${replay_tls[@]}" ${2:+--rate "$2"} "$1" 2>/dev/null
  for ((i = 0; i < 1200; i++)); do
    (($(wc -l <"$alerts") - before >= expect)) && break
    sleep 0.05
  done
  tail -n +$((before + 1)) "$alerts" >"$WORK/last-alerts.ndjson"
}
# Elapsed seconds from the first received_at to the last alerted_at.
span() {
  awk "$secs"'{ match($0, /"received_at":"[^"]*"/); r = s(substr($0, RSTART + 15, 24));
               match($0, /"alerted_at":"[^"]*"/); a = s(substr($0, RSTART + 14, 24));
               if (NR == 1 || r < first) first = r; if (a > last) last = a }
             END { print last - first }' "$WORK/last-alerts.ndjson"
}
latency() {  # percentiles (ms) of alerted_at - received_at
  awk "$secs"'{ match($0, /"received_at":"[^"]*"/); r = s(substr($0, RSTART + 15, 24));
               match($0, /"alerted_at":"[^"]*"/); a = s(substr($0, RSTART + 14, 24));
               print (a - r) * 1000 }' "$WORK/last-alerts.ndjson" | sort -g |
    awk '{v[NR] = $1} END { i50 = int(NR * 0.5 + 0.999); i99 = int(NR * 0.99 + 0.999); i999 = int(NR * 0.999 + 0.999);
                          printf "%.0f %.0f %.0f %d", v[i50], v[i99], v[i999], NR }'
}
histogram() { curl -fs "127.0.0.1:$padmin/metrics" | grep '^newshound_alert_latency_seconds_bucket'; }
# Percentiles (ms, bucket upper bounds) of the histogram difference between two snapshots.
hist_pct() {
  awk -F'[" ]' 'NR == FNR { b[$2] = $NF; next } { d = $NF - b[$2]; le[++k] = $2; c[k] = d }
      END { n = c[k]; split("0.5 0.99 0.999", p, " ");
            for (j = 1; j <= 3; j++) for (i = 1; i <= k; i++) if (c[i] >= p[j] * n) {
              printf "%s%s", (j > 1 ? " " : ""), (le[i] == "+Inf" ? "inf" : le[i] * 1000); break } }' "$1" "$2"
}

csv=$BDIR/daemon_bench.csv
mode=plain
[[ $tcp_out == 1 ]] && mode=tcp-out
[[ $tls_in == 1 ]] && mode=tls-in
[[ $tls == 1 ]] && mode=tls
echo "mode,names,rate_articles_per_s,articles,alerts,seconds,mb_per_s,articles_per_s,p50_ms,p99_ms,p999_ms,hist_p50_ms,hist_p99_ms,hist_p999_ms" >"$csv"
echo "input: $CORPUS_KIND, $BYTES bytes, $ARTICLES articles; $n names; daemon workers=${WORKERS:-0}; mode $mode" >&2
# CPU seconds of the daemon (all threads) so far: utime + stime of /proc/PID/stat.
cpu_now() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$daemon/stat"; }
cpu_full0=$(cpu_now)
times=$(for ((r = 0; r < RUNS; r++)); do send "$WORK/corpus.ndjson"; span; done)
cpu_full=$(awk -v a="$(cpu_now)" -v b="$cpu_full0" 'BEGIN { printf "%.2f", a - b }')
read -r MED MIN MAX <<<"$(median <<<"$times")"
peak=$(awk -v a="$ARTICLES" -v t="$MED" 'BEGIN {printf "%.0f", a / t}')
mbs=$(awk -v b="$BYTES" -v t="$MED" 'BEGIN {printf "%.1f", b / t / 1e6}')
printf 'full speed: median %.3f s (min %.3f, max %.3f): %s MB/s, %s articles/s\n' "$MED" "$MIN" "$MAX" "$mbs" "$peak"
echo "$mode-full,$n,0,$ARTICLES,$(wc -l <"$WORK/last-alerts.ndjson"),$MED,$mbs,$peak,,,,,," >>"$csv"
# The full-speed runs alone: input MB per daemon CPU second (the csv's
# "<mode>-full-cpu" row), the figure a busy machine disturbs least.
mb_full_cpu=$(awk -v b="$BYTES" -v r="$RUNS" -v c="$cpu_full" 'BEGIN { printf "%.1f", (c > 0 ? b * r / c / 1e6 : 0) }')
echo "full speed daemon CPU: $cpu_full s for $RUNS x $((BYTES / 1000000)) MB: $mb_full_cpu MB per CPU second"
echo "$mode-full-cpu,$n,,,,$cpu_full,$mb_full_cpu,,,,,,," >>"$csv"
for pct in 50 90; do
  rate=$((peak * pct / 100))
  lines=$((rate * duration))
  ((lines > ARTICLES)) && lines=$ARTICLES
  lines=$((lines / ARTICLES1 * ARTICLES1))  # whole copies, so the alert count is known
  ((lines == 0)) && lines=$ARTICLES1
  head -n "$lines" "$WORK/corpus.ndjson" >"$WORK/rate.ndjson"
  histogram >"$WORK/hist-before"
  send "$WORK/rate.ndjson" "$rate"
  histogram >"$WORK/hist-after"
  read -r p50 p99 p999 count <<<"$(latency)"
  read -r h50 h99 h999 <<<"$(hist_pct "$WORK/hist-before" "$WORK/hist-after")"
  printf '%d%% of peak (%d articles/s, %d articles): alerts %d; latency p50 %s ms, p99 %s ms, p99.9 %s ms (histogram: <= %s, %s, %s ms)\n' \
    "$pct" "$rate" "$lines" "$count" "$p50" "$p99" "$p999" "$h50" "$h99" "$h999"
  echo "$mode-rate$pct,$n,$rate,$lines,$count,,,,$p50,$p99,$p999,$h50,$h99,$h999" >>"$csv"
done
echo "daemon peak RSS: $(grep VmHWM /proc/$daemon/status | awk '{print $2, $3}')"
# CPU seconds of the daemon (all threads) over the whole run, and input MB per CPU
# second (the csv's "<mode>-cpu" row: seconds = CPU seconds, mb_per_s = MB per CPU second).
cpu=$(cpu_now)
mb_cpu=$(awk -v b="$sent_bytes" -v c="$cpu" 'BEGIN { printf "%.1f", (c > 0 ? b / c / 1e6 : 0) }')
echo "daemon CPU: $cpu s (utime + stime) for $((sent_bytes / 1000000)) MB in: $mb_cpu MB per CPU second ($mode)"
echo "$mode-cpu,$n,,,,$cpu,$mb_cpu,,,,,,," >>"$csv"
echo "load after: $(uptime | sed 's/.*load average: //'); csv: $csv" >&2
