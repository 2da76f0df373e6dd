// The printed handout a family keeps (issue 16, www/handout.js), printed the way a social
// worker prints it: the page's own print button (#print; window.print() is replaced by a
// counter, so Chromium's page.pdf() can render the same print media afterwards). Each PDF is
// read back: its page count (A4), its text (pdftotext: the answer first, no internal ids, no
// rate with more than two decimals, next steps, the plan's months), its pictures (pdftoppm)
// and its QR code (zbarimg), which must be the page's share link and open the same case.
// The PDFs and their pages as PNG are left in target/ to be looked at.
// Needs: www/pkg/ built (make pkg); poppler-utils and zbar-tools (scripts/install-tools.sh
// --test-tools installs them).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const OUT = resolve(ROOT, "target/handout");
let server;
let browser;

before(async () => {
  await mkdir(OUT, { recursive: true });
  server = await startServer(resolve(ROOT, "www"));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(locale = "zh-CN") {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale, serviceWorkers: "block" });
  const page = await context.newPage();
  // The print dialog: counted, not opened (a headless print would hold the page).
  await page.addInitScript(() => {
    window.print = () => { document.documentElement.dataset.printed = String(Number(document.documentElement.dataset.printed || 0) + 1); };
  });
  const problems = watch(page, server.url);
  await page.goto(server.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
  return { context, page, problems };
}
const counter = (page, name) => page.evaluate((k) => Number(document.documentElement.dataset[k] || 0), name);
async function waitMore(page, name, action, timeout = 30000) {
  const n = await counter(page, name);
  await action();
  await page.waitForFunction(([k, m]) => Number(document.documentElement.dataset[k] || 0) > m, [name, n], { timeout });
}

/** Presses the page's print button and renders what it prints: { pages, text, png, qr, url }. */
async function print(page, name) {
  const printed = await counter(page, "printed");
  await waitMore(page, "handout", () => page.click("#print"));
  await page.waitForFunction((m) => Number(document.documentElement.dataset.printed || 0) > m, printed);
  return render(page, name);
}
/** Renders the print media as Chromium prints it (page.pdf fires beforeprint, as Ctrl+P does). */
async function render(page, name) {
  await page.emulateMedia({ media: "print" });
  // nothing but the handout is printed, and all its text is at least 11 pt
  const small = await page.evaluate(() => {
    const out = [];
    const tw = document.createTreeWalker(document.getElementById("handout"), NodeFilter.SHOW_TEXT);
    for (let n = tw.nextNode(); n; n = tw.nextNode()) {
      if (!n.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(n.parentElement).fontSize);
      if (px < (11 * 96) / 72 - 0.01) out.push(`${px}px: ${n.textContent.slice(0, 40)}`);
    }
    return out;
  });
  assert.deepEqual(small, [], "handout text under 11 pt");
  assert.ok(await page.isVisible("#handout"));
  for (const sel of ["#case-form", "#result", "#plan-section", ".top", "footer"]) assert.equal(await page.isVisible(sel), false, `${sel} is not printed`);
  const pdfPath = resolve(OUT, `${name}.pdf`);
  await writeFile(pdfPath, await page.pdf({ format: "A4" }));
  await page.emulateMedia({ media: "screen" });
  const info = execFileSync("pdfinfo", [pdfPath], { encoding: "utf8" });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)[1]);
  assert.match(info, /Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
  const text = execFileSync("pdftotext", ["-layout", pdfPath, "-"], { encoding: "utf8" });
  // the pages as pictures: at 60 dpi to look at, page 1 at 200 dpi for the QR reader (a
  // picture of a page an earlier run printed and this one does not is removed first)
  for (const f of await readdir(OUT)) if (f.startsWith(`${name}-`) && f.endsWith(".png")) await rm(resolve(OUT, f));
  execFileSync("pdftoppm", ["-png", "-r", "60", pdfPath, resolve(OUT, name)]);
  execFileSync("pdftoppm", ["-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", pdfPath, resolve(OUT, `${name}-qr`)]);
  let qr = "";
  try {
    qr = execFileSync("zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", resolve(OUT, `${name}-qr.png`)], { encoding: "utf8" }).trim();
  } catch (e) {
    qr = `(zbarimg: ${e.status})`;
  }
  const url = await page.getAttribute("#handout-qr", "data-url");
  return { pages, text, qr, url };
}

