// End-to-end tests of the plan view (www/plan.js) in headless Chromium: a 12-month plan with a
// donation programme (its monthly table equals what plan() returned, one month checked by
// hand), the aid-needed answer, help still available, both languages, axe-core, the print
// handout, and no off-origin request. Needs: www/pkg/ built (make pkg).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const AXE = await readFile(resolve(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
let server;
let browser;

before(async () => {
  server = await startServer(resolve(ROOT, "www"));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function axe(page, label) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => globalThis.axe.run(document.getElementById("plan-section"), { resultTypes: ["violations"] }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${label}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), []);
}
const counter = (page, name) => page.evaluate((k) => Number(document.documentElement.dataset[k] || 0), name);
async function waitMore(page, name, action) {
  const n = await counter(page, name);
  await action();
  await page.waitForFunction(([k, m]) => Number(document.documentElement.dataset[k] || 0) > m, [name, n], { timeout: 30000 });
}

test("a 12-month plan with a donation programme: monthly table, aid needed, help, print, both languages", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", serviceWorkers: "block" });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  await page.fill(".encounter input.total", "50000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.equal(await page.getAttribute("html", "lang"), "en");

  // Wuhan (the default), the Chongqing charity's cancer-drug aid, imatinib at 3,000 a month
  await page.click("details.programmes > summary");
  await page.check("details.programmes input[value=pap-cqcf]");
  await page.fill("#plan-start", "2025-01-15");
  await page.fill("#plan-months", "12");
  await page.fill('[data-path="$.plan.courses[0].code"]', "imatinib");
  await page.fill('[data-path="$.plan.courses[0].unitPrice"]', "3000");
  await waitMore(page, "planned", () => page.click("#plan-run"));

  // the table is what plan() returned, month by month
  const engine = await page.evaluate(() => globalThis.tiercostPage.planResult);
  assert.equal(engine.months.length, 12);
  const shown = await page.$$eval("#plan-months-body tr", (rs) => rs.map((r) => r.querySelector("td[data-family]").dataset.family));
  assert.deepEqual(shown, engine.months.map((m) => m.family));
  const shownText = await page.$$eval("#plan-months-body td[data-family]", (ns) => ns.map((n) => n.textContent));
  const fmt = await page.evaluate(async (ms) => { const f = await import("./lib/format.js"); return ms.map((m) => f.money(m, "en")); }, engine.months.map((m) => m.family));
  assert.deepEqual(shownText, fmt);
  // by hand: month 1 is bought (nobody pays: Wuhan's basic layer pays nothing at the pharmacy),
  // month 2 is donated (the programme pays the 3,000), 1+3 rounds: 3 bought months in the year
  const m1 = await page.$$eval('#plan-months-body tr[data-month="1"] td', (ns) => ns.map((n) => n.textContent));
  assert.equal(m1[0], "¥3,000.00");
  assert.ok(m1.includes("¥3,000.00"));
  assert.equal(await page.textContent('#plan-months-body tr[data-month="1"] td[data-family]'), "¥3,000.00");
  assert.equal(await page.textContent('#plan-months-body tr[data-month="2"] td[data-family]'), "¥0.00");
  assert.equal(await page.textContent("#plan-answer"), "¥9,000.00");
  assert.equal(engine.family, "9000.00");
  assert.match(await page.textContent('#plan-months-body tr[data-month="2"]'), /imatinib/);
  assert.ok((await page.$$(".months-chart li")).length === 12, "one bar per month");
  assert.match(await page.textContent(".months-chart li:nth-child(2)"), /donation starts/);

  // aid needed to bring the family's share to 1,000
  await page.fill("#aid-target", "1000");
  await waitMore(page, "aided", () => page.click("#aid-run"));
  const aid = await page.evaluate(() => globalThis.tiercostPage.aidAnswer);
  assert.equal(aid.aidNeeded, "8000.00");
  assert.equal(aid.verified, true);
  assert.equal(await page.textContent("#aid-amount"), "¥8,000.00");
  assert.match(await page.textContent("#max-bill"), /¥/);

  // help still available (run with the plan)
  await page.waitForFunction(() => Number(document.documentElement.dataset.helped || 0) > 0, null, { timeout: 30000 });
  assert.ok((await page.$$("#help-out li[data-help]")).length >= 1, "help options listed");

  // English: no Chinese outside what the engine or packs provide
  const stray = await page.evaluate(() => {
    const allowed = new Set();
    const walk = (v, key) => {
      if (typeof v === "string") { if (key !== "zh") allowed.add(v); } else if (Array.isArray(v)) v.forEach((x) => walk(x)); else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    const p = globalThis.tiercostPage;
    walk(p.packs); walk(p.planResult); walk(p.planHelp);
    const cjk = /[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]/;
    const out = [];
    const tw = document.createTreeWalker(document.getElementById("plan-section"), NodeFilter.SHOW_TEXT);
    for (let n = tw.nextNode(); n; n = tw.nextNode()) {
      let s = n.textContent;
      if (!cjk.test(s)) continue;
      for (const a of [...allowed].sort((x, y) => y.length - x.length)) if (a && s.includes(a)) s = s.split(a).join("");
      if (cjk.test(s)) out.push(n.textContent);
    }
    return out;
  });
  assert.deepEqual(stray, []);
  await axe(page, "en");

  // Chinese: the view's own strings are all translated; the answers stay
  await page.click("#lang");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.textContent("#plan-answer"), "¥9,000.00");
  assert.equal(await page.textContent("#aid-amount"), "¥8,000.00");
  const ui = await page.$$eval("#plan-section :is([data-t], label, legend, button, thead th, h2, h3, h4, .mlabel, .aid-answer, #max-bill)", (ns) =>
    ns.map((n) => n.textContent).filter((s) => /[A-Za-z]{3,}/.test(s)));
  assert.deepEqual(ui, []);
  await axe(page, "zh");

  // the print handout (www/handout.js) carries the plan, the aid and the help
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => dispatchEvent(new Event("beforeprint")));
  assert.ok(await page.isVisible("#handout-months"));
  assert.match(await page.textContent("#handout-plan-answer"), /¥9,000\.00/);
  assert.match(await page.textContent("#handout-next"), /¥8,000\.00/);
  assert.ok((await page.$$("#handout-next li[data-help]")).length >= 1, "help on the handout");
  assert.ok(!(await page.isVisible("#plan-run")));
  await page.emulateMedia({ media: "screen" });

  assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("print without a plan leaves the plan section out", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  await page.fill(".encounter input.total", "50000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => dispatchEvent(new Event("beforeprint")));
  assert.ok(!(await page.isVisible("#plan-section")));
  assert.ok(await page.isVisible("#handout-amount"));
  assert.equal(await page.$("#handout-months"), null, "no plan on the handout");
  await context.close();
});

