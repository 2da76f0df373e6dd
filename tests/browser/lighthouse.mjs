// Lighthouse (12.2.3, pinned in benches/lighthouse/) on the page, mobile preset (its default:
// a 412 px phone, simulated slow 4G — 150 ms RTT, 1.6 Mbit/s — and a 4× slower CPU), against
// Debian's Chromium, served as `make serve` serves it (HTTP/1.1, precompressed files).
// Prints the performance and accessibility scores and the metrics behind them; the median
// of RUNS runs (performance varies from run to run). Installs Lighthouse on first use.
// Not a test: figures for BENCHMARKS.md. Usage: make pkg && node tests/browser/lighthouse.mjs [RUNS=3]
import { execFileSync, execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { CHROMIUM } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const LH = resolve(ROOT, "benches/lighthouse");
const RUNS = Number(process.argv[2] || 3);
if (!existsSync(join(LH, "node_modules/.bin/lighthouse"))) {
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: LH, stdio: "inherit" });
}
const server = await startServer(resolve(ROOT, "www"));
// --accept-lang=zh-CN: the browser of the families the page is for (an English browser gets the
// English text, which lays out differently from the Chinese in the HTML: BENCHMARKS.md).
const flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--accept-lang=zh-CN"];
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(join(tmpdir(), "tiercost-lh-"));
  const out = join(dir, "report.json");
  try {
    // Asynchronously: this process serves the page meanwhile.
    await promisify(execFile)(join(LH, "node_modules/.bin/lighthouse"), [
      server.url, "--quiet", "--only-categories=performance,accessibility", "--output=json", `--output-path=${out}`,
      `--chrome-flags=${flags.join(" ")}`,
    ], { env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 1 << 26 });
    const r = JSON.parse(readFileSync(out, "utf8"));
    const a = r.audits;
    runs.push({
      performance: Math.round(r.categories.performance.score * 100),
      accessibility: Math.round(r.categories.accessibility.score * 100),
      fcp: a["first-contentful-paint"].numericValue, lcp: a["largest-contentful-paint"].numericValue,
      tbt: a["total-blocking-time"].numericValue, cls: a["cumulative-layout-shift"].numericValue, si: a["speed-index"].numericValue,
      failed: Object.values(a).filter((x) => x.score !== null && x.score < 1 && r.categories.accessibility.auditRefs.some((ref) => ref.id === x.id && ref.weight > 0)).map((x) => x.id),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const median = (k) => [...runs.map((r) => r[k])].sort((x, y) => x - y)[Math.floor(runs.length / 2)];
console.log(`Lighthouse 12.2.3, mobile preset, ${runs.length} runs (median; each run in brackets)`);
console.log(`performance ${median("performance")} (${runs.map((r) => r.performance).join(", ")}); accessibility ${median("accessibility")} (${runs.map((r) => r.accessibility).join(", ")})`);
for (const [k, name, unit] of [["fcp", "First Contentful Paint", "ms"], ["lcp", "Largest Contentful Paint", "ms"], ["tbt", "Total Blocking Time", "ms"], ["cls", "Cumulative Layout Shift", ""], ["si", "Speed Index", "ms"]]) {
  console.log(`${name}: ${unit ? Math.round(median(k)) : median(k).toFixed(3)}${unit ? ` ${unit}` : ""}`);
}
const failed = [...new Set(runs.flatMap((r) => r.failed))];
if (failed.length) console.log(`accessibility audits not passed: ${failed.join(", ")}`);
await server.close();
