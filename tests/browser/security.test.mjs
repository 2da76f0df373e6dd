// Browser security of the page, the playground, the widget, the iframe embed and the demo host,
// in headless Chromium:
// - CSP: each page, used the way a person uses it, raises no Content-Security-Policy or
//   Trusted Types violation (a `securitypolicyviolation` listener in every frame, and the
//   console); the pages enforce `require-trusted-types-for 'script'`, so this also proves that
//   no string reaches an HTML or script sink at run time. frame-ancestors (a header only) keeps
//   the page and the playground out of other sites' frames and lets the embed in.
// - XSS: every payload of fixtures/xss-payloads.json through every place user or programme
//   text is rendered, in contexts that bypass the CSP (so the CSP cannot hide an HTML sink):
//   nothing runs (window.__xss stays unset, no dialog, no inline handler in the DOM) and the
//   text is shown as the same text.
// - postMessage: the frame-host and the embed ignore messages of the wrong origin or shape.
// Needs: www/pkg/ built (make pkg).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, record, offOrigin } from "./chromium.mjs";
import { serve } from "./servers.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const WWW = resolve(ROOT, "www");
const FIXTURE = JSON.parse(await readFile(resolve(import.meta.dirname, "fixtures/xss-payloads.json"), "utf8"));
/** Every payload: the fixed ones, then the long ones built to their length. */
const PAYLOADS = [
  ...FIXTURE.payloads.map((p) => p.text),
  ...FIXTURE.long.map((l) => l.unit.repeat(Math.ceil(l.length / l.unit.length)).slice(0, l.length)),
];
/** What an <input>'s value keeps of a text (value sanitisation drops CR and LF). */
const asInput = (s) => s.replace(/[\r\n]/g, "");
/** What the HTML parser makes of a text in an attribute: CR LF and CR become LF, NUL U+FFFD. */
const asAttribute = (s) => s.replace(/\r\n?/g, "\n").replace(/\0/g, "\uFFFD");
const TEMPLATE = JSON.parse(await readFile(resolve(ROOT, "policies/programmes/templates/template-remainder-capped.json"), "utf8"));

let browser, server, widgetSrv, hostSrv, evilSrv, S, W, H, E;
let hostPage = ""; // the body of the host's /page.html, set by each test
let hostCsp = "";

before(async () => {
  server = await startServer(WWW);
  S = server.url.replace(/\/$/, "");
  widgetSrv = await serve({ dir: WWW, cors: true });
  W = widgetSrv.origin;
  evilSrv = await serve({
    routes: {
      "/evil.html": ["text/html; charset=utf-8", `<!doctype html><script src="/evil.js"></script>`],
      // A hostile frame on the portal's page: messages of the right shape, from the wrong origin.
      "/evil.js": [
        "text/javascript",
        `parent.postMessage({ type: "tiercost:resize", version: 1, height: 4321 }, "*");
         parent.postMessage({ type: "tiercost:estimate", version: 1, detail: { pack: "x", total: "1", covered: "0", remainder: "1", layers: [], programme: null, warnings: [] } }, "*");
         for (let i = 0; i < parent.frames.length; i++) {
           try { parent.frames[i].postMessage({ type: "tiercost:size-request", version: 1 }, "*"); } catch {}
         }
         parent.postMessage({ type: "evil-done" }, "*");`,
      ],
    },
  });
  E = evilSrv.origin;
  hostSrv = await serve({
    routes: {
      "/favicon.ico": ["image/x-icon", ""],
      "/page.html": () => ["text/html; charset=utf-8", `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>${hostPage}</body></html>`, hostCsp ? { "Content-Security-Policy": hostCsp } : {}],
      // An open redirect on the host: programme-src="/redirect" must not fetch another origin's programme.
      "/redirect": () => ["text/plain", "", { Location: `${W}/widget/templates/template-fixed-grant.json` }, 302],
      "/host.js": [
        "text/javascript",
        `window.__events = [];
         window.__received = [];
         document.addEventListener("tiercost:estimate", (e) => window.__events.push({ id: e.target.id, detail: e.detail }));
         document.addEventListener("tiercost:error", (e) => window.__events.push({ id: e.target.id, error: e.detail }));
         window.addEventListener("message", (e) => window.__received.push({ origin: e.origin, data: e.data }));`,
      ],
    },
  });
  H = hostSrv.origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await Promise.all([server?.close(), widgetSrv?.close(), hostSrv?.close(), evilSrv?.close()]);
});

/** A context whose every frame records CSP and Trusted Types violations in window.__violations. */
async function guarded(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener(
      "securitypolicyviolation",
      (e) => window.__violations.push(`${e.effectiveDirective}: ${e.blockedURI || ""} ${e.sample || ""} (${e.sourceFile}:${e.lineNumber})`),
      true,
    );
  });
  return context;
}

/** Every violation recorded in every frame of the page. */
async function violations(page) {
  const all = [];
  for (const f of page.frames()) all.push(...(await f.evaluate(() => window.__violations || []).catch(() => [])));
  return all;
}

