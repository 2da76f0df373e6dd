// The rules editor: a social worker enters the city's basic insurance, 大病, 大额 and 医疗救助
// figures from the official document on the desk, with that document as the source. The
// engine validates the pack as they type (each problem shown at its field, in words), settles
// an ¥80,000 admission beside the form, and the rules are kept (opt-in), exported as a file,
// shared as a link, and used in the estimator. No server: the only requests are for this
// site's own files. The form's model and its pack live in lib/rules-form.js.

import * as engine from "./pkg/index.js";
import { EXPLAIN } from "./widget/core.js";
import { money, today } from "./lib/format.js";
import { emptyRules, toPack, fromPack, fieldForPath, LEVELS, CATEGORIES } from "./lib/rules-form.js";
import { pack as packShare, unpack as unpackShare } from "./lib/share.js";

const STORE_KEY = "tiercost.rules.v1";
const $ = (id) => document.getElementById(id);
// Level and category names: the national pack's own (the engine's data, not a copy here).
let LEVEL_NAMES = {};
let CATEGORY_NAMES = {};
function namesFrom(national) {
  const bilingual = (list) => Object.fromEntries((list || []).map((x) => [x.id, `${x.name.zh} ${x.name.en}`]));
  LEVEL_NAMES = bilingual(national?.levels);
  CATEGORY_NAMES = bilingual(national?.categories);
}
// What to type, per engine code, at a field of this form (the engine's own sentence follows).
const HINTS = {
  invalid_amount: "请填写金额（元），如 1300 或 1,300 · enter an amount in yuan, e.g. 1300",
  invalid_rate: "请填写 0 到 100 之间的百分比，如 85 · enter a percentage from 0 to 100, e.g. 85",
  invalid_date: "请按 年-月-日 填写，如 2026-01-01 · write the date as YYYY-MM-DD, e.g. 2026-01-01",
  weak_source: "有文号或政府网址才能评为 A；医保局的宣传册、窗口资料评为 B · grade A needs a document number or a gov.cn address; a 医保 leaflet is grade B",
  bands_not_ascending: "分段的起点金额要从低到高 · each band must start above the one before",
};
const REQUIRED = {
  organisation: "请填写录入机构的名称 · enter your organisation's name",
  regionZh: "请填写地区名称 · enter the region's name",
  from: "请填写规则生效日期 · enter the date the rules took effect",
  "source.title": "请填写依据文件的标题 · enter the title of the document you read",
};

let model = emptyRules();
let saveLocal = false;
let timer = 0;
let current = null; // { pack, fields, valid, link }

function el(tag, attrs = {}, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "text") n.textContent = v;
    else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids) n.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return n;
}

// ---- the model, by dotted key ("employee.deductible.level3", "assistance.2.rate")
function get(key) {
  return key.split(".").reduce((o, k) => (o == null ? undefined : o[k]), model);
}
function set(key, value) {
  const ks = key.split(".");
  const last = ks.pop();
  const o = ks.reduce((x, k) => x[k], model);
  o[last] = value;
}

function input(key, attrs = {}) {
  const id = `f-${key.replace(/\./g, "-")}`;
  return el("input", {
    id, "data-field": key, value: get(key) ?? "", autocomplete: "off", spellcheck: "false", ...attrs,
    oninput: (e) => { set(key, e.target.value); changed(); },
  });
}
function labelled(text, key, attrs = {}, hint) {
  return el("label", { for: `f-${key.replace(/\./g, "-")}` }, text, input(key, attrs), hint ? el("small", { class: "help", text: hint }) : "", el("span", { class: "field-error", "data-error-for": key }));
}
function choice(key, options, legend) {
  return el("fieldset", { "data-field": key, id: `f-${key.replace(/\./g, "-")}` }, el("legend", { text: legend }),
    ...options.map(([value, label]) => el("label", {}, el("input", {
      type: "radio", name: key, value, checked: String(get(key)) === value,
      onchange: () => { set(key, value === "true" ? true : value === "false" ? false : value); changed(); },
    }), label)), el("span", { class: "field-error", "data-error-for": key }));
}
const amount = { inputmode: "decimal", placeholder: "元" };
const percent = { inputmode: "decimal", placeholder: "%" };

