# tiercost: build, serve and test. `make test` runs everything CI runs (.ci/run calls it).
#
#   make serve   build the wasm package and serve the page in www/ on http://localhost:8000
#   make test    every check: fmt, clippy, native tests, wasm tests (Node + Chromium), the
#                npm package (pack, install, Node, TypeScript, Chromium), size budget, page
#   make pkg     build pkg/ (and www/pkg/) only
#   make bench   wasm benchmarks in Chromium (not a test; see BENCHMARKS.md)
#   make fuzz-smoke  every fuzz target for 60 s (part of `make test`; long runs: fuzz/README.md)
#   make setup   install missing tools (wasm32 target, wasm-bindgen-cli, chromium, npm ci)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PORT ?= 8000

WASM_FLAGS := --target wasm32-unknown-unknown --no-default-features --features wasm-planning
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON ?= $(CURDIR)/tests/webdriver.json

.PHONY: all setup wasm-module pkg serve test fmt clippy native-test wasm-test wasm-test-node \
	wasm-test-browser clippy-wasm size-check browser-test package-test page-test bench clean \
	fuzz-smoke

all: pkg

setup:
	bash scripts/install-tools.sh

pkg: setup wasm-module
	bash scripts/build-pkg.sh

serve: pkg
	@echo "tiercost page: http://localhost:$(PORT)/"
	node scripts/serve.mjs www $(PORT)

# src/wasm.rs is compiled only if the crate root declares it.
wasm-module:
	@grep -q '^pub mod wasm;' src/lib.rs || { echo 'src/lib.rs must declare the boundary: #[cfg(feature = "wasm")] pub mod wasm;'; exit 1; }

# Ordered steps (one after another even under make -j).
test: setup wasm-module
	$(MAKE) --no-print-directory fmt
	$(MAKE) --no-print-directory clippy
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
	cargo clippy --all-targets -- -D warnings

# src/wasm.rs and the wasm half of tests/web.rs (which needs the native reports: after
# native-test).
clippy-wasm:
	cargo test --test web
	cargo clippy --lib --test web $(WASM_FLAGS) -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features wasm -- -D warnings
	@! grep -rnE 'wasm_bindgen|JsValue|js_sys' src --include='*.rs' | grep -v '^src/wasm.rs:' \
		|| { echo "only src/wasm.rs may use wasm-bindgen / js-sys"; exit 1; }

native-test:
	cargo test

# cargo-fuzz (installed by scripts/install-tools.sh); FUZZ_SECONDS=600 for a longer run.
fuzz-smoke:
	bash scripts/fuzz-smoke.sh

# The native half of tests/web.rs writes the reports the wasm half compares against.
wasm-test:
	cargo test --test web
	$(MAKE) --no-print-directory wasm-test-node
	$(MAKE) --no-print-directory wasm-test-browser

wasm-test-node:
	cargo test $(WASM_FLAGS) --test web

wasm-test-browser:
	WASM_BINDGEN_USE_BROWSER=1 cargo test $(WASM_FLAGS) --test web

size-check:
	node scripts/size.mjs pkg/tiercost_bg.wasm --check

# Every suite in tests/browser/: the package, the page, the wrapper's crash recovery.
browser-test:
	node --test tests/browser/

package-test:
	node --test tests/browser/package.test.mjs

page-test:
	node --test tests/browser/page.test.mjs

bench: pkg
	node tests/browser/bench.mjs

clean:
	rm -rf pkg www/pkg
