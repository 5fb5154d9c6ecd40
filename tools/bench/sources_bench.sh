#!/usr/bin/env bash
# Benchmark (not a test): articles through each source of the daemon, and the cost
# of polling many feeds. A fresh `newshound run` per measurement (a file output, a
# small watch-list), with its CPU seconds (utime + stime from /proc/PID/stat) and
# peak RSS (VmHWM from /proc/PID/status). The machine may be shared: besides the
# wall numbers every line gives articles (and MB) per daemon CPU-second.
#
#   tools/bench/sources_bench.sh                  # MODE=sources: tcp, directory, http, feed
#   MODE=feeds tools/bench/sources_bench.sh       # 1,000 feeds polled every 60 s
#
# MODE=sources: the first ARTICLES (default 20000) articles of the corpus, sent
#   - tcp: by newshound-replay;
#   - directory: as FILES (default 100) NDJSON files renamed into the drop folder;
#   - http: as POSTs of BATCH (default 100) NDJSON lines, CLIENTS (default 2) curl
#     processes one after another each (keep-alive, waiting for each response);
#   - feed: newshound-feedserve --copies FEED_COPIES (default 10) serving
#     ARTICLES / FEED_COPIES articles as that many feeds, polled every 200 ms.
#   Time: from the first byte offered to newshound_lines_total counting them all (or
#   not growing for STALL seconds, default 5, once it grew: feed items without text
#   are skipped; TIMEOUT seconds, default 300, for the first record).
# MODE=feeds: FEEDS (default 1000) feeds of ITEMS (default 20) items each, from one
#   newshound-feedserve --copies FEEDS, polled every INTERVAL_MS (default 60000).
#   Reports the first round (every item new) and then DURATION seconds (default
#   180) of steady polling (conditional GETs answered 304): CPU seconds, CPU per
#   poll, polls, peak RSS.
#
# Output: one line per measurement on stdout and a CSV, $BDIR/sources_bench-$MODE.csv.
# BDIR (default build-bench, Release), BENCH_BUILD=0 to measure an existing build.
set -euo pipefail
REPEAT=${REPEAT:-1}  # one corpus copy is enough here (ARTICLES takes the first lines)
want=${ARTICLES:-20000}  # lib.sh's bench_corpus sets ARTICLES to the corpus's count
source "$(dirname "$0")/lib.sh"
EXTRA_TARGETS="newshound-feedserve" bench_init curl iproute2
bench_corpus
MODE=${MODE:-sources}
csv=$BDIR/sources_bench-$MODE.csv
tck=$(getconf CLK_TCK)
printf 'Reagan\nOPEC\nJapan\nChrysler\nGeneral Motors|GM\n' >"$WORK/sources.names"

daemon=""
feedserve=""
cleanup() {
  [[ -n $daemon ]] && kill "$daemon" 2>/dev/null
  [[ -n $feedserve ]] && kill "$feedserve" 2>/dev/null
  return 0
}
trap cleanup EXIT

# cpu_seconds PID: user + system CPU seconds of the process so far.
cpu_seconds() {
  sed 's/.*) //' "/proc/$1/stat" | awk -v t="$tck" '{printf "%.2f", ($12 + $13) / t}'
}
peak_rss_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }
metric() {  # the sum of the samples of metric $1 on the daemon's /metrics
  curl -fs "127.0.0.1:$padmin/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {printf "%d", s}'
}

# start_daemon INPUT_TOML: a daemon with that [[input]] (and the admin port $padmin).
start_daemon() {
  padmin=$(free_port)
  rm -rf "$WORK/sources-state"
  : >"$WORK/sources-alerts.ndjson"
  cat >"$WORK/sources.toml" <<TOML
state_dir = "sources-state"
[log]
level = "warn"
[admin]
listen = "127.0.0.1:$padmin"
$1
[[output]]
type = "file"
path = "sources-alerts.ndjson"
[[watchlist]]
path = "sources.names"
TOML
  "$BDIR/newshound" run --config "$WORK/sources.toml" 2>"$WORK/sources-daemon.log" &
  daemon=$!
  for ((i = 0; i < 300; i++)); do
    curl -fs "127.0.0.1:$padmin/readyz" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "daemon not ready: $(tail -5 "$WORK/sources-daemon.log")" >&2
  exit 1
}
stop_daemon() {
  kill "$daemon"
  wait "$daemon" || true
  daemon=""
}

