#!/usr/bin/env bash
# One command to run Hearth: installs what is missing, builds, and starts the server with
# its SQLite database in ./data (override with HEARTH_ADDR / HEARTH_DATA_DIR or flags).
set -euo pipefail
cd "$(dirname "$0")/.."
# `--coturn` among the flags: install coturn too.
coturn_flag=()
for arg in "$@"; do [ "$arg" = "--coturn" ] && coturn_flag=(--coturn); done
./scripts/setup.sh "${coturn_flag[@]}"
exec ./target/release/hearth \
  --addr "${HEARTH_ADDR:-127.0.0.1:8080}" \
  --data-dir "${HEARTH_DATA_DIR:-./data}" \
  --static-dir ./dist "$@"
