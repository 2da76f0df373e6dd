// End-to-end tests of the page in www/ in headless Chromium (Debian's, via playwright-core):
// first estimate with defaults, quick / itemised / pasted entry over several visits, an error
// at its field, scenario comparison, share-link round trip, print view, both languages,
// axe-core, no off-origin request, offline reload, 360 px without horizontal scroll.
// Needs: www/pkg/ built (make pkg). One browser and one server for the whole file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const WWW = resolve(ROOT, "www");
const AXE = await readFile(resolve(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const MONEY = /^¥[\d,]+\.\d\d$/;
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

/** A fresh context and page; `problems` collects page errors and off-origin requests. */
/** `bill`: typed into the first bill field once the page is ready (null: leave it empty). */
async function open({ locale = "zh-CN", width = 1280, url = server.url, bill = "50000", ...opts } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale, serviceWorkers: "block", ...opts });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  if (bill !== null && !new URL(url).hash) await page.fill(".encounter input.total", bill);
  return { context, page, problems, requests };
}
const estimates = (page) => page.evaluate(() => Number(document.documentElement.dataset.estimated || 0));
async function afterChange(page, action) {
  const n = await estimates(page);
  await action();
  await page.waitForFunction((k) => Number(document.documentElement.dataset.estimated || 0) > k, n, { timeout: 10000 });
}
async function axe(page, label) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${label}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), []);
}

test("first estimate with defaults: amount left first, chart, layer table, why, sources; no off-origin request", async () => {
  const { context, page, problems, requests } = await open();
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.match(await page.textContent("#answer-amount"), MONEY);
  assert.equal(await page.textContent("#t-total"), "¥50,000.00");
  assert.ok((await page.$$("#layers tr")).length >= 2);
  assert.ok((await page.$$("#chart .key li")).length >= 2, "chart key");
  assert.ok((await page.$$("#why-list details")).length >= 2, "why sentences");
  assert.match(await page.textContent("#why-list"), /起付线/);
  assert.ok((await page.$$("#rules li")).length >= 1);
  // the pack has no typical split, and the page says so with a range
  assert.match(await page.textContent("#answer-range"), /典型比例/);
  assert.ok(requests.every((u) => u.startsWith(server.url) || u.startsWith("data:")), requests.join("\n"));
  assert.deepEqual(problems, []);
  await context.close();
});

test("quick total, itemised bill, pasted CSV and several visits; an invalid amount is shown at its field", async () => {
  const { context, page, problems } = await open({ serviceWorkers: "block" });
  await page.waitForSelector("html[data-estimated]");
  await afterChange(page, () => page.fill(".encounter input.total", "80000"));
  await afterChange(page, () => page.selectOption(".encounter select.split", "a70"));
  assert.equal(await page.textContent("#t-total"), "¥80,000.00");
  assert.equal(await page.textContent("#answer-range"), "");

  // an invalid amount: error at the field, what was typed kept
  await page.fill(".encounter input.total", "12.345");
  await page.waitForSelector(".encounter input.total[aria-invalid=true]");
  const errId = await page.getAttribute(".encounter input.total", "aria-describedby");
  assert.match(await page.textContent(`#${errId}`), /“12\.345”的小数超过两位.*12345.*12\.34/);
  assert.equal(await page.inputValue(".encounter input.total"), "12.345");
  await afterChange(page, () => page.fill(".encounter input.total", "80000"));
  assert.equal(await page.getAttribute(".encounter input.total", "aria-invalid"), null);

  // itemised
  await page.check('.encounter input[type=radio][value=items]');
  await page.fill(".items-table input.amount >> nth=0", "1000");
  await page.click(".add-item");
  await page.fill(".items-table input.amount >> nth=1", "500");
  await afterChange(page, () => page.selectOption(".items-table select >> nth=1", "c"));
  assert.equal(await page.textContent("#t-total"), "¥1,500.00");

  // pasted bill with a header, mapped columns
  await page.fill("textarea.paste", "项目名称,类别,金额\n床位费,甲,\"1,200.00\"\n化疗药,乙,8800\n进口耗材,丙,¥2000");
  await page.click(".paste-read");
  await page.waitForSelector(".paste-map select.col-role"); // the reader (lib/csv.js) loads on first use
  assert.deepEqual(await page.$$eval(".paste-map select.col-role", (s) => s.map((x) => x.value)), ["description", "class", "amount"]);
  await afterChange(page, () => page.click(".paste-use"));
  assert.equal(await page.textContent("#t-total"), "¥12,000.00");
  assert.equal((await page.$$(".items-table tbody tr")).length, 3);
  // every fen by item: each pasted row with its amount and who paid it
  await page.click("#breakdown summary");
  const rows = await page.$$eval("#breakdown-out .scroll:nth-child(2) tbody tr", (r) => r.map((x) => x.textContent));
  assert.equal(rows.length, 3);
  assert.match(rows[0], /床位费.*¥1,200\.00/);

  // a second visit
  await page.click("#add-encounter");
  await afterChange(page, () => page.fill(".encounter >> nth=1 >> input.total", "3000"));
  assert.equal(await page.textContent("#t-total"), "¥15,000.00");
  assert.deepEqual(problems, []);
  await context.close();
});

