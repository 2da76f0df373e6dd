// The patient's phone (issue 15) in headless Chromium: amounts as people type them and the
// sentence for each refusal; every engine error code has a sentence; age and household size
// limits; an answer for invalid input is marked out of date; a 360 px phone sees cards with every
// amount, the bill field first and an inviting empty state; tap-to-open words; 适老化 mode
// (large type, 48 px targets, remembered only when asked, axe); a pasted bill's unreadable
// line and column; the widget reads amounts the same way.
// Needs: www/pkg/ built (make pkg). Screenshots go to target/phone-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";
import { ERROR_SENTENCES } from "../../www/lib/errors.js";
import { TERMS, GLOSSARY } from "../../www/lib/glossary.js";

const ROOT = resolve(import.meta.dirname, "../..");
const AXE = await readFile(resolve(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const SHOTS = resolve(ROOT, "target");
let server;
let browser;

before(async () => {
  server = await startServer(resolve(ROOT, "www"));
  browser = await launch();
  await mkdir(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open({ locale = "zh-CN", width = 360, path = "" } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 780 }, locale, serviceWorkers: "block" });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  await page.goto(new URL(path, server.url).href);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  return { context, page, problems };
}
const estimates = (page) => page.evaluate(() => Number(document.documentElement.dataset.estimated || 0));
async function afterChange(page, action) {
  const n = await estimates(page);
  await action();
  await page.waitForFunction((k) => Number(document.documentElement.dataset.estimated || 0) > k, n, { timeout: 10000 });
}
const BILL = ".encounter input.total";
const billError = async (page) => page.textContent(`#${await page.getAttribute(BILL, "aria-describedby")}`);
async function axe(page, label) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${label}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), []);
}

