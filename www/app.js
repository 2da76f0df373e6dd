// tiercost page: describe the situation and the cost, see what is left to pay after every
// layer, why, and what to apply for; compare scenarios, share, save, print. Plain ES module.
// The engine does all money arithmetic; this file moves strings between the form and the
// engine and formats what it returns (lib/format.js). User and pack text is written with
// textContent only.

import * as engine from "./pkg/index.js";
import { money, rate, text, isZero, compareDecimal, today } from "./lib/format.js";
import { t as tr, STRINGS } from "./lib/strings.js";
import { stepSentence, settlementSummary, sourceLine, unId, fill } from "./lib/explain.js";
import { pack as packShare, unpack as unpackShare } from "./lib/share.js";
import { parseAmount, parsePercent, parseCount, inputMessage } from "./lib/amount.js";
import { errorSentence } from "./lib/errors.js";
import { buildCase as buildCaseOf, SPLITS, AGE, HOUSEHOLD, isShare } from "./lib/case.js";
import { TERMS, entry as glossaryEntry } from "./lib/glossary.js";
// Loaded when first needed, not on the first visit's critical path: ./lib/csv.js (a pasted
// bill), ./lib/rules-form.js (rules saved by the rules editor) and ./plan.js (the plan view:
// a year of treatment, aid needed, help available; imported right after the first answer).

const STORE_KEY = "tiercost.cases.v1";
const ELDER_KEY = "tiercost.elder.v1"; // "1" once the family asked the device to remember large text
const RULES_KEY = "tiercost.rules.v1"; // what the rules editor (rules.html) saved, when it was asked to

const st = {
  lang: (navigator.languages || [navigator.language]).some((l) => /^zh/i.test(l)) ? "zh" : "en",
  cases: [],
  current: 0,
  packs: [],
  versions: null,
  planning: null, // promise of the planning module
  engineReady: false, // the engine is in and the form has its rules (start())
  result: null,
  shared: null, // {engine, data, result} from a share link whose versions differ
  saveLocal: false,
  elder: false, // 适老化: large type, high contrast, the essentials only, plain wording
};
// In 适老化 (large text) mode the plain wording of STRINGS[lang].plain wins where it has one.
const t = (key, vars) => {
  const plain = st.elder ? STRINGS[st.lang].plain?.[key] : undefined;
  return plain ? plain.replace(/\{(\w+)\}/g, (_, k) => vars?.[k] ?? `{${k}}`) : tr(st.lang, key, vars);
};
const L = (obj) => text(obj, st.lang);
const M = (d) => money(d, st.lang);
const $ = (id) => document.getElementById(id);

// ---- tiny DOM helper: attributes and children; strings become text nodes
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== "string") e[k] = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) e.append(k);
  return e;
}
let uid = 0;
const nid = (p) => `${p}-${++uid}`;
// A tap-to-open explanation of a term (lib/glossary.js) beside the word: a button and its
// popover (the platform's own: light dismiss, Esc, focus handling; no script to open it).
function glossary(id) {
  const g = glossaryEntry(id, st.lang);
  const pop = nid("g");
  return el("span", { class: "term-wrap" },
    el("button", { type: "button", class: "term", popovertarget: pop, "aria-label": `${t("glossaryOpen")} ${g.term}`, "data-term": id, text: "?" }),
    el("div", { id: pop, popover: "auto", class: "glossary-pop", role: "note" }, el("strong", { text: g.term }), el("p", { text: g.text })));
}
function field(label, control, hint) {
  const id = control.id || (control.id = nid("f"));
  const errId = `${id}-err`;
  control.setAttribute("aria-describedby", errId);
  const hintEl = typeof hint === "string" ? el("span", { class: "hint", text: hint }) : hint || null;
  return el("div", { class: "field" }, el("label", { for: id, text: label }), hintEl, control, el("span", { class: "field-error", id: errId, "aria-live": "polite" }));
}
function select(options, value, onchange, attrs = {}) {
  const s = el("select", { ...attrs, onchange: (e) => onchange(e.target.value) });
  for (const o of options) s.append(el("option", { value: o.value, text: o.label }));
  s.value = value ?? options[0]?.value ?? "";
  return s;
}
function input(value, oninput, attrs = {}) {
  return el("input", { type: "text", value: value ?? "", ...attrs, oninput: (e) => oninput(e.target.value) });
}

// ---- case state
function defaultEncounter(pack) {
  // The date of care defaults to today (the widget does the same): an estimate is for care now.
  // The bill starts empty: the first number a family sees is for their own bill.
  const levels = pack?.levels || [];
  return { date: today(), setting: "inpatient", level: levels.at(-1)?.id || "", locality: "in_region", filed: "", referred: "", mode: "quick", total: "", split: "unknown", ooc: "", custom: { a: "", b: "", c: "" }, items: [{ description: "", class: "a", amount: "" }] };
}
function defaultCase(n) {
  // Beijing: both schemes' basic rules compute there (policies/README.md, What ships)
  const pack = st.packs.find((p) => p.id === "cn-beijing") || st.packs.find((p) => p.kind === "region");
  const scheme = pack?.schemes.find((s) => s.id === "resident") || pack?.schemes[0];
  return { name: "", n, pack: pack?.id, scheme: scheme?.id, group: scheme?.groups[0]?.id, age: "", category: "none", householdSize: "", householdIncome: "", enrolments: [], programmes: [], encounters: [defaultEncounter(pack)] };
}
// A case from a share link or from storage, reduced to the fields the page uses, each of the
// type it expects; anything else is dropped. A crafted link or a stale store then cannot
// break the page (its text is shown as text either way).
const asStr = (v, d = "") => (typeof v === "string" ? v : d);
const asList = (v) => (Array.isArray(v) ? v : []);
const isObj = (v) => !!v && typeof v === "object" && !Array.isArray(v);
const strings = (v) => asList(v).filter((x) => typeof x === "string");
function pickStrings(raw, d, keys) {
  const out = {};
  for (const k of keys) out[k] = asStr(raw[k], d[k] ?? "");
  return out;
}
function normaliseItem(i) {
  const it = { description: asStr(i.description), class: ["a", "b", "c"].includes(i.class) ? i.class : "a", amount: asStr(i.amount) };
  if (typeof i.code === "string" && i.code) it.code = i.code;
  if (typeof i.quantity === "string" && i.quantity) it.quantity = i.quantity;
  return it;
}
function normaliseEncounter(raw, d) {
  const e = { ...d, ...pickStrings(raw, d, ["date", "setting", "level", "locality", "total", "split", "ooc"]) };
  // 备案 and 转诊: "yes", "no" or "" (not known); older saved cases kept a boolean.
  const tri = (v) => (v === true || v === "yes" ? "yes" : v === "no" ? "no" : "");
  e.filed = tri(raw.filed);
  e.referred = tri(raw.referred);
  e.mode = raw.mode === "items" ? "items" : "quick";
  e.custom = pickStrings(isObj(raw.custom) ? raw.custom : {}, d.custom, ["a", "b", "c"]);
  const items = asList(raw.items).filter(isObj).map(normaliseItem);
  e.items = items.length ? items : structuredClone(d.items);
  return e;
}
const COURSE_FIELDS = {
  drug: ["code", "description", "class", "unitPrice", "unitsPerMonth"],
  admissions: ["count", "each", "split", "level"],
  visits: ["perMonth", "each", "split", "setting", "level"],
};
function normalisePlan(raw) {
  if (!isObj(raw)) return undefined;
  const courses = asList(raw.courses)
    .filter((k) => isObj(k) && COURSE_FIELDS[k.kind])
    .map((k) => ({ kind: k.kind, ...pickStrings(k, {}, COURSE_FIELDS[k.kind]) }));
  return { ...pickStrings(raw, {}, ["start", "months", "target"]), courses };
}
function normaliseCase(raw, n) {
  const d = defaultCase(n);
  if (!isObj(raw)) return d;
  const c = { ...d, ...pickStrings(raw, d, ["name", "pack", "scheme", "group", "age", "category", "householdSize", "householdIncome"]) };
  c.n = Number.isSafeInteger(raw.n) && raw.n > 0 ? raw.n : n;
  if (raw.pinned === true) c.pinned = true; // pinned for the side-by-side comparison (scenarios.js)
  c.enrolments = strings(raw.enrolments);
  c.programmes = strings(raw.programmes);
  const encounters = asList(raw.encounters).filter(isObj).map((e) => normaliseEncounter(e, d.encounters[0]));
  if (encounters.length) c.encounters = encounters;
  const plan = normalisePlan(raw.plan);
  if (plan) c.plan = plan;
  if (!packOf(c)) Object.assign(c, { pack: d.pack, scheme: d.scheme, group: d.group });
  return c;
}

