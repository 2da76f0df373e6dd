// Planning benchmarks in headless Chromium (not a test; numbers for BENCHMARKS.md):
// a 12-month plan expanding to 52 encounters and a 10-variant scenario comparison — the
// same inputs as the native `cargo bench --bench estimate -- planning`.
// Usage: make pkg && node tests/browser/planning-bench.mjs
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";
import { q } from "./bench.mjs";

const root = resolve(import.meta.dirname, "../..");
const PLAN = readFileSync(resolve(root, "benches/fixtures/plan-52-encounters.json"), "utf8");
const BASE = readFileSync(resolve(import.meta.dirname, "fixtures/twenty-items.json"), "utf8");
const SAMPLES = 200;

const server = await startServer(resolve(root, "www"), { isolate: true });
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}pkg/package.json`);
  const r = await page.evaluate(
    async ({ planText, baseText, samples }) => {
      const t = await import("./index.js");
      await t.init({ planning: true });
      const base = JSON.parse(baseText);
      base.member.category = "none";
      const variants = t.commonVariants(base).slice(0, 10);
      const time = (f) => {
        for (let i = 0; i < 20; i++) f();
        const xs = [];
        for (let i = 0; i < samples; i++) {
          const t0 = performance.now();
          f();
          xs.push(performance.now() - t0);
        }
        return xs;
      };
      return {
        encounters: t.plan(planText).plan.encounters,
        variants: variants.length,
        plan: time(() => t.plan(planText)),
        compare: time(() => t.compare(base, variants)),
      };
    },
    { planText: PLAN, baseText: BASE, samples: SAMPLES },
  );
  const ms = (x) => `${x.toFixed(2)} ms`;
  console.log(`Chromium ${await browser.version()}`);
  console.log(`| measure | median | p95 | runs |`);
  console.log(`|---|---|---|---|`);
  console.log(`| plan(), 12 months, ${r.encounters} encounters | ${ms(q(r.plan, 0.5))} | ${ms(q(r.plan, 0.95))} | ${SAMPLES} |`);
  console.log(`| compare(), ${r.variants} variants of a 20-item encounter | ${ms(q(r.compare, 0.5))} | ${ms(q(r.compare, 0.95))} | ${SAMPLES} |`);
} finally {
  await browser.close();
  await server.close();
}