const CSP_CONSOLE = /Content Security Policy|Trusted ?(Types|HTML|Script)|Refused to/i;
/** Asserts no violation in any frame, none in the console, no page error, no dialog. */
async function assertClean(page, log, label) {
  assert.deepEqual(await violations(page), [], `${label}: CSP / Trusted Types violations`);
  assert.deepEqual(log.console.filter((m) => CSP_CONSOLE.test(m)), [], `${label}: CSP messages in the console`);
  assert.deepEqual(log.pageErrors, [], `${label}: page errors`);
  assert.deepEqual(log.dialogs, [], `${label}: dialogs`);
}

/**
 * In the page and every frame (shadow roots included): nothing ran (window.__xss unset), and
 * no element has an on… attribute, a srcdoc or a javascript: URL, and none of the elements
 * the payloads bring (img, svg, math, object, embed, meta outside <head>, inline script)
 * exists: tiercost's pages and widget use none of them.
 */
async function assertInert(page, label) {
  for (const f of page.frames()) {
    const state = await f.evaluate(() => {
      const bad = [];
      const visit = (root) => {
        for (const n of root.querySelectorAll("*")) {
          for (const a of n.attributes) {
            const url = ["href", "src", "action", "formaction", "xlink:href", "data"].includes(a.name);
            if (/^on/i.test(a.name) || a.name === "srcdoc" || (url && /^\s*(javascript:|data:text\/html)/i.test(a.value))) bad.push(`<${n.localName} ${a.name}=…>`);
          }
          if (n.localName === "script" && !n.src && n.type !== "application/json") bad.push("<script> without src");
          if (["img", "svg", "math", "object", "embed", "meta"].includes(n.localName) && !n.closest("head")) bad.push(`<${n.localName}>`);
          if (n.shadowRoot) visit(n.shadowRoot);
        }
      };
      visit(document);
      return { xss: window.__xss ?? null, bad };
    });
    assert.equal(state.xss, null, `${label}: a payload ran in ${f.url()}`);
    assert.deepEqual(state.bad, [], `${label}: markup from a payload in ${f.url().slice(0, 120)}: ${state.bad.slice(0, 5).join(", ")}`);
  }
}

const ready = (page) => page.waitForSelector("html[data-ready=true]", { timeout: 30000 });
const estimated = (page) => page.evaluate(() => Number(document.documentElement.dataset.estimated || 0));
async function afterEstimate(page, action) {
  const n = await estimated(page);
  await action();
  await page.waitForFunction((k) => Number(document.documentElement.dataset.estimated || 0) > k, n, { timeout: 30000 });
}

// ---------------------------------------------------------------- CSP in use

test("CSP: the page in use (every view, share link, print, service worker) raises no violation", async () => {
  const context = await guarded({ serviceWorkers: "allow" });
  const page = await context.newPage();
  const log = record(page);
  const res = await page.goto(`${S}/`);
  const csp = res.headers()["content-security-policy"];
  assert.match(csp, /require-trusted-types-for 'script'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  await ready(page);
  await afterEstimate(page, () => page.fill(".encounter input.total", "80000"));
  await page.check(".encounter input[type=radio][value=items]");
  await page.fill("textarea.paste", "项目名称,类别,金额\n床位费,甲,1200\n化疗药,乙,8800");
  await page.click(".paste-read");
  await afterEstimate(page, () => page.click(".paste-use"));
  await page.click("#breakdown summary");
  await page.click("#compare-run");
  await page.waitForSelector("table.compare tbody tr", { timeout: 30000 });
  await page.click("#plan-run");
  await page.click("#help-run");
  await page.click("#share-make");
  await page.waitForSelector("#share-out:not([hidden])");
  const link = await page.inputValue("#share-url");
  await page.click("#lang");
  await page.fill("#case-name", "王女士");
  await page.click("#new-case");
  await page.check("#save-local");
  await page.emulateMedia({ media: "print" });
  await page.emulateMedia({ media: "screen" });
  // The service worker registered through the page's one Trusted Types policy.
  assert.equal(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active), true);
  await page.waitForTimeout(500);
  await assertClean(page, log, "page");
  assert.deepEqual(offOrigin(log, [S]), []);

  const shared = await context.newPage();
  const log2 = record(shared);
  await shared.goto(link);
  await shared.waitForSelector("html[data-estimated]", { timeout: 30000 });
  await assertClean(shared, log2, "shared link");
  await context.close();
});