test("a first visit: an inviting empty state, the bill field first, no one else's number", async () => {
  const { context, page, problems } = await open();
  assert.equal(await page.isVisible("#empty-state"), true);
  assert.match(await page.textContent("#empty-state"), /先填写这次的医疗费用/);
  assert.equal(await page.isVisible("#result"), false);
  assert.equal(await page.isVisible("#sticky-answer"), false);
  // no money on screen before the family types their bill
  // (a product's premium beside its checkbox is the product's price, not a bill)
  assert.doesNotMatch((await page.evaluate(() => document.body.innerText)).replace(/保费 ¥[\d,.]+/g, ""), /¥\s?[\d,]+\.\d\d/);
  // the first field of the form is the bill
  const first = await page.$eval("#case-form", (f) => f.querySelector("input:not([type=hidden]), select, textarea")?.className);
  assert.equal(first, "total");
  const box = await page.locator(BILL).boundingBox();
  assert.ok(box.y < 400, `the bill field is near the top (${box.y})`);
  await page.screenshot({ path: resolve(SHOTS, "phone-empty.png") });
  // 估算 with no bill asks for it
  await page.click("#run");
  assert.match(await billError(page), /请填写这次的医疗费用总额/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("amounts as people write them, and a sentence for each refusal", async () => {
  const { context, page, problems } = await open();
  for (const [typed, total] of [["8万", "¥80,000.00"], ["8.5万", "¥85,000.00"], ["８００００", "¥80,000.00"], ["80，000元", "¥80,000.00"], ["¥ 8,000.50", "¥8,000.50"], ["8千", "¥8,000.00"]]) {
    await afterChange(page, () => page.fill(BILL, typed));
    assert.equal(await page.textContent("#t-total"), total, typed);
    assert.equal(await page.getAttribute(BILL, "aria-invalid"), null);
  }
  const refusals = [
    ["-500", /金额不能是负数/],
    ["1e15", /“1e15”比任何一张账单都大.*是否多打了几个零/],
    ["1e5", /科学计数法.*100000/],
    ["8,00", /逗号位置不对.*800 还是 8\.00/],
    ["8.000", /小数超过两位.*8000 还是 8\.00/],
    ["8万5", /不清楚.*85000 还是 80005/],
    ["abc", /“abc”不是金额/],
    ["", /请填写这次的医疗费用总额/],
  ];
  for (const [typed, sentence] of refusals) {
    await page.fill(BILL, typed);
    await page.waitForSelector(`${BILL}[aria-invalid=true]`);
    assert.match(await billError(page), sentence, typed);
    assert.match(await page.textContent("#form-error"), sentence, typed);
    assert.equal(await page.inputValue(BILL), typed, "what was typed is kept");
    await afterChange(page, () => page.fill(BILL, "8万"));
  }
  // the same in English
  await page.click("#lang");
  await page.fill(BILL, "-500");
  await page.waitForSelector(`${BILL}[aria-invalid=true]`);
  assert.match(await billError(page), /Amounts cannot be negative/);
  await page.fill(BILL, "1e15");
  await page.waitForFunction(() => /more than any bill/.test(document.getElementById("form-error").textContent));
  assert.deepEqual(problems, []);
  await context.close();
});

test("an invalid input greys the answer as out of date; never an old number as the answer", async () => {
  const { context, page, problems } = await open();
  await afterChange(page, () => page.fill(BILL, "5万"));
  const answer = await page.textContent("#answer-amount");
  assert.equal(await page.isVisible("#stale-note"), false);
  await page.fill(BILL, "5万abc");
  await page.waitForSelector("#result.stale");
  assert.equal(await page.textContent("#stale-note"), "已过期：请修正上面的输入");
  assert.equal(await page.isVisible("#stale-note"), true);
  assert.equal(await page.isVisible("#sticky-stale"), true);
  assert.equal(await page.$eval("#answer-amount", (n) => getComputedStyle(n).textDecorationLine), "line-through");
  assert.ok(Number(await page.$eval("#result .answer", (n) => getComputedStyle(n).opacity)) < 1);
  await page.screenshot({ path: resolve(SHOTS, "phone-stale.png") });
  // age and household size with limits, in the family's words
  await afterChange(page, () => page.fill(BILL, "5万"));
  assert.equal(await page.isVisible("#stale-note"), false);
  assert.equal(await page.textContent("#answer-amount"), answer);
  await page.fill("#age", "abc");
  await page.waitForSelector("#age[aria-invalid=true]");
  assert.match(await page.textContent("#age-err"), /“abc”不是整数/);
  assert.doesNotMatch(await page.textContent("#form-error"), /invalid type|expected u32/);
  await page.waitForSelector("#result.stale");
  await page.fill("#age", "200");
  await page.waitForFunction(() => /“200”不在 0 到 120 之间/.test(document.getElementById("age-err").textContent));
  await afterChange(page, () => page.fill("#age", "65岁"));
  await page.fill("#household-size", "0");
  await page.waitForFunction(() => /不在 1 到 30 之间/.test(document.getElementById("household-size-err").textContent));
  await afterChange(page, () => page.fill("#household-size", "３"));
  assert.equal(await page.isVisible("#stale-note"), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test("every engine error code has a sentence in zh-CN and en; an engine error shows it, not the engine's text", async () => {
  const { context, page, problems } = await open({ width: 1280 });
  const codes = await page.evaluate(async () => (await import("./pkg/index.js")).errorCodes());
  assert.ok(codes.length > 30, codes.join());
  const missing = codes.filter((c) => !ERROR_SENTENCES[c]?.zh || !ERROR_SENTENCES[c]?.en);
  assert.deepEqual(missing, [], "codes without a sentence in www/lib/errors.js");
  // a date the rules do not cover: the sentence, at the date field
  await afterChange(page, () => page.fill(BILL, "5万"));
  await page.fill(".encounter input[type=date]", "1990-01-01");
  await page.waitForSelector(".encounter input[type=date][aria-invalid=true]");
  const msg = await page.textContent("#form-error");
  assert.ok(msg.includes(ERROR_SENTENCES.not_in_effect.zh), msg);
  assert.equal(await page.isVisible("#stale-note"), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test("360 px: the layer table as cards, every amount visible without scrolling sideways", async () => {
  const { context, page, problems } = await open();
  await afterChange(page, () => page.fill(BILL, "8.5万"));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scroll");
  const cells = await page.$$eval("table.layers td.money", (tds) => tds.map((td) => {
    const r = td.getBoundingClientRect();
    return { text: td.textContent.trim(), label: td.dataset.label, left: r.left, right: r.right, display: getComputedStyle(td).display };
  }));
  const shown = cells.filter((c) => c.display !== "none" && /¥/.test(c.text));
  assert.ok(shown.length >= 5, JSON.stringify(cells));
  for (const c of shown) assert.ok(c.left >= 0 && c.right <= 360, `${c.label} ${c.text} is on screen (${c.left}–${c.right})`);
  for (const id of ["#t-patient", "#t-in", "#t-out", "#t-total"]) {
    const r = await page.locator(id).boundingBox();
    assert.ok(r && r.x >= 0 && r.x + r.width <= 360 && (await page.textContent(id)).startsWith("¥"), id);
  }
  // each paying layer's row is a card with its name, status and amount
  const card = await page.$eval("#layers tr[data-layer]", (tr) => ({ display: getComputedStyle(tr).display, labels: [...tr.querySelectorAll("td")].map((td) => `${td.dataset.label}=${td.textContent}`) }));
  assert.equal(card.display, "block");
  assert.equal(card.labels[0], "状态=已计算");
  assert.match(card.labels.at(-1), /^支付=¥[\d,]+\.\d\d$/);
  await page.screenshot({ path: resolve(SHOTS, "phone-result.png"), fullPage: true });
  await axe(page, "phone result");
  assert.deepEqual(problems, []);
  await context.close();
});

test("words explained where they appear: tap to open, one glossary in zh-CN and en", async () => {
  const { context, page, problems } = await open();
  await afterChange(page, () => page.fill(BILL, "5万"));
  const button = page.locator(".encounter button.term[data-term=classes]");
  await button.click();
  const pop = page.locator(".glossary-pop:popover-open");
  await pop.waitFor();
  assert.match(await pop.textContent(), /甲类、乙类、丙类[\s\S]*先行自付/);
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector(".glossary-pop:popover-open"));
  // beside the words in the result: 政策范围内, a layer such as 医疗救助, the source grades
  for (const term of ["inScope", "assistance", "grades"]) assert.ok(await page.locator(`button.term[data-term=${term}]`).count() > 0, term);
  // every term, listed in full
  await page.click(".glossary-box summary");
  const listed = await page.$$eval("#glossary-list dt", (d) => d.map((x) => x.textContent));
  assert.deepEqual(listed, TERMS.map((id) => GLOSSARY[id].zh.term));
  for (const need of ["甲类", "起付线", "封顶线", "政策范围内", "先行自付", "大病保险", "医疗救助", "异地备案", "来源等级"]) assert.ok(listed.some((x) => x.includes(need)), need);
  await page.click("#lang");
  assert.deepEqual(await page.$$eval("#glossary-list dt", (d) => d.map((x) => x.textContent)), TERMS.map((id) => GLOSSARY[id].en.term));
  // 异地备案 beside the filing question
  await page.selectOption(".encounter select[data-path$='.locality']", "out_of_province");
  assert.equal(await page.locator(".encounter button.term[data-term=filing]").count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("适老化 mode: large type, high contrast, 48 px targets, the essentials only, remembered only when asked", async () => {
  const { context, page, problems } = await open();
  await afterChange(page, () => page.fill(BILL, "5万"));
  await page.click("#elder");
  await page.waitForSelector("html.elder");
  assert.equal(await page.getAttribute("#elder", "aria-pressed"), "true");
  const base = await page.$eval("body", (b) => parseFloat(getComputedStyle(b).fontSize));
  assert.ok(base >= 18, `base font ${base}px`);
  // plain wording
  assert.match(await page.textContent("#h-cost"), /这次看病花了多少钱/);
  // every visible control is a big target
  const small = await page.$$eval("button, select, input:not([type=checkbox]):not([type=radio]), a#sticky-answer", (ns) => ns.filter((n) => n.offsetParent !== null || n.id === "sticky-answer").map((n) => ({ id: n.id || n.className || n.tagName, h: n.getBoundingClientRect().height })).filter((x) => x.h > 0 && x.h < 48));
  assert.deepEqual(small, []);
  // the essentials only
  for (const hidden of ["#plan-section", ".cases", "#household-income", ".breakdown"]) assert.equal(await page.isVisible(hidden), false, hidden);
  assert.equal(await page.isVisible(BILL), true);
  assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing stored before asked");
  await page.screenshot({ path: resolve(SHOTS, "phone-elder.png"), fullPage: true });
  await axe(page, "elder");
  // remembered on request, across a reload
  await page.click("#elder-remember");
  assert.equal(await page.evaluate(() => localStorage.getItem("tiercost.elder.v1")), "1");
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains("elder")), true);
  // turned off, it forgets
  await page.click("#elder");
  assert.equal(await page.evaluate(() => localStorage.getItem("tiercost.elder.v1")), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pasted bill: an unquoted 8,000 or an unreadable amount is reported with its line and column", async () => {
  const { context, page, problems } = await open({ width: 1280 });
  await page.check('.encounter input[type=radio][value=items]');
  await page.fill("textarea.paste", "项目名称,类别,金额\n床位费,甲,1200\n化疗药,乙,8,000");
  await page.click(".paste-read");
  await page.waitForSelector(".paste-map .error"); // the reader (lib/csv.js) loads on first use
  assert.match(await page.textContent(".paste-map"), /第 3 行有 4 列，其他行是 3 列.*8,000/);
  assert.equal(await page.locator(".paste-use").count(), 0, "no way to use a misread table");
  await page.fill("textarea.paste", "项目名称,类别,金额\n床位费,甲,1200\n化疗药,乙,八千");
  await page.click(".paste-read");
  await page.click(".paste-use");
  assert.match(await page.textContent(".paste-map"), /第 3 行第 3 列：“八千”不是金额/);
  await page.fill("textarea.paste", "项目名称,类别,金额\n床位费,甲,1200\n化疗药,乙,\"8,000\"\n耗材,丙,0.5万");
  await page.click(".paste-read");
  await afterChange(page, () => page.click(".paste-use"));
  assert.equal(await page.textContent("#t-total"), "¥14,200.00");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the widget reads amounts the same way and says why it refuses one", async () => {
  const context = await browser.newContext({ viewport: { width: 400, height: 780 }, locale: "zh-CN", serviceWorkers: "block" });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  await page.goto(new URL(`embed.html?${new URLSearchParams({ pack: "cn-beijing", amount: "8万", layout: "full" })}`, server.url).href);
  const el = () => page.evaluate(() => document.querySelector("tiercost-estimate").lastSummary);
  await page.waitForFunction(() => document.querySelector("tiercost-estimate")?.lastSummary, null, { timeout: 20000 });
  assert.equal((await el()).total, "80000.00");
  const amount = page.locator("tiercost-estimate input[name=amount]");
  await amount.fill("-5");
  await page.locator("tiercost-estimate form button[type=submit], tiercost-estimate form button").first().click();
  await page.waitForFunction(() => document.querySelector("tiercost-estimate").lastError);
  const err = await page.locator("tiercost-estimate .error").first().textContent();
  assert.match(err, /金额不能是负数/);
  assert.doesNotMatch(err, /invalid_amount|\$\.encounters/);
  assert.deepEqual(problems.filter((p) => !/tiercost-estimate> input error/.test(p)), []);
  await context.close();
});
