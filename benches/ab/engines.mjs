// Two builds of the engine, A and B, in one V8 (Node), interleaved on the same cases: the A/B
// a change to the settlement is judged by. Each package directory is a built `pkg/` (for
// instance the main branch's, built in a worktree, and yours). Not a test: it exits 1 if the
// two disagree on any amount, and otherwise prints a Markdown table for BENCHMARKS.md.
//
//   node benches/ab/engines.mjs <pkg dir A> <pkg dir B> [--rounds N]
//
// Cases: the 40 comparison bills (benches/compare/) on their pack registered once, totals
// and full trace; and the 20-item case on the embedded `cn-wuhan` pack
// (tests/browser/fixtures/twenty-items.json), full trace. Per round, each engine runs every
// case 10 times, A and B alternating, so load on the machine falls on both alike.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { load, tiercostFen, toCase } from "../compare/bills.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const argv = process.argv.slice(2);
const dirs = argv.filter((a) => !a.startsWith("--") && !/^\d+$/.test(a));
const ri = argv.indexOf("--rounds");
const ROUNDS = ri >= 0 ? Number(argv[ri + 1]) : 30;
if (dirs.length !== 2) {
  console.error("usage: node benches/ab/engines.mjs <pkg dir A> <pkg dir B> [--rounds N]");
  process.exit(2);
}

const { bills, pack } = await load();
const twenty = JSON.parse(readFileSync(resolve(ROOT, "tests/browser/fixtures/twenty-items.json"), "utf8"));
const engines = [];
for (const dir of dirs) {
  const t = await import(pathToFileURL(resolve(dir, "index.js")).href);
  await t.init();
  const id = t.registerPack(toCase(bills[0], pack).inlinePack).id;
  const named = bills.map((b) => {
    const { inlinePack, ...c } = toCase(b, pack);
    return { ...c, pack: id };
  });
  engines.push({ dir, t, named, version: t.versions?.().engine ?? "" });
}

// Agreement first: every bill, totals and full, and the 20-item case, to the fen.
const key = (e) => JSON.stringify(tiercostFen(e));
for (let i = 0; i < bills.length; i++) {
  const [a, b] = engines.map((g) => g.t.estimate(g.named[i], { detail: "totals" }));
  const [fa, fb] = engines.map((g) => g.t.estimate(g.named[i]));
  if (key(a) !== key(b) || key(fa) !== key(fb) || key(a) !== key(fa)) {
    console.error(`bill ${i}: A and B disagree: ${key(a)} / ${key(b)} (full ${key(fa)} / ${key(fb)})`);
    process.exit(1);
  }
}
const [wa, wb] = engines.map((g) => g.t.estimate(twenty));
if (wa.patient.total !== wb.patient.total || wa.layers.some((l, k) => l.paid !== wb.layers[k].paid)) {
  console.error("the 20-item case: A and B disagree");
  process.exit(1);
}

const measures = {
  "40 comparison bills, registered pack, `{detail: \"totals\"}`": (g) => {
    for (const c of g.named) g.t.estimate(c, { detail: "totals" });
    return g.named.length;
  },
  "40 comparison bills, registered pack, full trace": (g) => {
    for (const c of g.named) g.t.estimate(c);
    return g.named.length;
  },
  "20-item case, embedded `cn-wuhan`, full trace": (g) => {
    g.t.estimate(twenty);
    return 1;
  },
};
const times = Object.fromEntries(Object.keys(measures).map((k) => [k, [[], []]]));
const load0 = loadavg()[0];
for (let r = -3; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(measures)) {
    for (const side of r % 2 ? [0, 1] : [1, 0]) {
      const t0 = process.hrtime.bigint();
      let n = 0;
      for (let k = 0; k < 10; k++) n += run(engines[side]);
      const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
      if (r >= 0) times[name][side].push(us);
    }
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
console.log(
  `Node ${process.version}, ${cpus().length} cores, load average ${load0.toFixed(2)} at the start and ${loadavg()[0].toFixed(2)} at the end; ${ROUNDS} rounds × 10 passes, A and B alternating; amounts agree to the fen.\n`,
);
console.log(`A: \`${dirs[0]}\`  \nB: \`${dirs[1]}\`\n`);
console.log("| per estimate, median | A | B | B ÷ A |");
console.log("|---|---|---|---|");
for (const [name, [a, b]] of Object.entries(times)) {
  const ma = median(a);
  const mb = median(b);
  console.log(`| ${name} | ${ma.toFixed(1)} µs | ${mb.toFixed(1)} µs | ${(mb / ma).toFixed(2)} |`);
}
