#!/usr/bin/env bash
# Memory per idle, authenticated WebSocket: hearth's RSS with N sockets open minus with none,
# both measured in this run, divided by N. Budget: 16 KiB. Loopback only, bounded, self-stopping.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2000}"
cargo build --release -q -p hearth-server --bin hearth --example idle_connections
./target/release/examples/idle_connections ./target/release/hearth "$N"
