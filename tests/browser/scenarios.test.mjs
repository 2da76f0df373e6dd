// Scenarios as a social worker builds them (issue 16 point 2), in headless Chromium: duplicate
// the current case (every field copied), change one field of the copy, pin up to four side by
// side (a fifth refused with a visible message), the side-by-side's amounts and per-layer
// differences are the engine's compare(), readable label columns, the answer in view at
// 1366 px while the second admission is edited, the whole flow by keyboard only, cases and pins
// kept over a reload when saving was chosen, both languages.
// Needs: www/pkg/ built (make pkg). One browser and one server for the whole file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = resolve(ROOT, "target");
const AXE = await readFile(resolve(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
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

async function open({ locale = "zh-CN", width = 1366, height = 800, context = null } = {}) {
  const ctx = context || (await browser.newContext({ viewport: { width, height }, locale, serviceWorkers: "block" }));
  const page = await ctx.newPage();
  const problems = watch(page, server.url);
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  return { context: ctx, page, problems };
}
const estimates = (page) => page.evaluate(() => Number(document.documentElement.dataset.estimated || 0));
async function afterChange(page, action) {
  const n = await estimates(page);
  await action();
  await page.waitForFunction((k) => Number(document.documentElement.dataset.estimated || 0) > k, n, { timeout: 10000 });
}
/** Waits until the side-by-side shows `n` scenario columns and has settled (no render pending). */
async function columns(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll("table.side-by-side thead th.scenario-col").length === k, n, { timeout: 20000 });
  await page.waitForTimeout(400); // the side-by-side follows edits a quarter-second later
}
async function axe(page, label) {
  await page.evaluate(AXE);
  const res = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${label}: ${v.id} ${v.nodes.map((x) => x.target.join(" ")).slice(0, 3).join(", ")}`), []);
}
/** Presses Tab (Shift+Tab with back) until the focus is on `selector`; fails after `max` presses. */
async function tabTo(page, selector, { back = false, max = 250 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  assert.fail(`${selector} not reached by ${back ? "Shift+Tab" : "Tab"}`);
}
const focused = (page) => page.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName.toLowerCase()}#${a.id}.${a.className}[${a.dataset.path || a.dataset.focus || ""}]` : ""; });

// The case the page sends to the engine, written here by hand from what the test typed: the
// side-by-side must give what the engine's own compare() gives for it.
const SPLIT_A70 = { classA: "0.7", classB: "0.2", classC: "0.1" };
function caseDoc(c, levels) {
  return {
    pack: "cn-beijing",
    member: { scheme: "resident", group: c.group, category: c.category, householdIncome: "60000", enrolments: ["beijing-puhui"] },
    encounters: c.encounters.map((e, i) => ({ date: e.date, setting: "inpatient", level: levels[i], total: e.total, split: SPLIT_A70 })),
  };
}

/** Two admissions, a category, an income, a product: a case worth duplicating. */
async function fillCase(page) {
  await afterChange(page, () => page.fill(".encounter input.total", "80000"));
  await afterChange(page, () => page.selectOption(".encounter select.split", "a70"));
  await page.click("#add-encounter");
  await afterChange(page, () => page.fill(".encounter >> nth=1 >> input.total", "30000"));
  await afterChange(page, () => page.selectOption(".encounter >> nth=1 >> select.split", "a70"));
  await afterChange(page, () => page.selectOption("#category", "none"));
  await afterChange(page, () => page.fill("#household-income", "60000"));
  await afterChange(page, () => page.check("input[value=beijing-puhui]"));
  await page.fill("#case-name", "王女士");
}