// ---- the form
function render() {
  $("who").replaceChildren(
    labelled("录入机构 Your organisation", "organisation", { placeholder: "如：某某医院社工部" }),
    labelled("地区名称 Region (中文)", "regionZh", { placeholder: "如：合肥市" }),
    labelled("英文名 Region (English)", "regionEn", { placeholder: "Hefei" }),
    labelled("简称（字母）Short code", "code", { placeholder: "hefei" }, "用于文件名和编号 · used in the file name and id"),
    labelled("规则生效日期 Rules in effect from", "from", { placeholder: "2026-01-01", inputmode: "numeric" }),
  );
  $("source").replaceChildren(
    labelled("文件标题 Title", "source.title", { placeholder: "如：合肥市2026年基本医疗保险待遇宣传册" }),
    labelled("文号 Document number", "source.document", { placeholder: "如：合医保〔2025〕12号" }),
    labelled("网址 Web address", "source.url", { type: "url", placeholder: "https://…（载有这些数字的那一页）" }),
    labelled("发布日期 Published", "source.published", { placeholder: "2025-12-20", inputmode: "numeric" }),
    el("label", { for: "f-source-grade" }, "来源等级 Grade",
      el("select", { id: "f-source-grade", "data-field": "source.grade", onchange: (e) => { set("source.grade", e.target.value); changed(); } },
        ...[["A", "A 政府发布的文件或网页（有文号或政府网址）· official, numbered or on gov.cn"], ["B", "B 医保局宣传册、窗口资料或官方通知的转载 · official leaflet or a repost"], ["C", "C 其他（保险公司、网站整理）· other (insurer, aggregator)"]]
          .map(([v, l]) => el("option", { value: v, text: l, selected: get("source.grade") === v }))),
      el("span", { class: "field-error", "data-error-for": "source.grade" })),
    labelled("有效至 Valid until", "source.until", { placeholder: "留空：直到被新规则替代 · blank: until replaced", inputmode: "numeric" }),
    labelled("复核日期 Check again by", "source.review", { placeholder: "留空：生效一年后 · blank: a year after", inputmode: "numeric" }),
  );
  $("employee").replaceChildren(schemeTable("employee", true), choice("employee.perAdmission", [["true", "每次住院都付起付线 · each admission"], ["false", "一年只付一次 · once a year"]], "起付线 Deductible charged"), labelled("年度最高支付限额（元）Annual cap", "employee.cap", amount, "留空表示文件未写 · blank if the document does not say"));
  $("resident").replaceChildren(schemeTable("resident", false), choice("resident.perAdmission", [["true", "每次住院都付起付线 · each admission"], ["false", "一年只付一次 · once a year"]], "起付线 Deductible charged"), labelled("年度最高支付限额（元）Annual cap", "resident.cap", amount, "留空表示文件未写 · blank if the document does not say"));
  $("large").replaceChildren(labelled("支付比例（%）Rate", "largeExpense.rate", percent), labelled("年度限额（元）Annual cap", "largeExpense.cap", amount));
  renderCritical();
  $("assistance").replaceChildren(el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, el("th", { text: "救助对象 Category" }), el("th", { text: "起付标准（元）Threshold" }), el("th", { text: "救助比例（%）Rate" }), el("th", { text: "年度限额（元）Annual cap" }))),
    el("tbody", {}, ...CATEGORIES.map((c, i) => el("tr", {}, el("th", { scope: "row", text: CATEGORY_NAMES[c] }),
      ...["threshold", "rate", "cap"].map((f) => el("td", {}, input(`assistance.${i}.${f}`, { ...(f === "rate" ? percent : amount), "aria-label": `${CATEGORY_NAMES[c]} ${f}` }), el("span", { class: "field-error", "data-error-for": `assistance.${i}.${f}` }))))))));
}