const cur = () => st.cases[st.current];
const packOf = (c) => st.packs.find((p) => p.id === c.pack);


/**
 * What the form holds that cannot be read as typed, each at its field's path: [{ path, error }]
 * (error: a refusal for inputMessage()). The engine is not asked while there are any, and the
 * answer on screen is marked out of date.
 */
function inputProblems(c) {
  const out = [];
  const check = (path, r) => { if (!r.ok) out.push({ path, error: r }); };
  check("$.member.age", parseCount(c.age, AGE));
  check("$.member.householdSize", parseCount(c.householdSize, HOUSEHOLD));
  check("$.member.householdIncome", parseAmount(c.householdIncome));
  c.encounters.forEach((e, i) => {
    const P = `$.encounters[${i}]`;
    if (e.mode === "quick") {
      check(`${P}.total`, parseAmount(e.total, { required: true, bill: true }));
      if (e.split === "custom") for (const [k, key] of [["a", "classA"], ["b", "classB"], ["c", "classC"]]) check(`${P}.split.${key}`, parsePercent(e.custom[k]));
      if (e.split === "ooc") check(`${P}.outOfCatalogue`, isShare(e.ooc) ? parsePercent(e.ooc) : parseAmount(e.ooc, { required: true }));
    } else {
      e.items.forEach((it, j) => check(`${P}.items[${j}].amount`, parseAmount(it.amount, { required: true })));
    }
  });
  return out;
}

// The case document (lib/case.js, shared with the widget): the pack's own rules when an
// organisation entered them (rules.html); `splitFor` replaces an unknown split when the pack
// has no typical one.
function buildCase(c, splitFor) {
  const pack = packOf(c);
  return buildCaseOf({ ...c, inlinePack: pack?.custom }, { hasTypicalSplit: !!pack?.hasTypicalSplit, splitFor });
}
const splitUnknownWithoutTypical = (c) => !packOf(c)?.hasTypicalSplit && c.encounters.some((e) => e.mode === "quick" && (e.split === "unknown" || e.split === "ooc"));

// ---- persistence (opt-in)
function persist() {
  if (!st.saveLocal) return;
  try { localStorage.setItem(STORE_KEY, JSON.stringify({ cases: st.cases, current: st.current, lang: st.lang })); } catch { /* storage full or blocked */ }
}
// A pinned case's column in the side-by-side follows its edits (scenarios.js, debounced).
function changed() { persist(); scheduleEstimate(); if (cur()?.pinned) scenarios().then((v) => v.refresh()); }
let timer = 0;
// While typing, the answer follows a quarter-second after the last keystroke; the very first
// answer (none on screen yet) is not made to wait.
function scheduleEstimate() { clearTimeout(timer); timer = setTimeout(runEstimate, st.result ? 250 : 0); }

// ---- static text
function renderStatic() {
  document.documentElement.lang = st.lang === "zh" ? "zh-CN" : "en";
  document.title = `tiercost · ${t("title")}`;
  for (const n of document.querySelectorAll("[data-t]")) n.textContent = t(n.dataset.t);
  for (const n of document.querySelectorAll("[data-glossary]")) n.append(" ", glossary(n.dataset.glossary));
  $("glossary-list").replaceChildren(...TERMS.flatMap((id) => { const g = glossaryEntry(id, st.lang); return [el("dt", { text: g.term }), el("dd", { text: g.text })]; }));
  const elder = $("elder");
  elder.textContent = t(st.elder ? "elderOff" : "elderOn");
  elder.setAttribute("aria-pressed", String(!!st.elder));
  const b = $("lang");
  b.textContent = t("otherLang");
  b.lang = st.lang === "zh" ? "en" : "zh-CN";
  if (st.versions) $("versions").textContent = t("versions", st.versions);
  $("save-local").checked = st.saveLocal;
}

// ---- cases bar
function renderCases() {
  const s = $("case-select");
  s.replaceChildren(...st.cases.map((c, i) => el("option", { value: String(i), text: c.name || t("caseDefault", { n: c.n }) })));
  s.value = String(st.current);
  $("case-name").value = cur().name;
  $("delete-case").disabled = st.cases.length < 2;
  $("pin-case").checked = !!cur().pinned;
  // With several cases (scenarios), the form says which one it is showing.
  const editing = $("editing-case");
  editing.hidden = st.cases.length < 2;
  editing.textContent = t("editingCase", { name: nameOf(cur()) });
}
const nameOf = (c) => c.name || t("caseDefault", { n: c.n });

// ---- the situation form
function renderSituation() {
  const c = cur();
  const pack = packOf(c);
  const box = $("situation-fields");
  const regions = st.packs.filter((p) => p.kind === "region");
  const programmes = st.packs.filter((p) => p.kind === "programme");
  const scheme = pack?.schemes.find((s) => s.id === c.scheme);
  const kids = [];
  kids.push(field(t("pack"), select(regions.map((p) => ({ value: p.id, label: p.custom ? `${L(p.name)}（${t("enteredTag")}）` : `${L(p.name)} (${p.id})` })), c.pack, (v) => {
    c.pack = v; const p = packOf(c); const sc = p.schemes.find((s) => s.id === c.scheme) || p.schemes[0];
    c.scheme = sc.id; if (!sc.groups.some((g) => g.id === c.group)) c.group = sc.groups[0]?.id;
    c.enrolments = c.enrolments.filter((id) => p.layers.some((l) => l.id === id));
    for (const e of c.encounters) { if (!p.levels.some((l) => l.id === e.level)) e.level = p.levels.at(-1)?.id || ""; if (e.date < p.rulesAsOf && p.coversFrom && e.date < p.coversFrom) e.date = p.coversFrom; }
    renderForm(); changed();
  }, { id: "pack", "data-path": "$.pack" })));
  if (pack) kids.push(el("p", { class: "note", id: "pack-note", text: (pack.custom ? `${t("packEntered", { org: pack.enteredBy })} · ` : "") + t("packNote", { date: pack.rulesAsOf, version: pack.version, grade: pack.lowestGrade || "—" }) + (pack.coversFrom ? t("packCovers", { date: pack.coversFrom }) : "") }, " ", glossary("grades")));
  kids.push(el("p", { class: "note no-print" }, el("a", { href: "rules.html", id: "rules-editor-link", text: t("rulesEditorLink") })));
  kids.push(field(t("scheme"), select((pack?.schemes || []).map((s) => ({ value: s.id, label: L(s.name) })), c.scheme, (v) => {
    c.scheme = v; const sc = pack.schemes.find((s) => s.id === v); c.group = sc.groups[0]?.id; renderForm(); changed();
  }, { id: "scheme", "data-path": "$.member.scheme" })));
  kids.push(field(t("group"), select((scheme?.groups || []).map((g) => ({ value: g.id, label: L(g.name) })), c.group, (v) => { c.group = v; changed(); }, { id: "group", "data-path": "$.member.group" })));
  kids.push(field(t("category"), select([{ value: "", label: t("categoryUnknown") }, { value: "none", label: t("categoryNone") }, ...(pack?.categories || []).map((k) => ({ value: k.id, label: L(k.name) }))], c.category, (v) => { c.category = v; changed(); }, { id: "category", "data-path": "$.member.category" })));
  kids.push(field(t("age"), input(c.age, (v) => { c.age = v.trim(); changed(); }, { id: "age", inputmode: "numeric", "data-path": "$.member.age" })));
  kids.push(field(t("householdSize"), input(c.householdSize, (v) => { c.householdSize = v.trim(); changed(); }, { id: "household-size", inputmode: "numeric", "data-path": "$.member.householdSize" })));
  kids.push(field(t("householdIncome"), input(c.householdIncome, (v) => { c.householdIncome = v.trim(); changed(); }, { id: "household-income", inputmode: "decimal", "data-path": "$.member.householdIncome" })));
  const products = (pack?.layers || []).filter((l) => l.enrol);
  if (products.length) {
    kids.push(el("fieldset", { "data-path": "$.member.enrolments" }, el("legend", { text: t("enrolments") }),
      ...products.map((l) => el("label", { class: "check" }, el("input", { type: "checkbox", checked: c.enrolments.includes(l.id), value: l.id, onchange: (e) => {
        c.enrolments = e.target.checked ? [...c.enrolments, l.id] : c.enrolments.filter((x) => x !== l.id); changed();
      } }), ` ${L(l.name)}${l.premium ? ` (${t("premium", { amount: M(l.premium) })})` : ""}`))));
  }
  if (programmes.length) {
    kids.push(el("details", { class: "programmes", open: c.programmes.length > 0 }, el("summary", { text: `${t("programmes")} (${programmes.length})` }), el("fieldset", { "data-path": "$.programmes" }, el("legend", { class: "sr-only", text: t("programmes") }),
      ...programmes.map((p) => el("label", { class: "check" }, el("input", { type: "checkbox", checked: c.programmes.includes(p.id), value: p.id, onchange: (e) => {
        c.programmes = e.target.checked ? [...c.programmes, p.id] : c.programmes.filter((x) => x !== p.id); changed();
      } }), ` ${L(p.name)}`)))));
  }
  keepFocus(box, () => box.replaceChildren(...kids));
}