test("scenario comparison and burden (planning module)", async () => {
  const { context, page, problems } = await open();
  await page.waitForSelector("html[data-estimated]");
  await afterChange(page, () => page.fill("#household-income", "60000"));
  await page.waitForSelector("#burden .burden-share", { timeout: 20000 });
  assert.match(await page.textContent("#burden"), /%/);
  await page.click("#compare-run");
  await page.waitForSelector("table.compare tbody tr >> nth=2", { timeout: 20000 });
  const rows = await page.$$eval("table.compare tbody tr", (r) => r.map((x) => x.textContent));
  assert.ok(rows.length > 3);
  assert.ok(rows.some((r) => /三级/.test(r)));
  await axe(page, "compare");
  assert.deepEqual(problems, []);
  await context.close();
});

test("share link round trip in a fresh context, and recompute with current rules", async () => {
  const a = await open();
  await a.page.waitForSelector("html[data-estimated]");
  await afterChange(a.page, () => a.page.fill(".encounter input.total", "123456.78"));
  const amount = await a.page.textContent("#answer-amount");
  await a.page.click("#share-make");
  await a.page.waitForSelector("#share-out:not([hidden])");
  const url = await a.page.inputValue("#share-url");
  assert.match(url, /#c=d1\./);
  await a.context.close();

  const b = await open({ url });
  await b.page.waitForSelector("html[data-estimated]");
  assert.equal(await b.page.textContent("#answer-amount"), amount);
  assert.equal(await b.page.inputValue(".encounter input.total"), "123456.78");
  await b.context.close();

  // a link made with other data versions: the old figures, then "recompute" and what changed
  const c0 = await open();
  const old = await c0.page.evaluate(async (u) => {
    const share = await import("./lib/share.js");
    const p = await share.unpack(u.split("#c=")[1]);
    p.data = "old-data"; p.result.patient = "1.00";
    return `${location.pathname}#c=${await share.pack(p)}`;
  }, url);
  await c0.context.close();
  const c = await open({ url: server.url + old.slice(1) });
  await c.page.waitForSelector("#recompute");
  assert.match(await c.page.textContent("#shared"), /old-data/);
  await c.page.click("#recompute");
  await c.page.waitForSelector("#shared table.changes tr.changed");
  assert.equal(await c.page.textContent("#answer-amount"), amount);
  assert.deepEqual([...a.problems, ...b.problems, ...c.problems], []);
  await c.context.close();
});

test("print view has the key figures; several cases in a session", async () => {
  const { context, page, problems } = await open();
  await page.waitForSelector("html[data-estimated]");
  await page.fill("#case-name", "王女士");
  await page.click("#new-case");
  await page.waitForFunction(() => document.querySelectorAll("#case-select option").length === 2);
  await afterChange(page, () => page.fill(".encounter input.total", "20000"));
  assert.equal(await page.textContent("#t-total"), "¥20,000.00");
  await afterChange(page, () => page.selectOption("#case-select", "0"));
  assert.equal(await page.textContent("#t-total"), "¥50,000.00");
  await page.emulateMedia({ media: "print" });
  // the handout (www/handout.js; tests/browser/print.test.mjs reads its PDF): only it is printed
  await page.evaluate(() => dispatchEvent(new Event("beforeprint")));
  assert.equal(await page.isVisible("#case-form"), false);
  assert.equal(await page.isVisible("#handout-inputs"), true);
  assert.match(await page.textContent("#handout-title"), /王女士/);
  for (const sel of ["#handout-amount", "#handout-why", "#handout-next", "#handout-sources", "#handout .ho-table"]) assert.ok(await page.isVisible(sel), sel);
  assert.equal(await page.textContent("#handout-amount"), await page.textContent("#answer-amount"));
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, "the handout fits one A4 page");
  assert.deepEqual(problems, []);
  await context.close();
});

