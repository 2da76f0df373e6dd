// www/lib/rules-form.js — the rules editor's model: what a social worker reads off the city's
// 医保 leaflet (deductibles and rates by hospital level, caps, the 大病 threshold and bands, 救助
// rates by category, and the document it all comes from), turned into a policy pack the engine
// validates and settles with, and back. Pure functions; no DOM, no money arithmetic (amounts and
// rates stay decimal strings: "85" per cent becomes "0.85" by moving the decimal point).
//
// API (stable):
//   emptyRules()                 → a model with every field blank
//   toPack(model)                → { pack, fields }: the pack JSON and, for each JSON path in it,
//                                  the form field that produced it (to highlight the engine's errors)
//   fromPack(pack)               → the model back (for packs made here), or null
//   fieldForPath(fields, path)   → the form field behind an engine error's path (longest prefix)
//   cleanAmount(s), percentToRate(s) → what the engine is given for what was typed

import { parseAmount, parsePercent } from "./amount.js";

export const LEVELS = ["level1", "level2", "level3"];
export const CATEGORIES = [
  "extreme_poverty", "orphan", "minimum_living", "returned_to_poverty",
  "near_minimum_living", "poverty_monitoring", "impoverished_by_illness",
];
const SOURCE_ID = "entered-document";
const MARK = "entered-with-the-rules-editor"; // in the pack's notes, so fromPack knows its own

function schemeRules() {
  return {
    deductible: { level1: "", level2: "", level3: "" },
    perAdmission: true,
    rate: { level1: "", level2: "", level3: "" },
    retiredRate: { level1: "", level2: "", level3: "" },
    cap: "",
  };
}

export function emptyRules() {
  return {
    organisation: "",
    regionZh: "",
    regionEn: "",
    code: "",
    from: "",
    source: { title: "", document: "", url: "", published: "", grade: "A", until: "", review: "" },
    employee: schemeRules(),
    resident: schemeRules(),
    largeExpense: { rate: "", cap: "" },
    critical: { threshold: "", measure: "net", bands: [{ from: "0", rate: "" }], cap: "" },
    assistance: CATEGORIES.map((category) => ({ category, threshold: "", rate: "", cap: "" })),
  };
}

const blank = (s) => String(s ?? "").trim() === "";

/** What the engine gets for a typed amount (lib/amount.js: 8万, 1,200, ¥, 元, full-width);
 *  what it cannot read is passed on as typed, for the engine to refuse at the field. */
export function cleanAmount(s) {
  const r = parseAmount(s);
  return r.ok ? r.value : String(s ?? "").trim();
}

/** "85", "85%", "85.5" per cent → "0.85", "0.85", "0.855" (lib/amount.js); anything else is
 *  passed on for the engine to refuse at the field. */
export function percentToRate(s) {
  const r = parsePercent(s);
  return r.ok ? r.value : String(s ?? "").trim();
}

/** "0.85" → "85" (the form shows per cent). */
export function rateToPercent(r) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(r ?? ""));
  if (!m) return String(r ?? "");
  const frac = (m[2] || "").padEnd(2, "0");
  const whole = `${m[1] === "0" ? "" : m[1]}${frac.slice(0, 2)}`.replace(/^0+(?=\d)/, "") || "0";
  const rest = frac.slice(2).replace(/0+$/, "");
  return rest ? `${whole}.${rest}` : whole;
}

function text(zh, en) { return { zh, en: en || zh }; }

