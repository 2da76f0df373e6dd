// Benchmarks in headless Chromium (not a test; `make bench` prints a BENCHMARKS.md table):
// - one estimate() call from JS for a 20-item inpatient encounter on an embedded pack:
//   median and p95 over many calls, after warm-up (the page is cross-origin isolated so
//   performance.now() has 5 µs resolution; each sample times a batch of 10 calls);
// - cold start: a fresh browser context (empty caches) fetches, compiles and instantiates
//   the module and runs the first estimate, timed in the page from before the import.
// Usage: node tests/browser/bench.mjs   (needs www/pkg/ built: make pkg)
// The helpers below are also used by compare-bench.mjs and memory.test.mjs.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";

export const WWW = resolve(import.meta.dirname, "../../www");
export const TWENTY_ITEMS = readFileSync(
  resolve(import.meta.dirname, "fixtures/twenty-items.json"),
  "utf8",
);

/** The `p` quantile (0–1) of `xs`. */
export const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

/**
 * Warm `estimate()` times in µs per call, in `page` (which must be at a URL beside the
 * package's index.js, `pkgUrl`): 500 warm-up calls, then `samples` batches of `batch` calls.
 */
export function warmEstimate(page, pkgUrl, caseText, { samples = 2000, batch = 10 } = {}) {
  return page.evaluate(
    async ({ pkgUrl, caseText, samples, batch }) => {
      const t = await import(`${pkgUrl}index.js`);
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
    { pkgUrl, caseText, samples, batch },
  );
}

/**
 * Cold starts in ms, each in a fresh browser context (empty caches): import + init() + the
 * first estimate of `caseText`, timed in the page. `pkgUrl` is the package's URL.
 */
export async function coldStarts(browser, pkgUrl, caseText, runs = 15) {
  const cold = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`${pkgUrl}package.json`);
    cold.push(
      await p.evaluate(
        async ({ pkgUrl, caseText }) => {
          const t0 = performance.now();
          const t = await import(`${pkgUrl}index.js`);
          const t1 = performance.now();
          await t.init();
          const t2 = performance.now();
          t.estimate(JSON.parse(caseText));
          const t3 = performance.now();
          return { total: t3 - t0, parts: [t1 - t0, t2 - t1, t3 - t2] };
        },
        { pkgUrl, caseText },
      ),
    );
    await ctx.close();
  }
  // Numbers (ms), as before; `parts` says where each went: [import index.js, init() (fetch,
  // compile and instantiate the module), the first estimate].
  return Object.assign(
    cold.map((c) => c.total),
    { parts: cold.map((c) => c.parts) },
  );
}

/**
 * The engine's linear memory in bytes (`memoryBytes()`) after init(), and after each of
 * `counts` (cumulative numbers of estimates, cycling through `caseTexts`), in `page`.
 */
export function memoryAfter(page, pkgUrl, caseTexts, counts) {
  return page.evaluate(
    async ({ pkgUrl, caseTexts, counts }) => {
      const t = await import(`${pkgUrl}index.js`);
      await t.init();
      const cases = caseTexts.map((c) => JSON.parse(c));
      const out = [{ estimates: 0, bytes: t.memoryBytes() }];
      let done = 0;
      for (const n of counts) {
        for (; done < n; done++) t.estimate(cases[done % cases.length]);
        out.push({ estimates: n, bytes: t.memoryBytes() });
      }
      return out;
    },
    { pkgUrl, caseTexts, counts },
  );
}

const us = (x) => `${x.toFixed(1)} µs`;
const ms = (x) => `${x.toFixed(1)} ms`;

/** The BENCHMARKS.md row for warm estimate() times (µs). */
export const warmRow = (warm, samples = 2000, batch = 10) =>
  `| estimate(), 20-item encounter, warm | ${us(q(warm, 0.5))} | ${us(q(warm, 0.95))} | ${samples} × ${batch} calls |`;

/** The BENCHMARKS.md row for cold starts (ms), and where the time went when known. */
export const coldRow = (cold, runs = 15) => {
  const row = `| cold start: fetch + compile + instantiate + first estimate | ${ms(q(cold, 0.5))} | ${ms(q(cold, 0.95))} | ${runs} fresh contexts |`;
  if (!cold.parts) return row;
  const part = (k) => cold.parts.map((p) => p[k]);
  const names = ["`import` of index.js (a fresh context's requests)", "`init()`: fetch, compile, instantiate the module", "the first `estimate()` (reads the packs it names)"];
  return [row, ...names.map((n, k) => `| … of which ${n} | ${ms(q(part(k), 0.5))} | ${ms(q(part(k), 0.95))} | |`)].join("\n");
};

async function main() {
  const server = await startServer(WWW, { isolate: true });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const pkgUrl = `${server.url}pkg/`;
    await page.goto(`${pkgUrl}package.json`);
    const warm = await warmEstimate(page, pkgUrl, TWENTY_ITEMS);
    await page.close();
    const cold = await coldStarts(browser, pkgUrl, TWENTY_ITEMS);
    const version = (await browser.version()) || "chromium";
    console.log(`Chromium ${version}, cross-origin isolated: ${warm.isolated}`);
    console.log(`| measure | median | p95 | runs |`);
    console.log(`|---|---|---|---|`);
    console.log(warmRow(warm.times));
    console.log(coldRow(cold));
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