test("language switch leaves no string in the other language", async () => {
  const { context, page, problems } = await open({ locale: "en-US" });
  await page.waitForSelector("html[data-estimated]");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  const stray = () => page.evaluate(async () => {
    // text the engine or the packs provide (not the page's own strings) may quote Chinese terms
    const allowed = new Set();
    const walk = (v, key) => {
      if (typeof v === "string") { if (key !== "zh") allowed.add(v); } else if (Array.isArray(v)) v.forEach((x) => walk(x)); else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(globalThis.tiercostPage.packs);
    walk(globalThis.tiercostPage.result);
    const cjk = /[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]/;
    const out = [];
    const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = tw.nextNode(); n; n = tw.nextNode()) {
      if (n.parentElement.closest("[lang='zh-CN'],#versions,script,style,textarea")) continue;
      // the Chinese term said once in brackets beside its English name (起付线), and amounts as
      // people type them (5万), are meant for English readers too
      let s = n.textContent.replace(/\([^()]*\)/g, "").replace(/\d+(\.\d+)?万/g, "");
      if (!cjk.test(s)) continue;
      for (const a of [...allowed].sort((x, y) => y.length - x.length)) if (a && s.includes(a)) s = s.split(a).join("");
      if (cjk.test(s)) out.push(n.textContent);
    }
    return out;
  });
  assert.deepEqual(await stray(), []);
  await axe(page, "en");
  await page.click("#lang");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  const ui = await page.$$eval("[data-t], label, legend, button, thead th, summary, h2, h3, h4", (ns) =>
    ns.filter((n) => !n.closest("[lang=en]") && !n.closest("fieldset[data-path]")).map((n) => n.textContent).filter((s) => /[A-Za-z]{3,}/.test(s.replace(/tiercost/g, ""))));
  // pack names in zh may still carry ids in brackets such as (cn-wuhan); UI strings may not
  assert.deepEqual(ui.filter((s) => !/\(cn-[a-z-]+\)|cn-[a-z]/.test(s)), []);
  await axe(page, "zh");
  assert.deepEqual(problems, []);
  await context.close();
});

test("360 px: no horizontal scroll; axe on the itemised view", async () => {
  const { context, page, problems } = await open({ width: 360 });
  await page.waitForSelector("html[data-estimated]");
  const noScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(await noScroll(), "default view scrolls sideways");
  // the amount left is on screen at once on a phone, whatever is scrolled into view
  assert.ok(await page.isVisible("#sticky-answer"));
  assert.equal(await page.textContent("#sticky-amount"), await page.textContent("#answer-amount"));
  await page.check('.encounter input[type=radio][value=items]');
  // the itemised bill is estimated before axe looks (until then the answer is greyed as out of date)
  await afterChange(page, () => page.fill(".items-table input.amount >> nth=0", "1000"));
  await page.click("#compare-run");
  await page.waitForSelector("table.compare tbody tr >> nth=2", { timeout: 20000 });
  assert.ok(await noScroll(), "itemised + compare view scrolls sideways");
  await page.screenshot({ path: resolve(ROOT, "target/page-360.png"), fullPage: true }).catch(() => {});
  await axe(page, "360");
  assert.deepEqual(problems, []);
  await context.close();
});

