// Two builds of the engine, A and B, cold: each run is a fresh Node process that compiles and
// instantiates the default module (`tiercost_bg.wasm`, through its wasm-bindgen glue) and
// times its first estimate — the 20-item case on the embedded `cn-wuhan` pack
// (tests/browser/fixtures/twenty-items.json), which loads `cn-national` and `cn-wuhan` in
// code V8 compiles as it is first called, as in a browser's cold start. A and B alternate, so
// load on the machine falls on both alike. Not a test: it exits 1 if the two disagree, and
// otherwise prints a Markdown table for BENCHMARKS.md.
//
//   node benches/ab/cold.mjs <pkg dir A> <pkg dir B> [--runs N]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "../..");
const argv = process.argv.slice(2);

if (argv[0] === "--one") {
  // One cold start of the package in argv[1]: "compile+instantiate ms, first estimate ms, result".
  const dir = resolve(argv[1]);
  const c = JSON.parse(readFileSync(resolve(ROOT, "tests/browser/fixtures/twenty-items.json"), "utf8"));
  const bytes = readFileSync(resolve(dir, "tiercost_bg.wasm"));
  const glue = await import(pathToFileURL(resolve(dir, "tiercost.js")).href);
  const t0 = performance.now();
  glue.initSync({ module: await WebAssembly.compile(bytes) });
  const t1 = performance.now();
  const result = glue.estimate(c);
  const t2 = performance.now();
  console.log(JSON.stringify([t1 - t0, t2 - t1, result.patient.total]));
  process.exit(0);
}

const dirs = argv.filter((a) => !a.startsWith("--") && !/^\d+$/.test(a));
const ri = argv.indexOf("--runs");
const RUNS = ri >= 0 ? Number(argv[ri + 1]) : 60;
if (dirs.length !== 2) {
  console.error("usage: node benches/ab/cold.mjs <pkg dir A> <pkg dir B> [--runs N]");
  process.exit(2);
}
const self = fileURLToPath(import.meta.url);
const runs = [[], []];
const totals = new Set();
const load = [loadavg()[0]];
for (let i = 0; i < RUNS; i++) {
  for (const k of i % 2 ? [1, 0] : [0, 1]) {
    const [init, first, total] = JSON.parse(execFileSync(process.execPath, [self, "--one", dirs[k]], { encoding: "utf8" }));
    runs[k].push({ init, first });
    totals.add(total);
  }
}
load.push(loadavg()[0]);
if (totals.size !== 1) {
  console.error(`A and B disagree: ${[...totals].join(" / ")}`);
  process.exit(1);
}
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`Node ${process.version}, ${RUNS} fresh processes each, A and B alternating; load average ${load.map((l) => l.toFixed(1)).join(" → ")}`);
console.log("| build | compile + instantiate, median | first estimate, median | quartiles |");
console.log("|---|---|---|---|");
for (const [k, name] of [[0, "A"], [1, "B"]]) {
  const first = runs[k].map((r) => r.first);
  console.log(`| ${name} ${dirs[k]} | ${ms(q(runs[k].map((r) => r.init), 0.5))} | ${ms(q(first, 0.5))} | ${ms(q(first, 0.25))} – ${ms(q(first, 0.75))} |`);
}
const ratio = runs[1].map((r, i) => r.first / runs[0][i].first);
console.log(`\nfirst estimate, B / A run by run: median ${q(ratio, 0.5).toFixed(2)} (quartiles ${q(ratio, 0.25).toFixed(2)} – ${q(ratio, 0.75).toFixed(2)})`);
