#!/usr/bin/env bash
# Builds the npm package into pkg/ and copies it to www/pkg/ for the page:
#   cargo (wasm32, --no-default-features --features wasm) -> wasm-bindgen --target web
#   -> wasm-opt -Oz -> pkg/ assembled from pkg-templates/ with the JSON Schemas and the
#   TypeScript types generated from the Rust types (via the native CLI's `tiercost schema`).
# Usage: scripts/build-pkg.sh            (tools: scripts/install-tools.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
out=pkg
work="$target_dir/pkg-build"

# Optimise the wasm for size (the native release profile stays at opt-level 3). Override
# with TIERCOST_WASM_OPT_LEVEL=3 to compare; see BENCHMARKS.md.
opt_level="${TIERCOST_WASM_OPT_LEVEL:-z}"
echo "== cargo build (wasm32-unknown-unknown, release, opt-level $opt_level, --features wasm)"
CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level" \
  cargo build --lib --release --target wasm32-unknown-unknown --no-default-features --features wasm

rm -rf "$work"
mkdir -p "$work/bindgen" "$work/schema"

echo "== wasm-bindgen --target web"
wasm-bindgen --target web --no-typescript --out-dir "$work/bindgen" --out-name tiercost \
  "$target_dir/wasm32-unknown-unknown/release/tiercost.wasm"

echo "== wasm-opt -Oz"
# binaryen from npm (package.json): Debian's binaryen 108 rewrites the export of
# wasm-bindgen's externref table to point at the function table, which breaks the module.
# rustc's wasm32 target enables these proposals by default; binaryen must be told.
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-reference-types --enable-multivalue \
  -o "$work/bindgen/tiercost_bg.opt.wasm" "$work/bindgen/tiercost_bg.wasm"
mv "$work/bindgen/tiercost_bg.opt.wasm" "$work/bindgen/tiercost_bg.wasm"

echo "== JSON Schemas from the native CLI (tiercost schema pack|case|result)"
cargo build --quiet --bin tiercost
for kind in pack case result; do
  "$target_dir/debug/tiercost" schema "$kind" > "$work/schema/$kind.schema.json"
done

echo "== assemble $out/ from pkg-templates/"
node scripts/assemble-pkg.mjs "$work" "$out"

rm -rf www/pkg
cp -r "$out" www/pkg
echo "== built $out/ (and www/pkg/)"
node scripts/size.mjs "$out/tiercost_bg.wasm"