/** The pack for a model, with the form field behind each JSON path. */
export function toPack(m) {
  const fields = {};
  const at = (path, field) => { fields[path] = field; };
  const code = String(m.code || "").trim().toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "my-city";
  const from = String(m.from || "").trim();
  const region = text(String(m.regionZh || "").trim() || "本地", String(m.regionEn || "").trim() || String(m.regionZh || "").trim() || "Local");
  const src = m.source || {};
  const source = { title: String(src.title || "").trim(), grade: src.grade || "A" };
  if (!blank(src.document)) source.document = String(src.document).trim();
  if (!blank(src.url)) source.url = String(src.url).trim();
  if (!blank(src.published)) source.published = String(src.published).trim();
  source.note = `Entered by ${String(m.organisation || "").trim()} with the tiercost rules editor from the document named here.`;
  source.validity = {
    from,
    until: blank(src.until) ? "replaced" : String(src.until).trim(),
    review: blank(src.review) ? nextYear(from) : String(src.review).trim(),
  };
  at(`$.sources.${SOURCE_ID}.title`, "source.title");
  at(`$.sources.${SOURCE_ID}.url`, "source.url");
  at(`$.sources.${SOURCE_ID}.document`, "source.document");
  at(`$.sources.${SOURCE_ID}.published`, "source.published");
  at(`$.sources.${SOURCE_ID}.grade`, "source.grade");
  at(`$.sources.${SOURCE_ID}.validity.until`, "source.until");
  at(`$.sources.${SOURCE_ID}.validity.review`, "source.review");
  at(`$.sources.${SOURCE_ID}.validity.from`, "from");
  at(`$.sources.${SOURCE_ID}.validity`, "from");
  at(`$.sources.${SOURCE_ID}`, "source.title");
  at("$.enteredBy", "organisation");
  at("$.rulesAsOf", "from");

  const layers = [];
  const order = [];
  const edition = (path, benefits, gaps, caps) => {
    const e = { from, sources: [SOURCE_ID] };
    at(`${path}.from`, "from");
    if (gaps.length) e.gaps = gaps;
    e.benefits = benefits;
    if (caps?.length) e.caps = caps;
    return e;
  };

  // 基本医保 住院: one benefit per scheme entered; a scheme left blank stays a declared gap.
  const basicBenefits = [];
  const basicGaps = [];
  const entered = { employee: hasScheme(m.employee), resident: hasScheme(m.resident) };
  const li = layers.length;
  for (const scheme of ["employee", "resident"]) {
    if (!entered[scheme]) continue;
    const r = m[scheme];
    const bi = basicBenefits.length;
    const bpath = `$.layers[${li}].editions[0].benefits[${bi}]`;
    const deductible = [];
    LEVELS.forEach((lv) => {
      if (blank(r.deductible[lv])) return;
      at(`${bpath}.deductible.amount[${deductible.length}]`, `${scheme}.deductible.${lv}`);
      deductible.push({ when: { levels: [lv] }, value: cleanAmount(r.deductible[lv]) });
    });
    const rate = [];
    if (scheme === "employee") {
      LEVELS.forEach((lv) => {
        if (blank(r.retiredRate[lv])) return;
        at(`${bpath}.rate.flat[${rate.length}]`, `${scheme}.retiredRate.${lv}`);
        rate.push({ when: { groups: ["retired"], levels: [lv] }, value: percentToRate(r.retiredRate[lv]) });
      });
    }
    LEVELS.forEach((lv) => {
      if (blank(r.rate[lv])) return;
      at(`${bpath}.rate.flat[${rate.length}]`, `${scheme}.rate.${lv}`);
      rate.push({ when: { levels: [lv] }, value: percentToRate(r.rate[lv]) });
    });
    // A level without a rate: the engine must say so rather than pay nothing.
    const missingLevels = LEVELS.filter((lv) => blank(r.rate[lv]));
    if (missingLevels.length) {
      rate.push({ when: { levels: missingLevels }, gap: text(`${schemeZh(scheme)}住院在${missingLevels.map(levelZh).join("、")}医院的支付比例（未录入）`, `the ${scheme} inpatient rate at ${missingLevels.join(", ")} hospitals (not entered)`) });
    }
    const benefit = {
      id: `${scheme}_inpatient`,
      name: text(`${schemeZh(scheme)}住院`, `${scheme === "employee" ? "Employee" : "Resident"} inpatient`),
      when: { schemes: [scheme], settings: ["inpatient"] },
      base: { buckets: { inScope: "1" } },
    };
    if (deductible.length) benefit.deductible = { amount: deductible, per: r.perAdmission ? "encounter" : "year" };
    benefit.rate = { flat: rate };
    if (!blank(r.cap)) {
      at(`${bpath}.caps[0].amount`, `${scheme}.cap`);
      benefit.caps = [{ amount: cleanAmount(r.cap), per: "year" }];
    } else {
      basicGaps.push({ what: text(`${schemeZh(scheme)}住院年度最高支付限额（未录入，按无限额计算）`, `the ${scheme} inpatient annual cap (not entered; computed without a cap)`) });
    }
    basicBenefits.push(benefit);
  }
  if (basicBenefits.length) {
    layers.push({
      id: "basic",
      kind: "basic",
      name: text(`${region.zh}基本医疗保险`, `${region.en} basic medical insurance`),
      schemes: ["employee", "resident"].filter((s) => entered[s]),
      editions: [edition(`$.layers[${li}].editions[0]`, basicBenefits, basicGaps)],
    });
    order.push("basic");
  }
  for (const scheme of ["employee", "resident"]) {
    if (entered[scheme]) continue;
    const i = layers.length;
    layers.push({
      id: `basic_${scheme}`,
      kind: "basic",
      name: text(`${schemeZh(scheme)}基本医疗保险`, `${scheme === "employee" ? "Employee" : "Resident"} basic insurance`),
      schemes: [scheme],
      editions: [edition(`$.layers[${i}].editions[0]`, [], [{ what: text(`${region.zh}${schemeZh(scheme)}的住院起付线、支付比例和限额（未录入）`, `${region.en}'s ${scheme} inpatient deductible, rates and cap (not entered)`), blocking: true }])],
    });
    order.push(`basic_${scheme}`);
  }

  // 职工大额: the share of what the basic cap left unpaid.
  if (entered.employee && !blank(m.largeExpense.rate)) {
    const i = layers.length;
    const b = { id: "above_cap", base: { aboveCapOf: "basic" }, rate: { flat: percentToRate(m.largeExpense.rate) } };
    at(`$.layers[${i}].editions[0].benefits[0].rate.flat`, "largeExpense.rate");
    const gaps = [];
    if (!blank(m.largeExpense.cap)) {
      b.caps = [{ amount: cleanAmount(m.largeExpense.cap), per: "year" }];
      at(`$.layers[${i}].editions[0].benefits[0].caps[0].amount`, "largeExpense.cap");
    } else gaps.push({ what: text("职工大额医疗费用补助的年度限额（未录入）", "the 职工大额 annual cap (not entered)") });
    layers.push({ id: "large_expense", kind: "large_expense", name: text(`${region.zh}职工大额医疗费用补助`, `${region.en} employee large-expense cover`), schemes: ["employee"], editions: [edition(`$.layers[${i}].editions[0]`, [b], gaps)] });
    order.push("large_expense");
  }

  // 城乡居民大病保险: a yearly threshold, bands gross or net, a cap.
  const ci = m.critical;
  if (entered.resident && !blank(ci.threshold)) {
    const i = layers.length;
    const bp = `$.layers[${i}].editions[0].benefits[0]`;
    const steps = [];
    ci.bands.forEach((band, k) => {
      if (blank(band.rate) && blank(band.from)) return;
      at(`${bp}.rate.bands.steps[${steps.length}].from`, `critical.bands.${k}.from`);
      at(`${bp}.rate.bands.steps[${steps.length}].rate`, `critical.bands.${k}.rate`);
      at(`${bp}.rate.bands.steps[${steps.length}]`, `critical.bands.${k}.rate`);
      steps.push({ from: cleanAmount(band.from || "0"), rate: percentToRate(band.rate) });
    });
    at(`${bp}.deductible.amount`, "critical.threshold");
    at(`${bp}.rate.bands`, "critical.bands.0.rate");
    const b = {
      id: "annual",
      when: { settings: ["inpatient", "chronic"] },
      base: { buckets: { inScope: "1" } },
      deductible: { amount: cleanAmount(ci.threshold), per: "year" },
      rate: { bands: { measure: ci.measure === "gross" ? "gross" : "net", steps } },
    };
    const gaps = [];
    if (!blank(ci.cap)) {
      b.caps = [{ amount: cleanAmount(ci.cap), per: "year" }];
      at(`${bp}.caps[0].amount`, "critical.cap");
    } else gaps.push({ what: text("大病保险年度最高支付限额（未录入）", "the 大病 annual cap (not entered)") });
    layers.push({ id: "critical_illness", kind: "critical_illness", name: text(`${region.zh}城乡居民大病保险`, `${region.en} critical-illness insurance`), schemes: ["resident"], editions: [edition(`$.layers[${i}].editions[0]`, [b], gaps)] });
    order.push("critical_illness");
  }

  // 医疗救助 by category: what is left after insurance, above a threshold, at a rate, capped.
  const rows = m.assistance.filter((a) => !blank(a.rate));
  if (rows.length) {
    const i = layers.length;
    const benefits = rows.map((a, k) => {
      const row = m.assistance.indexOf(a);
      const bp = `$.layers[${i}].editions[0].benefits[${k}]`;
      const b = { id: a.category, when: { categories: [a.category] }, base: { buckets: { inScope: "1" } } };
      at(`${bp}.rate.flat`, `assistance.${row}.rate`);
      if (!blank(a.threshold)) {
        b.deductible = { amount: cleanAmount(a.threshold), per: "year" };
        at(`${bp}.deductible.amount`, `assistance.${row}.threshold`);
      }
      b.rate = { flat: percentToRate(a.rate) };
      if (!blank(a.cap)) {
        b.caps = [{ amount: cleanAmount(a.cap), per: "year" }];
        at(`${bp}.caps[0].amount`, `assistance.${row}.cap`);
      }
      return b;
    });
    layers.push({
      id: "assistance",
      kind: "assistance",
      name: text(`${region.zh}医疗救助`, `${region.en} medical assistance`),
      requires: [{ when: { categories: rows.map((a) => a.category) }, reason: text("录入的医疗救助规则只包括所列的救助对象类别", "the assistance rules entered cover only the categories listed") }],
      editions: [edition(`$.layers[${i}].editions[0]`, benefits, [])],
    });
    order.push("assistance");
  }
  if (!order.includes("basic")) order.unshift("basic");
  order.push("million-medical");
  if (!order.includes("critical_illness")) order.splice(order.indexOf("million-medical"), 0, "critical_illness");
  if (!order.includes("assistance")) order.splice(order.indexOf("million-medical"), 0, "assistance");

  const pack = {
    id: `org-${code}`,
    kind: "region",
    name: region,
    version: `${(from || "2026").slice(0, 4)}.1`,
    rulesAsOf: from,
    extends: "cn-national",
    yearStart: "01-01",
    enteredBy: String(m.organisation || "").trim(),
    sources: { [SOURCE_ID]: source },
    layers,
    order,
    notes: [text(`由${String(m.organisation || "").trim()}根据所列文件录入（${MARK}）`, `Entered by ${String(m.organisation || "").trim()} from the document listed (${MARK})`)],
  };
  return { pack, fields };
}

