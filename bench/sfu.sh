#!/usr/bin/env bash
# Hearth's SFU forwarding video between synthetic participants (str0m clients, no browser):
# the SFU module in a process of its own pinned to core 0, the generator on core 1. Every
# participant publishes one ~500 kbit/s, 30 frames a second camera and receives the others'
# of its call. Prints
#  - per participant: the SFU's CPU and memory in one call of 5, 10 and 20;
#  - capacity: video downtracks forwarded on one core, calls of 6 added step by step, with the
#    frames' delay publisher -> subscriber (p50/p99/max), frames missing, datagrams the kernel
#    dropped, the SFU's CPU and RSS and the generator's (a step it could not drive is marked *),
#    then the most downtracks held with p99 < 20 ms and nothing missing, beside the published
#    figures of mediasoup and the Jitsi Videobridge;
#  - broadcast: one host publishing 2.5 Mbit/s, receive-only viewers added step by step: the
#    same figures per step, then one more viewer alone (its offer to first frame); the most
#    viewers held with p99 < 20 ms and nothing missing.
# Needs two cores and taskset. Traffic stays on 127.0.0.1; the run is bounded (~5 min).
#
# Usage: bash bench/sfu.sh [--seconds 5] [--call-size 6] [--targets 300,600,...] [--sizes 5,10,20]
#                         [--viewers 50,100,...] [--broadcast-kbps 2500] [--only per,capacity,broadcast]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(nproc)" -ge 2 ] || { echo "bench/sfu.sh needs two cores (SFU and generator apart)"; exit 1; }
command -v taskset >/dev/null || { echo "bench/sfu.sh needs taskset (util-linux)"; exit 1; }
cargo build --release -q -p hearth-server --example sfu_load
exec taskset -c 1 ./target/release/examples/sfu_load --server-core 0 "$@"
