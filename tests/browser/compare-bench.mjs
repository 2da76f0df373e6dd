// tiercost beside Publicodes on the same rules and the same bills, in one Chromium page, plus
// the engine's other figures, printed as Markdown for BENCHMARKS.md. Not a test, but it
// fails (exit 1) if the two engines disagree on any amount of any bill.
//
//   make bench-compare        (= make pkg && node tests/browser/compare-bench.mjs)
//   node tests/browser/compare-bench.mjs --quick       fewer samples
//   node tests/browser/compare-bench.mjs --no-native   skip `cargo bench`
//
// The rules: benches/compare/pack.json (a tiercost inline pack) and
// benches/compare/publicodes-rules.json (the same rules in Publicodes); the bills:
// benches/compare/bills.json (see bills.mjs). Steps:
// 1. agreement: every bill through both engines; the basic, 大病 and 医疗救助 payments and the
//    family's share must be equal to the fen. Publicodes rounds each payment to the fen half
//    up inside its rules (`arrondi: 2 décimales` after adding the rule `tolerance`); the
//    harness turns its float results into integer fen (Math.round(x × 100), checking x was
//    within 1e-6 fen of a whole fen) and tiercost's decimal strings into fen exactly. The
//    same comparison with `tolerance` 0 (Publicodes' own rounding) is reported, not enforced;
// 2. speed in one page, interleaved: tiercost `estimate(case object)` (JSON crossing both
//    ways, the inline pack read and validated, the full trace returned) against Publicodes
//    with one engine (`setSituation` + `evaluate` of the four amounts), and against a fresh
//    Publicodes engine per bill (its rules parsed each time, as tiercost's inline pack is);
// 3. native (`cargo bench`, short), wasm size, and bench.mjs's measures: linear memory,
//    a warm 20-item estimate on an embedded pack, cold start.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";
import { TWENTY_ITEMS, coldRow, coldStarts, memoryAfter, q, warmEstimate, warmRow } from "./bench.mjs";
import { PUBLICODES_RULES, load, toCase, toSituation } from "../../benches/compare/bills.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");
const ROUNDS = QUICK ? 10 : 50; // rounds over every bill; each sample is BATCH calls on one bill
const BATCH = 10;
const FRESH_ROUNDS = QUICK ? 2 : 5;
const COLD_RUNS = QUICK ? 5 : 15;
const MEMORY_COUNTS = [1000, 10000];

const loadAtStart = loadavg()[0];
const { bills, pack, rules } = await load();
const cases = bills.map((b) => toCase(b, pack));
const situations = bills.map(toSituation);
const git = (...a) => execFileSync("git", ["-C", ROOT, ...a], { encoding: "utf8" }).trim();
const commit = `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--", "src", "wasm", "Cargo.toml", "Cargo.lock", "pkg-templates", "benches") ? " + uncommitted changes" : ""}`;
const publicodesVersion = JSON.parse(
  readFileSync(resolve(ROOT, "node_modules/publicodes/package.json"), "utf8"),
).version;