test("CSP: playground, demo host (element and iframe) and embed.html raise no violation", async () => {
  const context = await guarded();
  const page = await context.newPage();
  const log = record(page);
  const res = await page.goto(`${S}/playground.html`);
  assert.match(res.headers()["content-security-policy"], /frame-ancestors 'none'/);
  await ready(page);
  await page.waitForFunction(() => document.querySelector("#preview tiercost-estimate")?.lastSummary, null, { timeout: 30000 });
  await page.fill("#programme", '{ "id": "x", "kind": "programme", ');
  await page.waitForFunction(() => /json_syntax|line/.test(document.getElementById("validation").textContent));
  await page.selectOption("#template", "template-fixed-grant");
  await page.selectOption("#sample", "1");
  await page.waitForFunction(() => document.querySelector("#preview tiercost-estimate")?.lastSummary?.programme?.id === "template-fixed-grant", null, { timeout: 30000 });
  await page.fill("#host", "https://portal.example");
  await assertClean(page, log, "playground");

  await page.goto(`${S}/demo-host/`);
  await page.waitForFunction(() => document.getElementById("widget").lastSummary?.programme?.paid, null, { timeout: 30000 });
  await page.evaluate(() => document.getElementById("frame").scrollIntoView());
  await page.waitForFunction(() => /tiercost:estimate/.test(document.getElementById("event-log").textContent), null, { timeout: 30000 });
  await page.evaluate(() => document.getElementById("widget").shadowRoot.querySelector("button").click());
  await page.waitForTimeout(300);
  await assertClean(page, log, "demo host");

  const embed = await page.goto(`${S}/embed.html?pack=cn-beijing&lang=en&amount=80000#programme=${Buffer.from(JSON.stringify(TEMPLATE)).toString("base64url")}`);
  assert.match(embed.headers()["content-security-policy"], /frame-ancestors 'self' http:\/\/localhost:\*/);
  await page.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastSummary?.programme?.paid, null, { timeout: 30000 });
  await assertClean(page, log, "embed.html");
  assert.deepEqual(offOrigin(log, [S]), []);
  await context.close();
});

test("frame-ancestors: other sites cannot frame the page or the playground; the embed may be framed", async () => {
  hostCsp = "";
  hostPage = `<iframe id="page" src="${W}/"></iframe><iframe id="playground" src="${W}/playground.html"></iframe>
    <iframe id="embed" src="${W}/embed.html?pack=cn-beijing&amount=1000"></iframe>`;
  const context = await guarded();
  const page = await context.newPage();
  await page.goto(`${H}/page.html`);
  const embed = page.frames().find((f) => f.url().startsWith(`${W}/embed.html`));
  await embed.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastSummary, null, { timeout: 30000 });
  for (const path of ["/", "/playground.html"]) {
    const f = page.frames().find((x) => x.url() === `${W}${path}`);
    const loaded = f ? await f.evaluate(() => !!document.querySelector("main")).catch(() => false) : false;
    assert.equal(loaded, false, `${path} was framed by another site`);
  }
  await context.close();
});

