// The JS boundary measured (issue 17 point 3), not a test: the same estimates on a registered
// pack through three boundaries, in one Chromium page, interleaved, and what each costs in
// wasm bytes. Printed as Markdown for BENCHMARKS.md.
//
//   make bench-boundary     (= bash benches/boundary/build.sh && node tests/browser/boundary-bench.mjs)
//
// 1. JSON text both ways — what ships: the case object → JSON.stringify (after the exactness
//    check) → wasm reads the text → the result serialized to JSON text → JSON.parse;
// 2. serde-wasm-bindgen both ways (the crate the mission names): the case object read into a
//    serde_json::Value by walking the JS object, the result built as JS objects directly;
// 3. many cases in one call, a Float64Array of fen out: per case [layers n, total, family,
//    family's low, paid × n] — integers below 2^53, so exact in a float64 — for batches in JS.
// Built by benches/boundary/build.sh as three modules (wasm-bindgen + the package's wasm-opt
// flags): the core module as shipped, with `measure-fen`, and with `measure-swb`; the size rows
// are their gzip -9 sizes, so each boundary's bytes are the difference from the first.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { availableParallelism, cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";
import { q } from "./bench.mjs";
import { load, toCase } from "../../benches/compare/bills.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const OUT = "target/boundary";
const QUICK = process.argv.includes("--quick");
const ROUNDS = QUICK ? 10 : 40;
const BATCH = 10;
const loadAtStart = loadavg()[0];

const { bills, pack } = await load();
const named = bills.map((b) => {
  const { inlinePack, ...c } = toCase(b, pack);
  return { ...c, pack: pack.id };
});

const gz = (name) => gzipSync(readFileSync(resolve(ROOT, OUT, name)), { level: 9 }).length;
const sizes = {
  shipped: gz("shipped/tiercost_bg.wasm"),
  fen: gz("fen/tiercost_bg.wasm"),
  swb: gz("swb/tiercost_bg.wasm"),
};

const server = await startServer(ROOT, { isolate: true });
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}benches/compare/pack.json`);
  const r = await page.evaluate(
    async ({ base, pack, named, rounds, batch }) => {
      const load = async (dir) => {
        const g = await import(`${base}${dir}/tiercost.js`);
        await g.default({ module_or_path: `${base}${dir}/tiercost_bg.wasm` });
        g.registerPack(pack);
        return g;
      };
      const fen = await load("fen");
      const swb = await load("swb");
      const n = named.length;
      const runs = {
        "json, totals": () => { for (let i = 0; i < n; i++) fen.estimate(named[i], "totals"); },
        "swb, totals": () => { for (let i = 0; i < n; i++) swb.estimateSwb(named[i], "totals"); },
        "fen array, totals": () => fen.estimateFen(named, "totals"),
        "json, full": () => { for (let i = 0; i < n; i++) fen.estimate(named[i], "full"); },
        "swb, full": () => { for (let i = 0; i < n; i++) swb.estimateSwb(named[i], "full"); },
      };
      // Agreement first: the three give the same fen.
      const fenOf = (x) => Math.round(Number(x) * 100);
      const arr = fen.estimateFen(named, "totals");
      let k = 0;
      const problems = [];
      for (let i = 0; i < n; i++) {
        const a = fen.estimate(named[i], "totals");
        const b = swb.estimateSwb(named[i], "totals");
        const layers = arr[k];
        const row = Array.from(arr.slice(k + 1, k + 4 + layers));
        k += 4 + layers;
        const want = [fenOf(a.total), fenOf(a.patient.total), fenOf(a.range?.low ?? a.patient.total), ...a.layers.map((l) => fenOf(l.paid))];
        if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`bill ${i}: serde-wasm-bindgen's result differs`);
        if (JSON.stringify(row) !== JSON.stringify(want)) problems.push(`bill ${i}: fen array ${row} ≠ ${want}`);
      }
      const times = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
      for (const f of Object.values(runs)) for (let i = 0; i < 20; i++) f();
      for (let r = 0; r < rounds; r++) {
        for (const [name, f] of Object.entries(runs)) {
          const t0 = performance.now();
          for (let j = 0; j < batch; j++) f();
          times[name].push(((performance.now() - t0) * 1000) / (batch * n));
        }
      }
      return { times, problems, isolated: self.crossOriginIsolated, bytes: JSON.stringify(fen.estimate(named[0], "totals")).length, caseBytes: JSON.stringify(named[0]).length };
    },
    { base: `/${OUT}/`, pack, named, rounds: ROUNDS, batch: BATCH },
  );
  if (r.problems.length) {
    console.error(r.problems.join("\n"));
    process.exitCode = 1;
  }
  const us = (x) => `${x.toFixed(2)} µs`;
  const [load1] = loadavg();
  const rows = [
    ["json, totals", "JSON text both ways (shipped), `{detail: \"totals\"}`", sizes.shipped],
    ["swb, totals", "serde-wasm-bindgen both ways, totals", sizes.swb],
    ["fen array, totals", `all ${named.length} cases in one call, a Float64Array of fen out, totals`, sizes.fen],
    ["json, full", "JSON text both ways, full trace", sizes.shipped],
    ["swb, full", "serde-wasm-bindgen both ways, full trace", sizes.swb],
  ];
  console.log([
    `Machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? "unknown CPU"}, load average ${loadAtStart.toFixed(2)} at the start and ${load1.toFixed(2)} at the end; Chromium ${await browser.version()} headless, cross-origin isolated: ${r.isolated}; ${new Date().toISOString().slice(0, 16)}Z. ${named.length} comparison bills on the registered pack \`${pack.id}\`, ${ROUNDS} rounds × ${BATCH} passes; case ${r.caseBytes} B of JSON, totals result ${r.bytes} B. Agreement: ${r.problems.length ? `**${r.problems.length} differ**` : "the three give the same amounts to the fen"}.`,
    "",
    "| boundary | per estimate, median | p95 | core module, gzip -9 | bytes over the shipped module |",
    "|---|---|---|---|---|",
    ...rows.map(([k, label, size]) => `| ${label} | ${us(q(r.times[k], 0.5))} | ${us(q(r.times[k], 0.95))} | ${size.toLocaleString("en")} B | ${size === sizes.shipped ? "—" : `+${(size - sizes.shipped).toLocaleString("en")} B`} |`),
  ].join("\n"));
} finally {
  await browser.close();
  await server.close();
}