function schemeTable(scheme, retired) {
  const cols = [["deductible", "起付线（元）Deductible", amount], ["rate", retired ? "在职报销比例（%）Rate, in service" : "报销比例（%）Rate", percent]];
  if (retired) cols.push(["retiredRate", "退休报销比例（%）Rate, retired（留空同在职）", percent]);
  return el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, el("th", { text: "医院级别 Hospital level" }), ...cols.map(([, h]) => el("th", { text: h })))),
    el("tbody", {}, ...LEVELS.map((lv) => el("tr", {}, el("th", { scope: "row", text: LEVEL_NAMES[lv] }),
      ...cols.map(([f, h, attrs]) => el("td", {}, input(`${scheme}.${f}.${lv}`, { ...attrs, "aria-label": `${LEVEL_NAMES[lv]} ${h}` }), el("span", { class: "field-error", "data-error-for": `${scheme}.${f}.${lv}` })))))));
}

function renderCritical() {
  const bands = model.critical.bands;
  $("critical").replaceChildren(
    labelled("起付线（元，一年一次）Threshold, once a year", "critical.threshold", amount),
    choice("critical.measure", [
      ["net", "分段按超过起付线的金额计算（如“起付线以上0–10万元部分”）· bands count the amount above the threshold"],
      ["gross", "分段按全年累计金额计算，含起付线（如“1.5万–10万元部分”）· bands count the year's total, threshold included"],
    ], "分段怎么算 How the bands are measured"),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, el("th", { text: "分段起点（元）Band starts at" }), el("th", { text: "支付比例（%）Rate" }), el("th", {}))),
      el("tbody", {}, ...bands.map((b, i) => el("tr", {},
        el("td", {}, input(`critical.bands.${i}.from`, { ...amount, "aria-label": `分段 ${i + 1} 起点 band ${i + 1} from` }), el("span", { class: "field-error", "data-error-for": `critical.bands.${i}.from` })),
        el("td", {}, input(`critical.bands.${i}.rate`, { ...percent, "aria-label": `分段 ${i + 1} 比例 band ${i + 1} rate` }), el("span", { class: "field-error", "data-error-for": `critical.bands.${i}.rate` })),
        el("td", {}, bands.length > 1 ? el("button", { type: "button", class: "link", text: "删除 remove", onclick: () => { bands.splice(i, 1); renderCritical(); changed(); } }) : ""))))),
    el("button", { type: "button", class: "secondary", text: "增加一段 Add a band", onclick: () => { bands.push({ from: "", rate: "" }); renderCritical(); changed(); } }),
    labelled("年度最高支付限额（元）Annual cap", "critical.cap", amount, "留空表示文件未写 · blank if the document does not say"),
  );
}

// ---- checking and the example
function changed() {
  clearTimeout(timer);
  timer = setTimeout(check, 200);
  persist();
}