# wait_lines N: until newshound_lines_total reaches N, or stays put STALL seconds
# once it has grown (TIMEOUT seconds, default 300, before that); sets LINES and END
# (the time it last grew).
wait_lines() {
  local first last since
  first=$(metric newshound_lines_total)
  last=$first
  since=$(now)
  END=$since
  for ((;;)); do
    LINES=$(metric newshound_lines_total)
    if ((LINES != last)); then
      last=$LINES
      END=$(now)
      since=$END
    fi
    ((LINES >= $1)) && return
    awk -v a="$(now)" -v b="$since" -v s="$( ((LINES > first)) && echo "${STALL:-5}" || echo "${TIMEOUT:-300}")" \
      'BEGIN {exit !(a - b > s)}' && return
    sleep 0.05
  done
}

# report SOURCE START CPU0 BYTES: one line and one CSV row for the measurement.
report() {
  local cpu wall rss
  cpu=$(awk -v a="$(cpu_seconds "$daemon")" -v b="$3" 'BEGIN {printf "%.2f", a - b}')
  wall=$(awk -v a="$END" -v b="$2" 'BEGIN {printf "%.3f", a - b}')
  rss=$(peak_rss_kb "$daemon")
  awk -v s="$1" -v n="$LINES" -v w="$wall" -v c="$cpu" -v b="$4" -v r="$rss" 'BEGIN {
    cw = c > 0 ? c : 0.01
    printf "%-9s %7d articles in %7.3f s: %8.0f articles/s %6.1f MB/s; daemon CPU %6.2f s: %8.0f articles/CPU-s %6.1f MB/CPU-s; peak RSS %d KB\n",
      s, n, w, n / w, b / w / 1e6, c, n / cw, b / cw / 1e6, r }'
  echo "$1,$LINES,$4,$wall,$cpu,$rss" >>"$csv"
}

if [[ $MODE == sources ]]; then
  n=$want
  head -n "$n" "$WORK/corpus1.ndjson" >"$WORK/sources.ndjson"
  n=$(wc -l <"$WORK/sources.ndjson")
  bytes=$(stat -c %s "$WORK/sources.ndjson")
  echo "source,articles,bytes,wall_s,daemon_cpu_s,peak_rss_kb" >"$csv"
  echo "input: $CORPUS_KIND, first $n articles, $bytes bytes" >&2

  # tcp
  pin=$(free_port)
  start_daemon "[[input]]
type = \"tcp\"
listen = \"127.0.0.1:$pin\""
  cpu0=$(cpu_seconds "$daemon") t0=$(now)
  "$BDIR/newshound-replay" --port "$pin" "$WORK/sources.ndjson" 2>/dev/null
  wait_lines "$n"
  report tcp "$t0" "$cpu0" "$bytes"
  stop_daemon

  # directory: FILES files staged beside the drop folder, renamed in at once
  files=${FILES:-100}
  rm -rf "$WORK/drop" "$WORK/drop-stage"
  mkdir -p "$WORK/drop" "$WORK/drop-stage"
  split -n "l/$files" -d -a 5 --additional-suffix=.ndjson "$WORK/sources.ndjson" "$WORK/drop-stage/f"
  start_daemon "[[input]]
type = \"directory\"
path = \"drop\"
max_file_bytes = 1073741824"
  cpu0=$(cpu_seconds "$daemon") t0=$(now)
  mv "$WORK/drop-stage/"* "$WORK/drop/"
  wait_lines "$n"
  report directory "$t0" "$cpu0" "$bytes"
  stop_daemon

  # http push: BATCH lines per POST, CLIENTS curl processes
  batch=${BATCH:-100} clients=${CLIENTS:-2}
  rm -rf "$WORK/push"
  mkdir -p "$WORK/push"
  split -l "$batch" -d -a 6 "$WORK/sources.ndjson" "$WORK/push/b"
  phttp=$(free_port)
  start_daemon "[[input]]
type = \"http\"
listen = \"127.0.0.1:$phttp\""
  k=0
  for f in "$WORK/push/"b*; do
    cfg=$WORK/push/client$((k++ % clients)).curl
    [[ -s $cfg ]] && echo next >>"$cfg"  # between transfers, not after the last
    printf 'url = "http://127.0.0.1:%s/v1/articles"\ndata-binary = "@%s"\nheader = "Content-Type: application/x-ndjson"\noutput = "/dev/null"\n' \
      "$phttp" "$f" >>"$cfg"
  done
  cpu0=$(cpu_seconds "$daemon") t0=$(now)
  curls=()
  for ((c = 0; c < clients && c < k; c++)); do
    curl -s -K "$WORK/push/client$c.curl" &
    curls+=($!)
  done
  wait_lines "$n"
  wait "${curls[@]}" || true
  report http "$t0" "$cpu0" "$bytes"
  stop_daemon

  # feed: FEED_COPIES feeds of n / FEED_COPIES articles each, from one feedserve
  copies=${FEED_COPIES:-10}
  per=$(((n + copies - 1) / copies))
  rm -rf "$WORK/feedsrv"
  mkdir -p "$WORK/feedsrv"
  pfeed=$(free_port)
  "$BDIR/newshound-feedserve" --port "$pfeed" --copies "$copies" "$WORK/feedsrv" 2>/dev/null &
  feedserve=$!
  urls=$(for ((i = 1; i <= copies; i++)); do printf '"http://127.0.0.1:%s/%d/rss.xml",' "$pfeed" "$i"; done)
  start_daemon "[[input]]
