// Shared by the <tiercost-estimate> element, the iframe embed and the playground: labels,
// building a case from form strings, the summary sent with `tiercost:estimate`, and the
// colour-contrast guard for themes. Money is displayed with the page's www/lib/format.js.
//
// No money arithmetic happens here: amounts are decimal strings the engine returns, only
// reformatted for display (thousands separators, by splitting the string).

import { money } from "../lib/format.js";
import { parseAmount, parseCount, inputMessage } from "../lib/amount.js";
import { buildCase as buildCaseOf } from "../lib/case.js";
import { ERROR_SENTENCES, errorSentence } from "../lib/errors.js";
import { unId } from "../lib/explain.js";
export { fill } from "../lib/explain.js";

export const TEXT = {
  zh: {
    loading: "正在加载计算引擎…",
    waiting: "滚动到此处时加载计算器。",
    amount: "医疗费用总额（元）",
    scheme: "参保类型",
    level: "医院等级",
    date: "就诊日期",
    split: "费用构成",
    householdSize: "家庭人口",
    householdIncome: "家庭年收入（元）",
    category: "救助身份",
    categoryUnknown: "不清楚",
    categoryNone: "无",
    enrol: "已参加",
    run: "估算",
    total: "费用总额",
    covered: "各方合计支付",
    remainder: "您还需支付",
    programmeShare: "本项目支付",
    layer: "支付方",
    paid: "支付金额",
    status: "说明",
    ineligible: "不符合条件",
    needsInformation: "需要更多信息",
    notEnrolled: "未参加",
    noRules: "规则尚未收录",
    computed: "已计算",
    splitTypical: "不清楚（按本地区一般情况）",
    listSep: "、",
    error: "出错了",
    programmeError: "救助项目规则有误，计算器无法使用该项目：",
    engineError: "无法加载计算引擎：",
    unavailable: "计算器暂时无法在本页运行（文件未能加载）。您可以在独立页面上使用同一个计算器：",
    openFrame: "打开计算器（新窗口）",
    inputError: "输入有误：",
    privacy: "在您的设备上计算，您输入的内容不会离开本机。",
    rulesAsOf: "规则截至",
    estimateNote: "估算结果仅供参考，以实际结算为准。",
    warnings: "提示",
  },
  en: {
    loading: "Loading the calculator…",
    waiting: "The calculator loads when you scroll here.",
    amount: "Total medical bill (yuan)",
    scheme: "Insurance scheme",
    level: "Hospital level",
    date: "Date of care",
    split: "What the bill is made of",
    householdSize: "Household size",
    householdIncome: "Household income per year (yuan)",
    category: "Assistance status",
    categoryUnknown: "Not sure",
    categoryNone: "None",
    enrol: "Enrolled in",
    run: "Estimate",
    total: "Total bill",
    covered: "Paid by all layers",
    remainder: "Left for you to pay",
    programmeShare: "This programme pays",
    layer: "Who pays",
    paid: "Amount",
    status: "Note",
    ineligible: "not eligible",
    needsInformation: "needs information",
    notEnrolled: "not enrolled",
    noRules: "no rules here yet",
    computed: "computed",
    splitTypical: "Not sure (the region's usual mix)",
    listSep: ", ",
    error: "Something went wrong",
    programmeError: "The programme's rules have a problem, so the calculator cannot use them: ",
    engineError: "The calculation engine could not be loaded: ",
    unavailable: "The calculator cannot run on this page right now (its files did not load). The same calculator works on its own page:",
    openFrame: "Open the calculator (new window)",
    inputError: "Please check your input: ",
    privacy: "Calculated on your device: nothing you enter leaves this device.",
    rulesAsOf: "Rules as of",
    estimateNote: "An estimate for guidance; the actual settlement decides.",
    warnings: "Notes",
  },
};

/** Rough class splits (甲/乙/丙) for a bill given as a total, as exact decimal strings. */
export const SPLITS = [
  { value: "0.6,0.3,0.1", zh: "大部分在医保目录内（甲60%·乙30%·自费10%）", en: "mostly covered items (A 60%, B 30%, self-pay 10%)" },
  { value: "0.4,0.3,0.3", zh: "约三成自费药品或材料（甲40%·乙30%·自费30%）", en: "about 30% self-pay drugs or devices (A 40%, B 30%, C 30%)" },
  { value: "0.2,0.2,0.6", zh: "大部分为自费（甲20%·乙20%·自费60%）", en: "mostly self-pay (A 20%, B 20%, C 60%)" },
  { value: "1,0,0", zh: "全部为甲类", en: "all class A" },
];

