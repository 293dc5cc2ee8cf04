#!/usr/bin/env bash
# The chat relay under load: Hearth against the socket.io 4 seed's relay (bench/relay/), in one
# run, alternating step by step. Both servers pinned to core 0, the load generator to core 1;
# 1,000 connected users, 100 pairs chatting at an offered rate that climbs a ladder (open loop).
# Prints per step p50/p99/max latency from the scheduled send to the friend's receipt, missing
# messages, server CPU and RSS, the generator's CPU and send lag (a step it could not drive is
# marked *), then where each relay held p99 < 20 ms, where it saturated, and the ratio.
# Needs two cores, node and taskset. Traffic stays on 127.0.0.1; the run is bounded (~4 min).
#
# Usage: bash bench/relay.sh [extra flags for relay_load, e.g. --rates 1000,5000 --users 200]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(nproc)" -ge 2 ] || { echo "bench/relay.sh needs two cores (server and generator apart)"; exit 1; }
command -v taskset >/dev/null || { echo "bench/relay.sh needs taskset (util-linux)"; exit 1; }
[ -d bench/relay/node_modules/socket.io ] || npm ci --prefix bench/relay --no-audit --no-fund --silent
cargo build --release -q -p hearth-server --bin hearth --example relay_load
exec taskset -c 1 ./target/release/examples/relay_load --hearth target/release/hearth \
  --baseline bench/relay/server.mjs --server-core 0 "$@"
