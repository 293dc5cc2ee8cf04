#!/usr/bin/env bash
# Fuzzes Hearth's decoders with cargo-fuzz (libFuzzer) for a fixed number of runs each:
# the server's ClientMsg decoder, the browser's ServerMsg::from_json and the recording
# indexer. A panic, an allocation over 64 MiB or an input slower than 100 ms (checked in the
# targets; libFuzzer's own timeout is 1 s) fails the run. The corpus starts from the golden
# frames of shared/tests/wire_format and the recordings in frontend/tests/fixtures.
#
# Usage: bash bench/fuzz.sh [runs per target, default 2000000]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2000000}

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
command -v cargo-fuzz >/dev/null || cargo +nightly install cargo-fuzz --locked

corpus="$PWD/target/fuzz-corpus"
mkdir -p "$corpus/webm"
HEARTH_FUZZ_CORPUS="$corpus" cargo test -q -p hearth-shared --test wire_format >/dev/null
for f in frontend/tests/fixtures/*.webm; do
  # The first byte of an input picks the chunk size the indexer is fed with.
  { printf '\x10'; cat "$f"; } > "$corpus/webm/$(basename "$f")"
done

cd fuzz
failed=0
for target in client_msg server_msg webm; do
  seeds=$(ls "$corpus/$target" | wc -l)
  log="$corpus/$target.log"
  start=$(date +%s)
  if cargo +nightly fuzz run "$target" "$corpus/$target" -- \
      -runs="$runs" -malloc_limit_mb=64 -rss_limit_mb=2048 -timeout=1 >"$log" 2>&1; then
    verdict=ok
  else
    verdict="FAILED (see $log)"
    failed=1
  fi
  secs=$(( $(date +%s) - start ))
  done_line=$(grep -E '^#[0-9]+\s+DONE' "$log" | tail -1 || true)
  printf '%-11s %s runs from %s seeds in %ss: %s  %s\n' "$target" "$runs" "$seeds" "$secs" "$verdict" "${done_line:-}"
done
exit $failed
