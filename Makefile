# tiercost: build, serve and test. `make test` runs everything CI runs (.ci/run calls it).
#
#   make serve   build the wasm package and serve the page in www/ on http://localhost:8000
#   make test    every check: fmt, clippy, native tests, wasm tests (Node + Chromium), the
#                npm package (pack, install, Node, TypeScript, Chromium), size budget, page
#   make pkg     build pkg/ (and www/pkg/) only
#   make bench   wasm benchmarks in Chromium (not a test; see BENCHMARKS.md)
#   make bench-boundary  the JS boundary: JSON text against serde-wasm-bindgen and typed arrays
#   make bench-compare   tiercost beside Publicodes on the same rules, plus native, size,
#                cold start and memory figures, as Markdown for BENCHMARKS.md; then bench-openfisca
#   make bench-openfisca  the same rules in OpenFisca (float32, float64) beside tiercost batch
#                and estimate_batch on 10⁶ bills: agreement to the fen, then speed (OPENFISCA_ARGS=--quick)
#   make python-test  the Python package's wheel, then pytest (tests/python/, docs/PYTHON.md)
#   make fuzz-smoke  every fuzz target for 60 s (part of `make test`; long runs: fuzz/README.md)
#   make setup   install missing tools (wasm32 target, wasm-bindgen-cli, chromium, npm ci)
#   make security-check  static checks: no eval / HTML sinks in shipped JS, CSP on every page,
#                docs/LICENSES.md current;  make deny  cargo deny (licences, bans, sources)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PORT ?= 8000

# The JavaScript boundary is the crate tiercost-wasm (wasm/), with the planning functions.
WASM_FLAGS := -p tiercost-wasm --target wasm32-unknown-unknown --features wasm-planning
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON ?= $(CURDIR)/wasm/tests/webdriver.json

.PHONY: all setup wasm-module pkg serve test fmt clippy native-test wasm-test wasm-test-node \
	wasm-test-browser clippy-wasm size-check browser-test package-test page-test bench clean \
	security-check deny fuzz-smoke js-test python-test

all: pkg

setup:
	bash scripts/install-tools.sh

pkg: setup wasm-module
	bash scripts/build-pkg.sh

serve: pkg
	@echo "tiercost page: http://localhost:$(PORT)/"
	node scripts/serve.mjs www $(PORT)

# The boundary is the crate in wasm/ (tiercost-wasm); no other crate knows about JS: neither
# the core, nor the CLI, nor the derive macro use wasm-bindgen or js-sys.
wasm-module:
	@grep -q '^name = "tiercost-wasm"' wasm/Cargo.toml || { echo 'wasm/Cargo.toml must be the JS boundary, package tiercost-wasm'; exit 1; }
	@! grep -rnE 'wasm_bindgen|JsValue|js_sys' src cli derive tests benches fuzz/src fuzz/fuzz_targets --include='*.rs' \
		|| { echo "only the crate in wasm/ may use wasm-bindgen / js-sys"; exit 1; }
	@! grep -nE '^(wasm-bindgen|js-sys)' Cargo.toml cli/Cargo.toml derive/Cargo.toml \
		|| { echo "only wasm/Cargo.toml may depend on wasm-bindgen / js-sys"; exit 1; }

# Ordered steps (one after another even under make -j).
test: wasm-module
	bash scripts/install-tools.sh --test-tools
	$(MAKE) --no-print-directory fmt
	$(MAKE) --no-print-directory clippy
	$(MAKE) --no-print-directory security-check
	$(MAKE) --no-print-directory js-test
	$(MAKE) --no-print-directory deny
	$(MAKE) --no-print-directory native-test
	$(MAKE) --no-print-directory python-test
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory clippy-wasm
	$(MAKE) --no-print-directory wasm-test
	bash scripts/build-pkg.sh
	$(MAKE) --no-print-directory size-check
	$(MAKE) --no-print-directory browser-test
	@echo "make test: every step passed"

fmt:
	cargo fmt --all --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings

# wasm/ (both modules: with and without the planning functions) and the wasm half of
# wasm/tests/web.rs (which needs the native reports: after native-test).
clippy-wasm:
	cargo test -p tiercost-wasm --test web
	cargo clippy --lib --test web $(WASM_FLAGS) -- -D warnings
	cargo clippy -p tiercost-wasm --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
	$(MAKE) --no-print-directory wasm-module

# The workspace's default members: the core, the CLI, the derive macro, the wasm boundary
# natively (which writes the reports the wasm half compares against).
native-test:
	cargo test

# The Python package (python/, docs/PYTHON.md): its wheel built and installed into .venv/
# (which scripts/install-tools.sh --test-tools makes), then pytest on tests/python/, which
# checks it against the CLI (built by native-test) and runs the DuckDB, Polars and Spark recipes.
# The wheel is built unoptimised (WHEEL_PROFILE=dev: seconds, where the shipped `wheel` profile
# takes minutes on a shared 2-core machine); `make python-test WHEEL_PROFILE=wheel` tests that.
WHEEL_PROFILE ?= dev
python-test:
	@[ -x .venv/bin/python ] || { echo "no .venv/: run scripts/install-tools.sh --test-tools"; exit 1; }
	cargo build --bin tiercost
	WHEEL_PROFILE=$(WHEEL_PROFILE) bash scripts/build-wheel.sh
	.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/tiercost-*-abi3-*.whl
	TIERCOST_BIN=target/debug/tiercost .venv/bin/python -m pytest -q -p no:cacheprovider tests/python

