#!/usr/bin/env bash
# hearth's resident memory before and after N sign-ups (default 1,000), 8 at a time: the
# argon2 hashing must not make memory grow with the number of hashes (budget: within 100 MB
# of the start). Traffic stays on 127.0.0.1.
#
# Usage: bash bench/signup_memory.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
cargo build --release -q -p hearth-server --bin hearth
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
./target/release/hearth --addr 127.0.0.1:0 --data-dir "$dir" --static-dir "$dir/none" \
  --signups-per-hour 1000000 > "$dir/out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do grep -q "open http" "$dir/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$dir/out" | head -1)
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
before=$(rss)
start=$(date +%s)
seq "$n" | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  -H 'content-type: application/json' -d '{"username":"user{}","password":"password123"}' \
  "$url/api/signup" > "$dir/codes"
secs=$(( $(date +%s) - start ))
after=$(rss)
ok=$(grep -c '^201$' "$dir/codes" || true)
growth=$(( (after - before) / 1024 ))
echo "sign-ups:        $ok of $n created (201) in ${secs} s"
echo "hearth RSS:      $((before / 1024)) MiB before, $((after / 1024)) MiB after"
echo "growth:          $growth MiB (budget 100 MiB: $([ "$growth" -le 100 ] && echo within || echo OVER))"
