#!/usr/bin/env bash
# One command to test Hearth: installs what is missing (plus Chromium, Playwright, ffmpeg),
# then formatting, clippy on the host and on wasm32, every Rust test, the build scripts'
# tests, and the browser tests against the real release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test

step() { printf '\n==> %s\n' "$*"; }

step "Formatting"
cargo fmt --all --check

step "Clippy (host)"
cargo clippy --workspace --all-targets -- -D warnings

step "Clippy (wasm32)"
cargo clippy -p hearth-frontend -p hearth-shared --target wasm32-unknown-unknown -- -D warnings

step "Rust tests"
cargo test --workspace

step "Build scripts (node --test)"
node --test scripts/

step "The WHIP publisher the browser tests use (server/examples/whip_media.rs)"
cargo build --release -p hearth-server --example whip_media

step "Browser tests (Chromium with fake camera and microphone)"
npx playwright test --config e2e/playwright.config.ts
