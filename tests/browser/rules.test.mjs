// The rules editor (www/rules.html) as a hospital social worker uses it: enter the city's
// basic insurance, 大病 and 救助 figures from the leaflet with its source, see mistakes at the
// field in words, see the ¥80,000 example settle, share the link — and a colleague in a fresh
// browser context opens it and gets the same amounts, on the editor and in the estimator,
// which says who entered the rules and from what. Saved locally only when asked; one click
// clears it. Needs: www/pkg/ built (make pkg).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";

const WWW = resolve(import.meta.dirname, "../../www");
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

async function open(path, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", serviceWorkers: "block", ...opts });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await context.newPage();
  const problems = watch(page, server.url);
  await page.goto(new URL(path.replace(/^\//, ""), server.url).href);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  return { context, page, problems };
}

// What a leaflet says (illustrative figures for a city the product has no rules for).
const LEAFLET = {
  organisation: "某某医院社工部",
  regionZh: "合肥市",
  regionEn: "Hefei",
  code: "hefei",
  from: "2026-01-01",
  "source.title": "合肥市2026年基本医疗保险待遇宣传册",
  "employee.deductible.level1": "300", "employee.deductible.level2": "600", "employee.deductible.level3": "1,000元",
  "employee.rate.level1": "95", "employee.rate.level2": "90", "employee.rate.level3": "85%",
  "employee.cap": "400000",
  "resident.deductible.level1": "200", "resident.deductible.level2": "500", "resident.deductible.level3": "1000",
  "resident.rate.level1": "90", "resident.rate.level2": "80", "resident.rate.level3": "70",
  "resident.cap": "300000",
  "critical.threshold": "15000", "critical.bands.0.rate": "60", "critical.cap": "400000",
};
const field = (key) => `[data-field="${key}"]`;

async function fill(page, entries) {
  for (const [key, value] of Object.entries(entries)) await page.fill(field(key), value);
}
async function settled(page) {
  await page.waitForFunction(() => document.querySelector("#problems .ok") || document.querySelector("#problems .problems"), null, { timeout: 10000 });
  await page.waitForTimeout(350); // the 200 ms debounce and the check after it
}
const family = (page, scheme) => page.textContent(`[data-family="${scheme}"]`);

test("a social worker enters a city's rules, sees errors at the field, shares them; a colleague gets the same amounts", async () => {
  const { context, page, problems } = await open("/rules.html");
  // Nothing entered yet: what is required is said in words, no example number is shown.
  assert.match(await page.textContent("#problems"), /请填写录入机构的名称/);
  assert.equal(await page.$("[data-family]"), null);

  await page.selectOption(field("source.grade"), "B"); // a leaflet has no document number
  await fill(page, LEAFLET);
  await settled(page);
  assert.match(await page.textContent("#problems"), /规则有效/, await page.textContent("#problems"));
  // Employee, in service, level 3: (80,000 − 1,000) × 85% = 67,150 → family 12,850.00
  // (under the 400,000 cap; no 大额 entered: it pays only above the cap, so no range here).
  assert.equal(await family(page, "employee"), "¥12,850.00");
  // Resident: basic (80,000 − 1,000) × 70% = 55,300; left 24,700; 大病 (net) (24,700 − 15,000)
  // × 60% = 5,820 → family 18,880.00.
  assert.equal(await family(page, "resident"), "¥18,880.00");
  assert.match(await page.textContent("#entered"), /规则由某某医院社工部录入，来源：合肥市2026年基本医疗保险待遇宣传册/);
  await page.screenshot({ path: resolve(import.meta.dirname, "../../target/rules-editor.png"), fullPage: true });

  // A typo: the field is marked and the sentence says what to type; the example is withdrawn.
  await page.fill(field("resident.rate.level3"), "七十");
  await settled(page);
  assert.equal(await page.getAttribute(field("resident.rate.level3"), "aria-invalid"), "true");
  assert.match(await page.textContent('[data-error-for="resident.rate.level3"]'), /百分比/);
  assert.equal(await page.$("[data-family]"), null, "no number while the rules are invalid");
  // An A grade without a document number or government address breaks the grade policy.
  await page.fill(field("resident.rate.level3"), "70");
  await page.selectOption(field("source.grade"), "A");
  await settled(page);
  assert.equal(await page.getAttribute(field("source.grade"), "aria-invalid"), "true");
  assert.match(await page.textContent('[data-error-for="source.grade"]'), /文号|gov\.cn/);
  await page.selectOption(field("source.grade"), "B");
  await settled(page);
  assert.equal(await family(page, "resident"), "¥18,880.00");

  // Not saved unless asked.
  assert.equal(await page.evaluate(() => localStorage.getItem("tiercost.rules.v1")), null);
  await page.check("#save-local");
  assert.ok(await page.evaluate(() => localStorage.getItem("tiercost.rules.v1")));
  await page.click("#clear-local");
  assert.equal(await page.evaluate(() => localStorage.getItem("tiercost.rules.v1")), null);
  assert.equal(await page.isChecked("#save-local"), false);

  // The file export is the pack, and it validates on its own.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  assert.equal(download.suggestedFilename(), "org-hefei.json");

  await page.click("#share");
  await page.waitForFunction(() => document.querySelector("#share-url")?.value);
  const link = await page.inputValue("#share-url");
  assert.match(link, /rules\.html#r=d1\./);
  const useLink = await page.getAttribute("#use", "href");
  assert.deepEqual(problems, []);
  await context.close();

  // A colleague, fresh browser context: same rules, same amounts.
  const other = await open(link);
  assert.equal(await other.page.inputValue(field("organisation")), "某某医院社工部");
  await settled(other.page);
  assert.equal(await family(other.page, "employee"), "¥12,850.00");
  assert.equal(await family(other.page, "resident"), "¥18,880.00");
  assert.equal(await other.page.evaluate(() => localStorage.getItem("tiercost.rules.v1")), null, "opening a link saves nothing");
  assert.deepEqual(other.problems, []);
  await other.context.close();

  // And in the estimator: the region is offered as entered by the organisation, the answer
  // for an ¥80,000 bill is the editor's, and the answer says who entered the rules.
  const est = await open(useLink);
  await est.page.fill("[data-path='$.encounters[0].total']", "50000");
  await est.page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.equal(await est.page.inputValue("#pack"), "org-hefei");
  assert.match(await est.page.textContent("#pack-note"), /某某医院社工部/);
  const change = async (action) => {
    const n = await est.page.evaluate(() => Number(document.documentElement.dataset.estimated || 0));
    await action();
    await est.page.waitForFunction((k) => Number(document.documentElement.dataset.estimated || 0) > k, n, { timeout: 10000 });
  };
  await change(() => est.page.selectOption("#scheme", "resident"));
  await change(() => est.page.fill("[data-path='$.encounters[0].total']", "80000"));
  await est.page.selectOption("[data-path='$.encounters[0].split']", "custom");
  for (const [k, v] of [["classA", "100"], ["classB", "0"], ["classC", "0"]]) await est.page.fill(`[data-path='$.encounters[0].split.${k}']`, v);
  await est.page.waitForFunction(() => document.querySelector("#answer-amount").textContent === "¥18,880.00", null, { timeout: 10000 })
    .catch(async () => assert.fail(`the estimator says ${await est.page.textContent("#answer-amount")}, the editor ¥18,880.00`));
  assert.match(await est.page.textContent("#entered-note"), /规则由某某医院社工部录入，来源：合肥市2026年基本医疗保险待遇宣传册/);
  assert.match(await est.page.textContent("#layers"), /规则截至 2026-01-01/);
  await est.page.emulateMedia({ media: "print" });
  await est.page.pdf({ path: resolve(import.meta.dirname, "../../target/rules-handout.pdf"), format: "A4" });
  assert.match(await est.page.textContent("#handout-inputs"), /某某医院社工部/);
  assert.deepEqual(est.problems, []);
  await est.context.close();
});

test("an imported file that the editor did not make is refused in words, and nothing typed is lost", async () => {
  const { context, page } = await open("/rules.html");
  await page.fill(field("organisation"), "某某慈善会");
  await page.setInputFiles("#import", { name: "not-mine.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ id: "x", kind: "region" })) });
  await page.waitForFunction(() => document.querySelector("#share-note").textContent.length > 0);
  assert.match(await page.textContent("#share-note"), /不是用本页录入的规则/);
  assert.equal(await page.inputValue(field("organisation")), "某某慈善会");
  await page.setInputFiles("#import", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from("{not json") });
  await page.waitForFunction(() => /无法读取/.test(document.querySelector("#share-note").textContent));
  assert.equal(await page.inputValue(field("organisation")), "某某慈善会");
  await context.close();
});
