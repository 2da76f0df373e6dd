// Start-up of the default module in Node (not a test; BENCHMARKS.md, "WebAssembly: speed"):
// compile, instantiate + versions() (what the package's init() does), the first estimate()
// of the 20-item case, and the warm median. Another build's .wasm can be given to compare
// (it must come from the same source of wasm/src/lib.rs, so that pkg/tiercost.js fits it).
// Usage: node tests/browser/init-bench.mjs [path/to/tiercost_bg.wasm]   (after make pkg)
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const file = process.argv[2] || resolve(ROOT, "pkg/tiercost_bg.wasm");
const g = await import(resolve(ROOT, "pkg/tiercost.js"));
const c = JSON.parse(readFileSync(resolve(import.meta.dirname, "fixtures/twenty-items.json"), "utf8"));
const bytes = readFileSync(file);
const t0 = performance.now();
const module = new WebAssembly.Module(bytes);
const t1 = performance.now();
g.initSync({ module });
g.versions();
const t2 = performance.now();
g.estimate(c);
const t3 = performance.now();
for (let i = 0; i < 300; i++) g.estimate(c);
const times = [];
for (let i = 0; i < 300; i++) {
  const a = performance.now();
  for (let j = 0; j < 10; j++) g.estimate(c);
  times.push((performance.now() - a) * 100);
}
times.sort((a, b) => a - b);
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(
  `${file}: compile ${ms(t1 - t0)}, instantiate + versions() ${ms(t2 - t1)}, ` +
    `first estimate ${ms(t3 - t2)}, warm median ${times[150].toFixed(1)} µs`,
);
