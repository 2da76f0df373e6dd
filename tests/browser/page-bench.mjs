// Measures the page's first visit as a family on a slow phone has it (BENCHMARKS.md "The
// page"): the files and bytes of the first load (as sent: Brotli where the browser accepts
// it), and the time from navigation until the bill field can be typed in and until the
// answer for the family's own bill (¥80,000, typed as soon as the field appears) is on screen
// — on localhost and under DevTools' "Slow 4G" preset (CDP: 562.5 ms RTT, 1.44 Mbit/s down,
// 675 kbit/s up), on a first visit (empty cache) and on a repeat visit (the service worker
// installed by the first) — served as `make serve` serves it (HTTP/1.1: at most six requests
// at a time, each further one waits a round trip) and as a production host would (HTTPS with
// HTTP/2, one connection for every file; a self-signed certificate made for the run).
// Not a test: figures for BENCHMARKS.md. Usage: make pkg && node tests/browser/page-bench.mjs [RUNS=3]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";

const WWW = resolve(import.meta.dirname, "../../www");
const RUNS = Number(process.argv[2] || 3);
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.44 * 1e6) / 8, uploadThroughput: (675 * 1e3) / 8 };
const certDir = mkdtempSync(join(tmpdir(), "tiercost-bench-tls-"));
execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", join(certDir, "key.pem"), "-out", join(certDir, "cert.pem")], { stdio: "ignore" });
const tls = { key: readFileSync(join(certDir, "key.pem")), cert: readFileSync(join(certDir, "cert.pem")) };
rmSync(certDir, { recursive: true, force: true });
const SERVERS = { "HTTP/1.1": await startServer(WWW), "HTTP/2": await startServer(WWW, { tls }) };
let server = SERVERS["HTTP/1.1"];
const browser = await launch();

async function throttle(context, page, on) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (on) await cdp.send("Network.emulateNetworkConditions", on);
  return cdp;
}

// One visit in `page`: navigation → the bill field is there → the bill typed → its answer.
async function visit(page) {
  const t0 = Date.now();
  await page.goto(server.url, { waitUntil: "commit" });
  const field = page.locator(".encounter input.total").first();
  await field.waitFor({ state: "visible", timeout: 120000 });
  const usable = Date.now() - t0;
  await field.fill("80000");
  await page.waitForSelector("html[data-estimated]", { timeout: 120000 });
  const answer = await page.textContent("#answer-amount");
  return { usable, estimate: Date.now() - t0, answer };
}

async function run(conditions) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await throttle(context, page, conditions);
  const first = await visit(page);
  // Let the service worker install and cache what the page loaded, then visit again.
  // (A worker is refused on an origin whose certificate is not trusted: then there is none.)
  const worker = await page.evaluate(() => Promise.race([
    navigator.serviceWorker?.ready.then(() => new Promise((ok) => setTimeout(() => ok(true), 3000))),
    new Promise((ok) => setTimeout(() => ok(false), 10000)),
  ]));
  const repeat = await visit(page);
  await context.close();
  return { first, repeat, worker };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const results = {};
for (const [protocol, s] of Object.entries(SERVERS)) {
  server = s;
  results[`${protocol}, localhost`] = [];
  results[`${protocol}, Slow 4G`] = [];
  for (let i = 0; i < RUNS; i++) {
    results[`${protocol}, localhost`].push(await run(null));
    results[`${protocol}, Slow 4G`].push(await run(SLOW_4G));
  }
}
server = SERVERS["HTTP/1.1"];

// What the first load sent: each file's encoding and its bytes on the wire as Chromium counts
// them (headers included), on the local HTTP/1.1 server with no worker.
async function wireSizes() {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  const cdp = await throttle(context, page, null);
  const sizes = new Map();
  const responses = new Map();
  cdp.on("Network.responseReceived", (e) => responses.set(e.requestId, { url: e.response.url, encoding: e.response.headers["Content-Encoding"] || e.response.headers["content-encoding"] || "none" }));
  cdp.on("Network.loadingFinished", (e) => sizes.set(e.requestId, e.encodedDataLength));
  await visit(page);
  await context.close();
  const wire = new Map();
  for (const [id, r] of responses) if (r.url.startsWith(server.url)) wire.set(new URL(r.url).pathname, { encoding: r.encoding, bytes: sizes.get(id) ?? 0 });
  return wire;
}
const wire = await wireSizes();
let total = 0;
console.log("file\tencoding\tbytes on the wire (headers included)");
for (const [path, { encoding, bytes }] of [...wire].sort()) {
  total += bytes;
  console.log(`${path}\t${encoding}\t${bytes}`);
}
console.log(`first load (to the answer, and the plan view just after it): ${wire.size} files, ${(total / 1024).toFixed(1)} KB on the wire`);
for (const [name, runs] of Object.entries(results)) {
  const f = (k, w) => `${median(runs.map((r) => r[k][w]))} ms (${runs.map((r) => r[k][w]).join(", ")})`;
  console.log(`${name}: first visit — bill field ${f("first", "usable")}, answer for the typed bill ${f("first", "estimate")}`);
  const how = runs.every((r) => r.worker) ? "from the service worker" : "no service worker (untrusted certificate): HTTP only, no-store";
  console.log(`${name}: repeat visit (${how}) — bill field ${f("repeat", "usable")}, answer for the typed bill ${f("repeat", "estimate")}`);
}
console.log(`answer shown: ${results["HTTP/1.1, localhost"][0].first.answer}`);
await browser.close();
for (const s of Object.values(SERVERS)) await s.close();