// Re-rendering part of the form puts the focus back where it was: on the control with the same
// data-path (or data-focus), else on the control now at the same place, so a keyboard user is
// never sent back to the top of the page.
const FOCUSABLE = "input, select, textarea, button, summary, [tabindex]";
function keepFocus(box, render) {
  const a = document.activeElement;
  const inside = !!a && a !== box && box.contains(a);
  const key = inside ? a.dataset.path || a.dataset.focus : null;
  const at = inside ? [...box.querySelectorAll(FOCUSABLE)].indexOf(a) : -1;
  render();
  if (!inside || box.contains(document.activeElement)) return;
  const all = [...box.querySelectorAll(FOCUSABLE)].filter((n) => !n.disabled);
  const again = (key && all.find((n) => n.dataset.path === key || n.dataset.focus === key)) || all[Math.min(Math.max(at, 0), all.length - 1)];
  again?.focus({ preventScroll: true });
}

// ---- the cost: encounters
function renderCost() {
  const c = cur();
  const pack = packOf(c);
  const list = $("encounters");
  keepFocus(list, () => list.replaceChildren(...c.encounters.map((e, i) => renderEncounter(c, pack, e, i))));
}

function renderEncounter(c, pack, e, i) {
  const P = `$.encounters[${i}]`;
  const box = el("fieldset", { class: "encounter", "data-encounter": String(i) }, el("legend", { text: t("encounter", { n: i + 1 }) }));
  // The bill first: what the family knows best, and what the answer is for.
  if (e.mode === "quick") {
    const q = el("div", { class: "row bill-row" });
    q.append(field(t("total"), input(e.total, (v) => { e.total = v; changed(); }, { inputmode: "decimal", "data-path": `${P}.total`, class: "total", placeholder: t("totalPlaceholder") })));
    q.append(field(t("split"), select(["unknown", "ooc", "a70", "a50", "a40", "custom"].map((s) => ({ value: s, label: t(s === "unknown" ? "splitUnknown" : s === "ooc" ? "splitOoc" : `split${s[0].toUpperCase()}${s.slice(1)}`) })), e.split, (v) => { e.split = v; renderCost(); changed(); }, { "data-path": `${P}.split`, class: "split" }), glossary("classes")));
    box.append(q);
    if (e.split === "custom") {
      const cs = el("div", { class: "row" });
      for (const [k, key] of [["a", "classA"], ["b", "classB"], ["c", "classC"]]) cs.append(field(t(key), input(e.custom[k], (v) => { e.custom[k] = v; changed(); }, { inputmode: "decimal", "data-path": `${P}.split.${key}` })));
      box.append(cs);
    }
    if (e.split === "ooc") {
      box.append(field(t("oocLabel"), input(e.ooc, (v) => { e.ooc = v; changed(); }, { inputmode: "decimal", "data-path": `${P}.outOfCatalogue`, class: "ooc" }), t("oocHint")));
    }
  } else {
    box.append(renderItems(e, P));
  }
  const modeName = nid("mode");
  box.append(el("fieldset", { class: "mode elder-hide" }, el("legend", { text: t("mode") }),
    ...["quick", "items"].map((m) => el("label", { class: "check" }, el("input", { type: "radio", name: modeName, value: m, "data-focus": `${P}.mode.${m}`, checked: e.mode === m, onchange: () => { e.mode = m; renderCost(); changed(); } }), ` ${t(m === "quick" ? "modeQuick" : "modeItems")}`))));
  const row = el("div", { class: "row" });
  row.append(field(t("setting"), select(["inpatient", "outpatient", "chronic", "pharmacy"].map((s) => ({ value: s, label: t(s) })), e.setting, (v) => { e.setting = v; changed(); }, { "data-path": `${P}.setting` })));
  row.append(field(t("level"), select((pack?.levels || []).map((l) => ({ value: l.id, label: L(l.name) })), e.level, (v) => { e.level = v; changed(); }, { "data-path": `${P}.level`, class: "level" })));
  row.append(field(t("date"), el("input", { type: "date", value: e.date, "data-path": `${P}.date`, oninput: (ev) => { e.date = ev.target.value; changed(); } })));
  row.append(field(t("locality"), select(["in_region", "in_province", "out_of_province"].map((s) => ({ value: s, label: t(s) })), e.locality, (v) => { e.locality = v; renderCost(); changed(); }, { "data-path": `${P}.locality` })));
  box.append(row);
  if (e.locality !== "in_region") {
    const tri = (key, v, set, path, term) => field(t(key), select([{ value: "", label: t("notKnown") }, { value: "yes", label: t("optYes") }, { value: "no", label: t("optNo") }], v, (x) => { set(x); changed(); }, { "data-path": path }), term ? glossary(term) : null);
    box.append(el("div", { class: "row" },
      tri("filed", e.filed, (x) => { e.filed = x; }, `${P}.filed`, "filing"),
      tri("referred", e.referred, (x) => { e.referred = x; }, `${P}.referred`)));
  }
  if (cur().encounters.length > 1) box.append(el("button", { type: "button", class: "secondary", "data-focus": `${P}.remove`, text: t("removeEncounter"), onclick: () => { cur().encounters.splice(i, 1); renderCost(); changed(); } }));
  return box;
}

