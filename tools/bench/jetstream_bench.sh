#!/usr/bin/env bash
# Benchmark (not a test): newshound on NATS JetStream (issue 16). Starts
# `nats-server -js` on a free loopback port with a temporary store, then for each
# daemon count in DAEMONS (default "1 2 3"):
#   - throughput: ARTICLES (file storage) is created afresh and the corpus (REPEAT
#     copies; JS_ARTICLES=N takes only the corpus's first N articles) published
#     into it by newshound-jspub (async publish acks), each copy's uri made unique
#     (uri#c<copy>) so every copy raises its own alerts; then that many daemons
#     start on one durable pull consumer with a jetstream output into ALERTS
#     (Nats-Msg-Id = alert id) and run until ALERTS holds every expected alert
#     (scan's count for one copy x REPEAT) and the consumer has nothing pending.
#     articles/s = articles / span, the span running from the first alerting
#     article a daemon received (the earliest received_at of the alerts, as
#     daemon_bench.sh; on the Reuters corpus the first alerting article comes
#     within the first few dozen) to the last alert the server stored (its
#     stream timestamp): start-up and compile are left out;
#   - latency: with the daemons idle, LAT_SECONDS (default 10) of articles at
#     LAT_PCT percent (default 50) of that rate are published paced (tag "lat"),
#     and each alert's latency is its stream timestamp (the server stored it: the
#     moment of its publish ack) minus its article's stream timestamp (the moment
#     the article's publish was stored): p50/p99/p99.9 in ms. Both stamps come
#     from the one server's clock.
# Each daemon runs WORKERS matching workers (default 0: one per core, as
# daemon_bench.sh), BATCH (64) and MAX_ACK_PENDING (1024) on its input; its
# output takes every alert (stories = "all", as daemon_bench.sh), so the count
# is scan's. WAIT_SECONDS (600) bounds each wait for the alerts.
# Prints one line per daemon count and writes $BDIR/jetstream_bench.csv.
#
#   NAMES=10000 tools/bench/jetstream_bench.sh         # Release build in build-bench/
#   JS_ARTICLES=300 REPEAT=1 DAEMONS="1 2" tools/bench/jetstream_bench.sh   # a quick check
set -euo pipefail
source "$(dirname "$0")/lib.sh"
EXTRA_TARGETS="newshound-jspub ${EXTRA_TARGETS:-}" bench_init  # nats-server: scripts/deps.sh
bench_corpus
if [[ -n ${JS_ARTICLES:-} ]]; then  # a small input: the first JS_ARTICLES articles
  head -n "$JS_ARTICLES" "$WORK/corpus1.ndjson" >"$WORK/corpus1.tmp"
  mv "$WORK/corpus1.tmp" "$WORK/corpus1.ndjson"
  ARTICLES1=$(wc -l <"$WORK/corpus1.ndjson")
fi
ARTICLES=$((ARTICLES1 * REPEAT))
n=${NAMES:-10000}
bench_names "$n"
pub=$BDIR/newshound-jspub
port=$(free_port)
url=nats://127.0.0.1:$port
store=$(mktemp -d "$WORK/js-store.XXXXXX")
nats-server -js -sd "$store" -a 127.0.0.1 -p "$port" >"$WORK/nats-server.log" 2>&1 &
server=$!
daemons=()
cleanup() {
  for p in "${daemons[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$store"
}
trap cleanup EXIT
for ((i = 0; i < 100; i++)); do
  grep -qs "Server is ready" "$WORK/nats-server.log" && break
  sleep 0.1
done
# Alerts of a file by scan (exit 1 when none: not an error here).
alerts_of() { ("$BDIR/newshound" scan -w "$WORK/names-$n.names" <"$1" || true) | wc -l; }
per_copy=$(alerts_of "$WORK/corpus1.ndjson")

