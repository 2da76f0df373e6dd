// Benchmarks in headless Chromium (not a test; `make bench` prints a BENCHMARKS.md table):
// - one estimate() call from JS for a 20-item inpatient encounter on an embedded pack:
//   median and p95 over many calls, after warm-up (the page is cross-origin isolated so
//   performance.now() has 5 µs resolution; each sample times a batch of 10 calls);
// - cold start: a fresh browser context (empty caches) fetches, compiles and instantiates
//   the module and runs the first estimate, timed in the page from before the import.
// Usage: node tests/browser/bench.mjs   (needs www/pkg/ built: make pkg)
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";

const WWW = resolve(import.meta.dirname, "../../www");
const CASE = readFileSync(resolve(import.meta.dirname, "fixtures/twenty-items.json"), "utf8");
const SAMPLES = 2000;
const BATCH = 10;
const COLD_RUNS = 15;

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

const server = await startServer(WWW, { isolate: true });
const browser = await launch();
try {
  // Warm calls.
  const page = await browser.newPage();
  await page.goto(`${server.url}pkg/package.json`);
  const warm = await page.evaluate(
    async ({ caseText, samples, batch }) => {
      const t = await import("./index.js");
      await t.init();
      const c = JSON.parse(caseText);
      for (let i = 0; i < 500; i++) t.estimate(c);
      const times = [];
      for (let i = 0; i < samples; i++) {
        const t0 = performance.now();
        for (let j = 0; j < batch; j++) t.estimate(c);
        times.push(((performance.now() - t0) * 1000) / batch);
      }
      return { times, isolated: self.crossOriginIsolated };
    },
    { caseText: CASE, samples: SAMPLES, batch: BATCH },
  );
  await page.close();

  // Cold starts, each in a fresh context.
  const cold = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`${server.url}pkg/package.json`);
    cold.push(
      await p.evaluate(async (caseText) => {
        const t0 = performance.now();
        const t = await import(`./index.js`);
        await t.init();
        t.estimate(JSON.parse(caseText));
        return performance.now() - t0;
      }, CASE),
    );
    await ctx.close();
  }

  const us = (x) => `${x.toFixed(1)} µs`;
  const ms = (x) => `${x.toFixed(1)} ms`;
  const version = (await browser.version()) || "chromium";
  console.log(`Chromium ${version}, cross-origin isolated: ${warm.isolated}`);
  console.log(`| measure | median | p95 | runs |`);
  console.log(`|---|---|---|---|`);
  console.log(`| estimate(), 20-item encounter, warm | ${us(q(warm.times, 0.5))} | ${us(q(warm.times, 0.95))} | ${SAMPLES} × ${BATCH} calls |`);
  console.log(`| cold start: fetch + compile + instantiate + first estimate | ${ms(q(cold, 0.5))} | ${ms(q(cold, 0.95))} | ${COLD_RUNS} fresh contexts |`);
} finally {
  await browser.close();
  await server.close();
}
