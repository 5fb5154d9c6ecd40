#!/usr/bin/env bash
# Fails when a document names a file of the tree that does not exist: every
# `src/...`, `include/...`, `tests/...`, `tools/...`, `scripts/...`, `config/...`,
# `packaging/...` or `cmake/...`
# path with a file extension in README.md and docs/*.md must exist. Run by CTest
# (test "docs: named files exist"), so docs/architecture.md cannot drift from the
# tree silently.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for doc in README.md docs/*.md; do
  while IFS= read -r path; do
    [[ -e $path ]] && continue
    echo "$doc: names $path, which does not exist; fix the name or the text" >&2
    status=1
  done < <(grep -oE '(^|[^A-Za-z0-9_./-])(src|include|tests|tools|scripts|config|packaging|cmake)/[A-Za-z0-9_./-]+\.(cpp|hpp|h|in|sh|toml|names|topics|md|txt|csv|svg|sha256|cmake)' "$doc" |
    sed -E 's#^[^a-z]##' | sort -u)
done
exit $status