/** What every handout must and must not say. */
function readable(text, lang) {
  // no internal ids (pack, programme or source keys)
  assert.doesNotMatch(text, /\b(cn|pap|wh|bj|template|org)-[a-z0-9]+/, "an internal id is printed");
  assert.doesNotMatch(text, /\/[a-z]+-[a-z0-9-]+\b.*\([A-D]\)/, "a source key with its grade is printed");
  // rates as people read them: at most two decimals
  assert.doesNotMatch(text, /\d\.\d{3,}\s*%/, "a rate with more than two decimals");
  // no form label or hint from the screen
  assert.doesNotMatch(text, /可选|optional|e\.g\./i, "a form hint is printed");
  const want = lang === "zh"
    ? ["谁付多少", "为什么是这个金额", "下一步", "规则从哪里来", "用手机扫一扫"]
    : ["Who pays what", "Why this amount", "Next steps", "Where the rules come from", "Scan with a phone"];
  for (const w of want) assert.ok(text.includes(w), `"${w}" is printed`);
}

/** The QR code on paper is the share link the page makes, and it opens the same case. */
async function sameCase(page, printed) {
  assert.match(printed.qr, /^http:\/\/localhost:\d+\/#c=d1\./, `the QR code reads as a share link: ${printed.qr.slice(0, 80)}`);
  assert.equal(printed.qr, printed.url, "the QR code is the handout's link");
  await page.click("#share-make");
  await page.waitForSelector("#share-out:not([hidden])");
  assert.equal(printed.qr, await page.inputValue("#share-url"), "the QR code is the page's share link");
  const phone = await browser.newContext({ viewport: { width: 390, height: 800 }, locale: "zh-CN", serviceWorkers: "block" });
  const p = await phone.newPage();
  await p.goto(printed.qr);
  await p.waitForSelector("html[data-estimated]", { timeout: 20000 });
  assert.equal(await p.textContent("#answer-amount"), await page.textContent("#answer-amount"), "the phone shows the same answer");
  await phone.close();
}

test("one admission: one A4 page, the answer first, no ids, next steps, a QR code that opens the same case", async () => {
  const { context, page, problems } = await open();
  await page.fill(".encounter input.total", "50000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  await page.fill("#case-name", "王女士");
  const printed = await print(page, "handout-one-admission");
  assert.equal(printed.pages, 1, "one admission fits one A4 page");
  readable(printed.text, "zh");
  const answer = await page.textContent("#answer-amount");
  const at = printed.text.indexOf(answer);
  assert.ok(at >= 0, `the answer ${answer} is printed`);
  assert.ok(at < printed.text.indexOf("谁付多少") && at < printed.text.indexOf("为什么是这个金额"), "the answer comes first");
  assert.match(printed.text, /王女士/);
  assert.match(printed.text, /起付线/, "the why is in sentences");
  // the help still available for this bill (asked of the engine when the button is pressed),
  // each as a condition, with what it would save
  assert.match(printed.text.replace(/\s+/g, ""), /下一步1\.如果家庭被认定为以下救助身份，估计可少付：特困人员¥[\d,]+\.\d\d；/);
  await sameCase(page, printed);

  // Ctrl+P, not the button: the code of the changed case is made ahead while the page is idle
  const before = printed.url;
  await page.fill(".encounter input.total", "60000");
  await page.waitForFunction((u) => { const f = document.querySelector("#handout-qr"); return f?.querySelector("svg") && f.dataset.url && f.dataset.url !== u; }, before, { timeout: 15000 });
  const ctrlP = await render(page, "handout-ctrl-p");
  assert.equal(ctrlP.pages, 1);
  assert.match(ctrlP.text, /¥60,000\.00/);
  await sameCase(page, ctrlP);

  // a link too long for a QR code (a case note of 4,000 characters that do not compress) is
  // said in words on paper, never printed as a code a phone cannot read
  let seed = 7;
  const note = Array.from({ length: 4000 }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[(seed = (seed * 48271) % 2147483647) % 36]).join("");
  await page.fill("#case-name", note);
  await waitMore(page, "handout", () => page.click("#print"));
  assert.equal(await page.$("#handout-qr svg"), null, "no QR code for a link that long");
  assert.match(await page.textContent("#handout-qr"), /分享链接太长/);
  await page.fill("#case-name", "王女士");

  // an answer no longer current is printed as such
  await page.fill(".encounter input.total", "abc");
  await page.waitForSelector("#result.stale");
  await waitMore(page, "handout", () => page.click("#print"));
  assert.match(await page.textContent("#handout"), /还没有重新计算成功/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("two admissions and a year plan: at most two A4 pages, the months condensed, rates in words, help and where to ask; English too", async () => {
  const { context, page, problems } = await open();
  // Wuhan, resident, 低保, two admissions; the household's income makes the share of income an
  // odd rate (the engine's 0.747051 prints as 74.71%, about three quarters)
  await page.selectOption("#pack", "cn-wuhan");
  await page.selectOption("#category", "minimum_living");
  await page.fill("#household-income", "76300");
  await page.fill(".encounter input.total", "80000");
  await page.fill("[data-path='$.encounters[0].date']", "2025-03-10");
  await page.click("#add-encounter");
  await page.fill(".encounter input.total >> nth=1", "50000");
  await waitMore(page, "estimated", () => page.fill("[data-path='$.encounters[1].date']", "2025-06-10"));
  await page.waitForFunction(() => globalThis.tiercostPage.burden?.shareOfIncome, null, { timeout: 20000 });
  // a year: imatinib every month and two more admissions
  await page.fill("#plan-start", "2025-01-15");
  await page.fill("#plan-months", "12");
  await page.fill('[data-path="$.plan.courses[0].code"]', "imatinib");
  await page.fill('[data-path="$.plan.courses[0].unitPrice"]', "3000");
  await page.selectOption("#plan-add-kind", "admissions");
  await page.click("#plan-add");
  await page.fill('[data-path="$.plan.courses[1].count"]', "2");
  await page.fill('[data-path="$.plan.courses[1].each"]', "60000");
  await waitMore(page, "helped", () => page.click("#plan-run"));
  await page.fill("#aid-target", "20000");
  await waitMore(page, "aided", () => page.click("#aid-run"));
  const st = await page.evaluate(() => { const s = globalThis.tiercostPage; return { share: s.burden.shareOfIncome, plan: s.planResult, aid: s.aidAnswer }; });

  const printed = await print(page, "handout-two-admissions-plan");
  assert.ok(printed.pages <= 2, `two admissions and a year plan fit two A4 pages (${printed.pages})`);
  readable(printed.text, "zh");
  // pdftotext breaks lines where the page does: the Chinese text is read without whitespace
  const text = printed.text.replace(/\s+/g, "");
  // the answer (a range here) before anything else, then the year
  const range = (await page.textContent("#answer-amount")).replace(/\s+/g, "");
  assert.ok(text.indexOf(range) >= 0 && text.indexOf(range) < text.indexOf("谁付多少"), `the range ${range} comes first`);
  assert.match(text, /为什么是一个范围/);
  assert.ok(text.includes("¥89,800.00") && text.indexOf("¥89,800.00") < text.indexOf("谁付多少"), "the year's total is near the top");
  // the share of income as people read it
  assert.equal(st.share, "0.747051");
  assert.match(text, /74\.71%（约四分之三）/);
  // the why: the critical-illness layer's visits in sentences, with its rates
  assert.match(text, /第1次就诊（住院，2025年3月10日）：计入¥68,000\.00，扣除起付线¥6,000\.00，按65%、70%支付/);
  assert.match(text, /第2次就诊（住院，2025年6月10日）/);
  // next steps: where to ask (the office and hotline the pack names), documents, the aid
  assert.match(text, /下一步1\.核实武汉城乡居民基本医疗保险、医疗救助：请到参保地医保经办窗口咨询，或拨打医保服务热线12393/);
  assert.match(text, /申请医疗救助，要准备：救助对象身份证明/);
  assert.ok(text.includes(`还需要${st.aid.aidNeeded === "69800.00" ? "¥69,800.00" : "?"}的救助或捐助`), "the aid still needed");
  // never "eligible" for help without a basis: each option is a condition
  assert.doesNotMatch(text, /(?<!不)符合条件/);
  assert.match(text, /如果参加百万医疗险（通用产品）：估计可少付¥/);
  // the months: 12 in the engine's answer, condensed on paper, the total not cut off
  assert.equal(st.plan.months.length, 12);
  const rows = await page.$$eval("#handout-months tbody tr", (rs) => rs.map((r) => r.dataset.month));
  assert.deepEqual(rows, ["1", "2-6", "7", "8-12"], "months alike share a row");
  assert.match(text, /第2–6个月（2025年2–6月）每月¥3,000\.00每月¥3,000\.00/);
  assert.match(text, /合计¥156,000\.00¥89,800\.00/);
  // sources in words, with their dates
  assert.match(text, /武汉：规则截至2024年3月4日/);
  assert.match(text, /2021年10月19日发布，政府原文/);
  await sameCase(page, printed);

  // the same in English (the page's language switch)
  await page.click("#lang");
  const en = await print(page, "handout-two-admissions-plan-en");
  assert.ok(en.pages <= 2, `English: at most two pages (${en.pages})`);
  readable(en.text, "en");
  const words = en.text.replace(/\s+/g, " ");
  assert.match(words, /74\.71% \(about three quarters\)/);
  assert.match(words, /months 2–6 \(Feb–Jun 2025\)/);
  assert.match(words, /rules as of 4 March 2024/);
  assert.equal(en.qr, en.url, "the English handout's QR code is its link");
  assert.deepEqual(problems, []);
  await context.close();
});

test("every region and scheme the page offers: one admission prints on at most two A4 pages, with no id, key or long rate", async () => {
  const { context, page, problems } = await open();
  await page.fill(".encounter input.total", "80000");
  await page.waitForSelector("html[data-estimated]", { timeout: 20000 });
  const seen = [];
  for (const region of await page.$$eval("#pack option", (o) => o.map((x) => x.value))) {
    if ((await page.inputValue("#pack")) !== region) await waitMore(page, "estimated", () => page.selectOption("#pack", region));
    for (const scheme of await page.$$eval("#scheme option", (o) => o.map((x) => x.value))) {
      if ((await page.inputValue("#scheme")) !== scheme) await waitMore(page, "estimated", () => page.selectOption("#scheme", scheme));
      await waitMore(page, "handout", () => page.click("#print"));
      const text = await page.textContent("#handout");
      const bad = [/\b(cn|pap|template|org)-[a-z0-9]+|\b[a-z]{2,3}-s?\d+\b/, /\d\.\d{3,}\s*%/, /\b(ho[A-Z]\w*|hoSt_\w+|ev_\w+)\b/, /undefined|NaN|\[object|\{\w+\}/]
        .map((re) => re.exec(text)?.[0]).filter(Boolean);
      assert.deepEqual(bad, [], `${region} ${scheme}`);
      const pdf = await page.pdf({ format: "A4" });
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages >= 1 && pages <= 2, `${region} ${scheme}: ${pages} pages`);
      seen.push(`${region}/${scheme}`);
    }
  }
  assert.ok(seen.length >= 10, seen.join(" "));
  assert.deepEqual(problems, []);
  await context.close();
});
