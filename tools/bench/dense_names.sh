#!/usr/bin/env bash
# Benchmark helper: a dense watch-list, the kind real users write (companies,
# places, people in the news), from a ninjs NDJSON corpus. Prints the N most
# frequent capitalised two- and three-word phrases of the corpus's bodies as a
# .names file, one name a line, most frequent first (ties in byte order), so the
# list hits nearly every article several times. Deterministic for a corpus.
#
#   tools/bench/dense_names.sh N [CORPUS]   (CORPUS: .ndjson or .ndjson.gz;
#                                            default ../shared/corpus/reuters21578.ndjson.gz)
#
# A phrase is a run of two or three words in one sentence of body_text, each word a
# capital letter then lower-case letters ("Securities and Exchange" does not count:
# "and"; "UNITED STATES" does not: the headlines of 1987 are upper case). Trailing
# punctuation ends a run. The top N are cut by awk, which reads to the end (head would
# stop sort with SIGPIPE, a failure under pipefail). Needs jq (scripts/deps.sh jq) and awk.
set -euo pipefail
n=${1:?usage: dense_names.sh N [CORPUS]}
corpus=${2:-$(dirname "$0")/../../../shared/corpus/reuters21578.ndjson.gz}
export LC_ALL=C
case $corpus in
*.gz) reader=(gzip -dc "$corpus") ;;
*) reader=(cat "$corpus") ;;
esac
echo "# The $n most frequent capitalised two- and three-word phrases of $(basename "$corpus")"
echo "# (tools/bench/dense_names.sh $n); one name a line, most frequent first."
"${reader[@]}" | jq -r '(.body_text // "") | gsub("\\s+"; " ")' | awk '
{
  run = 0
  k = split($0, t, " ")
  for (i = 1; i <= k; i++) {
    w = t[i]
    sub(/^[("'\''`]+/, "", w)
    stop = (w ~ /[^A-Za-z]$/)
    sub(/[^A-Za-z]+$/, "", w)
    if (w ~ /^[A-Z][a-z]+$/) {
      r[++run] = w
      if (run >= 2) c[r[run - 1] " " w]++
      if (run >= 3) c[r[run - 2] " " r[run - 1] " " w]++
    } else {
      run = 0
    }
    if (stop) run = 0
  }
}
END { for (p in c) print c[p] "\t" p }' | sort -t "$(printf '\t')" -k1,1nr -k2,2 | awk -v n="$n" 'NR <= n' | cut -f2