test("help still available: a plain bill works; only help for this region and drug; conditions, never 符合条件 without a basis; how to apply", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", serviceWorkers: "block" });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  // Wuhan (the default), a plain bill, no plan: help must answer, not trip over the empty drug course
  await page.fill(".encounter input.total", "80000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  await waitMore(page, "helped", () => page.click("#help-run"));
  assert.equal(await page.$$eval("#help-out .error", (n) => n.length), 0, await page.textContent("#help-out"));
  const items = await page.$$eval("#help-out [data-help]", (ns) => ns.map((n) => ({ id: n.dataset.help, kind: n.dataset.kind, text: n.textContent })));
  assert.ok(items.length > 0, "help is listed for a plain bill");
  assert.ok(!items.some((i) => i.id.startsWith("pap-")), `no drug-donation programme for a bill without its drug: ${items.map((i) => i.id)}`);
  // the categories: one item, the condition first, a saving per category, how to be certified
  assert.ok(items.some((i) => i.kind === "category"), "the categories are offered");
  const group = await page.textContent('#help-out li[data-help-group="category"]');
  assert.match(group, /前提是：您家经民政部门认定为下面其中一种身份/);
  assert.doesNotMatch(group, /符合条件/, 'never "eligible" for a status the family did not give');
  assert.match(group, /怎么申请：.*乡镇政府或街道办事处/);
  for (const i of items.filter((x) => x.kind === "product")) assert.match(i.text, /等待期/, i.text);
  // what the page shows is the engine's answer: same options, same savings
  const engine = await page.evaluate(() => globalThis.tiercostPage.planHelp);
  assert.deepEqual(items.map((i) => i.id).sort(), engine.options.map((o) => o.id).sort());
  for (const o of engine.options) {
    const shown = await page.textContent(`#help-out [data-help="${o.id}"]`);
    const saving = await page.evaluate(async (v) => (await import("./lib/format.js")).money(v, "zh"), o.saving);
    assert.ok(shown.includes(saving), `${o.id}: ${shown} shows ${saving}`);
  }

  // Chongqing with imatinib in a year plan: the Chongqing charity's programme, with its office
  await afterSelect(page, "#pack", "cn-chongqing-yubei");
  await page.fill("#plan-start", "2026-01-15");
  await page.fill('[data-path="$.plan.courses[0].code"]', "imatinib");
  await page.fill('[data-path="$.plan.courses[0].unitPrice"]', "3000");
  await waitMore(page, "helped", () => page.click("#plan-run"));
  const cq = await page.textContent('#help-out li[data-help="pap-cqcf"]');
  assert.match(cq, /重庆市慈善总会/);
  assert.match(cq, /还须通过审核/);
  assert.doesNotMatch(cq, /符合条件/);
  // GIPAP stopped taking new patients in 2025: not offered
  assert.equal(await page.$('#help-out li[data-help="pap-gipap"]'), null);
  assert.deepEqual(problems, []);
  await context.close();
});

async function afterSelect(page, sel, value) {
  await waitMore(page, "estimated", () => page.selectOption(sel, value));
}

// The planning module is a second, larger download. While it arrives the page keeps
// estimating with the core module: a social worker who runs the plan and at once switches
// to another case (or edits the bill) sees that case's answer, never "not initialized".
// (Stop 25's CI failed exactly here: the XSS test switched cases during the upgrade.)
test("while the planning module downloads, switching cases and editing the bill still estimate", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", serviceWorkers: "block" });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route("**/tiercost_planning_bg.wasm", async (route) => { await held; await route.continue(); });
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  await waitMore(page, "estimated", () => page.fill(".encounter input.total", "50000"));
  const first = await page.textContent("#answer-amount");
  await page.click("#new-case");
  await waitMore(page, "estimated", () => page.fill(".encounter input.total", "80000"));
  await page.selectOption("#case-select", "0");
  // The plan starts loading the planning module, which is held back.
  await page.click("#plan-run");
  await page.waitForFunction(() => /Working it out|正在计算/.test(document.getElementById("plan-out").textContent), null, { timeout: 10000 });
  await waitMore(page, "estimated", () => page.selectOption("#case-select", "1"));
  assert.equal(await page.textContent("#form-error"), "", "no error while the planning module loads");
  assert.notEqual(await page.textContent("#answer-amount"), first, "the second case's answer");
  await waitMore(page, "estimated", () => page.fill(".encounter input.total", "90000"));
  assert.equal(await page.textContent("#form-error"), "");
  release();
  await waitMore(page, "estimated", () => page.selectOption("#case-select", "0"));
  assert.equal(await page.textContent("#answer-amount"), first, "the first case again, after the upgrade");
  assert.deepEqual(problems, []);
  await context.close();
});