type = \"feed\"
urls = [${urls%,}]
interval_ms = 200
max_bytes = 1073741824"
  head -n "$per" "$WORK/sources.ndjson" >"$WORK/feed-stage.ndjson"
  feed_bytes=$(($(stat -c %s "$WORK/feed-stage.ndjson") * copies))
  cpu0=$(cpu_seconds "$daemon") t0=$(now)
  mv "$WORK/feed-stage.ndjson" "$WORK/feedsrv/items.ndjson"
  wait_lines $((per * copies))
  report feed "$t0" "$cpu0" "$feed_bytes"
  stop_daemon
  kill "$feedserve"
  feedserve=""
elif [[ $MODE == feeds ]]; then
  feeds=${FEEDS:-1000} items=${ITEMS:-20} interval=${INTERVAL_MS:-60000} duration=${DURATION:-180}
  rm -rf "$WORK/feedsrv"
  mkdir -p "$WORK/feedsrv"
  head -n "$items" "$WORK/corpus1.ndjson" >"$WORK/feedsrv/items.ndjson"
  pfeed=$(free_port)
  "$BDIR/newshound-feedserve" --port "$pfeed" --copies "$feeds" "$WORK/feedsrv" 2>/dev/null &
  feedserve=$!
  # An OPML of every feed, as a desk's reader exports it.
  {
    echo '<?xml version="1.0"?><opml version="2.0"><body>'
    for ((i = 1; i <= feeds; i++)); do
      echo "<outline type=\"rss\" text=\"f$i\" xmlUrl=\"http://127.0.0.1:$pfeed/$i/rss.xml\"/>"
    done
    echo '</body></opml>'
  } >"$WORK/feeds.opml"
  echo "feeds,items_per_feed,interval_ms,phase,seconds,polls,not_modified,lines,daemon_cpu_s,peak_rss_kb" >"$csv"
  t0=$(now)
  start_daemon "[[input]]
type = \"feed\"
opml_file = \"feeds.opml\"
interval_ms = $interval"
  cpu0=$(cpu_seconds "$daemon")
  wait_lines $((feeds * items))
  first_cpu=$(cpu_seconds "$daemon")
  polls0=$(metric newshound_feed_polls_total) nm0=$(metric newshound_feed_not_modified_total)
  wall=$(awk -v a="$END" -v b="$t0" 'BEGIN {printf "%.3f", a - b}')
  printf 'first round: %d feeds x %d items: %d articles in %s s (from daemon start), daemon CPU %.2f s, %d polls\n' \
    "$feeds" "$items" "$LINES" "$wall" "$(awk -v a="$first_cpu" -v b="$cpu0" 'BEGIN {print a - b}')" "$polls0"
  echo "$feeds,$items,$interval,first,$wall,$polls0,$nm0,$LINES,$(awk -v a="$first_cpu" -v b="$cpu0" 'BEGIN {print a - b}'),$(peak_rss_kb "$daemon")" >>"$csv"
  sleep "$duration"
  cpu=$(awk -v a="$(cpu_seconds "$daemon")" -v b="$first_cpu" 'BEGIN {printf "%.2f", a - b}')
  polls=$(($(metric newshound_feed_polls_total) - polls0))
  nm=$(($(metric newshound_feed_not_modified_total) - nm0))
  rss=$(peak_rss_kb "$daemon")
  awk -v f="$feeds" -v i="$interval" -v d="$duration" -v c="$cpu" -v p="$polls" -v nm="$nm" -v r="$rss" 'BEGIN {
    printf "steady: %d feeds every %d ms for %d s: %d polls (%d answered 304), daemon CPU %.2f s = %.2f%% of one core, %.3f ms CPU per poll; peak RSS %d KB\n",
      f, i, d, p, nm, c, 100 * c / d, (p > 0 ? 1000 * c / p : 0), r }'
  echo "$feeds,$items,$interval,steady,$duration,$polls,$nm,$(metric newshound_lines_total),$cpu,$rss" >>"$csv"
  stop_daemon
else
  echo "MODE must be sources or feeds" >&2
  exit 2
fi
echo "load after: $(uptime | sed 's/.*load average: //'); csv: $csv" >&2