/** "zh" or "en" from an attribute such as "zh-CN", "en-GB" or "" (default zh). */
export function langOf(value) {
  return String(value || "").toLowerCase().startsWith("en") ? "en" : "zh";
}

/** Picks one language from a {zh, en} text. */
export function pick(text, lang) {
  if (text == null) return "";
  if (typeof text === "string") return text;
  return String(text[lang] ?? text.zh ?? text.en ?? "");
}

/**
 * Formats a decimal string such as "45400.5" as "¥45,400.50", with the page's formatter
 * (www/lib/format.js: Intl.NumberFormat given the string, so exact — no float).
 */
export function yuan(decimal, lang = "zh") {
  return money(String(decimal ?? ""), lang);
}

/** Today's date (local) as YYYY-MM-DD. */
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * What the form's strings cannot be read as (lib/amount.js): [{ field, error }] with field
 * "amount" | "householdIncome" | "householdSize" and error a refusal for inputMessage(). The
 * engine is not asked while there are any.
 */
export function inputProblems(values) {
  const problems = [];
  const amount = parseAmount(values.amount, { required: true, bill: true });
  if (!amount.ok) problems.push({ field: "amount", error: amount });
  const income = parseAmount(values.householdIncome);
  if (!income.ok) problems.push({ field: "householdIncome", error: income });
  const size = parseCount(values.householdSize, { min: 1, max: 30 });
  if (!size.ok) problems.push({ field: "householdSize", error: size });
  return problems;
}

/** The sentence for a problem from inputProblems(). */
export { inputMessage };

/**
 * Builds a case from the form's strings with the page's builder (lib/case.js: amounts read
 * the same way; check inputProblems() first).
 * `values`: { pack, scheme, group, level, date, amount, split, householdSize, householdIncome,
 * category, diagnoses[], enrolments[] }; `programme`: a programme document, or a built-in id,
 * or null.
 */
export function buildCase(values, programme) {
  const encounter = {
    date: values.date || today(),
    setting: values.setting || "inpatient",
    level: values.level,
    mode: "quick",
    total: values.amount,
  };
  // The class split of the bill, as the portal states it ("0.6,0.3,0.1" = 甲/乙/丙); without
  // it the engine uses the pack's typical split and says so in a warning.
  const split = String(values.split || "").split(",").map((x) => x.trim());
  if (split.length === 3 && split.every((x) => x !== "")) {
    encounter.split = { classA: split[0], classB: split[1], classC: split[2] };
  }
  return buildCaseOf({ ...values, encounters: [encounter], programmes: programme ? [programme] : [] });
}

/**
 * The `tiercost:estimate` event's detail: the totals, each layer, what remains for the
 * family, and the programme's share — every amount exactly as the engine returned it.
 */
export function summarise(result, programmeId) {
  const layers = (result.layers || []).map((l) => ({
    id: l.id,
    kind: l.kind,
    pack: l.pack,
    name: l.name,
    paid: l.paid,
    status: l.outcome?.status,
    reason: l.outcome?.reason ?? null,
    input: l.outcome?.input ?? null,
    missing: l.outcome?.missing ?? null,
    ask: l.outcome?.ask ?? null,
  }));
  const range = result.range
    ? {
        low: result.range.low,
        high: result.range.high,
        uncertain: result.range.uncertain,
        undecided: result.range.undecided.map((u) => ({ layer: u.layer, name: u.name, status: u.status, what: u.what, nationalFloor: u.nationalFloor })),
      }
    : null;
  const mine = programmeId ? layers.filter((l) => l.pack === programmeId) : [];
  return {
    pack: result.packs?.[0]?.id ?? null,
    total: result.total,
    covered: result.covered,
    // With a range, `remainder` is its high end: show `range`, never `remainder` alone.
    remainder: result.patient?.total,
    range,
    layers,
    programme: programmeId
      ? {
          id: programmeId,
          layers: mine.map((l) => ({ id: l.id, paid: l.paid, status: l.status })),
          // One layer (every template, most programmes): its payment is the share. With
          // several layers, read `layers` (the widget does not add money up itself).
          paid: mine.length === 1 ? mine[0].paid : null,
          status: mine.length === 1 ? mine[0].status : null,
        }
      : null,
    // A source key in a warning becomes the source's title: no internal id reaches a family.
    warnings: (result.warnings || []).map((w) => ({
      code: w.code,
      message: { zh: unId(w.message?.zh, result.sources), en: unId(w.message?.en, result.sources) },
      path: w.path,
    })),
  };
}

/** The sentence for each engine error code, { code: { zh, en } } (lib/errors.js). */
export const EXPLAIN = ERROR_SENTENCES;