test("Trusted Types: the widget and the iframe embed work on a host page that enforces them", async () => {
  hostCsp = `default-src 'none'; script-src 'self' ${W} 'wasm-unsafe-eval'; connect-src ${W}; frame-src ${W}; style-src 'self'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'`;
  const json = JSON.stringify(TEMPLATE).replace(/</g, "\\u003c");
  hostPage = `<script src="/host.js"></script><script type="module" src="${W}/widget/tiercost-widget.js"></script>
    <script src="${W}/widget/frame-host.js"></script>
    <tiercost-estimate id="el" loading="eager" pack="cn-beijing" amount="80000" household-size="3" household-income="60000">
      <script type="application/json">${json}</script></tiercost-estimate>
    <iframe id="frame" data-tiercost-embed src="${W}/embed.html?pack=cn-beijing&amount=80000&host=${encodeURIComponent(H)}#programme=${Buffer.from(JSON.stringify(TEMPLATE)).toString("base64url")}"></iframe>`;
  const context = await guarded();
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${H}/page.html`);
  await page.waitForFunction(() => ["el", "frame"].every((id) => window.__events.some((e) => e.id === id && e.detail)), null, { timeout: 30000 });
  const events = await page.evaluate(() => window.__events);
  for (const id of ["el", "frame"]) assert.equal(events.find((e) => e.id === id).detail.programme.id, TEMPLATE.id);
  await page.evaluate(() => document.getElementById("el").shadowRoot.querySelector("button").click());
  await page.waitForTimeout(300);
  await assertClean(page, log, "TT host");
  hostCsp = "";
  await context.close();
});

// ---------------------------------------------------------------- XSS corpus

test("XSS: case names, items, codes, pasted CSV, saved cases, plan courses and the handout show payloads as text", async () => {
  const context = await guarded({ bypassCSP: true, serviceWorkers: "block" });
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${S}/`);
  await ready(page);
  // Saved cases (the opt-in local storage): one case per payload, with the payload as the
  // name, an item's description and code, and a drug course's code and description.
  const stored = await page.evaluate((payloads) => {
    const base = structuredClone(globalThis.tiercostPage.cases[0]);
    const cases = payloads.map((p, i) => {
      const c = structuredClone(base);
      c.name = p;
      c.n = i + 1;
      c.encounters[0].mode = "items";
      c.encounters[0].items = [
        { description: p, class: "a", amount: "1000", code: p },
        { description: `${p}·2`, class: "b", amount: "500" },
      ];
      c.plan = { start: c.encounters[0].date, months: "2", target: "", courses: [{ kind: "drug", code: p, description: p, class: "a", unitPrice: "100", unitsPerMonth: "1" }] };
      return c;
    });
    return { cases };
  }, PAYLOADS);
  // The storage key the page uses: found by saving once.
  await page.check("#save-local");
  const key = await page.evaluate(() => Object.keys(localStorage)[0]);
  assert.ok(key, "the page saved something");
  await page.evaluate(([key, cases]) => localStorage.setItem(key, JSON.stringify({ cases, current: 0, lang: "en" })), [key, stored.cases]);
  await page.reload();
  await ready(page);
  await page.waitForSelector("html[data-estimated]", { timeout: 30000 });

  const options = await page.$$eval("#case-select option", (os) => os.map((o) => o.textContent));
  assert.deepEqual(options, PAYLOADS);
  // Each case in turn: the form, the breakdown by item, the handout title; a few through the
  // plan view too (an unknown drug code comes back in the engine's error).
  for (let i = 0; i < PAYLOADS.length; i++) {
    const p = PAYLOADS[i];
    if (i > 0) await afterEstimate(page, () => page.selectOption("#case-select", String(i)));
    assert.equal(await page.inputValue("#case-name"), asInput(p));
    assert.deepEqual(await page.$$eval(".items-table input[data-path$='.description']", (ns) => ns.map((n) => n.value)), [asInput(p), asInput(`${p}·2`)]);
    assert.ok((await page.textContent("#handout-title")).endsWith(` — ${p}`), `handout title for ${JSON.stringify(p).slice(0, 40)}`);
    const breakdown = await page.evaluate(() => document.getElementById("breakdown-out").textContent);
    assert.ok(breakdown.includes(p), `breakdown shows ${JSON.stringify(p).slice(0, 40)}`);
    if (i % 8 === 0) {
      await page.click("#plan-run");
      await page.waitForFunction(() => document.getElementById("plan-out").textContent.trim().length > 0, null, { timeout: 15000 });
      const planText = await page.evaluate(() => document.getElementById("plan-out").textContent);
      assert.ok(planText.length > 0);
      assert.deepEqual(await page.$$eval("#plan-fields input[data-path$='.code']", (ns) => ns.map((n) => n.value)), [asInput(p)]);
    }
  }
  await page.emulateMedia({ media: "print" });
  assert.ok((await page.textContent("#handout-title")).endsWith(PAYLOADS.at(-1)));
  await page.emulateMedia({ media: "screen" });
  await assertInert(page, "saved cases");

  // Pasted CSV: payloads in the header (shown in the column labels) and in the cells.
  await page.click("#new-case");
  await page.check(".encounter input[type=radio][value=items]");
  const csvCell = (s) => `"${s.replace(/"/g, '""').replace(/[\r\n\u2028\u2029]/g, " ")}"`;
  const sample = PAYLOADS.filter((p) => p.length < 200);
  const csv = [[sample[0], "类别", "金额"].map(csvCell).join(","), ...sample.map((p, i) => [csvCell(p), "甲", String(100 + i)].join(","))].join("\n");
  await page.fill("textarea.paste", csv);
  await page.click(".paste-read");
  await page.waitForSelector(".paste-map label"); // the reader (lib/csv.js) loads on first use
  const labels = await page.$$eval(".paste-map label", (ls) => ls.map((l) => l.textContent));
  assert.ok(labels[0].includes(sample[0].replace(/[\r\n\u2028\u2029]/g, " ")), labels[0]);
  await afterEstimate(page, () => page.click(".paste-use"));
  const values = await page.$$eval(".items-table input[data-path$='.description']", (ns) => ns.map((n) => n.value));
  assert.equal(values.length, sample.length);
  for (let i = 0; i < sample.length; i++) assert.equal(values[i], sample[i].replace(/[\r\n\u2028\u2029]/g, " ").trim() || values[i]);
  await assertInert(page, "pasted CSV");
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.dialogs, []);
  await context.close();
});

test("XSS: a hostile share link (case, versions, old result) shows its text as text", async () => {
  const context = await guarded({ bypassCSP: true, serviceWorkers: "block" });
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${S}/`);
  await ready(page);
  const p = PAYLOADS.slice(0, 12).join(" | ");
  const hash = await page.evaluate(async (p) => {
    const share = await import("./lib/share.js");
    const c = structuredClone(globalThis.tiercostPage.cases[0]);
    c.name = p;
    c.encounters[0].mode = "items";
    c.encounters[0].items = [{ description: p, class: "a", amount: "1000" }];
    const result = { total: "1000.00", patient: "12.00", layers: [{ id: "basic", name: { zh: p, en: p }, paid: "1.00" }, { id: p, name: { zh: p, en: p }, paid: "2.00" }] };
    return share.pack({ v: 1, engine: p, data: p, lang: "en", case: c, result });
  }, p);
  const fresh = await context.newPage();
  const log2 = record(fresh);
  await fresh.goto(`${S}/#c=${hash}`);
  await ready(fresh);
  await fresh.waitForSelector("#recompute");
  const shared = await fresh.textContent("#shared");
  assert.ok(shared.includes(p), "the link's version strings are shown as text");
  assert.equal(await fresh.inputValue("#case-name"), asInput(p));
  await afterEstimate(fresh, () => fresh.click("#recompute"));
  await fresh.waitForSelector("#shared table.changes");
  await assertInert(fresh, "share link");
  assert.deepEqual([...log.pageErrors, ...log2.pageErrors], []);
  assert.deepEqual(log2.dialogs, []);
  await context.close();
});