function renderItems(e, P) {
  const wrap = el("div", { class: "items" });
  const table = el("table", { class: "items-table" }, el("caption", { text: t("items") }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("description") }), el("th", { scope: "col", text: t("itemClass") }), el("th", { scope: "col", text: t("amount") }), el("th", { scope: "col" }, el("span", { class: "sr-only", text: t("removeItem", { n: "" }) })))));
  const body = el("tbody");
  e.items.forEach((it, j) => {
    const ip = `${P}.items[${j}]`;
    const errId = nid("err");
    body.append(el("tr", {},
      el("td", {}, input(it.description, (v) => { it.description = v; changed(); }, { "aria-label": `${t("description")} ${j + 1}`, "data-path": `${ip}.description` })),
      el("td", {}, select([["a", "clsA"], ["b", "clsB"], ["c", "clsC"]].map(([v, k]) => ({ value: v, label: t(k) })), it.class, (v) => { it.class = v; changed(); }, { "aria-label": `${t("itemClass")} ${j + 1}`, "data-path": `${ip}.class` })),
      el("td", {}, input(it.amount, (v) => { it.amount = v; changed(); }, { "aria-label": `${t("amount")} ${j + 1}`, inputmode: "decimal", "data-path": `${ip}.amount`, "aria-describedby": errId, class: "amount" }), el("span", { class: "field-error", id: errId })),
      el("td", {}, el("button", { type: "button", class: "icon", "data-focus": `${ip}.remove`, "aria-label": t("removeItem", { n: j + 1 }), text: "×", onclick: () => { e.items.splice(j, 1); if (!e.items.length) e.items.push({ description: "", class: "a", amount: "" }); renderCost(); changed(); } }))));
  });
  table.append(body);
  wrap.append(el("div", { class: "scroll" }, table));
  wrap.append(el("button", { type: "button", class: "secondary add-item", "data-focus": `${P}.addItem`, text: t("addItem"), onclick: () => { e.items.push({ description: "", class: "a", amount: "" }); renderCost(); } }));
  // paste a bill
  const ta = el("textarea", { rows: 4, class: "paste" });
  const mapBox = el("div", { class: "paste-map" });
  wrap.append(field(t("paste"), ta), el("button", { type: "button", class: "secondary paste-read", text: t("pasteRead"), onclick: async () => {
    const { parseTable, guessColumns, toItems } = await import("./lib/csv.js");
    const { header, rows, lines, problems: widths } = parseTable(ta.value);
    if (!rows.length) { mapBox.replaceChildren(el("p", { class: "error", text: t("pasteNone") })); return; }
    // A line whose cells do not line up (an unquoted 8,000) is said with its line number, never
    // read into another amount.
    if (widths.length) {
      mapBox.replaceChildren(el("div", { class: "error", role: "alert" }, el("p", { text: t("pasteProblems", { n: widths.length }) }), el("ul", { class: "paste-problems" }, ...widths.map((w) => el("li", { text: t("pasteLineWidth", w) })))));
      return;
    }
    const guess = guessColumns(header, rows);
    const n = Math.max(header?.length || 0, ...rows.map((r) => r.length));
    const roles = ["ignore", "description", "class", "amount", "code", "quantity"];
    const colRole = Array.from({ length: n }, (_, j) => Object.keys(guess).find((k) => guess[k] === j) || "ignore");
    const selects = colRole.map((role, j) => field(`${t("column", { n: j + 1 })}${header?.[j] ? ` (${header[j]})` : rows[0][j] ? ` (${rows[0][j]})` : ""}`,
      select(roles.map((r) => ({ value: r, label: t(`col${r[0].toUpperCase()}${r.slice(1)}`) })), role, (v) => { colRole[j] = v; }, { class: "col-role" })));
    mapBox.replaceChildren(el("p", { text: t("pasteMap") }), el("div", { class: "row" }, ...selects),
      el("button", { type: "button", class: "paste-use", text: t("pasteUse", { n: rows.length }), onclick: () => {
        const mapping = { description: -1, class: -1, amount: -1, code: -1, quantity: -1 };
        colRole.forEach((r, j) => { if (r in mapping && mapping[r] < 0) mapping[r] = j; });
        const read = toItems(rows, mapping, lines);
        if (read.problems.length) {
          mapBox.append(el("div", { class: "error", role: "alert" }, el("p", { text: t("pasteProblems", { n: read.problems.length }) }),
            el("ul", { class: "paste-problems" }, ...read.problems.map((q) => el("li", { text: t("pasteCell", { line: q.line, column: q.column, msg: inputMessage(q.error, st.lang) }) })))));
          return;
        }
        e.items = read.items.map((i) => ({ description: i.description || "", class: i.class, amount: i.amount, code: i.code, quantity: i.quantity }));
        renderCost(); changed();
      } }));
  } }), mapBox);
  return wrap;
}

let planView = null; // set in start() (www/plan.js)
// The printed handout (www/handout.js), loaded after the first answer like the plan view.
let handoutView = null;
async function handout() {
  if (!handoutView) {
    const { initHandout } = await import("./handout.js");
    handoutView ??= initHandout({ st, t, L, M, el, packOf, cur, shareUrl, sharePayload, isStale: () => $("result").classList.contains("stale"),
      helpAvailable: async () => { await planning(); return engine.helpAvailable(buildCase(cur())); } });
    handoutView.update();
  }
  return handoutView;
}
function renderForm() { renderCases(); renderSituation(); renderCost(); planView?.render(); }

// ---- errors at fields
function clearErrors() {
  for (const n of document.querySelectorAll("[aria-invalid=true]")) n.removeAttribute("aria-invalid");
  for (const n of document.querySelectorAll(".field-error")) n.textContent = "";
  $("form-error").textContent = "";
}
// Marks the form field whose data-path is the longest prefix of `path` and writes `msg` under
// it; false when no field shows that path.
function placeAt(path, msg) {
  let best = null;
  for (const n of document.querySelectorAll("[data-path]")) {
    const dp = n.dataset.path;
    if (path === dp || path.startsWith(`${dp}.`) || path.startsWith(`${dp}[`)) if (!best || dp.length > best.dataset.path.length) best = n;
  }
  if (!best) return false;
  best.setAttribute("aria-invalid", "true");
  const errEl = document.getElementById(best.getAttribute("aria-describedby")?.split(" ")[0] || "");
  if (errEl) errEl.textContent = msg;
  return true;
}
// What could not be read as typed (inputProblems()), each said at its field in the reader's
// words; the form's summary names the first.
function showInputProblems(problems) {
  for (const p of problems) placeAt(p.path, inputMessage(p.error, st.lang));
  $("form-error").textContent = problems.length > 1 ? t("inputProblems", { n: problems.length, first: inputMessage(problems[0].error, st.lang) }) : inputMessage(problems[0].error, st.lang);
}
// An engine error: the sentence for its code (lib/errors.js) at each field it names; never the
// engine's own text. The code stays visible in brackets for whoever helps the family.
function showError(e) {
  const problems = e.problems?.length ? e.problems : [e];
  let placed = false;
  for (const p of problems) placed = placeAt(p.path || e.path || "", `${errorSentence(p.code || e.code, st.lang)} (${p.code || e.code})`) || placed;
  $("form-error").textContent = `${errorSentence(e.code, st.lang)} (${e.code})`;
  if (!placed && e.path && e.path !== "$") $("form-error").textContent += ` · ${e.path}`;
}

// The answer on screen is for the inputs as they were: when they change into something that
// cannot be estimated, it is greyed and says so (never shown as the current answer).
function markStale(stale) {
  $("result").classList.toggle("stale", stale);
  $("stale-note").hidden = !stale;
  $("sticky-answer").classList.toggle("stale", stale);
  $("sticky-stale").hidden = !stale;
  if (stale) $("live").textContent = t("staleNote");
}
// Before the family has entered a bill: an inviting empty state, not someone else's example.
function showEmpty(empty) {
  $("empty-state").hidden = !empty;
  if (empty) { $("result").hidden = true; $("sticky-answer").hidden = true; }
}
const hasNoBill = (c) => c.encounters.every((e) => (e.mode === "quick" ? String(e.total).trim() === "" : e.items.every((i) => String(i.amount).trim() === "")));

// ---- estimate
// `asked`: the family pressed 估算 (an empty bill is then a request to fill it in, not the
// inviting empty state).
async function runEstimate(asked = false) {
  if (!st.engineReady) {
    // start() estimates once the engine is in; meanwhile a bill typed on a slow phone is
    // acknowledged where the answer will appear.
    if (!hasNoBill(cur())) { $("sticky-amount").textContent = t("computing"); $("sticky-answer").hidden = false; }
    return;
  }
  const c = cur();
  clearErrors();
  if (hasNoBill(c) && !asked && !st.result) { showEmpty(true); return; }
  const problems = inputProblems(c);
  if (problems.length) {
    showInputProblems(problems);
    if (st.result) markStale(true);
    return;
  }
  showEmpty(false);
  let r;
  try {
    r = engine.estimate(buildCase(c));
  } catch (e) {
    if (e.fatal) { $("form-error").textContent = t("crashed"); await engine.ready(); return; }
    showError(e);
    if (st.result) markStale(true);
    $("result").setAttribute("aria-busy", "false");
    return;
  }
  markStale(false);
  // The family's share is a range when the engine says so (a layer without rules, an input
  // missing, 异地 care the rules do not state) and when the bill's split is unknown: the
  // page shows the widest of them, and never a single number while one exists.
  const lowOf = (x) => x.range?.low ?? x.patient.total;
  const highOf = (x) => x.range?.high ?? x.patient.total;
  // A split range alone keeps the typical-split figure as the headline, with the range beside it.
  let range = r.range ? { low: r.range.low, high: r.range.high, split: false, layers: true } : null;
  if (splitUnknownWithoutTypical(c)) {
    try {
      const lo = engine.estimate(buildCase(c, "a70"), { detail: "totals" });
      const hi = engine.estimate(buildCase(c, "a40"), { detail: "totals" });
      const lows = [lowOf(lo), lowOf(hi), lowOf(r)].sort(compareDecimal);
      const highs = [highOf(lo), highOf(hi), highOf(r)].sort(compareDecimal);
      range = { low: lows[0], high: highs[2], split: true, layers: !!r.range };
    } catch { /* the main estimate stands */ }
  }
  st.result = r;
  st.range = range;
  renderResult();
  document.documentElement.dataset.estimated = String(Number(document.documentElement.dataset.estimated || 0) + 1);
}

// The glossary entry explaining a layer of this kind, beside its name in the table.
const LAYER_TERMS = { critical_illness: "critical", large_expense: "critical", assistance: "assistance" };
const PATTERNS = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];