# cargo-fuzz (installed by scripts/install-tools.sh); FUZZ_SECONDS=600 for a longer run.
fuzz-smoke:
	bash scripts/fuzz-smoke.sh

# The native half of wasm/tests/web.rs writes the reports the wasm half compares against.
wasm-test:
	cargo test -p tiercost-wasm --test web
	$(MAKE) --no-print-directory wasm-test-node
	$(MAKE) --no-print-directory wasm-test-browser

wasm-test-node:
	cargo test $(WASM_FLAGS) --test web

wasm-test-browser:
	WASM_BINDGEN_USE_BROWSER=1 cargo test $(WASM_FLAGS) --test web

# Security and supply chain (issue 8): see scripts/check-sinks.mjs, scripts/licenses.mjs, deny.toml.
security-check:
	node scripts/check-sinks.mjs
	node scripts/licenses.mjs --check
	node www/widget/sri.mjs --check-doc

# Advisories are left out: their database is on GitHub, which CI cannot reach (deny.toml).
# --workspace: every crate of the workspace is a root (the core, the CLI with Parquet, the
# wasm boundary, the derive macro), not only the root package.
deny:
	cargo fetch --locked --quiet
	cargo deny --workspace --offline --locked check licenses bans sources

size-check:
	node scripts/size.mjs pkg/tiercost_bg.wasm --check

# Every suite in tests/browser/: the package, the page, the wrapper's crash recovery.
# Unit tests of the page's plain modules (www/lib/*.js) in Node; tests/js/explain.test.mjs builds
# the CLI (cargo, or $$TIERCOST_BIN) and checks that it and the page say the same step sentences.
js-test:
	node --test tests/js/

browser-test:
	node --test tests/browser/

package-test:
	node --test tests/browser/package.test.mjs

page-test:
	node --test tests/browser/page.test.mjs

bench: pkg
	node tests/browser/bench.mjs

# Fails if tiercost and Publicodes disagree on any bill (benches/compare/).
# The JS boundary measured (issue 17 point 3): JSON text (shipped) against serde-wasm-bindgen
# and a Float64Array of fen for many cases, in one Chromium page, with each one's wasm bytes.
.PHONY: bench-boundary
bench-boundary: setup
	bash benches/boundary/build.sh
	node tests/browser/boundary-bench.mjs

.PHONY: bench-compare
bench-compare: pkg
	node tests/browser/compare-bench.mjs
	$(MAKE) --no-print-directory bench-boundary
	$(MAKE) --no-print-directory bench-openfisca

# benches/compare/openfisca/: a venv of the pinned requirements, remade when they change (the
# stamp holds their hash); the Python package's wheel built with the shipped `wheel` profile
# (python-test leaves an unoptimised one in the same place) and installed into it for the
# estimate_batch rows (maturin from .venv/ if scripts/install-tools.sh --test-tools made it,
# else the venv's pinned one; if the build fails, those rows say the package is missing).
# Fails if the OpenFisca model is wrong (float64 + nudge differs from tiercost on a bill) or
# the tiercost engines disagree.
OPENFISCA := benches/compare/openfisca
OPENFISCA_ARGS ?=
.PHONY: bench-openfisca
bench-openfisca:
	@want="$$(sha256sum $(OPENFISCA)/requirements.txt | cut -d' ' -f1)"; \
	if [ "$$(cat $(OPENFISCA)/.stamp 2>/dev/null)" != "$$want" ]; then \
		echo "bench-openfisca: installing $(OPENFISCA)/requirements.txt into $(OPENFISCA)/.venv"; \
		rm -rf $(OPENFISCA)/.venv $(OPENFISCA)/.stamp; \
		python3 -m venv $(OPENFISCA)/.venv; \
		$(OPENFISCA)/.venv/bin/pip install --quiet --disable-pip-version-check -r $(OPENFISCA)/requirements.txt; \
		echo "$$want" > $(OPENFISCA)/.stamp; \
	fi
	@if PATH="$(CURDIR)/$(OPENFISCA)/.venv/bin:$$PATH" WHEEL_PROFILE=wheel bash scripts/build-wheel.sh; then \
		$(OPENFISCA)/.venv/bin/pip install --quiet --disable-pip-version-check --no-deps \
			--force-reinstall target/wheels/tiercost-*-abi3-*.whl; \
	else \
		echo "bench-openfisca: no wheel built: the estimate_batch rows are left out"; \
		$(OPENFISCA)/.venv/bin/pip uninstall --quiet --yes tiercost 2>/dev/null || true; \
	fi
	$(OPENFISCA)/.venv/bin/python $(OPENFISCA)/run.py $(OPENFISCA_ARGS)

clean:
	rm -rf pkg www/pkg