test("duplicate a case: the copy has every field; change the second admission's level; the side-by-side is the engine's compare()", async () => {
  const { context, page, problems } = await open();
  await fillCase(page);
  await afterChange(page, () => page.click("#duplicate-case"));
  const st = await page.evaluate(() => structuredClone(globalThis.tiercostPage.cases));
  assert.equal(st.length, 2);
  const [a, b] = st;
  assert.equal(b.name, "王女士 · 方案B");
  assert.equal(a.name, "王女士");
  assert.ok(a.pinned && b.pinned, "both pinned");
  const strip = ({ name, n, pinned, ...rest }) => rest;
  assert.deepEqual(strip(b), strip(a), "the copy has every field");
  assert.equal(b.encounters.length, 2);
  // the form shows the copy, every field as typed
  assert.equal(await page.inputValue("#case-name"), "王女士 · 方案B");
  assert.equal(await page.inputValue(".encounter >> nth=1 >> input.total"), "30000");
  assert.equal(await page.inputValue("#household-income"), "60000");
  assert.equal(await page.isChecked("input[value=beijing-puhui]"), true);
  assert.equal(await page.isChecked("#pin-case"), true);
  assert.match(await page.textContent("#pin-note"), /方案B/);
  assert.match(await page.textContent("#editing-case"), /正在编辑：王女士 · 方案B/);
  await columns(page, 2);

  // one field of the copy: the second admission at the lowest level
  const levels = await page.$$eval(".encounter >> nth=1 >> select.level option", (o) => o.map((x) => x.value));
  const first = await page.inputValue(".encounter >> nth=0 >> select.level");
  const second = await page.inputValue(".encounter >> nth=1 >> select.level");
  await afterChange(page, () => page.selectOption(".encounter >> nth=1 >> select.level", levels[0]));
  await columns(page, 2);
  await page.waitForFunction(() => /医院等级/.test(document.querySelector("table.side-by-side th.scenario-col:nth-child(3)")?.textContent || ""));
  const head = await page.textContent("table.side-by-side th.scenario-col:nth-child(3)");
  assert.match(head, /就诊 2 医院等级：.+ → .+/, "the copy's column says what differs");

  // what the engine's compare() gives for these two cases
  const cases = await page.evaluate(() => structuredClone(globalThis.tiercostPage.cases));
  const docA = caseDoc(cases[0], [first, second]);
  const docB = caseDoc(cases[1], [first, levels[0]]);
  const want = await page.evaluate(async ([A, B]) => {
    const engine = await import("./pkg/index.js");
    await engine.init({ planning: true });
    const { money } = await import("./lib/format.js");
    const cmp = engine.compare({ base: A, variants: [{ label: "B", patch: { encounters: B.encounters } }] });
    return { cmp, answerA: money(engine.estimate(A).patient.total, "zh"), fmt: Object.fromEntries([cmp.base, cmp.variants[0]].flatMap((s) => s.summary.layers.map((l) => [l.paid, money(l.paid, "zh")]).concat([[s.summary.family, money(s.summary.family, "zh")]]))) };
  }, [docA, docB]);
  const { cmp } = want;
  assert.notEqual(cmp.variants[0].difference.family, "0.00", "the change moves the family's share");
  const cells = await page.$$eval("table.side-by-side tbody tr", (rows) => rows.map((r) => ({
    layer: r.dataset.layer || null,
    head: r.querySelector("th").textContent,
    cells: [...r.querySelectorAll("td")].map((td) => ({ amount: td.dataset.amount, diff: td.querySelector("[data-diff]")?.dataset.diff ?? null, text: td.textContent })),
  })));
  const fam = cells.find((r) => r.head === "个人负担");
  assert.equal(fam.cells[0].amount, cmp.base.summary.family);
  assert.equal(fam.cells[1].amount, cmp.variants[0].summary.family);
  assert.equal(fam.cells[1].diff, cmp.variants[0].difference.family);
  assert.ok(fam.cells[0].text.includes(want.fmt[cmp.base.summary.family]), fam.cells[0].text);
  assert.ok(fam.cells[1].text.includes(want.fmt[cmp.variants[0].summary.family]), fam.cells[1].text);
  assert.match(fam.cells[1].text, /比“王女士”(少|多)付 ¥/);
  for (const l of cmp.base.summary.layers) {
    const row = cells.find((r) => r.layer === l.id);
    assert.ok(row, `a row for ${l.id}`);
    assert.equal(row.cells[0].amount, l.paid, l.id);
    const v = cmp.variants[0].summary.layers.find((x) => x.id === l.id);
    assert.equal(row.cells[1].amount, v.paid, l.id);
    const d = cmp.variants[0].difference.layers[l.id];
    assert.equal(row.cells[1].diff, /^-?0\.00$/.test(d) ? null : d, `${l.id}: the engine's difference`);
  }
  assert.ok(cells.some((r) => r.cells[1].diff && r.layer), "some layer pays differently");
  // the page's own document for 方案A is the one written above: same answer
  await afterChange(page, () => page.selectOption("#case-select", "0"));
  assert.equal(await page.textContent("#answer-amount"), want.answerA);

  // readable label columns at 1366 px: the side-by-side and the common scenarios
  await columns(page, 2);
  const widths = await page.evaluate(() => {
    const table = document.querySelector("table.side-by-side");
    const min = (sel) => Math.min(...[...table.querySelectorAll(sel)].map((x) => x.getBoundingClientRect().width));
    return { em: parseFloat(getComputedStyle(table).fontSize), label: min("tbody th[scope=row]"), col: min("th.scenario-col") };
  });
  const em = widths.em;
  assert.ok(em >= 16 && widths.label >= 6 * em, `side-by-side label column ${JSON.stringify(widths)} < 6em`);
  assert.ok(widths.col >= 6 * em, `scenario column ${JSON.stringify(widths)} < 6em`);
  await page.click("#compare-run");
  await page.waitForSelector("table.compare tbody tr >> nth=2", { timeout: 20000 });
  const commonW = await page.$$eval("table.compare tbody th[scope=row]", (ths) => Math.min(...ths.map((x) => x.getBoundingClientRect().width)));
  assert.ok(commonW >= 6 * em, `common scenarios' label column ${commonW}px < 6em`);
  // a row of the common scenarios becomes a pinned scenario of its own, with the same amounts
  const rowOf = page.locator("table.compare tbody tr", { has: page.locator("button.pin-variant") }).first();
  const label = (await rowOf.locator("th").evaluate((th) => th.firstChild.textContent)).trim();
  const family = (await rowOf.locator("td").first().textContent()).trim();
  await rowOf.locator("button.pin-variant").click();
  await columns(page, 3);
  assert.match(await page.textContent("#common-note"), new RegExp(`王女士 · ${label}`));
  const third = await page.$eval("table.side-by-side tbody tr.patient td:nth-child(4)", (td) => td.querySelector("strong").textContent);
  assert.equal(third, family, `the pinned “${label}” settles as in the common list`);
  assert.equal(await page.evaluate(() => globalThis.tiercostPage.current), 0, "the form stays on the case being edited");
  await page.locator("#h-pinned").scrollIntoViewIfNeeded();
  await page.screenshot({ path: resolve(SHOTS, "scenarios-1366.png") });
  await axe(page, "side by side");
  assert.deepEqual(problems, []);
  await context.close();
});