function renderResult() {
  const r = st.result;
  if (!r) return;
  const c = cur();
  $("result").hidden = false;
  const span = st.range?.layers && compareDecimal(st.range.low, st.range.high) !== 0 ? fill("amount.range", st.lang, { low: M(st.range.low), high: M(st.range.high) }) : null;
  const answer = span ?? M(r.patient.total);
  const undecided = r.range?.undecided || [];
  $("answer-amount").textContent = answer;
  $("answer-amount").classList.toggle("is-range", !!span);
  $("answer-of").textContent = span ? t("ofBillRange", { total: M(r.total) }) : t("ofBill", { total: M(r.total), covered: M(r.covered) });
  const notes = [];
  if (undecided.length) {
    const names = undecided.map((u) => L(u.name)).join(t("listSep"));
    notes.push(el("p", { class: "undecided-lead", text: fill(span ? "undecided.lead" : "undecided.leadSame", st.lang, { layers: names, range: answer }) }));
    notes.push(el("ul", { class: "undecided" }, ...undecided.map((u) => el("li", { "data-layer": u.layer, "data-status": u.status }, el("strong", { text: `${L(u.name)}：` }), L(u.what),
      u.status === "needs_information" && fieldFor(u.input) ? el("button", { type: "button", class: "linklike no-print", text: t("goToField", { field: inputLabel(u.input) }), onclick: () => { const f = fieldFor(u.input); f.scrollIntoView({ block: "center" }); f.focus(); } }) : null))));
    notes.push(el("p", { class: "note", text: [fill("undecided.ends", st.lang, {}), undecided.some((u) => u.nationalFloor) ? fill("undecided.nationalFloor", st.lang, {}) : "", undecided.some((u) => u.status === "no_rules") ? fill("undecided.askWhere", st.lang, {}) : ""].filter(Boolean).join(st.lang === "zh" ? "" : " ") }));
  }
  if (st.range?.split) notes.push(el("p", { class: "note", text: `${t("splitNoTypical")} ${t("splitRange", { low: M(st.range.low), high: M(st.range.high) })}` }));
  const entered = r.packs.find((p) => p.enteredBy);
  if (entered) notes.push(el("p", { class: "entered-note", id: "entered-note", text: t("enteredBy", { org: entered.enteredBy.organisation, sources: entered.enteredBy.sources.join(t("listSep")) }) }));
  $("answer-range").replaceChildren(...notes);
  $("live").textContent = `${t("youPay")}: ${answer}`;
  $("sticky-amount").textContent = answer;
  $("sticky-answer").hidden = false;

  // chart: a stacked bar whose segment sizes come from the amounts via flex-grow (CSS does the
  // proportion; the page does no arithmetic), each with its own pattern and a numbered key
  const segs = r.layers.filter((l) => !isZero(l.paid)).map((l, i) => ({ name: L(l.name), amount: l.paid, cls: PATTERNS[i % PATTERNS.length] }));
  // With a range, the family's segment is the low end and the undecided part its own
  // hatched segment (the engine gives `uncertain` = high − low: the page does no sums).
  if (r.range && !isZero(r.range.uncertain)) {
    segs.push({ name: t("chartUndecided", { layers: r.range.undecided.map((u) => L(u.name)).join(t("listSep")) }), amount: r.range.uncertain, cls: "undecided" });
    segs.push({ name: t("chartFamilyAtLeast"), amount: r.range.low, cls: "family" });
  } else {
    segs.push({ name: t("chartFamily"), amount: r.patient.total, cls: "family" });
  }
  const bar = el("div", { class: "bar", "aria-hidden": "true" });
  const key = el("ol", { class: "key" });
  segs.forEach((s, i) => {
    const seg = el("div", { class: `seg ${s.cls}` }, el("span", { text: String(i + 1) }));
    seg.style.flexGrow = isZero(s.amount) ? "0" : s.amount;
    bar.append(seg);
    key.append(el("li", {}, el("span", { class: `swatch ${s.cls}`, "aria-hidden": "true" }, el("span", { class: "num", text: String(i + 1) })), ` ${s.name}: `, el("strong", { text: M(s.amount) })));
  });
  $("chart").replaceChildren(bar, key);

  // layer table
  const body = $("layers");
  body.replaceChildren();
  for (const l of r.layers) {
    const status = l.outcome?.status || "eligible";
    const sums = (l.settlements || []).map(settlementSummary);
    const cell = (f) => el("td", { class: "money" }, ...sums.flatMap((s, i) => [i ? el("br") : null, f(s)]));
    body.append(el("tr", { "data-layer": l.id },
      el("th", { scope: "row" }, L(l.name), LAYER_TERMS[l.kind] ? glossary(LAYER_TERMS[l.kind]) : null, l.premium ? el("small", { class: "note", text: ` · ${t("premium", { amount: M(l.premium) })}` }) : null,
        l.rulesAsOf ? el("small", { class: "note layer-asof", text: ` · ${t("layerRulesAsOf", { date: l.rulesAsOf })}` }) : null),
      el("td", { class: `status ${status}` }, t(status), status === "needs_information" && l.outcome.input ? el("small", { text: ` (${inputLabel(l.outcome.input)})` }) : null,
        r.range?.undecided.some((u) => u.layer === l.id && u.status === "out_of_area") ? el("small", { text: ` · ${t("outOfAreaShort")}` }) : null),
      cell((s) => (s.base ? M(s.base) : "—")),
      cell((s) => (s.deductible ? M(s.deductible) : "—")),
      cell((s) => (s.rates.length ? s.rates.map((x) => rate(x, st.lang)).join(" / ") : "—")),
      cell((s) => (s.cap ? M(s.cap) : "—")),
      el("td", { class: "money paid", text: M(l.paid) })));
  }
  // On a phone the table is shown as cards (style.css): each cell carries its column's name.
  const heads = [...document.querySelectorAll("table.layers thead th")].map((h) => h.firstChild?.textContent || h.textContent);
  // (The total rows name themselves in their first cell.)
  for (const tr of document.querySelectorAll("table.layers tbody tr")) [...tr.children].forEach((cell, i) => { if (cell.tagName === "TD" && cell.colSpan === 1) cell.dataset.label = tr.dataset.layer ? heads[i] || "" : ""; });
  $("t-total").textContent = M(r.total);
  $("t-patient").textContent = answer;
  // 自付 / 自费 of a range's high end would read as the answer: shown only for one number.
  $("t-in").textContent = span ? "—" : M(r.patient.inScope);
  $("t-out").textContent = span ? "—" : M(r.patient.outOfScope);

  // every fen: by visit and by item (payments aligned with layers, as the engine gives them)
  const paidLayers = r.layers.filter((l) => !isZero(l.paid));
  const head = (first) => el("thead", {}, el("tr", {}, el("th", { scope: "col", text: first }), el("th", { scope: "col", text: t("amount") }),
    ...paidLayers.map((l) => el("th", { scope: "col", text: L(l.name) })), el("th", { scope: "col", text: t("familyShare") })));
  const byVisit = el("table", {}, el("caption", { text: t("byVisit") }), head(t("visitCol")), el("tbody", {}, ...r.encounters.map((e, i) => el("tr", {},
    el("th", { scope: "row", text: `${t("encounter", { n: (e.inputIndex ?? i) + 1 })} · ${e.date}` }), el("td", { class: "money", text: M(e.total) }),
    ...paidLayers.map((l) => el("td", { class: "money", text: M(e.paidBy?.[l.id] ?? "0") })), el("td", { class: "money", text: M(e.patient) })))));
  const byItem = el("table", {}, el("caption", { text: t("byItem") }), head(t("itemCol")), el("tbody", {}, ...r.items.map((it) => el("tr", {},
    el("th", { scope: "row", text: `${it.encounter + 1}.${it.index + 1} ${itemLabel(c, it)}` }), el("td", { class: "money", text: M(it.amount) }),
    ...paidLayers.map((l) => el("td", { class: "money", text: M(it.paidBy?.[l.id] ?? "0") })), el("td", { class: "money", text: M(it.patient) })))));
  $("breakdown-out").replaceChildren(el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": t("byVisit") }, byVisit), el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": t("byItem") }, byItem));

  // why
  const dates = new Map(r.encounters.map((e) => [e.inputIndex ?? 0, e.date]));
  const why = $("why-list");
  why.replaceChildren(...r.layers.map((l) => {
    const status = l.outcome?.status || "eligible";
    const d = el("details", { "data-layer": l.id }, el("summary", { text: status === "eligible" ? t("whyLayer", { layer: L(l.name), paid: M(l.paid) }) : t("whyLayerStatus", { layer: L(l.name), status: t(status) }) }));
    if (status === "ineligible") d.append(el("p", { text: t("ineligibleWhy", { reason: L(l.outcome.reason) }) + (l.outcome.sources?.length ? ` ${t("ruleSources", { sources: l.outcome.sources.map((k) => sourceLine(k, r.sources, st.lang)).join("; ") })}` : "") }));
    if (status === "not_enrolled") d.append(el("p", { text: t("notEnrolledWhy", { layer: L(l.name) }) }));
    if (status === "no_rules") d.append(el("p", { text: t("noRulesWhy", { missing: L(l.outcome.missing), ask: L(l.outcome.ask) }) }));
    if (status === "needs_information") {
      d.append(el("p", { text: t("needsWhy", { input: inputLabel(l.outcome.input), reason: L(l.outcome.reason) }) }));
      const target = fieldFor(l.outcome.input);
      if (target) d.append(el("button", { type: "button", class: "secondary no-print", text: t("goToField", { field: inputLabel(l.outcome.input) }), onclick: () => { target.scrollIntoView({ block: "center" }); target.focus(); } }));
    }
    for (const s of l.settlements || []) {
      d.append(el("h4", { text: t("benefitOn", { benefit: L(s.name), date: dates.get(s.encounter) || "" }) }));
      d.append(el("ul", {}, ...(s.steps || []).map((x) => stepSentence(x, st.lang)).filter(Boolean).map((x) => el("li", { text: x }))));
      const srcs = (s.edition?.sources || []).map((k) => sourceLine(k, r.sources, st.lang)).join("; ");
      d.append(el("p", { class: "note", text: t("ruleFrom", { from: s.edition?.from || "", until: s.edition?.until ? t("ruleUntil", { until: s.edition.until }) : "", sources: srcs }) }));
    }
    return d;
  }));

  // warnings
  $("warnings").replaceChildren(...r.warnings.map((w) => el("li", { "data-code": w.code, text: unId(L(w.message), r.sources) })));
  $("warnings-box").hidden = !r.warnings.length;

  // what to apply for
  const apply = r.layers.filter((l) => l.documents?.length && l.outcome?.status !== "ineligible");
  $("apply").replaceChildren(...apply.map((l) => el("li", {}, el("strong", { text: L(l.name) }), el("ul", {}, ...l.documents.map((d) => el("li", { text: L(d) }))))));
  $("apply-box").hidden = !apply.length;

  // sources and dates
  $("rules").replaceChildren(...r.packs.map((p) => el("li", { text: t("rulesAsOf", { pack: L(st.packs.find((x) => x.id === p.id)?.name) || p.id, date: p.rulesAsOf, version: p.version }) })),
    ...Object.keys(r.sources).map((k) => el("li", { class: "note", text: `${k}: ${sourceLine(k, r.sources, st.lang)}` })));

  renderBurden(c);
  handoutView?.update();
  if (st.shared) renderSharedChanges();
}