test("a malformed share link or saved store leaves the page usable", async () => {
  const context = await guarded({ bypassCSP: true, serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto(`${S}/`);
  await ready(page);
  const links = [
    { v: 1, case: { encounters: "x" } },
    { v: 1, case: { encounters: [{ items: "x", mode: "items" }, null, 7] } },
    { v: 1, case: { name: 42, enrolments: "x", programmes: {}, pack: { id: 1 } } },
    { v: 1, case: { plan: { courses: [{ kind: "drug", code: 5 }, { kind: "<script>" }, null] }, encounters: [{ custom: 1, split: [] }] } },
    { v: 1, case: null, result: { patient: "<b>", layers: "x" }, engine: { a: 1 }, data: ["b"] },
    { v: 1, case: { pack: "nope", scheme: "x" }, result: { layers: [null, { id: {}, paid: [], name: 3 }] }, engine: "x" },
    "just a string",
    [1, 2, 3],
  ];
  const stores = [{ cases: [{}], current: 0 }, { cases: "abc" }, { cases: [null, 5, { encounters: {} }], current: 99 }, { cases: [{ plan: "x" }], current: -1, lang: "<b>" }];
  await page.check("#save-local");
  const key = await page.evaluate(() => Object.keys(localStorage)[0]);
  const hashes = [];
  for (const v of links) hashes.push(await page.evaluate(async (v) => (await import("./lib/share.js")).pack(v), v));
  const check = async (label, url, store) => {
    const q = await context.newPage();
    const log = record(q);
    if (store) await q.addInitScript(([k, v]) => localStorage.setItem(k, v), [key, JSON.stringify(store)]);
    await q.goto(url);
    await ready(q);
    await q.waitForTimeout(400);
    assert.deepEqual(log.pageErrors, [], label);
    // ... and still answers: an estimate, or an error at the field the link left empty.
    const n = await estimated(q);
    await q.click("#run");
    await q.waitForFunction((k) => Number(document.documentElement.dataset.estimated || 0) > k || !!document.querySelector("[aria-invalid=true]"), n, { timeout: 15000 });
    await q.close();
  };
  for (const [i, h] of hashes.entries()) await check(`link ${JSON.stringify(links[i])}`, `${S}/#c=${h}`);
  for (const st of stores) await check(`store ${JSON.stringify(st)}`, `${S}/`, st);
  await context.close();
});

/** A copy of the template with the payload in every text field a programme has. */
function hostileProgramme(p, i) {
  const doc = structuredClone(TEMPLATE);
  doc.id = `hostile-${i}`;
  doc.name = { zh: p, en: p };
  doc.layers[0].name = { zh: p, en: p };
  doc.layers[0].note = { zh: p, en: p };
  for (const s of Object.values(doc.sources || {})) {
    s.title = p;
    if ("publisher" in s) s.publisher = p;
  }
  return doc;
}

test("XSS: the widget shows programme names, notes, sources and attributes as text", async () => {
  const widgets = PAYLOADS.map((p, i) => {
    const json = JSON.stringify(hostileProgramme(p, i)).replace(/</g, "\\u003c");
    const attr = p.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    return `<tiercost-estimate id="w${i}" loading="eager" lang="${i % 2 ? "en" : "zh"}" pack="cn-beijing" amount="80000" household-size="3" household-income="60000" heading="${attr}" diagnoses="${attr}" enrolments="${attr}">
      <script type="application/json">${json}</script></tiercost-estimate>`;
  });
  // Attributes the engine rejects: their text comes back in the error shown.
  const bad = PAYLOADS.slice(0, 10).map((p, i) => {
    const attr = p.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    return `<tiercost-estimate id="b${i}" loading="eager" pack="${i % 2 ? attr : "cn-beijing"}" amount="${attr}" group="${attr}" level="${attr}" programme="${i % 3 ? "" : attr}"></tiercost-estimate>`;
  });
  hostCsp = "";
  const redirect = `<tiercost-estimate id="redirect" loading="eager" pack="cn-beijing" amount="80000" programme-src="/redirect"></tiercost-estimate>`;
  hostPage = `<script src="/host.js"></script><script type="module" src="${W}/widget/tiercost-widget.js"></script>${widgets.join("\n")}${bad.join("\n")}${redirect}`;
  const context = await guarded({ bypassCSP: true });
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${H}/page.html`);
  await page.waitForFunction((n) => window.__events.length >= n, PAYLOADS.length + 11, { timeout: 60000 });
  const shown = await page.evaluate((n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const root = document.getElementById(`w${i}`).shadowRoot;
      out.push({ heading: root.querySelector("h2")?.textContent ?? null, text: root.textContent });
    }
    return out;
  }, PAYLOADS.length);
  const events = await page.evaluate(() => window.__events);
  for (let i = 0; i < PAYLOADS.length; i++) {
    const p = PAYLOADS[i];
    const ev = events.find((e) => e.id === `w${i}`);
    assert.ok(ev?.detail, `widget ${i} estimated: ${JSON.stringify(ev?.error)?.slice(0, 200)}`);
    assert.equal(shown[i].heading, asAttribute(p), `heading ${i}`);
    assert.ok(shown[i].text.includes(p), `programme text ${i}`);
  }
  for (let i = 0; i < 10; i++) assert.ok(events.some((e) => e.id === `b${i}`), `bad-attribute widget ${i} answered`);
  const redirected = events.find((e) => e.id === "redirect");
  assert.equal(redirected?.error?.code, "not_same_origin", "programme-src followed a redirect to another origin");
  await page.hover("#w0");
  await assertInert(page, "widget");
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.dialogs, []);
  await context.close();
});

test("XSS: the iframe embed shows hostile query parameters and a hostile #programme as text", async () => {
  const frames = PAYLOADS.slice(0, 16).map((p, i) => {
    const q = new URLSearchParams({ pack: "cn-beijing", lang: "en", amount: "80000", heading: p, diagnoses: p, host: H });
    return `<iframe id="f${i}" data-tiercost-embed src="${W}/embed.html?${q.toString().replace(/&/g, "&amp;")}#programme=${Buffer.from(JSON.stringify(hostileProgramme(p, i))).toString("base64url")}"></iframe>`;
  });
  const broken = `<iframe id="fb" data-tiercost-embed src="${W}/embed.html?pack=${encodeURIComponent(PAYLOADS[0])}&amp;amount=${encodeURIComponent(PAYLOADS[1])}&amp;host=${encodeURIComponent(H)}#programme=${encodeURIComponent(PAYLOADS[2])}"></iframe>`;
  hostCsp = "";
  hostPage = `<script src="/host.js"></script><script src="${W}/widget/frame-host.js"></script>${frames.join("")}${broken}`;
  const context = await guarded({ bypassCSP: true });
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${H}/page.html`);
  await page.waitForFunction(() => new Set(window.__events.map((e) => e.id)).size >= 17, null, { timeout: 60000 });
  for (let i = 0; i < 16; i++) {
    const frame = await (await page.$(`#f${i}`)).contentFrame();
    assert.ok(frame, `frame ${i}`);
    const heading = await frame.evaluate(() => document.querySelector("tiercost-estimate").shadowRoot.querySelector("h2")?.textContent);
    assert.equal(heading, PAYLOADS[i]);
  }
  await assertInert(page, "embed");
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.dialogs, []);
  await context.close();
});