function hasScheme(r) {
  return LEVELS.some((lv) => !blank(r.rate[lv]) || !blank(r.deductible[lv]));
}
const schemeZh = (s) => (s === "employee" ? "职工医保" : "城乡居民医保");
const levelZh = (lv) => ({ level1: "一级", level2: "二级", level3: "三级" })[lv] || lv;

function nextYear(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
  return m ? `${Number(m[1]) + 1}-${m[2]}-${m[3] === "29" && m[2] === "02" ? "28" : m[3]}` : date;
}

/** The model back from a pack this editor made; null for any other pack. */
export function fromPack(p) {
  if (!p || typeof p !== "object" || !(p.notes || []).some((n) => String(n?.en || "").includes(MARK))) return null;
  const m = emptyRules();
  m.organisation = p.enteredBy || "";
  m.regionZh = p.name?.zh || "";
  m.regionEn = p.name?.en || "";
  m.code = String(p.id || "").replace(/^org-/, "");
  m.from = p.rulesAsOf || "";
  const s = p.sources?.[SOURCE_ID] || {};
  m.source = {
    title: s.title || "", document: s.document || "", url: s.url || "", published: s.published || "", grade: s.grade || "A",
    until: s.validity?.until && s.validity.until !== "replaced" ? s.validity.until : "",
    review: s.validity?.review && s.validity.review !== nextYear(m.from) ? s.validity.review : "",
  };
  const layer = (id) => (p.layers || []).find((l) => l.id === id)?.editions?.[0];
  for (const b of layer("basic")?.benefits || []) {
    const scheme = b.when?.schemes?.[0];
    if (!m[scheme]) continue;
    const r = m[scheme];
    for (const row of b.deductible?.amount || []) if (row.when?.levels) r.deductible[row.when.levels[0]] = row.value;
    r.perAdmission = (b.deductible?.per || "encounter") === "encounter";
    for (const row of b.rate?.flat || []) {
      if (row.gap || !row.when?.levels) continue;
      const target = row.when.groups?.includes("retired") ? r.retiredRate : r.rate;
      target[row.when.levels[0]] = rateToPercent(row.value);
    }
    r.cap = b.caps?.[0]?.amount || "";
  }
  const le = layer("large_expense")?.benefits?.[0];
  if (le) m.largeExpense = { rate: rateToPercent(le.rate?.flat), cap: le.caps?.[0]?.amount || "" };
  const ci = layer("critical_illness")?.benefits?.[0];
  if (ci) {
    m.critical = {
      threshold: ci.deductible?.amount || "",
      measure: ci.rate?.bands?.measure || "net",
      bands: (ci.rate?.bands?.steps || []).map((st) => ({ from: st.from, rate: rateToPercent(st.rate) })),
      cap: ci.caps?.[0]?.amount || "",
    };
    if (!m.critical.bands.length) m.critical.bands = [{ from: "0", rate: "" }];
  }
  for (const b of layer("assistance")?.benefits || []) {
    const row = m.assistance.find((a) => a.category === b.id);
    if (!row) continue;
    row.threshold = b.deductible?.amount || "";
    row.rate = rateToPercent(b.rate?.flat);
    row.cap = b.caps?.[0]?.amount || "";
  }
  return m;
}

/** The form field behind an engine error's JSON path: the longest recorded prefix. */
export function fieldForPath(fields, path) {
  let best = null;
  for (const p of Object.keys(fields)) {
    if ((path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)) && (!best || p.length > best.length)) best = p;
  }
  return best ? fields[best] : null;
}