async function planning() {
  if (!st.planning) st.planning = engine.init({ planning: true });
  await st.planning;
}

async function renderBurden(c) {
  const box = $("burden-box");
  st.burden = null; // also read by the handout (handout.js)
  if (!c.householdIncome) { box.hidden = true; return; }
  box.hidden = false;
  $("burden").textContent = t("burdenLoading");
  try {
    await planning();
    const b = engine.burden(buildCase(c));
    st.burden = b;
    handoutView?.update();
    $("burden").replaceChildren(el("p", { class: "burden-share", text: t("burdenShare", { share: rate(b.shareOfIncome, st.lang) }) }),
      el("ul", {}, ...(b.flags || []).map((f) => el("li", { text: L(f.message) })), ...(b.notes || []).map((n) => el("li", { class: "note", text: L(n) }))));
  } catch (e) {
    $("burden").textContent = errorSentence(e.code, st.lang);
  }
}

// ---- compare
async function runCompare() {
  const out = $("compare-out");
  out.replaceChildren(el("p", { text: t("compareLoading") }));
  $("common-note").textContent = "";
  try {
    await planning();
    const c = cur();
    // the ready-made variants, then compared: each row can become a scenario of its own
    const doc = buildCase(c);
    const common = engine.commonVariants(doc);
    const cmp = engine.compare({ base: doc, variants: common });
    const layers = cmp.base.summary.layers;
    const head = el("tr", {}, el("th", { scope: "col", text: t("scenario") }), el("th", { scope: "col", text: t("familyPays") }), el("th", { scope: "col", text: t("difference") }), el("th", { scope: "col", text: t("withPremium") }),
      ...layers.map((l) => el("th", { scope: "col", text: L(l.name) })));
    const row = (label, v, base, preset) => el("tr", {}, el("th", { scope: "row" }, label, preset ? el("button", { type: "button", class: "secondary small pin-variant", "aria-label": t("pinVariantLabel", { label }), text: t("pinVariant"), onclick: () => pinVariant(c, label, preset) }) : null),
      el("td", { class: "money strong", text: M(v.summary.family) }),
      el("td", { class: "money", text: base ? "—" : signed(v.difference.family) }), el("td", { class: "money", text: M(v.summary.familyTotalCost) }),
      ...layers.map((l) => { const x = v.summary.layers.find((y) => y.id === l.id); const d = v.difference?.layers?.[l.id]; return el("td", { class: "money" }, M(x?.paid ?? "0"), d && !isZero(d) ? el("small", { text: ` (${signed(d)})` }) : null); }));
    out.replaceChildren(el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": t("compare") }, el("table", { class: "compare" }, el("thead", {}, head),
      el("tbody", {}, row(t("current"), cmp.base, true), ...cmp.variants.map((v, i) => row(bilingual(v.label), v, false, common[i]?.preset))))));
  } catch (e) {
    out.replaceChildren(el("p", { class: "error", text: `${errorSentence(e.code, st.lang)} (${e.code})` }));
  }
}
// The engine labels generated rows and variants "中文 / English": show the half in the page's language.
function bilingual(s) { const [zh, en] = String(s ?? "").split(" / "); return st.lang === "zh" ? zh : en ?? zh; }
// An item's label: the family's own description, else the engine's ("甲类 / class A").
function itemLabel(c, it) {
  const e = c.encounters[it.encounter];
  return (e?.mode === "items" ? e.items[it.index]?.description : "") || bilingual(it.description || "");
}
// The form field an engine input path ("member.category") belongs to, and its label.
function fieldFor(input) {
  if (!input) return null;
  return [...document.querySelectorAll("[data-path]")].find((n) => n.dataset.path === `$.${input}`) || null;
}
function inputLabel(input) {
  const f = fieldFor(input);
  const label = f?.labels?.[0]?.textContent || f?.querySelector?.("legend")?.textContent;
  return label || input || "";
}
function signed(d) { return String(d).startsWith("-") ? `−${M(String(d).slice(1))}` : isZero(d) ? M("0") : `+${M(d)}`; }

// ---- share
function summaryOf(r) { return { total: r.total, patient: r.patient.total, layers: r.layers.map((l) => ({ id: l.id, name: l.name, paid: l.paid })) }; }
function sharePayload() {
  const payload = { v: 1, engine: st.versions.engine, data: st.versions.data, lang: st.lang, case: cur(), result: st.result ? summaryOf(st.result) : null };
  const custom = packOf(cur())?.custom;
  if (custom) payload.rules = custom; // entered rules travel with the case
  return payload;
}
// The share link of the current case (also the handout's QR code).
async function shareUrl() { return `${location.origin}${location.pathname}#c=${await packShare(sharePayload())}`; }
async function makeShare() {
  const url = await shareUrl();
  $("share-url").value = url;
  $("share-out").hidden = false;
}
function renderSharedChanges() {
  const box = $("shared");
  const sh = st.shared;
  box.hidden = false;
  const kids = [el("p", { text: t("sharedOld", { engine: sh.engine, data: sh.data, nowEngine: st.versions.engine, nowData: st.versions.data }) })];
  if (sh.result) kids.push(el("p", {}, `${t("youPay")} (${t("then")}): `, el("strong", { text: M(sh.result.patient) })));
  if (!sh.recomputed) {
    kids.push(el("button", { type: "button", id: "recompute", text: t("recompute"), onclick: () => { sh.recomputed = true; runEstimate(); } }));
  } else if (st.result && sh.result) {
    const rows = [[t("familyShare"), sh.result.patient, st.result.patient.total], ...st.result.layers.map((l) => [L(l.name), sh.result.layers.find((x) => x.id === l.id)?.paid ?? "—", l.paid])];
    kids.push(el("table", { class: "changes" }, el("caption", { text: t("changes") }), el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("colLayer") }), el("th", { scope: "col", text: t("then") }), el("th", { scope: "col", text: t("now") }), el("th", { scope: "col" }))),
      el("tbody", {}, ...rows.map(([n, a, b]) => { const same = a !== "—" && compareDecimal(a, b) === 0; return el("tr", { class: same ? "" : "changed" }, el("th", { scope: "row", text: n }), el("td", { class: "money", text: a === "—" ? "—" : M(a) }), el("td", { class: "money", text: M(b) }), el("td", { text: same ? t("same") : t("changed") })); }))));
  }
  box.replaceChildren(...kids);
  $("result").hidden = !sh.recomputed;
}