test("XSS: the playground shows hostile names, field names and snippet inputs as text", async () => {
  const context = await guarded({ bypassCSP: true });
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${S}/playground.html`);
  await ready(page);
  await page.waitForFunction(() => document.querySelector("#preview tiercost-estimate")?.lastSummary, null, { timeout: 30000 });
  for (const [i, p] of PAYLOADS.slice(0, 20).entries()) {
    // A valid programme with the payload as its name: the summary line and the preview.
    await page.fill("#programme", JSON.stringify(hostileProgramme(p, i), null, 2));
    await page.waitForFunction((id) => document.querySelector("#preview tiercost-estimate")?.lastSummary?.programme?.id === id, `hostile-${i}`, { timeout: 30000 });
    assert.ok((await page.textContent("#validation")).includes(p));
    // The payload as an unknown field's name: the engine's message quotes it.
    const typo = hostileProgramme("x", i);
    typo.layers[0][p] = 1;
    await page.fill("#programme", JSON.stringify(typo));
    await page.waitForFunction(() => /unknown_field/.test(document.getElementById("validation").textContent), null, { timeout: 30000 });
  }
  await page.fill("#base", PAYLOADS[6]);
  await page.fill("#host", PAYLOADS[9]);
  await page.fill("#programme", JSON.stringify(hostileProgramme(PAYLOADS[3], 3)));
  await page.waitForFunction(() => document.getElementById("snippet-element").value.includes("hostile-3"), null, { timeout: 30000 });
  const snippet = await page.inputValue("#snippet-element");
  // The snippet escapes what the host will paste into HTML: the base in an attribute, the
  // JSON with < written \u003c.
  assert.ok(!snippet.includes(PAYLOADS[3]) && !/<\/script><script>/.test(snippet.split("\n").slice(2).join("\n")));
  await assertInert(page, "playground");
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.dialogs, []);
  await context.close();
});

// ---------------------------------------------------------------- postMessage

test("postMessage: the frame-host and the embed ignore the wrong origin and the wrong shape", async () => {
  hostCsp = "";
  hostPage = `<script src="/host.js"></script><script src="${W}/widget/frame-host.js"></script>
    <iframe id="frame" data-tiercost-embed src="${W}/embed.html?pack=cn-beijing&amp;amount=80000&amp;layout=compact&amp;host=${encodeURIComponent(H)}"></iframe>`;
  const context = await guarded();
  const page = await context.newPage();
  const log = record(page);
  await page.goto(`${H}/page.html`);
  await page.waitForFunction(() => window.__events.some((e) => e.id === "frame" && e.detail), null, { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById("frame").hasAttribute("data-tiercost-height"));
  await page.waitForTimeout(500);
  // Every height the frame-host applies, and every event it re-dispatches, from now on.
  await page.evaluate(() => {
    const f = document.getElementById("frame");
    window.__heights = [];
    new MutationObserver(() => window.__heights.push(f.getAttribute("data-tiercost-height"))).observe(f, { attributes: true, attributeFilter: ["data-tiercost-height"] });
    window.__dispatched = 0;
    f.addEventListener("tiercost:estimate", () => window.__dispatched++);
    f.addEventListener("tiercost:error", () => window.__dispatched++);
    window.__received.length = 0;
  });
  const frame = page.frames().find((f) => f.url().startsWith(`${W}/embed.html`));

  // From the genuine frame (right source, right origin), messages of the wrong shape.
  await frame.evaluate(() => {
    const big = "x".repeat(300 * 1024);
    const estimate = { pack: "cn-beijing", total: "1.00", covered: "0.00", remainder: "1.00", layers: [], programme: null, warnings: [] };
    const bad = [
      null, "tiercost:resize", 42, ["tiercost:resize", 500],
      { type: "tiercost:resize", height: 600 }, // no version
      { type: "tiercost:resize", version: 2, height: 600 },
      { type: "tiercost:resize", version: "1", height: 600 },
      { type: "tiercost:resize", version: 1, height: "600" },
      { type: "tiercost:resize", version: 1, height: NaN },
      { type: "tiercost:resize", version: 1, height: Infinity },
      { type: "tiercost:resize", version: 1, height: -600 },
      { type: "tiercost:resize", version: 1, height: 49 },
      { type: "tiercost:resize", version: 1, height: 20001 },
      { type: "tiercost:resize", version: 1, height: 1e308 },
      { type: "tiercost:resize", version: 1, height: 600, extra: "<img src=x onerror=window.__xss=1>" },
      { type: "TIERCOST:RESIZE", version: 1, height: 600 },
      { type: "tiercost:estimate", version: 1 },
      { type: "tiercost:estimate", version: 1, detail: "<script>" },
      { type: "tiercost:estimate", version: 1, detail: [estimate] },
      { type: "tiercost:estimate", version: 1, detail: { ...estimate, total: 1 } },
      { type: "tiercost:estimate", version: 1, detail: { ...estimate, layers: "none" } },
      { type: "tiercost:estimate", version: 1, detail: { ...estimate, note: big } },
      { type: "tiercost:estimate", version: 1, detail: { ...estimate, total: big.slice(0, 5000) } },
      { type: "tiercost:estimate", version: 1, detail: estimate, extra: 1 },
      { type: "tiercost:error", version: 1, detail: { stage: 7 } },
      { type: "tiercost:error", version: 1, detail: new Date() },
      { type: "tiercost:other", version: 1, height: 600 },
    ];
    for (const m of bad) parent.postMessage(m, "*");
    // ... then one good message of each kind, to show the channel works.
    parent.postMessage({ type: "tiercost:resize", version: 1, height: 777 }, "*");
    parent.postMessage({ type: "tiercost:estimate", version: 1, detail: estimate }, "*");
  });
  await page.waitForFunction(() => window.__heights.includes("777") && window.__dispatched >= 1);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__heights[0]), "777", "only the well-formed height was applied");
  assert.equal(await page.evaluate(() => window.__dispatched), 1, "only the well-formed event was re-dispatched");

  // Back to the frame's real height (a genuine request), and wait until nothing more comes:
  // from now on, a resize message from the frame can only be an answer to a request.
  const fromFrame = () => page.evaluate((W) => window.__received.filter((m) => m.origin === W && m.data?.type === "tiercost:resize").length, W);
  await page.evaluate((W) => document.getElementById("frame").contentWindow.postMessage({ type: "tiercost:size-request", version: 1 }, W), W);
  for (let last = -1, n = await fromFrame(); n !== last; last = n, n = await fromFrame()) await page.waitForTimeout(600);
  const heightsBefore = await page.evaluate(() => window.__heights.length);
  await page.evaluate(() => {
    window.__received.length = 0;
  });

  // The right shape from the wrong source or origin: the host page itself, a hostile frame
  // (which also sends the embed a size request).
  await page.evaluate((E) => {
    window.__evilDone = false;
    window.addEventListener("message", (e) => {
      if (e.data?.type === "evil-done") window.__evilDone = true;
    });
    window.postMessage({ type: "tiercost:resize", version: 1, height: 999 }, "*");
    const evil = document.createElement("iframe");
    evil.src = `${E}/evil.html`;
    document.body.append(evil);
  }, E);
  await page.waitForFunction(() => window.__evilDone === true);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__heights.length), heightsBefore, "a height from the wrong source was applied");
  assert.equal(await page.evaluate(() => window.__dispatched), 1);
  assert.equal(await fromFrame(), 0, "the embed answered a size request from another origin");

  // The embed: size requests of the wrong shape from its real parent are ignored; the right one is answered.
  await page.evaluate((W) => {
    const win = document.getElementById("frame").contentWindow;
    for (const m of [
      { type: "tiercost:size-request" },
      { type: "tiercost:size-request", version: 2 },
      { type: "tiercost:size-request", version: 1, extra: 1 },
      "tiercost:size-request",
      [{ type: "tiercost:size-request", version: 1 }],
      null,
    ]) win.postMessage(m, W);
  }, W);
  await page.waitForTimeout(500);
  assert.equal(await fromFrame(), 0, "the embed answered a malformed size request");
  await page.evaluate((W) => document.getElementById("frame").contentWindow.postMessage({ type: "tiercost:size-request", version: 1 }, W), W);
  await page.waitForFunction((W) => window.__received.some((m) => m.origin === W && m.data?.type === "tiercost:resize"), W);
  assert.deepEqual(log.pageErrors, []);
  await assertInert(page, "postMessage");
  await context.close();
});

// ---------------------------------------------------------------- Subresource Integrity

test("SRI: the build's manifest is current; an import map pins every module and the wasm; a changed file is refused", async () => {
  const { manifest, importMap, sri } = await import("../../www/widget/sri.mjs");
  const built = JSON.parse(await readFile(resolve(WWW, "pkg/integrity.json"), "utf8"));
  assert.deepEqual(built, await manifest(), "www/pkg/integrity.json is stale: bash scripts/build-pkg.sh");
  for (const f of ["widget/tiercost-widget.js", "widget/core.js", "lib/format.js", "pkg/index.js", "pkg/tiercost.js", "pkg/tiercost_bg.wasm"]) {
    assert.ok(built.files[f], `the manifest covers ${f}`);
  }
  // The engine fetches its .wasm with the wasm's own hash.
  const index = await readFile(resolve(WWW, "pkg/index.js"), "utf8");
  for (const name of ["tiercost", "tiercost_planning"]) {
    assert.ok(index.includes(`"${name}":"${await sri(resolve(WWW, `pkg/${name}_bg.wasm`))}"`), `pkg/index.js pins ${name}_bg.wasm`);
  }

  const core = await readFile(resolve(WWW, "widget/core.js"), "utf8");
  const wasm = await readFile(resolve(WWW, "pkg/tiercost_bg.wasm"));
  const changed = Buffer.from(wasm);
  changed[changed.length - 1] ^= 1;
  const tampered = {
    core: await serve({ dir: WWW, cors: true, routes: { "/widget/core.js": ["text/javascript", `${core}\n// changed\n`] } }),
    wasm: await serve({ dir: WWW, cors: true, routes: { "/pkg/tiercost_bg.wasm": ["application/wasm", changed] } }),
  };
  const widgetHash = built.files["widget/tiercost-widget.js"];
  const pageFor = async (origin) => {
    const map = await importMap(`${origin}/`);
    return `${map.html}<script src="/host.js"></script>
      <script type="module" src="${origin}/widget/tiercost-widget.js" integrity="${widgetHash}" crossorigin="anonymous"></script>
      <tiercost-estimate id="el" loading="eager" pack="cn-beijing" amount="80000"></tiercost-estimate>`;
  };
  try {
    hostCsp = "";
    const context = await guarded();
    const page = await context.newPage();
    const log = record(page);
    // Untouched files, pinned: the widget estimates.
    hostPage = await pageFor(W);
    await page.goto(`${H}/page.html`);
    await page.waitForFunction(() => window.__events.some((e) => e.detail), null, { timeout: 30000 });
    assert.deepEqual(log.pageErrors, []);
    // A changed module: the browser refuses it, so the element is never defined.
    hostPage = await pageFor(tampered.core.origin);
    await page.goto(`${H}/page.html`);
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => !!customElements.get("tiercost-estimate")), false, "a changed core.js was run");
    assert.ok(log.console.some((m) => /integrity/i.test(m)), log.console.join("\n"));
    // A changed .wasm: the engine refuses it and the widget says so.
    hostPage = await pageFor(tampered.wasm.origin);
    await page.goto(`${H}/page.html`);
    await page.waitForFunction(() => window.__events.some((e) => e.error), null, { timeout: 30000 });
    const [ev] = await page.evaluate(() => window.__events);
    assert.equal(ev.error.stage, "engine");
    assert.equal(ev.error.code, "engine_unavailable");
    await context.close();
  } finally {
    await Promise.all(Object.values(tampered).map((s) => s.close()));
  }
});