# start_daemons K: K daemons on durable "bench", alerts to ALERTS.
start_daemons() {
  daemons=()
  for ((d = 1; d <= $1; d++)); do
    cat >"$WORK/js-daemon-$d.toml" <<TOML
workers = ${WORKERS:-0}
[log]
level = "warn"
[admin]
listen = "127.0.0.1:$(free_port)"
[[input]]
type = "jetstream"
url = "$url"
stream = "ARTICLES"
durable = "bench"
batch = ${BATCH:-64}
max_ack_pending = ${MAX_ACK_PENDING:-1024}
[[output]]
stories = "all"
type = "jetstream"
url = "$url"
subject = "alerts.{list}"
[[watchlist]]
path = "names-$n.names"
TOML
    "$BDIR/newshound" run --config "$WORK/js-daemon-$d.toml" 2>"$WORK/js-daemon-$d.log" &
    daemons+=($!)
  done
}
stop_daemons() {
  for p in "${daemons[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${daemons[@]}"; do wait "$p" 2>/dev/null || true; done
  daemons=()
}
# wait_alerts N: until ALERTS holds N messages and the consumer has none pending.
wait_alerts() {
  local deadline=$((SECONDS + ${WAIT_SECONDS:-600}))
  while ((SECONDS < deadline)); do
    if (($("$pub" count "$url" ALERTS) >= $1)) && [[ $("$pub" pending "$url" ARTICLES bench) == "0 0" ]]; then
      return 0
    fi
    sleep 0.05
  done
  echo "jetstream_bench: timed out waiting for $1 alerts (have $("$pub" count "$url" ALERTS))" >&2
  return 1
}

csv=$BDIR/jetstream_bench.csv
echo "daemons,names,articles,alerts,span_s,articles_per_s,mb_per_s,lat_rate,lat_alerts,p50_ms,p99_ms,p999_ms" >"$csv"
echo "input: $CORPUS_KIND, $ARTICLES1 articles a copy, $ARTICLES articles; $n names; server $url" >&2
bytes=$(($(stat -c %s "$WORK/corpus1.ndjson") * REPEAT))
for k in ${DAEMONS:-1 2 3}; do
  "$pub" create "$url" ARTICLES 'articles.>'
  "$pub" create "$url" ALERTS 'alerts.>'
  "$pub" publish "$url" articles.wire "$WORK/corpus1.ndjson" --copies "$REPEAT" --tag c >&2
  expect=$((per_copy * REPEAT))
  start_daemons "$k"
  wait_alerts "$expect"
  read -r _ alerts _ span _ <<<"$("$pub" report "$url" ARTICLES ALERTS --tag c)"
  rate=$(awk -v a="$ARTICLES" -v s="$span" 'BEGIN { printf "%.0f", (s > 0 ? a / s : 0) }')
  mbs=$(awk -v b="$bytes" -v s="$span" 'BEGIN { printf "%.1f", (s > 0 ? b / s / 1e6 : 0) }')
  # Latency at LAT_PCT% of that rate, the daemons idle and bound.
  lat_rate=$((rate * ${LAT_PCT:-50} / 100))
  ((lat_rate > 0)) || lat_rate=1
  lat_n=$((lat_rate * ${LAT_SECONDS:-10}))
  ((lat_n <= ARTICLES1)) || lat_n=$ARTICLES1
  head -n "$lat_n" "$WORK/corpus1.ndjson" >"$WORK/js-lat.ndjson"
  lat_expect=$(alerts_of "$WORK/js-lat.ndjson")
  "$pub" publish "$url" articles.wire "$WORK/js-lat.ndjson" --rate "$lat_rate" --tag lat >&2
  wait_alerts $((expect + lat_expect))
  read -r _ lat_alerts _ _ _ p50 _ p99 _ p999 <<<"$("$pub" report "$url" ARTICLES ALERTS --tag lat)"
  stop_daemons
  printf '%d daemon(s): %d articles, %d alerts in %.3f s: %s articles/s, %s MB/s; at %d articles/s: %d alerts, publish to alert ack p50 %s ms, p99 %s ms, p99.9 %s ms\n' \
    "$k" "$ARTICLES" "$alerts" "$span" "$rate" "$mbs" "$lat_rate" "$lat_alerts" "$p50" "$p99" "$p999"
  echo "$k,$n,$ARTICLES,$alerts,$span,$rate,$mbs,$lat_rate,$lat_alerts,$p50,$p99,$p999" >>"$csv"
done
echo "load after: $(uptime | sed 's/.*load average: //'); csv: $csv" >&2