async function openShared() {
  const m = location.hash.match(/^#c=(.+)$/);
  if (!m) return false;
  try {
    const p = await unpackShare(m[1]);
    if (isObj(p.rules)) addEnteredRules(p.rules);
    const c = { ...normaliseCase(p.case, st.cases.length + 1), n: st.cases.length + 1 };
    delete c.pinned; // the side-by-side is the sender's
    st.cases.push(c);
    st.current = st.cases.length - 1;
    if (p.lang === "zh" || p.lang === "en") st.lang = p.lang;
    const engineV = asStr(p.engine, "?");
    const dataV = asStr(p.data, "?");
    const r = isObj(p.result) ? p.result : null;
    const result = r && {
      patient: asStr(r.patient),
      layers: asList(r.layers).filter(isObj).map((l) => ({ id: asStr(l.id), paid: asStr(l.paid), name: isObj(l.name) || typeof l.name === "string" ? l.name : "" })),
    };
    if (engineV !== st.versions.engine || dataV !== st.versions.data) st.shared = { engine: engineV, data: dataV, result, recomputed: false };
    return true;
  } catch {
    return false;
  }
}

// ---- rules entered by an organisation (rules.html): saved there (opt-in) or in a link
function addEnteredRules(pack) {
  try {
    const summary = engine.validate(JSON.stringify(pack));
    if (summary.kind !== "region") return null;
    st.packs = [...st.packs.filter((p) => p.id !== summary.id), { ...summary, custom: pack }];
    return summary.id;
  } catch {
    return null; // invalid rules never reach the form; the editor shows why
  }
}

async function openEnteredRules() {
  try {
    const saved = JSON.parse(localStorage.getItem(RULES_KEY) || "null");
    if (saved?.model) addEnteredRules((await import("./lib/rules-form.js")).toPack(saved.model).pack);
  } catch { /* no storage, or not the editor's */ }
  const m = location.hash.match(/^#rules=(.+)$/);
  if (!m) return null;
  try {
    return addEnteredRules(await unpackShare(m[1]));
  } catch {
    return null;
  }
}

function useRegion(c, id) {
  c.pack = id;
  const p = packOf(c);
  const sc = p.schemes.find((s) => s.id === c.scheme) || p.schemes[0];
  c.scheme = sc.id;
  if (!sc.groups.some((g) => g.id === c.group)) c.group = sc.groups[0]?.id;
  c.enrolments = c.enrolments.filter((x) => p.layers.some((l) => l.id === x));
  for (const e of c.encounters) if (!p.levels.some((l) => l.id === e.level)) e.level = p.levels.at(-1)?.id || "";
}

// ---- scenarios: duplicate the case, pin up to four side by side (www/scenarios.js)
let scenarioView = null;
function scenarios() {
  scenarioView ??= import("./scenarios.js").then(({ initScenarios }) => initScenarios({
    st, t, L, M, el, buildCase, packOf, cur, planning, engine, inputProblems, hasNoBill, splitUnknownWithoutTypical, errorSentence, nameOf, selectCase, persist, renderCases,
  }));
  return scenarioView;
}
const MAX_PINNED = 4; // scenarios.js MAX_PINNED: four columns stay readable beside the form
const pinnedCount = () => st.cases.filter((c) => c.pinned).length;
// Shows case i in the form. `focusForm`: from the side-by-side's "edit" button, the keyboard
// goes to the form's line naming the case being edited.
function selectCase(i, focusForm = true) {
  st.current = i; st.shared = null; st.result = null; $("shared").hidden = true;
  renderForm(); changed(); $("compare-out").replaceChildren();
  $("pin-note").textContent = "";
  if (pinnedCount()) scenarios().then((v) => v.refresh());
  if (focusForm) { const e = $("editing-case"); e.scrollIntoView({ block: "start" }); e.focus(); }
}
// The current case copied whole (every field, the year plan too) as a new scenario to change:
// "方案B" beside "方案A" (an unnamed original becomes 方案A), both pinned side by side when
// there is room.
function duplicateCase() {
  const src = cur();
  const names = new Set(st.cases.map(nameOf));
  if (!src.name) { src.name = t("scenarioLetter", { letter: "A" }); names.add(src.name); }
  const root = src.name.replace(/ · (方案|scenario )[A-Z]$/, "");
  const named = (letter) => (/^(方案|Scenario )[A-Z]$/.test(root) ? t("scenarioLetter", { letter }) : t("scenarioOf", { name: root, letter }));
  let k = 1;
  while (k < 25 && names.has(named(String.fromCharCode(65 + k)))) k++;
  const copy = { ...structuredClone(src), name: named(String.fromCharCode(65 + k)), n: Math.max(...st.cases.map((c) => c.n)) + 1 };
  delete copy.pinned;
  if (!src.pinned && pinnedCount() < MAX_PINNED) src.pinned = true;
  const room = pinnedCount() < MAX_PINNED;
  if (room) copy.pinned = true;
  st.cases.push(copy);
  st.current = st.cases.length - 1;
  st.result = null;
  renderForm(); changed();
  $("compare-out").replaceChildren();
  $("pin-note").textContent = t(room ? "duplicated" : "duplicatedNoRoom", { from: src.name, name: copy.name, max: MAX_PINNED });
  scenarios().then((v) => v.render({ announce: true }));
}
// A row of the common scenarios made a scenario: the case copied with that one change, pinned
// beside the others when there is room (the form stays on the case being edited).
async function pinVariant(c, label, preset) {
  const { applyPreset } = await import("./scenarios.js");
  const copy = { ...structuredClone(c), name: `${nameOf(c)} · ${label}`, n: Math.max(...st.cases.map((x) => x.n)) + 1 };
  delete copy.pinned;
  if (!applyPreset(copy, preset)) return;
  if (!c.pinned && pinnedCount() < MAX_PINNED) c.pinned = true;
  const room = pinnedCount() < MAX_PINNED;
  if (room) copy.pinned = true;
  st.cases.push(copy);
  renderCases(); persist();
  $("common-note").textContent = t(room ? "variantPinned" : "duplicatedNoRoom", { from: nameOf(c), name: copy.name, max: MAX_PINNED });
  (await scenarios()).render({ announce: true });
}
function pinCase(box) {
  const c = cur();
  if (box.checked && !c.pinned && pinnedCount() >= MAX_PINNED) {
    box.checked = false;
    $("pin-note").textContent = t("pinFull", { max: MAX_PINNED });
    return;
  }
  c.pinned = box.checked;
  $("pin-note").textContent = "";
  persist();
  scenarios().then((v) => v.render({ announce: true }));
}

// ---- wiring
// 适老化 mode: html.elder (style.css) and plain wording; remembered only when asked.
function setElder(on) {
  st.elder = on;
  document.documentElement.classList.toggle("elder", on);
  let remembered = false;
  try { remembered = localStorage.getItem(ELDER_KEY) === "1"; } catch { /* blocked */ }
  if (!on && remembered) try { localStorage.removeItem(ELDER_KEY); } catch { /* blocked */ }
  $("elder-remember").hidden = !on || remembered;
  $("elder-note").textContent = "";
  renderStatic(); renderForm(); if (st.result) renderResult();
}
function wire() {
  $("elder").addEventListener("click", () => setElder(!st.elder));
  $("elder-remember").addEventListener("click", () => {
    try { localStorage.setItem(ELDER_KEY, "1"); $("elder-note").textContent = t("elderRemembered"); } catch { /* blocked */ }
    $("elder-remember").hidden = true;
  });
  $("lang").addEventListener("click", () => { st.lang = st.lang === "zh" ? "en" : "zh"; renderStatic(); renderForm(); renderResult(); if ($("compare-out").childElementCount) runCompare(); if (st.cases.some((c) => c.pinned)) scenarios().then((v) => v.render()); $("pin-note").textContent = ""; persist(); });
  $("case-select").addEventListener("change", (e) => selectCase(Number(e.target.value), false));
  $("case-name").addEventListener("input", (e) => { cur().name = e.target.value; renderCases(); persist(); if (cur().pinned) scenarios().then((v) => v.refresh()); });
  $("new-case").addEventListener("click", () => { st.cases.push(defaultCase(Math.max(...st.cases.map((c) => c.n)) + 1)); st.current = st.cases.length - 1; st.result = null; renderForm(); changed(); $("compare-out").replaceChildren(); });
  $("duplicate-case").addEventListener("click", duplicateCase);
  $("pin-case").addEventListener("change", (e) => pinCase(e.target));
  // (the side-by-side is drawn again whenever cases are pinned: its columns name cases by place)
  $("delete-case").addEventListener("click", () => { if (st.cases.length < 2) return; const pinned = cur().pinned; st.cases.splice(st.current, 1); st.current = 0; st.result = null; renderForm(); changed(); if (pinned || pinnedCount()) scenarios().then((v) => v.render({ announce: pinned })); });
  $("add-encounter").addEventListener("click", () => {
    const c = cur(); const last = c.encounters.at(-1);
    c.encounters.push({ ...structuredClone(last), mode: "quick", total: "", items: [{ description: "", class: "a", amount: "" }] });
    renderCost(); changed();
    // the keyboard goes on where the new visit's bill is typed
    document.querySelector(`.encounter[data-encounter="${c.encounters.length - 1}"] input.total`)?.focus();
  });
  $("case-form").addEventListener("submit", (e) => { e.preventDefault(); runEstimate(true); });
  $("compare-run").addEventListener("click", runCompare);
  $("share-make").addEventListener("click", makeShare);
  $("share-copy").addEventListener("click", async () => { try { await navigator.clipboard.writeText($("share-url").value); $("share-copy").textContent = t("copied"); } catch { $("share-url").select(); } });
  // The handout (handout.js) with its QR code made, then the browser's print.
  $("print").addEventListener("click", async () => { try { await (await handout()).prepare(); } catch { /* printed as it stands */ } window.print(); });
  $("save-local").addEventListener("change", (e) => { st.saveLocal = e.target.checked; if (st.saveLocal) persist(); else localStorage.removeItem(STORE_KEY); });
  $("clear-all").addEventListener("click", () => { try { localStorage.clear(); } catch { /* blocked */ } st.saveLocal = false; $("save-local").checked = false; $("save-note").textContent = t("cleared"); });
}

// On a desk the answer column stays in view beside the form (style.css); when the answer itself
// is out of sight (that column scrolled to the side-by-side, or the window too short), the
// answer bar the phone always shows appears at the bottom corner (html.answer-away).
function watchAnswer() {
  if (!("IntersectionObserver" in globalThis)) return;
  new IntersectionObserver(([e]) => document.documentElement.classList.toggle("answer-away", !e.isIntersecting)).observe(document.querySelector("#result .answer"));
}

// Lets the browser paint and answer taps between the steps of starting up (a slow phone's
// main thread is not held for the whole start at once).
const yieldToMain = () => (globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((ok) => setTimeout(ok, 0)));

async function start() {
  try { if (localStorage.getItem(ELDER_KEY) === "1") { st.elder = true; document.documentElement.classList.add("elder"); } } catch { /* no storage */ }
  renderStatic();
  // Before the engine arrives (a slow phone waits seconds for it), the whole form is laid out,
  // so nothing jumps when the rules arrive; until then only the bill, which needs no rules,
  // can be typed in, and a line says the rules are loading.
  st.cases = [defaultCase(1)];
  renderCost();
  renderSituation();
  $("situation-fields").prepend(el("p", { class: "note", id: "rules-loading", text: t("rulesLoading") }));
  for (const c of $("case-form").querySelectorAll("input, select, button")) if (!c.matches(".encounter input.total")) c.disabled = true;
  document.documentElement.classList.add("laid-out");
  try {
    await engine.init();
  } catch (e) {
    $("status").textContent = t("loadFailed", { msg: errorSentence(e.code || "internal", st.lang) });
    return;
  }
  // The bill field the family may be typing in while the rules load (read at the end).
  const provisional = st.cases[0].encounters[0];
  st.cases = [];
  await yieldToMain();
  st.packs = engine.listPacks();
  st.versions = engine.versions();
  try {
    const saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    if (Array.isArray(saved?.cases) && saved.cases.length) {
      st.cases = saved.cases.map((c, i) => normaliseCase(c, i + 1));
      st.current = Number.isSafeInteger(saved.current) ? Math.min(Math.max(saved.current, 0), st.cases.length - 1) : 0;
      st.saveLocal = true;
      if (saved.lang === "zh" || saved.lang === "en") st.lang = saved.lang;
    }
  } catch { /* no storage */ }
  const enteredId = await openEnteredRules();
  await openShared();
  if (!st.cases.length) st.cases.push(defaultCase(1));
  const first = cur().encounters[0];
  const typing = document.activeElement?.matches?.(".encounter input.total");
  if (String(provisional.total).trim() && !st.shared && first?.mode === "quick") first.total = provisional.total;
  if (enteredId) useRegion(cur(), enteredId);
  // a saved case whose entered rules are no longer here falls back to the first region
  for (const c of st.cases) if (!packOf(c)) useRegion(c, st.packs.find((p) => p.kind === "region")?.id);
  wire();
  watchAnswer();
  await yieldToMain();
  renderStatic();
  renderForm();
  if (typing) {
    const box = document.querySelector(".encounter input.total");
    box?.focus();
    box?.setSelectionRange?.(box.value.length, box.value.length);
  }
  $("status").textContent = "";
  $("run").disabled = false;
  $("add-encounter").disabled = false;
  st.engineReady = true;
  await yieldToMain();
  if (st.shared) renderSharedChanges();
  else await runEstimate();
  if (st.shared) { $("result").hidden = true; }
  // The plan view, after the first answer rather than before it.
  const { initPlan } = await import("./plan.js");
  planView = initPlan({ st, t, L, M, el, field, select, input, buildCase, packOf, cur, planning, engine, SPLITS, persist });
  planView.render();
  if (st.cases.some((c) => c.pinned)) (await scenarios()).render();
  await handout();
  document.documentElement.dataset.ready = "true";
  registerWorker();
}

// The page's CSP enforces Trusted Types (require-trusted-types-for 'script'): no string can
// reach a script sink. The one such sink the page uses is the service worker's URL, through
// this policy, which accepts that one constant and nothing else.
const SW_URL = "./sw.js";
const swPolicy = globalThis.trustedTypes?.createPolicy("tiercost-sw", {
  createScriptURL: (u) => {
    if (u !== SW_URL) throw new TypeError(`tiercost-sw: ${u} is not the page's service worker`);
    return u;
  },
});
const swURL = (u) => (swPolicy ? swPolicy.createScriptURL(u) : u);

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(swURL(SW_URL)).then((reg) => {
    reg.addEventListener("updatefound", () => {
      const w = reg.installing;
      w?.addEventListener("statechange", () => {
        if (w.state === "installed" && navigator.serviceWorker.controller) {
          $("update").hidden = false;
        }
      });
    });
    // cache what this page actually loaded (the engine's glue has hashed snippet paths)
    navigator.serviceWorker.ready.then((r) => {
      const urls = performance.getEntriesByType("resource").map((e) => e.name).filter((u) => u.startsWith(location.origin));
      r.active?.postMessage({ type: "cache", urls: [location.pathname, ...urls] });
    });
  }).catch(() => { /* offline support is optional */ });
  $("update-reload")?.addEventListener("click", () => location.reload());
}

// The worker answers from this device's copy and fetches a new build in the background; it
// says so when the new build is ready (www/sw.js). Listened for from the start, so the news is
// not missed while the engine loads.
navigator.serviceWorker?.addEventListener("message", (e) => { if (e.data?.type === "updated") $("update").hidden = false; });

globalThis.tiercostPage = st; // read by the browser tests
start();