test("offline reload works after the first visit (service worker)", async () => {
  const { context, page, problems } = await open({ serviceWorkers: "allow" });
  await page.waitForSelector("html[data-estimated]");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    for (let i = 0; i < 100; i++) {
      const keys = await caches.keys();
      const c = keys.length ? await caches.open(keys[0]) : null;
      const have = c ? (await c.keys()).map((r) => r.url) : [];
      if (have.some((u) => u.endsWith("tiercost_bg.wasm")) && have.some((u) => u.includes("/snippets/"))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("cache not filled");
  });
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  await page.fill(".encounter input.total", "50000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.match(await page.textContent("#answer-amount"), MONEY);
  assert.deepEqual(problems.filter((p) => !/net::ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await context.close();
});

test("a layer that needs information names the field, and a button takes the user there", async () => {
  const { context, page, problems } = await open({ locale: "en-US" });
  await page.waitForSelector("html[data-estimated]");
  await afterChange(page, () => page.selectOption("#category", ""));
  const needs = await page.$$eval("#layers td.needs_information", (n) => n.map((x) => x.textContent));
  assert.ok(needs.length > 0, "some layer needs the assistance status");
  assert.ok(needs.every((s) => /Assistance status/.test(s)), needs.join(" | "));
  const d = page.locator("#why-list details", { has: page.locator("button") }).first();
  await d.locator("summary").click();
  await d.locator("button").click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "category");
  assert.deepEqual(problems, []);
  await context.close();
});

test("saving is opt-in, survives a reload, and 'clear all' removes it", async () => {
  const { context, page, problems } = await open();
  await page.waitForSelector("html[data-estimated]");
  await afterChange(page, () => page.fill(".encounter input.total", "7777"));
  assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing stored before opting in");
  await page.check("#save-local");
  await page.fill("#case-name", "李先生");
  await page.reload();
  await page.waitForSelector("html[data-estimated]");
  assert.equal(await page.inputValue(".encounter input.total"), "7777");
  assert.equal(await page.inputValue("#case-name"), "李先生");
  await page.click("#clear-all");
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.equal(await page.isChecked("#save-local"), false);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  // a fresh start: nothing kept, and no one else's bill either (the inviting empty state)
  assert.equal(await page.inputValue(".encounter input.total"), "");
  assert.equal(await page.isVisible("#empty-state"), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test("every region × scheme the page offers gives a computed answer or an honest range naming the missing layer", async () => {
  const { context, page, problems } = await open();
  await page.waitForSelector("html[data-estimated]");
  const RANGE = /^约 ¥[\d,]+\.\d\d – ¥[\d,]+\.\d\d$/;
  const packs = await page.$$eval("#pack option", (o) => o.map((x) => x.value));
  assert.ok(packs.length >= 9, packs.join());
  let ranges = 0;
  let pairs = 0;
  for (const pack of packs) {
    if ((await page.inputValue("#pack")) !== pack) await afterChange(page, () => page.selectOption("#pack", pack));
    const schemes = await page.$$eval("#scheme option", (o) => o.map((x) => x.value));
    for (const scheme of schemes) {
      if ((await page.inputValue("#scheme")) !== scheme) await afterChange(page, () => page.selectOption("#scheme", scheme));
      pairs++;
      const amount = (await page.textContent("#answer-amount")).trim();
      const undecided = await page.$$eval("#layers td.no_rules, #layers td.needs_information", (n) => n.map((x) => x.closest("tr").querySelector("th").firstChild.textContent.trim()));
      const lead = await page.textContent("#answer-range");
      const label = `${pack} ${scheme}: "${amount}"`;
      if (undecided.length) {
        ranges++;
        assert.match(amount, RANGE, `${label} has undecided layers ${undecided.join(", ")} but one number`);
        for (const name of undecided) assert.ok(lead.includes(name), `${label}: the headline does not name ${name}`);
        // A layer without rules says where to ask; one that needs an input offers its field.
        if (await page.$("#layers td.no_rules")) assert.match(lead, /12393/, `${label}: says where to ask`);
        else assert.ok(await page.$("#answer-range button"), `${label}: offers the field to fill`);
        assert.equal((await page.textContent("#sticky-amount")).trim(), amount, `${label}: the bottom bar shows the range`);
      } else {
        assert.ok(MONEY.test(amount) || RANGE.test(amount), label);
      }
      assert.ok(!/¥0\.00$/.test(amount), label);
    }
  }
  assert.ok(pairs >= 17 && ranges > 0, `${pairs} pairs, ${ranges} ranges`);
  // Care in another province is never priced as local when the pack states no 异地 rules.
  await afterChange(page, () => page.selectOption("#pack", "cn-beijing"));
  await afterChange(page, () => page.selectOption("#scheme", "resident"));
  const local = (await page.textContent("#answer-amount")).trim();
  assert.match(local, MONEY, "Beijing residents: a computed answer at home");
  await afterChange(page, () => page.selectOption(".encounter select[data-path$='.locality']", "out_of_province"));
  const away = (await page.textContent("#answer-amount")).trim();
  assert.match(away, RANGE, `out of province: ${away}`);
  assert.notEqual(away, local);
  const warnings = await page.textContent("#warnings");
  assert.match(warnings, /跨省/);
  // The low-grade warning names its sources by their titles: no internal key reaches a family.
  assert.match(warnings, /非官方来源.*“[^”]+”/);
  assert.doesNotMatch(warnings, /cn-beijing|bj-s\d/, warnings);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the date of care defaults to today", async () => {
  const { context, page, problems } = await open();
  await page.waitForSelector("html[data-estimated]");
  const today = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`; });
  assert.equal(await page.inputValue(".encounter input[type=date]"), today);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the page and the widget agree on every default: the same ¥80,000 bill gives the same answer", async () => {
  const { context, page, problems } = await open();
  await page.waitForSelector("html[data-estimated]");
  await afterChange(page, () => page.fill(".encounter input.total", "80000"));
  const onPage = (await page.textContent("#answer-amount")).trim();
  const widget = await context.newPage();
  await widget.goto(`${server.url}embed.html?${new URLSearchParams({ pack: await page.inputValue("#pack"), amount: "80000", layout: "full" })}`);
  await widget.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastSummary, null, { timeout: 20000 });
  const inWidget = (await widget.evaluate(() => document.querySelector("tiercost-estimate").shadowRoot.querySelector('[data-value="remainder"]').textContent)).trim();
  assert.equal(inWidget, onPage);
  assert.deepEqual(problems, []);
  await context.close();
});