test("up to four pinned; a fifth is refused with a visible message; unpin from the table; the answer stays in view at 1366 px", async () => {
  const { context, page, problems } = await open();
  await fillCase(page);
  for (let i = 0; i < 3; i++) await afterChange(page, () => page.click("#duplicate-case"));
  await columns(page, 4);
  assert.deepEqual(await page.$$eval("table.side-by-side th.scenario-col .scenario-name", (n) => n.map((x) => x.textContent)), ["王女士", "王女士 · 方案B", "王女士 · 方案C", "王女士 · 方案D"]);
  assert.match(await page.textContent("#pin-count"), /4\/4/);
  // a fifth scenario: made, not pinned, and said so
  await afterChange(page, () => page.click("#duplicate-case"));
  assert.equal(await page.isChecked("#pin-case"), false);
  assert.match(await page.textContent("#pin-note"), /最多 4 个方案，这个方案未固定/);
  await page.check("#pin-case").catch(() => {}); // refused: the box does not stay ticked
  assert.equal(await page.isChecked("#pin-case"), false);
  assert.ok(await page.isVisible("#pin-note"));
  assert.match(await page.textContent("#pin-note"), /最多并排比较 4 个方案/);
  assert.equal(await page.evaluate(() => globalThis.tiercostPage.cases.filter((c) => c.pinned).length), 4);
  await columns(page, 4);
  // 方案C as the reference: it moves to the first column, the differences are against it
  await page.click("table.side-by-side th.scenario-col:nth-child(4) button[data-focus^=ref]");
  await page.waitForFunction(() => document.querySelector("table.side-by-side th.scenario-col .scenario-name")?.textContent === "王女士 · 方案C");
  assert.match(await page.textContent("table.side-by-side caption"), /与“王女士 · 方案C”相比/);
  assert.match(await page.inputValue("#case-name"), /方案E/, "the form stays on the case being edited");
  await page.click("table.side-by-side th.scenario-col:nth-child(3) button[data-focus^=ref]"); // 王女士 again
  await page.waitForFunction(() => document.querySelector("table.side-by-side th.scenario-col .scenario-name")?.textContent === "王女士");
  // four columns fit beside the form with readable labels, no sideways scroll of the page
  const w = await page.evaluate(() => {
    const table = document.querySelector("table.side-by-side");
    const min = (sel) => Math.min(...[...table.querySelectorAll(sel)].map((x) => x.getBoundingClientRect().width));
    return { em: parseFloat(getComputedStyle(table).fontSize), label: min("tbody th[scope=row]"), col: min("th.scenario-col") };
  });
  assert.ok(w.em >= 16 && w.label >= 6 * w.em && w.col >= 6 * w.em, `four columns: ${JSON.stringify(w)}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
  // unpin the second column (方案C, after the reference moved there and back); then the fifth can be pinned
  await page.click("table.side-by-side th.scenario-col:nth-child(3) button[data-focus^=unpin]");
  await columns(page, 3);
  await page.check("#pin-case");
  await columns(page, 4);
  assert.equal(await page.textContent("#pin-note"), "");
  assert.match(await page.textContent("table.side-by-side th.scenario-col:nth-child(5)"), /方案E/);

  // editing the second admission at 1366 px: the answer stays on screen
  await page.locator(".encounter >> nth=1 >> select.level").scrollIntoViewIfNeeded();
  await page.evaluate(() => document.querySelector(".encounter[data-encounter='1'] select.level").scrollIntoView({ block: "center" }));
  await afterChange(page, () => page.selectOption(".encounter >> nth=1 >> select.level", "level2"));
  const vh = page.viewportSize().height;
  const inView = (b) => !!b && b.y >= 0 && b.y + b.height <= vh;
  // the answer column had been scrolled to the side-by-side: the answer bar stands in for the answer
  const answer = await page.textContent("#answer-amount");
  assert.ok(inView(await page.locator("#answer-amount").boundingBox()) || (inView(await page.locator("#sticky-answer").boundingBox()) && (await page.textContent("#sticky-amount")) === answer), "the answer, or the bar saying it, is on screen");
  await page.screenshot({ path: resolve(SHOTS, "scenarios-1366-side-by-side.png") });
  // the answer column at its top: the answer itself beside the second admission, as the page scrolls
  await page.evaluate(() => { document.querySelector(".answer-col").scrollTop = 0; });
  await page.evaluate(() => document.querySelector(".encounter[data-encounter='1']").scrollIntoView({ block: "start" }));
  await afterChange(page, () => page.selectOption(".encounter >> nth=1 >> select.level", "level3"));
  const box = await page.locator("#answer-amount").boundingBox();
  assert.ok(inView(box), `answer at ${JSON.stringify(box)} in a ${vh}px window`);
  const enc = await page.locator(".encounter >> nth=1").boundingBox();
  assert.ok(enc.y < vh && enc.y + enc.height > 0, "the second admission is on screen too");
  assert.ok(await page.evaluate(() => scrollY > 300), `the page was scrolled (${await page.evaluate(() => scrollY)})`);
  assert.equal(await page.isVisible("#sticky-answer"), false, "no bar while the answer itself is in view");
  await page.screenshot({ path: resolve(SHOTS, "scenarios-1366-editing.png") });
  assert.deepEqual(problems, []);
  await context.close();
});

test("keyboard only: bill, second admission, duplicate, change, side by side, edit the other, pin; focus visible and kept", async () => {
  const { context, page, problems } = await open();
  await tabTo(page, ".encounter input.total");
  await page.keyboard.type("80000");
  await page.waitForSelector("html[data-estimated]");
  // a re-render of the visit keeps the focus on the control that caused it
  await tabTo(page, ".encounter select.split");
  await page.keyboard.press("ArrowDown"); // 自费部分: a field of its own appears, the visit is laid out again
  await page.waitForSelector(".encounter input.ooc");
  assert.match(await focused(page), /select.*\[\$\.encounters\[0\]\.split\]/);
  await afterChange(page, () => page.keyboard.press("ArrowDown")); // 70/20/10
  assert.equal(await page.inputValue(".encounter select.split"), "a70");
  assert.match(await focused(page), /select.*\[\$\.encounters\[0\]\.split\]/);
  await tabTo(page, "input[type=radio][value=quick]");
  await page.keyboard.press("ArrowDown"); // to itemised: the visit is laid out again
  await page.waitForSelector(".items-table");
  assert.match(await focused(page), /input.*\[\$\.encounters\[0\]\.mode\.items\]/);
  await page.keyboard.press("ArrowUp"); // back to the total
  await page.waitForSelector(".encounter input.total");
  assert.match(await focused(page), /mode\.quick/);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "focus is visible");
  // another region lays the whole form out again: the focus stays on the region
  await tabTo(page, "#pack");
  const region = await page.inputValue("#pack");
  await afterChange(page, () => page.keyboard.press("ArrowDown"));
  assert.notEqual(await page.inputValue("#pack"), region);
  assert.equal(await page.evaluate(() => document.activeElement.id), "pack");
  await afterChange(page, () => page.keyboard.press("ArrowUp"));
  assert.equal(await page.inputValue("#pack"), region);
  assert.equal(await page.evaluate(() => document.activeElement.id), "pack");

  await tabTo(page, "#add-encounter");
  await page.keyboard.press("Enter");
  assert.match(await focused(page), /input.*total.*\[\$\.encounters\[1\]\.total\]/, "the new visit's bill has the focus");
  await afterChange(page, () => page.keyboard.type("30000"));

  await tabTo(page, "#duplicate-case");
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), "none");
  await afterChange(page, () => page.keyboard.press("Enter"));
  assert.equal(await page.evaluate(() => globalThis.tiercostPage.cases.length), 2);
  assert.equal(await page.evaluate(() => document.activeElement.id), "duplicate-case", "the focus stays where it was");
  await columns(page, 2);
  // change the copy's second admission with the keyboard
  await tabTo(page, ".encounter[data-encounter='1'] select.level", { back: true });
  await afterChange(page, () => page.keyboard.press("Home"));
  await page.waitForFunction(() => /医院等级/.test(document.querySelector("table.side-by-side th.scenario-col:nth-child(3)")?.textContent || ""));
  const diffs = await page.$$eval("table.side-by-side [data-diff]", (n) => n.length);
  assert.ok(diffs > 0, "the side-by-side shows differences");
  // from the table: edit 方案A (Enter on its button); the form says so and has the focus
  await tabTo(page, "table.side-by-side button[data-focus=edit-0]");
  await afterChange(page, () => page.keyboard.press("Enter"));
  assert.equal(await page.evaluate(() => globalThis.tiercostPage.current), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), "editing-case");
  assert.match(await page.textContent("#editing-case"), /方案A/);
  // unpin with Space on the checkbox, pin again
  await tabTo(page, "#pin-case");
  await page.keyboard.press("Space");
  await columns(page, 1);
  assert.equal(await page.evaluate(() => globalThis.tiercostPage.cases[0].pinned), false);
  await page.keyboard.press("Space");
  await columns(page, 2);
  // unpin from the table with Space: the focus goes to a control still there, not lost
  await tabTo(page, "table.side-by-side button[data-focus=unpin-1]");
  await page.keyboard.press("Space");
  await columns(page, 1);
  assert.notEqual(await page.evaluate(() => document.activeElement.tagName), "BODY");
  assert.match(await page.textContent("#pinned-live"), /并排比较已更新/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a reload keeps the cases and the pins when saving on this device was chosen", async () => {
  const { context, page, problems } = await open();
  await fillCase(page);
  await afterChange(page, () => page.click("#duplicate-case"));
  await afterChange(page, () => page.selectOption(".encounter >> nth=1 >> select.level", "level1"));
  await page.check("#save-local");
  await columns(page, 2);
  await page.waitForFunction(() => /医院等级/.test(document.querySelector("table.side-by-side th.scenario-col:nth-child(3)")?.textContent || ""));
  const before = await page.$$eval("table.side-by-side tbody td", (n) => n.map((x) => x.textContent));
  await page.reload();
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  await columns(page, 2);
  const cases = await page.evaluate(() => globalThis.tiercostPage.cases.map((c) => [c.name, !!c.pinned, c.encounters[1].level]));
  assert.deepEqual(cases, [["王女士", true, cases[0][2]], ["王女士 · 方案B", true, "level1"]]);
  assert.deepEqual(await page.$$eval("table.side-by-side tbody td", (n) => n.map((x) => x.textContent)), before);
  await page.click("#clear-all");
  assert.deepEqual(problems, []);
  await context.close();
});

test("in English too, and a language switch redraws the side-by-side; 360 px has no sideways scroll", async () => {
  const { context, page, problems } = await open({ locale: "en-US" });
  await fillCase(page);
  await afterChange(page, () => page.click("#duplicate-case"));
  await afterChange(page, () => page.selectOption("#category", "minimum_living"));
  await columns(page, 2);
  assert.equal(await page.inputValue("#case-name"), "王女士 · scenario B");
  // a name is text wherever it is shown
  const payload = `<img src=x onerror="globalThis.pwned=1">"'`;
  await page.fill("#case-name", payload);
  await page.waitForFunction((p) => document.querySelector("table.side-by-side th.scenario-col:nth-child(3) .scenario-name")?.textContent === p, payload);
  assert.equal(await page.$$eval("table.side-by-side img, #editing-case img", (n) => n.length), 0);
  assert.equal(await page.evaluate(() => globalThis.pwned), undefined);
  await page.fill("#case-name", "王女士 · scenario B");
  const table = await page.textContent("table.side-by-side");
  assert.match(table, /Side by side: in brackets, the difference from “王女士”/);
  assert.match(table, /Assistance status: No assistance status → /);
  assert.match(table, /(less|more) than “王女士”/);
  const head = await page.$$eval("table.side-by-side thead th", (n) => n.map((x) => x.textContent));
  assert.ok(!head.some((s) => /[\u4e00-\u9fff]/.test(s.replace(/王女士|方案|\([^()]*\)/g, ""))), head.join(" | "));
  await axe(page, "en side by side");
  await page.click("#lang");
  await page.waitForFunction(() => /并排比较/.test(document.querySelector("table.side-by-side caption")?.textContent || ""));
  assert.match(await page.textContent("table.side-by-side"), /救助身份：.+ → /);
  await context.close();

  const phone = await open({ width: 360, height: 780 });
  await fillCase(phone.page);
  await afterChange(phone.page, () => phone.page.click("#duplicate-case"));
  await afterChange(phone.page, () => phone.page.selectOption(".encounter >> nth=1 >> select.level", "level1"));
  await columns(phone.page, 2);
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), "360 px scrolls sideways");
  assert.ok(await phone.page.isVisible("#sticky-answer"));
  await phone.page.locator("#h-pinned").scrollIntoViewIfNeeded();
  await phone.page.screenshot({ path: resolve(SHOTS, "scenarios-360.png") });
  await axe(phone.page, "360 side by side");
  assert.deepEqual([...problems, ...phone.problems], []);
  await phone.context.close();
});

test("offline after one visit: duplicate and the side-by-side work from the worker's set", async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: "zh-CN", serviceWorkers: "allow" });
  const { page, problems } = await open({ context });
  await page.waitForFunction(async () => {
    const name = (await caches.keys()).find((k) => k.startsWith("tiercost-page-"));
    if (!name) return false;
    const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
    return ["/scenarios.js", "tiercost_planning_bg.wasm", "tiercost_planning.js"].every((s) => urls.some((u) => u.includes(s)));
  }, null, { timeout: 30000, polling: 200 });
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  await afterChange(page, () => page.fill(".encounter input.total", "80000"));
  await afterChange(page, () => page.click("#duplicate-case"));
  await afterChange(page, () => page.selectOption(".encounter select.level", "level1"));
  await columns(page, 2);
  assert.ok(await page.$("table.side-by-side [data-diff]"), "differences shown offline");
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await context.close();
});
