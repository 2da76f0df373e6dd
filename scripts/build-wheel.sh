#!/usr/bin/env bash
# Builds the Python package (python/: PyO3 + maturin, one abi3 wheel for CPython ≥ 3.10) into
# target/wheels/tiercost-<version>-cp310-abi3-<platform>.whl, with Cargo.toml's `wheel`
# profile (release, panic unwinds into a Python exception, thin LTO).
#   scripts/build-wheel.sh               then: pip install --force-reinstall target/wheels/tiercost-*.whl
#   WHEEL_PROFILE=dev scripts/build-wheel.sh   an unoptimised wheel, quicker to build
# maturin comes from .venv/ (scripts/install-tools.sh --test-tools) or the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

maturin=.venv/bin/maturin
[ -x "$maturin" ] || maturin=$(command -v maturin || true)
if [ -z "$maturin" ]; then
  echo "maturin is missing: run scripts/install-tools.sh --test-tools (it makes .venv/), or pip install maturin" >&2
  exit 1
fi
python=.venv/bin/python
[ -x "$python" ] || python=$(command -v python3)

# Only this build's wheel is left in target/wheels/, so `pip install target/wheels/*.whl` is unambiguous.
rm -f target/wheels/tiercost-*.whl
"$maturin" build --manifest-path python/Cargo.toml --interpreter "$python" \
  --profile "${WHEEL_PROFILE:-wheel}" --out target/wheels
ls target/wheels/tiercost-*-abi3-*.whl
