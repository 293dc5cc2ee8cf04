#!/usr/bin/env bash
# Size of what a browser downloads: gzip -9 of the release build's wasm, JS and CSS,
# per file and in total, against the budget (300 KB for now).
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_KB=300
PATH="$PWD/node_modules/.bin:$PATH" trunk build --release --offline >/dev/null 2>&1 \
  || { echo "trunk build failed; run ./scripts/setup.sh first" >&2; exit 1; }
total=0
printf '%-48s %10s %10s\n' file raw gzip
for f in dist/*.wasm dist/*.js dist/*.css; do
  raw=$(stat -c%s "$f"); gz=$(gzip -9c "$f" | wc -c); total=$((total + gz))
  printf '%-48s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
done
kb=$(awk "BEGIN { printf \"%.1f\", $total / 1000 }")
verdict=$(awk "BEGIN { print ($total <= $BUDGET_KB * 1000) ? \"within\" : \"OVER\" }")
echo "total gzip: ${kb} KB (budget ${BUDGET_KB} KB: ${verdict})"