/** A plain object describing any thrown error: { code, path, message, problems[] }. */
export function describeError(e) {
  const problems = Array.isArray(e?.problems)
    ? e.problems.map((p) => ({ code: p.code, path: p.path, message: p.message }))
    : [];
  return {
    code: e?.code || "internal",
    path: e?.path || "$",
    message: String(e?.detail || e?.message || e),
    problems,
  };
}

/**
 * Lines of text for an error, one per problem: the sentence for its code (lib/errors.js), never
 * the engine's own text. `author`: a programme's author also sees the field's path and the code.
 */
export function errorLines(err, lang, { author = false } = {}) {
  const list = err.problems?.length ? err.problems : [err];
  const lines = list.map((p) => (author ? `${p.path || "$"} — ${errorSentence(p.code, lang)} [${p.code}]` : errorSentence(p.code, lang)));
  return [...new Set(lines)];
}

// ---- theme values given as text (the iframe's URL parameters and theme messages)

/**
 * The theme's names, shared by every form of the widget: `accent` is `--tiercost-accent` on
 * the element, `?accent=` on embed.html and `theme.accent` in a `tiercost:theme` message.
 */
export const THEME_KEYS = ["accent", "bg", "text", "muted", "border", "font-size", "radius"];
const THEME_COLOURS = new Set(["accent", "bg", "text", "muted", "border"]);
const THEME_SIZES = { "font-size": [12, 24], radius: [0, 24] };

/**
 * A theme value as given (text from a URL or a message) → the CSS value to set, or null when
 * it is not one of the accepted forms: colours `#rgb`, `#rrggbb` or `rgb(r, g, b)` (0–255,
 * returned as `#rrggbb`); `font-size` 12–24 and `radius` 0–24, in px (`"18"` or `"18px"`).
 * The result is rebuilt from the parsed numbers, never the input text.
 */
export function themeValue(key, value) {
  if (typeof value !== "string" || value.length > 40) return null;
  const v = value.trim().toLowerCase();
  if (THEME_COLOURS.has(key)) {
    let rgb = null;
    let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(v);
    if (m) rgb = m.slice(1).map((h) => parseInt(h + h, 16));
    m = m || /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(v);
    if (m && !rgb) rgb = m.slice(1).map((h) => parseInt(h, 16));
    const f = !m && /^rgb\(\s*(\d{1,3})\s*(?:,\s*|\s+)(\d{1,3})\s*(?:,\s*|\s+)(\d{1,3})\s*\)$/.exec(v);
    if (f) rgb = f.slice(1).map(Number);
    if (!rgb || rgb.some((c) => !(c >= 0 && c <= 255))) return null;
    return `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
  }
  const range = THEME_SIZES[key];
  if (range) {
    const m = /^(\d{1,2})(\.\d{1,2})?(px)?$/.exec(v);
    if (!m) return null;
    const n = Number(m[1] + (m[2] || ""));
    return n >= range[0] && n <= range[1] ? `${n}px` : null;
  }
  return null;
}

/**
 * The valid entries of a theme (a plain object or URLSearchParams): { "--tiercost-accent":
 * "#7a1f2b", … }. Unknown keys and invalid values are left out; in an object, `null` means
 * "back to the default" (the variable maps to null).
 */
export function themeProperties(source) {
  const out = {};
  const get = (k) => (typeof source?.get === "function" ? source.get(k) : Object.hasOwn(source ?? {}, k) ? source[k] : undefined);
  for (const key of THEME_KEYS) {
    const raw = get(key);
    if (raw === undefined || (raw === null && typeof source?.get === "function")) continue;
    if (raw === null) out[`--tiercost-${key}`] = null;
    else {
      const value = themeValue(key, raw);
      if (value) out[`--tiercost-${key}`] = value;
    }
  }
  return out;
}

// ---- contrast

function rgbOf(color, doc = document) {
  // The canvas resolves any CSS colour syntax (named, hex, rgb, hsl, oklch…) to sRGB bytes.
  const canvas = doc.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return null;
  ctx.fillStyle = "#000";
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
  return a === 0 ? null : [r, g, b];
}

function luminance([r, g, b]) {
  const f = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** WCAG contrast ratio of two CSS colours (1 to 21), or null if one cannot be read. */
export function contrast(a, b, doc = document) {
  const x = rgbOf(a, doc);
  const y = rgbOf(b, doc);
  if (!x || !y) return null;
  const [l1, l2] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (l1 + 0.05) / (l2 + 0.05);
}

/** Of black-ish and white, the one that reads better on `background`. */
export function readableOn(background, doc = document) {
  const dark = "#111111";
  const light = "#ffffff";
  return (contrast(dark, background, doc) ?? 21) >= (contrast(light, background, doc) ?? 0) ? dark : light;
}