test("SRI: the playground's pinned snippet (import map and its CSP hash) works on a strict host", async () => {
  const { importMap } = await import("../../www/widget/sri.mjs");
  const context = await guarded();
  const page = await context.newPage();
  await page.goto(`${W}/playground.html`);
  await ready(page);
  await page.waitForFunction(() => document.getElementById("snippet-element").value.includes('integrity="sha384-'), null, { timeout: 30000 });
  await page.waitForFunction(() => !document.getElementById("pin").disabled);
  await page.check("#pin");
  await page.waitForFunction(() => document.getElementById("snippet-element").value.startsWith("<!-- CSP: script-src 'sha256-"));
  const snippet = await page.inputValue("#snippet-element");
  await context.close();
  const map = await importMap(`${W}/`);
  assert.ok(snippet.includes(map.html), "the playground's import map is the one sri.mjs prints");
  const hash = /script-src ('sha256-[^']+')/.exec(snippet)[1];
  assert.equal(hash, map.csp);

  hostCsp = `default-src 'none'; script-src 'self' ${W} ${hash} 'wasm-unsafe-eval'; connect-src ${W}; style-src 'self'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'`;
  hostPage = `<script src="/host.js"></script>${snippet.replace("<tiercost-estimate ", '<tiercost-estimate id="pasted" amount="80000" ')}`;
  const host = await guarded();
  const hp = await host.newPage();
  const log = record(hp);
  await hp.goto(`${H}/page.html`);
  await hp.waitForFunction(() => window.__events.some((e) => e.id === "pasted" && e.detail), null, { timeout: 30000 });
  await assertClean(hp, log, "pinned snippet");
  hostCsp = "";
  await host.close();
});
