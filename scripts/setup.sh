#!/usr/bin/env bash
# Installs whatever is missing to build Hearth (and, with --test, to test it), then builds
# the web app and the server in release mode. Idempotent: a warm machine skips every install.
# Facts behind each step: ../shared/TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_coturn=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --coturn) want_coturn=1 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

TRUNK_VERSION=0.21.14
# The single source of the wasm-bindgen version is Cargo.lock; Trunk.toml must agree.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! grep -q "wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml; then
  echo "Trunk.toml's wasm_bindgen must be $WBG_VERSION (the version in Cargo.lock)." >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  step "Installing trunk $TRUNK_VERSION (about 8 minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WBG_VERSION"; then
  step "Installing wasm-bindgen-cli $WBG_VERSION (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] \
   || [ ! -x node_modules/.bin/esbuild ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "Installing npm tools (binaryen's wasm-opt, esbuild, Playwright)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

missing=()
if [ "$want_test" = 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
  command -v ffprobe >/dev/null || missing+=(ffmpeg)
  # Real servers the browser tests start: a TURN relay and two reverse proxies.
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v caddy >/dev/null || missing+=(caddy)
  command -v openssl >/dev/null || missing+=(openssl)
fi
if [ "$want_test" = 1 ] || [ "$want_coturn" = 1 ]; then
  command -v turnserver >/dev/null || missing+=(coturn)
fi
if [ ${#missing[@]} -gt 0 ]; then
  step "Installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
fi

step "Building the web app (release)"
PATH="$PWD/node_modules/.bin:$PATH" trunk build --release --offline

step "Building the server (release)"
cargo build --release -p hearth-server