function clearMarks() {
  for (const n of document.querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
  for (const n of document.querySelectorAll("[data-error-for]")) n.textContent = "";
}
function mark(key, message) {
  const control = document.querySelector(`[data-field="${key}"]`);
  if (control) control.setAttribute("aria-invalid", "true");
  const slot = document.querySelector(`[data-error-for="${key}"]`);
  if (slot && !slot.textContent) slot.textContent = message;
  return control;
}
function fieldLabel(key) {
  const control = document.querySelector(`[data-field="${key}"]`);
  return control?.getAttribute("aria-label") || control?.closest("label,fieldset")?.firstChild?.textContent?.trim() || key;
}

async function check() {
  clearMarks();
  const problems = [];
  for (const [key, message] of Object.entries(REQUIRED)) if (!String(get(key) ?? "").trim()) problems.push({ key, message });
  const { pack, fields } = toPack(model);
  let valid = false;
  try {
    if (!problems.length) {
      engine.validate(JSON.stringify(pack));
      valid = true;
    }
  } catch (e) {
    for (const p of e.problems?.length ? e.problems : [e]) {
      const key = fieldForPath(fields, p.path || "");
      const plain = EXPLAIN[p.code];
      const message = [HINTS[p.code], plain ? `${plain.zh} · ${plain.en}` : ""].filter(Boolean).join(" — ");
      problems.push({ key, message: message || "这一项有误 · this entry has a problem" });
    }
  }
  current = { pack, fields, valid, link: null };
  const box = $("problems");
  if (problems.length) {
    const list = el("ul");
    for (const p of problems) {
      if (p.key) mark(p.key, p.message);
      list.append(el("li", {}, el("button", { type: "button", class: "link", text: p.key ? fieldLabel(p.key) : "规则 rules", onclick: () => document.querySelector(`[data-field="${p.key}"]`)?.focus() }), ` — ${p.message}`));
    }
    box.replaceChildren(el("div", { class: "problems" }, el("strong", { text: `还有 ${problems.length} 处需要修改 · ${problems.length} thing${problems.length === 1 ? "" : "s"} to fix` }), list));
    $("example").replaceChildren(el("p", { class: "help", text: "修改上面标出的项目后在此试算。 Fix the entries marked to see the example." }));
    $("use").hidden = true;
    return;
  }
  box.replaceChildren(el("p", { class: "ok", text: "✓ 规则有效 The rules are valid" }));
  renderExample(pack);
  try {
    const link = await packShare(pack);
    if (current.pack === pack) {
      current.link = link;
      $("use").href = `./#rules=${link}`;
      $("use").hidden = false;
    }
  } catch { /* no CompressionStream: the file export still works */ }
}

function exampleDate() {
  const from = model.from.trim();
  const now = today();
  return /^\d{4}-\d{2}-\d{2}$/.test(from) && from > now ? from : now;
}

function renderExample(pack) {
  const date = exampleDate();
  const kids = [el("p", { class: "help", text: `${date} 在三级医院住院，费用 ${money("80000", "zh")}（全部为甲类）· an ¥80,000 admission at a level-3 hospital, all class A` })];
  let stamp = null;
  for (const [scheme, group, name] of [["employee", "in_service", "职工医保（在职）Employee, in service"], ["resident", "adult", "城乡居民医保（成年）Resident, adult"]]) {
    const c = { inlinePack: pack, member: { scheme, group, category: "none" }, encounters: [{ date, setting: "inpatient", level: "level3", items: [{ amount: "80000", class: "a" }] }] };
    const box = el("div", { class: "example-scheme", "data-scheme": scheme }, el("h3", { text: name }));
    try {
      const r = engine.estimate(c);
      stamp ||= r.packs.find((p) => p.enteredBy);
      const range = r.range;
      box.append(el("p", { class: "family", "data-family": scheme, text: range && range.low !== range.high ? `${money(range.low, "zh")} – ${money(range.high, "zh")}` : money(r.patient.total, "zh") }));
      box.append(el("p", { class: "help", text: range && range.low !== range.high ? "家庭自付（范围：有的层没有录入规则）· the family pays (a range: some layers have no rules entered)" : "家庭自付 · the family pays" }));
      const ul = el("ul", { class: "layers-paid" });
      for (const l of r.layers) {
        const status = l.outcome?.status || "eligible";
        if (status === "not_enrolled") continue;
        ul.append(el("li", { "data-layer": l.id, text: `${l.name.zh}：${status === "eligible" ? money(l.paid, "zh") : status === "no_rules" ? "未录入规则 no rules entered" : status === "ineligible" ? "不适用 not eligible" : "需要更多信息 needs information"}` }));
      }
      box.append(ul);
    } catch (e) {
      const plain = EXPLAIN[e.code];
      box.append(el("p", { class: "field-error", text: plain ? `${plain.zh} · ${plain.en}` : "无法试算 · the example could not be settled" }));
    }
    kids.push(box);
  }
  if (stamp) kids.push(el("p", { class: "entered", id: "entered", text: `规则由${stamp.enteredBy.organisation}录入，来源：${stamp.enteredBy.sources.join("；")} · Rules entered by ${stamp.enteredBy.organisation}; source: ${stamp.enteredBy.sources.join("; ")}` }));
  $("example").replaceChildren(...kids);
}

// ---- keeping, exporting, importing, sharing
function persist() {
  if (!saveLocal) return;
  try { localStorage.setItem(STORE_KEY, JSON.stringify({ model })); } catch { /* full or blocked */ }
}

function load(m, note) {
  model = m;
  render();
  check();
  if (note) $("share-note").textContent = note;
}

async function importFile(file) {
  const note = $("share-note");
  try {
    const pack = JSON.parse(await file.text());
    const m = fromPack(pack);
    if (!m) {
      note.textContent = "这个文件不是用本页录入的规则，无法在表单中编辑（可在试验场或估算页使用）· this file was not made with this editor and cannot be edited in the form";
      return;
    }
    load(m, `已导入 ${file.name} · imported ${file.name}`);
    persist();
  } catch {
    note.textContent = "无法读取这个文件：它不是有效的 JSON 规则文件 · the file could not be read: it is not a JSON rules file";
  }
}

function wire() {
  $("save-local").addEventListener("change", (e) => {
    saveLocal = e.target.checked;
    if (saveLocal) { persist(); $("save-note").textContent = "已保存在本机 · saved on this device"; }
    else { try { localStorage.removeItem(STORE_KEY); } catch { /* blocked */ } $("save-note").textContent = "不再保存在本机 · no longer saved here"; }
  });
  $("clear-local").addEventListener("click", () => {
    try { localStorage.removeItem(STORE_KEY); } catch { /* blocked */ }
    saveLocal = false;
    $("save-local").checked = false;
    $("save-note").textContent = "已清除本机保存的规则 · what was saved here is cleared";
  });
  $("export").addEventListener("click", () => {
    if (!current?.valid) { $("share-note").textContent = "请先修改标出的项目 · fix the entries marked first"; return; }
    const blob = new Blob([JSON.stringify(current.pack, null, 2) + "\n"], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: `${current.pack.id}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    $("share-note").textContent = `已导出 ${current.pack.id}.json · exported`;
  });
  $("import").addEventListener("change", (e) => { const f = e.target.files?.[0]; if (f) importFile(f); e.target.value = ""; });
  $("share").addEventListener("click", async () => {
    if (!current?.valid || !current.link) { $("share-note").textContent = "请先修改标出的项目 · fix the entries marked first"; return; }
    const url = new URL(`rules.html#r=${current.link}`, location.href).href;
    const out = $("share-url");
    out.value = url;
    out.hidden = false;
    try { await navigator.clipboard.writeText(url); $("share-note").textContent = "链接已复制：同事打开后即可看到并修改这些规则 · link copied: a colleague who opens it gets these rules"; }
    catch { out.select(); $("share-note").textContent = "请复制上面的链接 · copy the link above"; }
  });
}

async function start() {
  try {
    await engine.init();
  } catch {
    $("problems").textContent = "无法加载计算引擎，请刷新页面 · the engine could not be loaded: reload the page";
    return;
  }
  namesFrom(engine.listPacks().find((p) => p.id === "cn-national"));
  let note = "";
  try {
    const saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    if (saved?.model) { model = { ...emptyRules(), ...saved.model }; saveLocal = true; $("save-local").checked = true; }
  } catch { /* no storage */ }
  const m = location.hash.match(/^#r=(.+)$/);
  if (m) {
    try {
      const shared = fromPack(await unpackShare(m[1]));
      if (shared) { model = shared; note = "已打开分享的规则 · opened the shared rules"; }
      else note = "分享链接里的规则无法在表单中打开 · the shared rules cannot be opened in the form";
    } catch { note = "分享链接已损坏，请向对方重新索取 · the share link is damaged: ask for it again"; }
  }
  wire();
  render();
  if (note) $("share-note").textContent = note;
  await check();
  document.documentElement.dataset.ready = "true";
}

start();
