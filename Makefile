# tiercost: build, serve and test. `make test` runs everything CI runs (.ci/run calls it).
#
#   make serve   build the wasm package and serve the page in www/ on http://localhost:8000
#   make test    every check: fmt, clippy, native tests, wasm tests (Node + Chromium), the
#                npm package (pack, install, Node, TypeScript, Chromium), size budget, page
#   make pkg     build pkg/ (and www/pkg/) only
#   make bench   wasm benchmarks in Chromium (not a test; see BENCHMARKS.md)
#   make bench-compare   tiercost beside Publicodes on the same rules, plus native, size,
#                cold start and memory figures, as Markdown for BENCHMARKS.md
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
	security-check deny fuzz-smoke js-test

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
# Unit tests of the page's plain modules (www/lib/*.js) in Node.
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
.PHONY: bench-compare
bench-compare: pkg
	node tests/browser/compare-bench.mjs

clean:
	rm -rf pkg www/pkg
