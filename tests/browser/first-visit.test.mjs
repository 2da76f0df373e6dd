// A first visit on a slow phone (issue 15, point 6): what the server sends (precompressed
// Brotli or gzip, Vary), what the page asks for before the first answer (everything it needs
// preloaded by the HTML, nothing it does not need: no planning glue, no schemas), a page that
// can be typed in before the engine arrives, and the service worker's repeat visit (from the
// device, a new build fetched in the background and announced). The timings themselves are a
// benchmark (tests/browser/page-bench.mjs, BENCHMARKS.md), not a test.
// Needs: www/pkg/ built (make pkg).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, stat, utimes } from "node:fs/promises";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { request } from "node:http";
import { resolve } from "node:path";
import { startServer, acceptedEncodings } from "../../scripts/serve.mjs";
import { withText } from "../../scripts/static-text.mjs";
import { launch, watch } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const WWW = resolve(ROOT, "www");
let server;
let browser;

before(async () => {
  server = await startServer(WWW);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** GET `path` with `Accept-Encoding: accept`: { status, headers, body }. */
function get(path, accept) {
  return new Promise((ok, fail) => {
    const req = request(new URL(path, server.url), { headers: accept ? { "Accept-Encoding": accept } : {} }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
    req.end();
  });
}

test("Accept-Encoding is read as browsers and proxies write it", () => {
  assert.deepEqual(acceptedEncodings("gzip, deflate, br, zstd").map(([e]) => e), ["br", "gzip"]);
  assert.deepEqual(acceptedEncodings("gzip;q=1.0, br;q=0").map(([e]) => e), ["gzip"]);
  assert.deepEqual(acceptedEncodings("identity").map(([e]) => e), []);
  assert.deepEqual(acceptedEncodings("*").map(([e]) => e), ["br", "gzip"]);
  assert.deepEqual(acceptedEncodings("").map(([e]) => e), []);
});

test("the server sends the build's Brotli or gzip copy, the same bytes once decoded, and plain bytes to a client that asks for none", async () => {
  for (const path of ["pkg/tiercost_bg.wasm", "app.js", "index.html", "style.css", "lib/strings.js"]) {
    const raw = await readFile(resolve(WWW, path));
    const br = await get(path, "gzip, deflate, br");
    assert.equal(br.headers["content-encoding"], "br", `${path}: Brotli (scripts/precompress.mjs ran in the build)`);
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.ok(br.body.length < raw.length, `${path}: smaller on the wire`);
    assert.ok(brotliDecompressSync(br.body).equals(raw), `${path}: the Brotli copy is the file`);
    const gz = await get(path, "gzip");
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.ok(gunzipSync(gz.body).equals(raw), `${path}: the gzip copy is the file`);
    const plain = await get(path, "");
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.ok(plain.body.equals(raw));
  }
  assert.equal((await get("pkg/tiercost_bg.wasm", "br")).headers["content-type"], "application/wasm");
});

test("a copy older than its file is never sent: the file is, uncompressed", async () => {
  const path = resolve(WWW, "lib/format.js");
  const { mtime } = await stat(path);
  const copy = await stat(`${path}.br`);
  const later = new Date(Math.max(mtime.getTime(), copy.mtimeMs) + 60_000);
  await utimes(path, later, later); // as if edited after the build
  try {
    const res = await get("lib/format.js", "br, gzip");
    assert.equal(res.headers["content-encoding"], undefined);
    assert.ok(res.body.equals(await readFile(path)));
  } finally {
    await utimes(path, mtime, mtime);
  }
});

test("the HTML carries the page's Chinese text, the same as lib/strings.js: the first paint has words, not empty boxes", async () => {
  const html = await readFile(resolve(WWW, "index.html"), "utf8");
  assert.equal(withText(html), html, "run: node scripts/static-text.mjs");
  assert.ok(!/data-t="\w+"[^>]*><\//.test(html), "no empty data-t element");
  // The first paint, before any script has run: the title and words are there.
  const context = await browser.newContext({ locale: "zh-CN", serviceWorkers: "block", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url);
  assert.match(await page.textContent("h1"), /医疗费用自付估算/);
  assert.match(await page.textContent(".lede"), /不会离开本机/);
  await context.close();
});

test("the first answer needs only what the HTML preloads: no planning glue, no schemas, no module found one import at a time", async () => {
  const context = await browser.newContext({ locale: "zh-CN", serviceWorkers: "block" });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  const requests = [];
  page.on("request", (r) => requests.push(r));
  await page.goto(server.url);
  await page.locator(".encounter input.total").fill("80000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  const html = await readFile(resolve(WWW, "index.html"), "utf8");
  const preloaded = new Set([...html.matchAll(/<link rel="(?:modulepreload|preload)" href="([^"]+)"/g)].map((m) => new URL(m[1], server.url).href));
  const before = requests.map((r) => r.url()).filter((u) => u.startsWith(server.url));
  const scripts = requests.filter((r) => ["script", "fetch"].includes(r.resourceType()) || r.url().endsWith(".wasm")).map((r) => r.url());
  for (const u of scripts) {
    // the entry itself; the plan view and the handout (with its QR encoder) after the answer
    if (/\/(start-engine|plan|handout)\.js$|\/lib\/(drugs|vendor\/uqr)\.js$/.test(u)) continue;
    assert.ok(preloaded.has(u), `${u} is needed by the first answer but not preloaded by index.html`);
  }
  for (const u of preloaded) assert.ok(before.includes(u), `index.html preloads ${u}, which the first answer does not use`);
  assert.ok(!before.some((u) => /tiercost_planning|schemas\.js/.test(u)), before.join("\n"));
  assert.equal(before.filter((u) => u.endsWith("tiercost_bg.wasm")).length, 1, "the preloaded engine is the one used (one download)");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the bill can be typed before the engine arrives: the page says the rules are loading, keeps the bill and answers it", async () => {
  const context = await browser.newContext({ locale: "zh-CN", serviceWorkers: "block", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  let release;
  const held = new Promise((ok) => { release = ok; });
  await page.route(/tiercost_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await page.goto(server.url);
  const bill = page.locator(".encounter input.total");
  await bill.waitFor({ state: "visible", timeout: 20000 });
  assert.equal(await page.getAttribute("html", "data-ready"), null, "the engine is still on its way");
  assert.match(await page.textContent("#rules-loading"), /正在载入/);
  assert.ok(await page.isVisible("#empty-state"), "an inviting empty state, not an empty frame");
  await bill.click();
  await page.keyboard.type("8万");
  await page.waitForSelector("#sticky-answer:not([hidden])");
  assert.match(await page.textContent("#sticky-answer"), /计算中/, "the typed bill is acknowledged where the answer will be");
  release();
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.equal(await page.inputValue(".encounter input.total"), "8万", "what was typed is kept");
  assert.equal(await page.evaluate(() => document.activeElement?.matches(".encounter input.total")), true, "the cursor stays in the bill field");
  assert.equal(await page.textContent("#t-total"), "¥80,000.00", "the answer is for the typed bill");
  assert.match(await page.textContent("#sticky-amount"), /^¥[\d,]+\.\d\d$/);
  assert.equal(await page.$("#rules-loading"), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a repeat visit opens from the device; a new build is fetched in the background and announced, never mixed", async () => {
  const context = await browser.newContext({ locale: "en-US", serviceWorkers: "allow" });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator(".encounter input.total").fill("80000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  const sets = () => page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return (await caches.keys()).filter((k) => k.startsWith("tiercost-page-"));
  });
  await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith("tiercost-page-")), null, { timeout: 20000 });
  const [first] = await sets();
  const version = JSON.parse(await readFile(resolve(WWW, "pkg/page-version.json"), "utf8")).version;
  assert.ok(first.endsWith(`-${version}`), `${first}: one set per build`);

  // A repeat visit: every file the page loads comes from the worker, none from the network.
  const fromNetwork = [];
  page.on("response", (r) => { if (!r.fromServiceWorker() && r.url().startsWith(server.url)) fromNetwork.push(r.url()); });
  await page.reload();
  await page.locator(".encounter input.total").fill("80000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.deepEqual(fromNetwork.filter((u) => !u.endsWith("page-version.json")), [], "the page's files come from the device");

  // A new build on the server: the next visit still opens the old set (complete), fills the
  // new one in the background, removes the old one and tells the page.
  await context.route(/page-version\.json$/, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    await route.fulfill({ response: res, json: { ...body, version: "a-new-build" } });
  });
  await page.reload();
  await page.waitForSelector("#update:not([hidden])", { timeout: 20000 });
  assert.match(await page.textContent("#update"), /\S/);
  assert.deepEqual((await sets()).map((k) => k.replace(/^tiercost-page-\d+-/, "")), ["a-new-build"]);
  await context.close();
});

test("offline after one visit, all of it: estimate, pasted bill, comparison, a year's plan, aid needed, help available, print", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", serviceWorkers: "allow" });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  await page.goto(server.url);
  await page.locator(".encounter input.total").fill("50000");
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  // The worker's set holds what the page can load later, not only what it loaded.
  await page.waitForFunction(async () => {
    const name = (await caches.keys()).find((k) => k.startsWith("tiercost-page-"));
    if (!name) return false;
    const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
    return ["tiercost_planning_bg.wasm", "tiercost_planning.js", "/plan.js", "/handout.js", "/lib/vendor/uqr.js", "/lib/csv.js", "/lib/rules-form.js", "/snippets/"].every((s) => urls.some((u) => u.includes(s)));
  }, null, { timeout: 30000, polling: 200 });
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });

  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  await page.locator(".encounter input.total").fill("50000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.equal(await page.textContent("#t-total"), "¥50,000.00");

  // comparison (the planning engine, never loaded online)
  await page.click("#compare-run");
  await page.waitForSelector("table.compare tbody tr", { timeout: 30000 });

  // a year's plan with a donation programme, aid needed, help available
  await page.click("details.programmes > summary");
  await page.check("details.programmes input[value=pap-cqcf]");
  await page.fill("#plan-start", "2025-01-15");
  await page.fill("#plan-months", "12");
  await page.fill('[data-path="$.plan.courses[0].code"]', "imatinib");
  await page.fill('[data-path="$.plan.courses[0].unitPrice"]', "3000");
  await page.click("#plan-run");
  await page.waitForFunction(() => Number(document.documentElement.dataset.planned || 0) > 0, null, { timeout: 30000 });
  assert.equal(await page.textContent("#plan-answer"), "¥9,000.00");
  await page.fill("#aid-target", "1000");
  await page.click("#aid-run");
  await page.waitForFunction(() => Number(document.documentElement.dataset.aided || 0) > 0, null, { timeout: 30000 });
  assert.equal(await page.textContent("#aid-amount"), "¥8,000.00");
  await page.waitForFunction(() => Number(document.documentElement.dataset.helped || 0) > 0, null, { timeout: 30000 });
  assert.ok((await page.$$("#help-out li[data-help]")).length >= 1);

  // a pasted bill (its reader was never loaded online)
  await page.check(".encounter input[type=radio][value=items]");
  await page.fill("textarea.paste", "item,class,amount\nbed,甲,1200\ndrug,乙,8800");
  await page.click(".paste-read");
  await page.waitForSelector(".paste-map select.col-role", { timeout: 20000 });

  // the handout (www/handout.js and its QR code's encoder come from the worker's set too)
  await page.emulateMedia({ media: "print" });
  await page.click("#print").catch(() => {});
  await page.evaluate(() => dispatchEvent(new Event("beforeprint")));
  assert.ok(await page.isVisible("#handout-amount"));
  assert.ok(await page.isVisible("#handout-months"));
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await context.close();
});
