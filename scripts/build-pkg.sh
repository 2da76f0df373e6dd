#!/usr/bin/env bash
# Builds the npm package into pkg/ and copies it to www/pkg/ for the page:
#   cargo (the crate tiercost-wasm in wasm/ for wasm32, with and without its feature
#   `wasm-planning`: two modules; std rebuilt for size) ->
#   wasm-bindgen --target web
#   -> wasm-opt -Oz (+ --flatten --rereloop) -> pkg/ assembled from pkg-templates/ with the JSON Schemas and the
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

rm -rf "$work"
mkdir -p "$work/bindgen" "$work/schema"

# The standard library is rebuilt for the wasm (`-Zbuild-std`, from the `rust-src` component
# that scripts/install-tools.sh adds) with two settings the prebuilt one lacks:
# - `-Cpanic=immediate-abort`: a panic is a bare `unreachable` trap. The panic message, its
#   formatting and the source locations of every possible panic (bounds checks, unwraps on
#   invariants) leave the module: about 20 KB gzipped. A panic is always a bug (DESIGN.md:
#   never panic on input); it still surfaces as a `WebAssembly.RuntimeError`, which
#   pkg-templates/index.js turns into a fatal `internal` error and a reload — only the
#   message passed to `setPanicListener` is gone.
# - `optimize_for_size`: std's smaller variants (sorting, …).
# These are nightly flags; RUSTC_BOOTSTRAP=1 lets the pinned stable toolchain accept them.
# Set TIERCOST_WASM_BUILD_STD=0 to build with the prebuilt std instead (to compare).
cargo_wasm() {
  if [ "${TIERCOST_WASM_BUILD_STD:-1}" = 1 ]; then
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort" \
      cargo "$@" -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
  else
    cargo "$@"
  fi
}

# Two modules from the crate tiercost-wasm (wasm/): `tiercost` (estimate, validate,
# listPacks, …; without its default feature `wasm-planning`) and `tiercost_planning` (the
# same plus compare and the planning functions); the package's index.js loads one of them.
# cargo names the file after the crate (tiercost_wasm.wasm); wasm-bindgen's --out-name gives
# the package's names.
build_module() {
  local features="$1" name="$2"
  echo "== cargo build -p tiercost-wasm $features (wasm32-unknown-unknown, release, opt-level $opt_level)"
  # shellcheck disable=SC2086 # $features is one or two words
  CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level" \
    cargo_wasm build -p tiercost-wasm --lib --release --target wasm32-unknown-unknown $features
  echo "== wasm-bindgen --target web ($name)"
  wasm-bindgen --target web --no-typescript --out-dir "$work/bindgen" --out-name "$name" \
    "$target_dir/wasm32-unknown-unknown/release/tiercost_wasm.wasm"
  echo "== wasm-opt -Oz --flatten --rereloop -Oz -Oz ($name)"
  # binaryen from npm (package.json): Debian's binaryen 108 rewrites the export of
  # wasm-bindgen's externref table to point at the function table, which breaks the module.
  # rustc's wasm32 target enables these proposals by default; binaryen must be told.
  # --flatten --rereloop and two more -Oz rounds: 2 KB gzipped less than -Oz alone (--converge
  # and --gufa gained nothing; BENCHMARKS.md).
  node_modules/.bin/wasm-opt -Oz --flatten --rereloop -Oz -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-multivalue \
    -o "$work/bindgen/${name}_bg.opt.wasm" "$work/bindgen/${name}_bg.wasm"
  mv "$work/bindgen/${name}_bg.opt.wasm" "$work/bindgen/${name}_bg.wasm"
}
build_module "--features wasm-planning" tiercost_planning
build_module "--no-default-features" tiercost

echo "== JSON Schemas from the native CLI (tiercost schema KIND)"
cargo build --quiet -p tiercost-cli --bin tiercost
for kind in pack case result; do
  "$target_dir/debug/tiercost" schema "$kind" > "$work/schema/$kind.schema.json"
done
# The other results, when the CLI knows them (scripts/assemble-pkg.mjs lists the kinds; a
# kind the CLI does not know yet becomes an untyped object in the TypeScript types).
for kind in $(node scripts/assemble-pkg.mjs --optional-kinds); do
  if "$target_dir/debug/tiercost" schema "$kind" > "$work/schema/$kind.schema.json" 2>/dev/null; then
    :
  else
    rm -f "$work/schema/$kind.schema.json"
  fi
done

echo "== assemble $out/ from pkg-templates/"
node scripts/assemble-pkg.mjs "$work" "$out"

rm -rf www/pkg
cp -r "$out" www/pkg
# Subresource Integrity: the manifest of every file the widget loads, and the hash in
# docs/EMBED.md (the engine's .wasm hashes went into pkg/index.js in assemble-pkg.mjs).
node www/widget/sri.mjs --manifest www/pkg/integrity.json --update-doc
# The page's build version and engine files, for the service worker (www/sw.js).
node scripts/page-version.mjs
# Brotli and gzip copies beside the page's files, for scripts/serve.mjs (docs/EMBED.md,
# "Compression"); the npm package in pkg/ stays uncompressed (bundlers and CDNs compress).
node scripts/precompress.mjs www
echo "== built $out/ (and www/pkg/)"
node scripts/size.mjs "$out/tiercost_bg.wasm"
node scripts/size.mjs "$out/tiercost_planning_bg.wasm"
