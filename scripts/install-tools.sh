#!/usr/bin/env bash
# Installs what building and testing tiercost needs, and only what is missing, so it is cheap
# to run again: the wasm32 target, rustfmt and clippy, wasm-bindgen-cli at the exact version
# in Cargo.lock, cargo-fuzz (pinned; libFuzzer needs a C++ compiler), Chromium and its
# WebDriver (Debian), and the npm dev tools (npm ci); with --test-tools also poppler-utils and
# zbar-tools (the print tests read the handout's PDF and its QR code).
# With --test-tools (or CI set) also the Python tools in .venv/ (tests/python/requirements.txt)
# and Java for PySpark (default-jre-headless, only if java is missing).
# Runs unattended (CI=true, no stdin). Usage: scripts/install-tools.sh [--test-tools]
# (--test-tools, or CI set: also what only the tests need: cargo-deny and cargo-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

say() { echo "== install-tools: $*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust (rustup) first" >&2
  exit 1
fi

# Rust: target and components.
if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  # rust-src: scripts/build-pkg.sh rebuilds the standard library for the wasm (-Zbuild-std).
  for c in rustfmt clippy rust-src; do
    if ! rustup component list --installed | grep -q "^$c"; then
      say "rustup component add $c"
      rustup component add "$c"
    fi
  done
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$want" ]; then
  echo "wasm-bindgen is not in Cargo.lock" >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "cargo install wasm-bindgen-cli --version $want (have: ${have:-none})"
  # Not --locked: a dependency version pinned in its lock file is missing from the registry.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# cargo-deny (make deny: licences, bans, sources), pinned and built with its own lock file.
# A first build takes about 4.5 min of CPU (7.5–16.5 min wall on the shared 2-core machine,
# BENCHMARKS.md); later runs skip it.
# Only for testing (`make test` passes --test-tools; CI=true implies it): `make serve` and
# `make pkg` do not need it.
deny_want=0.20.2
deny_have=$(cargo deny --version 2>/dev/null | awk '{print $2}' || true)
if [ "$deny_have" != "$deny_want" ] && { [ "${1:-}" = "--test-tools" ] || [ -n "${CI:-}" ]; }; then
  say "cargo install cargo-deny --version $deny_want --locked (have: ${deny_have:-none})"
  cargo install cargo-deny --version "$deny_want" --locked
fi

# cargo-fuzz for the fuzz smoke run (scripts/fuzz-smoke.sh), at a pinned version.
fuzz_want=0.13.1
fuzz_have=$(cargo fuzz --version 2>/dev/null | awk '{print $2}' || true)
if [ "$fuzz_have" != "$fuzz_want" ] && { [ "${1:-}" = "--test-tools" ] || [ -n "${CI:-}" ]; }; then
  say "cargo install cargo-fuzz --version $fuzz_want (have: ${fuzz_have:-none})"
  cargo install cargo-fuzz --version "$fuzz_want" --locked --force
fi

# Debian packages: Chromium and chromedriver for the browser tests; node/npm if absent.
apt_want=()
command -v chromium >/dev/null || apt_want+=(chromium)
command -v chromedriver >/dev/null || apt_want+=(chromium-driver)
command -v node >/dev/null || apt_want+=(nodejs)
command -v npm >/dev/null || apt_want+=(npm)
command -v make >/dev/null || apt_want+=(make)
command -v c++ >/dev/null || apt_want+=(g++)
# For the print tests only (tests/browser/print.test.mjs): the handout's PDF read as text and
# pictures (poppler-utils: pdftotext, pdftoppm) and its QR code read back (zbar-tools: zbarimg).
if [ "${1:-}" = "--test-tools" ] || [ -n "${CI:-}" ]; then
  command -v pdftotext >/dev/null || apt_want+=(poppler-utils)
  command -v zbarimg >/dev/null || apt_want+=(zbar-tools)
fi
# For the Python package's tests (make python-test): Python with venv, and Java for PySpark.
if [ "${1:-}" = "--test-tools" ] || [ -n "${CI:-}" ]; then
  command -v python3 >/dev/null || apt_want+=(python3)
  python3 -c 'import ensurepip' 2>/dev/null || apt_want+=(python3-venv)
  command -v java >/dev/null || apt_want+=(default-jre-headless)
fi
if [ ${#apt_want[@]} -gt 0 ]; then
  say "apt-get install ${apt_want[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  $sudo_cmd apt-get install -y -q --no-install-recommends "${apt_want[@]}"
fi

# npm dev tools (json-schema-to-typescript, typescript, binaryen's wasm-opt, playwright-core).
# Reinstall when package-lock.json changed since the last install.
stamp=node_modules/.tiercost-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# The Python package's build and test tools (maturin, pyarrow, polars, duckdb, pyspark,
# pytest) in .venv/, at the versions pinned in tests/python/requirements.txt; pip runs only
# when the venv is missing or the file changed since the last install.
if [ "${1:-}" = "--test-tools" ] || [ -n "${CI:-}" ]; then
  req=tests/python/requirements.txt
  pystamp=.venv/.tiercost-requirements
  if [ ! -x .venv/bin/python ] || [ ! -f "$pystamp" ] || ! cmp -s "$req" "$pystamp"; then
    say "python3 -m venv .venv; pip install -r $req"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$pystamp"
  fi
fi

say "ok (wasm-bindgen $want, $(node --version), $(chromium --version 2>/dev/null | head -1))"
