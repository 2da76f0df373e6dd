#!/usr/bin/env bash
# Builds the three core modules tests/browser/boundary-bench.mjs compares (issue 17 point 3),
# each as scripts/build-pkg.sh builds the shipped one (std rebuilt for size, wasm-bindgen
# --target web, the package's wasm-opt flags), into target/boundary/{shipped,fen,swb}/:
#   shipped  the core module as the npm package ships it (JSON text both ways);
#   fen      plus estimateFen (many cases in, a Float64Array of fen out; feature measure-fen);
#   swb      plus estimateSwb (serde-wasm-bindgen both ways; feature measure-swb).
# Not part of the package: the measure-* features exist only to be measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
target_dir="${CARGO_TARGET_DIR:-target}"
out="$target_dir/boundary"
rm -rf "$out"
for variant in shipped fen swb; do
  features=""
  [ "$variant" = shipped ] || features="--features measure-$variant"
  echo "== $variant: cargo build -p tiercost-wasm --no-default-features $features"
  # shellcheck disable=SC2086 # $features is empty or two words
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort" \
    cargo build -p tiercost-wasm --lib --release --target wasm32-unknown-unknown \
    --no-default-features $features -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
  mkdir -p "$out/$variant"
  wasm-bindgen --target web --no-typescript --out-dir "$out/$variant" --out-name tiercost \
    "$target_dir/wasm32-unknown-unknown/release/tiercost_wasm.wasm"
  node_modules/.bin/wasm-opt -Oz --flatten --rereloop -Oz -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-multivalue \
    -o "$out/$variant/tiercost_bg.opt.wasm" "$out/$variant/tiercost_bg.wasm"
  mv "$out/$variant/tiercost_bg.opt.wasm" "$out/$variant/tiercost_bg.wasm"
done
echo "== built $out/{shipped,fen,swb}"
