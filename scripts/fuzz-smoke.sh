#!/usr/bin/env bash
# A short run of every fuzz target (fuzz/fuzz_targets/), for CI: builds them, then fuzzes
# each for FUZZ_SECONDS (default 60) starting from its committed seed corpus. New inputs go to
# fuzz/target/smoke/<target>, never into the committed corpus. A crash, an invariant failure
# or an input slower than 30 s fails the run; libFuzzer saves the input under
# fuzz/artifacts/<target>/ (reproduce with `cargo fuzz run <target> <file>`).
# Long runs: see fuzz/README.md. Usage: scripts/fuzz-smoke.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo-fuzz passes nightly-only flags (-Z sanitizer options, -Cpasses); the stable toolchain
# accepts them with RUSTC_BOOTSTRAP. No sanitizer: the engine is safe Rust, and the fuzzers
# check overflow (debug assertions are on) and the engine's invariants themselves.
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(validate estimate_json structured)

start=$(date +%s)
# The fuzz crate is its own workspace: its format, and a test that its invariant checks fail
# on broken estimates.
cargo fmt --manifest-path fuzz/Cargo.toml --check
cargo test --manifest-path fuzz/Cargo.toml --lib -q 2>&1 | tail -n 3
# `cargo fuzz build` builds one target or all of them.
if [ ${#targets[@]} -eq 1 ]; then cargo fuzz build -s none "${targets[0]}"; else cargo fuzz build -s none; fi
built=$(date +%s)
echo "== fuzz-smoke: built in $((built - start)) s"
for t in "${targets[@]}"; do
  out="fuzz/target/smoke/$t"
  mkdir -p "$out" "fuzz/artifacts/$t"
  log="fuzz/target/smoke/$t.log"
  if cargo fuzz run -s none "$t" "$out" "fuzz/corpus/$t" -- \
      -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1; then
    runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 || true)
    echo "== fuzz-smoke: $t: ${runs:-?} runs in ${seconds} s, ${cov:-cov: ?} edges, no finding"
  else
    echo "== fuzz-smoke: $t FAILED; the end of $log:" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
done
echo "== fuzz-smoke: every target ran ${seconds} s without a finding ($(( $(date +%s) - start )) s in all)"
