// Measures the page (BENCHMARKS.md "The page"): bytes of the first load (each same-origin
// file as served, and gzip -9 of it), and the time from navigation to the first estimate on
// localhost and under emulated slow 4G (CDP: 562.5 ms RTT, 1.44 Mbit/s down, 675 kbit/s up —
// DevTools' "Slow 4G" preset). scripts/serve.mjs does not compress, so the throttled run moves
// the uncompressed bytes (a pessimistic figure for a server that gzips).
// Usage: make pkg && node tests/browser/page-bench.mjs
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";

const WWW = resolve(import.meta.dirname, "../../www");
const server = await startServer(WWW);
const browser = await launch();

async function run(throttle) {
  const context = await browser.newContext({ serviceWorkers: "block", locale: "zh-CN" });
  const page = await context.newPage();
  const urls = new Set();
  page.on("request", (r) => urls.add(r.url()));
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 562.5, downloadThroughput: 180000, uploadThroughput: 84375 });
  }
  const t0 = Date.now();
  await page.goto(server.url, { waitUntil: "commit" });
  await page.waitForSelector("html[data-estimated]", { timeout: 120000 });
  const ms = Date.now() - t0;
  await context.close();
  return { ms, urls: [...urls] };
}

const first = await run(false);
let raw = 0;
let gz = 0;
const rows = [];
for (const u of first.urls) {
  if (!u.startsWith(server.url)) continue;
  let p = new URL(u).pathname;
  if (p.endsWith("/")) p += "index.html";
  const body = await readFile(resolve(WWW, `.${decodeURIComponent(p)}`));
  const g = gzipSync(body, { level: 9 }).length;
  raw += body.length;
  gz += g;
  rows.push(`${p}\t${body.length}\t${g}`);
}
const local = [];
for (let i = 0; i < 5; i++) local.push((await run(false)).ms);
const slow = [];
for (let i = 0; i < 2; i++) slow.push((await run(true)).ms);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(rows.join("\n"));
console.log(`first load: ${rows.length} files, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip`);
console.log(`navigation → first estimate, localhost: median ${median(local)} ms of ${local.join(", ")}`);
console.log(`navigation → first estimate, slow 4G (uncompressed): ${slow.join(", ")} ms`);
await browser.close();
await server.close();