const server = await startServer(ROOT, { isolate: true });
const browser = await launch();
let failed = false;
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}benches/compare/pack.json`);
  const pkgUrl = "/www/pkg/";
  const publicodesUrl = "/node_modules/publicodes/dist/index.js";

  // 1. Agreement (the same function as tests/browser/compare.test.mjs runs in Node).
  const out = await page.evaluate(
    async ({ pkgUrl, publicodesUrl, billsUrl, data }) => {
      const t = await import(`${pkgUrl}index.js`);
      const { default: Engine } = await import(publicodesUrl);
      const { agreement } = await import(billsUrl);
      await t.init();
      return agreement(t, Engine, data);
    },
    { pkgUrl, publicodesUrl, billsUrl: "/benches/compare/bills.mjs", data: { bills, pack, rules } },
  );
  const { mismatches, untouched } = out;
  if (mismatches.length) {
    failed = true;
    console.error(`tiercost and Publicodes disagree:\n${mismatches.join("\n")}`);
    process.exitCode = 1;
  }

  // 2. Speed, interleaved in the same page.
  const speed = failed
    ? null
    : await page.evaluate(
        async ({ pkgUrl, publicodesUrl, cases, situations, rules, names, rounds, batch, freshRounds }) => {
          const t = await import(`${pkgUrl}index.js`);
          const { default: Engine } = await import(publicodesUrl);
          await t.init();
          // The same pack registered once (read and validated once): cases name it by id.
          const id = t.registerPack(cases[0].inlinePack).id;
          const named = cases.map(({ inlinePack, ...c }) => ({ ...c, pack: id }));
          const totals = { detail: "totals" };
          for (let i = 0; i < cases.length; i++) {
            const a = t.estimate(cases[i]);
            const b = t.estimate(named[i], totals);
            if (a.patient.total !== b.patient.total || a.layers.some((l, k) => l.paid !== b.layers[k].paid)) {
              throw new Error(`bill ${i}: the registered pack's totals differ from the inline pack's estimate`);
            }
          }
          const quiet = { log() {}, warn() {}, error: console.error };
          const engine = new Engine(rules, { logger: quiet });
          const ruleNames = Object.values(names);
          const pc = (e, s) => {
            e.setSituation(s);
            let sink = 0;
            for (const r of ruleNames) sink += e.evaluate(r).nodeValue;
            return sink;
          };
          const runs = {
            tiercost: (i) => t.estimate(cases[i]),
            registered: (i) => t.estimate(named[i]),
            totals: (i) => t.estimate(named[i], totals),
            publicodes: (i) => pc(engine, situations[i]),
            fresh: (i) => pc(new Engine(rules, { logger: quiet }), situations[i]),
          };
          const time = (f, i, n) => {
            const t0 = performance.now();
            for (let j = 0; j < n; j++) f(i);
            return ((performance.now() - t0) * 1000) / n;
          };
          // Warm-up: 20 calls per bill for each.
          for (let i = 0; i < cases.length; i++) {
            for (const f of [runs.tiercost, runs.registered, runs.totals, runs.publicodes]) time(f, i, 20);
            time(runs.fresh, i, 2);
          }
          const times = { tiercost: [], registered: [], totals: [], publicodes: [], fresh: [] };
          for (let r = 0; r < rounds; r++) {
            for (let i = 0; i < cases.length; i++) {
              times.tiercost.push(time(runs.tiercost, i, batch));
              times.registered.push(time(runs.registered, i, batch));
              times.totals.push(time(runs.totals, i, batch));
              times.publicodes.push(time(runs.publicodes, i, batch));
              if (r < freshRounds) times.fresh.push(time(runs.fresh, i, 1));
            }
          }
          return { times, isolated: self.crossOriginIsolated };
        },
        {
          pkgUrl,
          publicodesUrl,
          cases,
          situations,
          rules,
          names: PUBLICODES_RULES,
          rounds: ROUNDS,
          batch: BATCH,
          freshRounds: FRESH_ROUNDS,
        },
      );

  // 3. Memory, then cold starts (fresh contexts), in the package's own directory.
  const memPage = await browser.newPage();
  await memPage.goto(`${server.url}www/pkg/package.json`);
  const example = readFileSync(resolve(ROOT, "examples/inline-pack-case.json"), "utf8");
  const memory = await memoryAfter(memPage, `${server.url}www/pkg/`, [TWENTY_ITEMS, example], MEMORY_COUNTS);
  const warmSamples = QUICK ? 200 : 1000;
  const warm = await warmEstimate(memPage, `${server.url}www/pkg/`, TWENTY_ITEMS, { samples: warmSamples });
  await memPage.close();
  const cold = await coldStarts(browser, `${server.url}www/pkg/`, TWENTY_ITEMS, COLD_RUNS);
  const chromium = await browser.version();
  await page.close();

  // 4. Native and size (outside the browser).
  const size = execFileSync("node", ["scripts/size.mjs", "pkg/tiercost_bg.wasm", "--markdown"], {
    cwd: ROOT,
    encoding: "utf8",
  }).trim();
  let native = null;
  if (!args.has("--no-native")) {
    const r = spawnSync(
      "cargo",
      [
        "bench", "--bench", "estimate", "--",
        "--warm-up-time", "1", "--measurement-time", QUICK ? "2" : "5",
        "estimate/one 20-item encounter, five layers(, totals only)?$|compare/",
      ],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 },
    );
    if (r.status !== 0) throw new Error(`cargo bench failed:\n${r.stderr}`);
    native = [...r.stdout.matchAll(/^(\S[^\n]*?)\s+time:\s+\[([^\]]+)\](?:\s+thrpt:\s+\[([^\]]+)\])?/gms)].map(
      (m) => ({ name: m[1].trim(), time: m[2].split(/\s+(?=\d)/), thrpt: m[3]?.split(/\s+(?=\d)/) }),
    );
  }

  // The report.
  const us = (x) => `${x.toFixed(1)} µs`;
  const [load1] = loadavg();
  const lines = [];
  lines.push(
    `Machine: ${availableParallelism()} cores (nproc), ${cpus()[0]?.model ?? "unknown CPU"}, load average ${loadAtStart.toFixed(2)} at the start and ${load1.toFixed(2)} at the end (other work shares the cores); Chromium ${chromium} headless, cross-origin isolated: ${speed?.isolated}; Node ${process.version}; publicodes ${publicodesVersion}; tiercost at ${commit}; ${new Date().toISOString().slice(0, 16)}Z.`,
    "",
    `Agreement: ${bills.length} bills × 4 amounts (basic, 大病, 医疗救助, family's share): ${mismatches.length ? `**${mismatches.length} differ**` : "all equal to the fen"}. With \`tolerance\` 0 (Publicodes' own \`arrondi\` on floats): ${untouched.length} of ${bills.length} bills differ${untouched.length ? ` (${untouched.join("; ")})` : ""}.`,
    "",
  );
  if (speed) {
    const st = speed.times;
    const ratio = (k) => (q(st[k], 0.5) / q(st.tiercost, 0.5)).toFixed(2);
    lines.push(
      `| per estimate, ${bills.length} bills, same page | median | p95 | samples | median ÷ tiercost's |`,
      "|---|---|---|---|---|",
      `| tiercost \`estimate(case)\`: object → JSON → wasm (inline pack parsed and validated, 3 layers settled, full trace) → JSON → object | ${us(q(st.tiercost, 0.5))} | ${us(q(st.tiercost, 0.95))} | ${st.tiercost.length} × ${BATCH} calls | 1 |`,
      `| tiercost, the pack registered once (\`registerPack\`), cases name it: full trace | ${us(q(st.registered, 0.5))} | ${us(q(st.registered, 0.95))} | ${st.registered.length} × ${BATCH} calls | ${ratio("registered")} |`,
      `| tiercost, registered pack, \`{detail: "totals"}\` (no trace) | ${us(q(st.totals, 0.5))} | ${us(q(st.totals, 0.95))} | ${st.totals.length} × ${BATCH} calls | ${ratio("totals")} |`,
      `| Publicodes, one engine: \`setSituation\` + \`evaluate\` of the 4 amounts | ${us(q(st.publicodes, 0.5))} | ${us(q(st.publicodes, 0.95))} | ${st.publicodes.length} × ${BATCH} calls | ${ratio("publicodes")} |`,
      `| Publicodes, a new \`Engine(rules)\` per bill, then the same | ${us(q(st.fresh, 0.5))} | ${us(q(st.fresh, 0.95))} | ${st.fresh.length} × 1 call | ${ratio("fresh")} |`,
      "",
      `Publicodes (one engine) ÷ tiercost totals on a registered pack: ${(q(st.publicodes, 0.5) / q(st.totals, 0.5)).toFixed(2)}× (issue 17's target: ≥ 100×, ≤ 5 µs).`,
      "",
      `Average JSON crossing per tiercost call: case ${(out.caseBytes / 1024).toFixed(1)} KB in (the pack is ${(JSON.stringify(pack).length / 1024).toFixed(1)} KB of it), estimate ${(out.resultBytes / 1024).toFixed(1)} KB out.`,
      "",
    );
  }
  if (native) {
    // Criterion's throughput estimate ("16.5 Kelem/s") as time per estimate.
    const perEstimate = (t) => {
      const m = /^([\d.]+) ([KMG]?)elem\/s$/.exec(t?.[1] ?? "");
      if (!m) return "";
      return us(1e6 / (Number(m[1]) * { "": 1, K: 1e3, M: 1e6, G: 1e9 }[m[2]]));
    };
    lines.push(
      "| native (criterion, short run), one core | time per iteration [low estimate high] | per estimate |",
      "|---|---|---|",
    );
    for (const n of native) lines.push(`| ${n.name} | ${n.time.join(" ")} | ${perEstimate(n.thrpt)} |`);
    lines.push("");
  }
  lines.push("| file | raw | gzip -9 | brotli q11 |", "|---|---|---|---|", size, "");
  lines.push("| bench.mjs measures, 20-item case on the embedded \`cn-wuhan\` pack | median | p95 | runs |", "|---|---|---|---|");
  lines.push(warmRow(warm.times, warmSamples), coldRow(cold, COLD_RUNS), "");
  lines.push(
    "| linear memory (`memoryBytes()`), 20-item case and the inline-pack example alternately | bytes |",
    "|---|---|",
    ...memory.map((m) => `| after init()${m.estimates ? ` + ${m.estimates.toLocaleString("en")} estimates` : ""} | ${m.bytes.toLocaleString("en")} |`),
  );
  console.log(lines.join("\n"));
} finally {
  await browser.close();
  await server.close();
}
