// www/lib/amount.js — amounts, percentages and counts as people type them, read into the exact
// strings the engine takes. One parser for the page, the widget, the year plan, the rules
// editor and a pasted bill (lib/csv.js).
//
// No money arithmetic: a unit (万, 千) moves the decimal point and "8万5千" fills digit slots, as
// a person reads it; nothing is ever a binary float.
//
// Accepted: 80000 · 80,000 · 80，000 · 8万 · 8.5万 · 8万5千 · 8千 · 5k · 8w · ８００００ (full-width)
//           ¥80000 · 80000元 · 8万元 · 80000.50 · " 80 000 " · 约8万
// Refused, each with why (AMOUNT_MESSAGES): empty when required; negative; 1e5 (scientific
// notation); more than MAX_AMOUNT (1亿); 8,00 (commas not in threes); 8.000 or 12.345 (more
// than two decimals); 8万5 (which 5?); 8万12千 (units that do not fit); 80000.5.3, "abc", 八万 (Chinese numerals).
//
// API (stable):
//   parseAmount(typed, { required })  → { ok: true, value: "85000" | "" } | { ok: false, code, vars }
//   parsePercent(typed)               → { ok: true, value: "0.85" | "" } | { ok: false, code, vars }  ("85", "85%", "85.5")
//   parseCount(typed, { min, max })   → { ok: true, value: 3 | null } | { ok: false, code, vars }     (age, household size)
//   inputMessage(err, lang)           → the sentence for a refusal, in zh-CN or en
//   MAX_AMOUNT                        "100000000"

export const MAX_AMOUNT = "100000000"; // ¥1亿: above any bill, any year of treatment

const UNITS = { 亿: 8, 万: 4, 千: 3, 百: 2, w: 4, k: 3 };

/** The sentence for each refusal: {typed}, {suggestion}, {alt}, {max}, {min} filled in. */
export const AMOUNT_MESSAGES = {
  zh: {
    amount_empty: "请填写金额（例如 50000 或 5万）。",
    bill_empty: "请填写这次的医疗费用总额（例如 50000 或 5万）。",
    amount_negative: "金额不能是负数：请去掉“-”号。",
    amount_exponent: "“{typed}”是科学计数法，不能当作金额：是否想填 {suggestion}？请直接写出数字。",
    amount_too_large: "“{typed}”比任何一张账单都大（超过 1 亿元）：是否多打了几个零？",
    amount_grouping: "“{typed}”中的逗号位置不对（千位分隔应每三位一个）：是否想填 {suggestion}{alt}？",
    amount_decimals: "“{typed}”的小数超过两位（金额最小到分）：是否想填 {suggestion}{alt}？",
    amount_unit_mixed: "“{typed}”不清楚：是指 {suggestion}{alt}？请写成例如 8.5万 或 85000。",
    amount_units: "“{typed}”的单位搭配不清楚：请写成例如 85000 或 8.5万。",
    amount_not_number: "“{typed}”不是金额：请只填数字，例如 50000、5万 或 8.5万。",
    alt_or: " 还是 {alt}",
    percent_not_number: "“{typed}”不是百分比：请填 0 到 100 之间的数字，例如 85 或 85%。",
    percent_too_large: "“{typed}”超过 100%：比例不能大于 100。",
    percent_negative: "比例不能是负数。",
    count_not_number: "“{typed}”不是整数：请只填数字。",
    count_range: "“{typed}”不在 {min} 到 {max} 之间：请检查。",
  },
  en: {
    amount_empty: "Please enter the amount (for example 50000 or 5万).",
    bill_empty: "Please enter the bill: the total for this visit or stay (for example 50000 or 5万).",
    amount_negative: "Amounts cannot be negative: please remove the “-”.",
    amount_exponent: "“{typed}” is scientific notation, not an amount: did you mean {suggestion}? Please write the number out.",
    amount_too_large: "“{typed}” is more than any bill (over ¥100,000,000): did you type too many zeros?",
    amount_grouping: "The commas in “{typed}” are not thousands separators (they come every three digits): did you mean {suggestion}{alt}?",
    amount_decimals: "“{typed}” has more than two decimals (amounts go down to the fen): did you mean {suggestion}{alt}?",
    amount_unit_mixed: "“{typed}” is unclear: did you mean {suggestion}{alt}? Please write it as, for example, 8.5万 or 85000.",
    amount_units: "The units in “{typed}” do not fit together: please write it as, for example, 85000 or 8.5万.",
    amount_not_number: "“{typed}” is not an amount: please enter digits only, for example 50000, 5万 or 8.5万.",
    alt_or: " or {alt}",
    percent_not_number: "“{typed}” is not a percentage: please enter a number from 0 to 100, for example 85 or 85%.",
    percent_too_large: "“{typed}” is more than 100%: a share cannot exceed 100.",
    percent_negative: "A share cannot be negative.",
    count_not_number: "“{typed}” is not a whole number: please enter digits only.",
    count_range: "“{typed}” is not between {min} and {max}: please check it.",
  },
};

/** The sentence for a refusal from parseAmount / parsePercent / parseCount. */
export function inputMessage(err, lang = "zh") {
  const m = AMOUNT_MESSAGES[lang === "en" ? "en" : "zh"];
  const vars = { ...(err.vars || {}) };
  vars.alt = vars.alt ? fill(m.alt_or, { alt: vars.alt }) : "";
  return fill(m[err.code] || m.amount_not_number, vars);
}

function fill(s, vars) {
  return s.replace(/\{(\w+)\}/g, (_, k) => (vars[k] === undefined ? "" : String(vars[k])));
}

// Full-width digits and punctuation (８００００，５．５％), ideographic spaces, the minus sign.
function normalise(typed) {
  return String(typed ?? "")
    .normalize("NFKC")
    .replace(/[\u2212\u2012\u2013\u2014\uFE63]/g, "-")
    .replace(/[\s\u00a0\u3000]+/g, "");
}

const fail = (code, vars = {}) => ({ ok: false, code, vars });

// "0085.50" → "85.50"; "" stays "".
function tidy(intDigits, frac) {
  const w = intDigits.replace(/^0+(?=\d)/, "") || "0";
  return frac ? `${w}.${frac}` : w;
}

// Moves the decimal point of a digits string `int`.`frac` right by `k` places (a unit).
function shift(int, frac, k) {
  const f = frac.padEnd(k, "0");
  return { int: int + f.slice(0, k), frac: f.slice(k) };
}

// What a number with too many decimals may have meant: when the decimals look like a
// thousands group (8.000), the integer; and the number cut to the fen (12.345 → 12.34).
function decimalSuggestions(int, frac) {
  const out = [];
  if (frac.length === 3 && int.length <= 3) out.push(tidy(int + frac, ""));
  out.push(tidy(int, frac.slice(0, 2)));
  return [...new Set(out)];
}

/** Reads a typed amount. `required`: an empty field is a refusal ("please enter the bill"). */
export function parseAmount(typed, { required = false, bill = false } = {}) {
  const shown = String(typed ?? "").trim();
  let s = normalise(typed);
  if (s === "") return required ? fail(bill ? "bill_empty" : "amount_empty") : { ok: true, value: "" };
  // what people put around a number: 约 / 大约 / about, ¥ / RMB / CNY, 元 / 块 / 元整 / yuan
  s = s.replace(/^(约|大约|大概|about|approx\.?|~)/i, "");
  s = s.replace(/^(¥|rmb|cny)/i, "").replace(/(元整|元|块钱|块|rmb|cny|yuan)$/i, "");
  if (/^[-]/.test(s) && /\d/.test(s)) return fail("amount_negative", { typed: shown });
  s = s.replace(/^\+/, "").replace(/^(¥|rmb|cny)/i, "");
  const exp = /^(\d+)(?:\.(\d+))?e\+?(\d{1,3})$/i.exec(s);
  if (exp) {
    const k = Number(exp[3]);
    if (k > 8 || exp[1].replace(/^0+/, "").length + k > 9) return fail("amount_too_large", { typed: shown });
    const { int, frac } = shift(exp[1], exp[2] || "", k);
    return fail("amount_exponent", { typed: shown, suggestion: tidy(int, frac.replace(/0+$/, "")) });
  }
  if (/e-/i.test(s) && /^\d/.test(s)) return fail("amount_exponent", { typed: shown, suggestion: "0" });

  // number-unit parts: 8万5千 · 8.5万 · 8000
  const parts = [];
  const re = /(\d[\d,]*(?:\.\d*)?|\.\d+)(亿|万|千|百|w|k)?/giy;
  let m;
  let at = 0;
  while (at < s.length && (m = re.exec(s))) {
    parts.push({ num: m[1], unit: m[2] ? m[2].toLowerCase() : "" });
    at = re.lastIndex;
  }
  if (at !== s.length || !parts.length) return fail("amount_not_number", { typed: shown });

  // a unit on every part but the last: 8..0 or 8.5.5 are not amounts
  if (parts.slice(0, -1).some((p) => !p.unit)) return fail("amount_not_number", { typed: shown });
  const read = [];
  for (const p of parts) {
    const r = readNumber(p.num, shown);
    if (!r.ok) return r;
    read.push({ ...r, unit: p.unit, k: UNITS[p.unit] || 0 });
  }
  let int;
  let frac;
  if (read.length === 1) {
    ({ int, frac } = shift(read[0].int, read[0].frac, read[0].k));
  } else {
    // 8万5千: each part after the first fills the digit slots below the one before it.
    const last = read.at(-1);
    if (!last.unit) {
      // 8万5: 8.5万 or 8万零5? (the bare 5 has no unit)
      const prev = read.at(-2);
      const head = read.slice(0, -1);
      const a = compose(head.concat([{ ...last, k: prev.k - 1, unit: "x" }]));
      const b = compose(head.concat([{ ...last, k: 0, unit: "x" }]));
      return fail("amount_unit_mixed", { typed: shown, suggestion: a ?? b ?? "", alt: a && b && a !== b ? b : "" });
    }
    const c = compose(read);
    if (c === null) return fail("amount_units", { typed: shown });
    [int, frac = ""] = c.split(".");
  }
  // 8.000 is 8 or 8000: more than two decimals as typed is refused, even zeros; after a unit
  // (1.234567万 = 12345.67) only digits that remain below the fen count.
  const typedFrac = read.length === 1 && !read[0].unit ? read[0].frac : frac.replace(/0+$/, "");
  if (typedFrac.length > 2) {
    const [a, b] = decimalSuggestions(int, typedFrac);
    return fail("amount_decimals", { typed: shown, suggestion: a, alt: b || "" });
  }
  frac = typedFrac;
  const value = tidy(int, frac);
  const whole = value.split(".")[0];
  const over = whole.length !== MAX_AMOUNT.length ? whole.length > MAX_AMOUNT.length : whole > MAX_AMOUNT || (whole === MAX_AMOUNT && /[1-9]/.test(frac));
  if (over) {
    return fail("amount_too_large", { typed: shown });
  }
  return { ok: true, value };
}

// Digits with optional thousands separators and decimals: "80,000.50" → {int "80000", frac "50"}.
function readNumber(num, shown) {
  const [w, f = "", ...more] = num.split(".");
  if (more.length) return fail("amount_not_number", { typed: shown });
  if (f.includes(",")) return fail("amount_not_number", { typed: shown });
  let int = w;
  if (w.includes(",")) {
    if (!/^\d{1,3}(,\d{3})+$/.test(w)) {
      const plain = tidy(w.replace(/,/g, ""), f);
      const lastComma = w.lastIndexOf(",");
      const after = w.slice(lastComma + 1);
      // 8,00 may be 8.00 written with a decimal comma
      const alt = !f && after.length > 0 && after.length <= 2 && !w.slice(0, lastComma).includes(",") ? tidy(w.slice(0, lastComma), after) : "";
      return fail("amount_grouping", { typed: shown, suggestion: plain, alt: alt && alt !== plain ? alt : "" });
    }
    int = w.replace(/,/g, "");
  }
  if (int === "" && f === "") return fail("amount_not_number", { typed: shown });
  return { ok: true, int: int || "0", frac: f };
}

// Fills digit slots: [{8, 万}, {5, 千}] → "85000". null when a lower part overflows its slot
// (8万12千) or carries decimals.
function compose(read) {
  let digits = null; // the integer digits so far, ending at slot `k`
  let k = 0;
  for (const [i, p] of read.entries()) {
    if (i === 0) {
      const s = shift(p.int, p.frac, p.k);
      if (s.frac.replace(/0+$/, "")) return null;
      digits = s.int;
      k = p.k;
      continue;
    }
    if (p.frac || p.k >= k) return null;
    const width = k - p.k;
    const v = p.int.replace(/^0+(?=\d)/, "");
    if (v.length > width) return null;
    // the slot below `k`, down to `p.k`, must be empty so far
    const tail = digits.slice(digits.length - k);
    if (/[1-9]/.test(tail.slice(0, width))) return null;
    digits = digits.slice(0, digits.length - k) + v.padStart(width, "0") + "0".repeat(p.k);
    k = p.k;
  }
  return digits.replace(/^0+(?=\d)/, "");
}

/** Reads a typed percentage ("85", "85%", "85.5") into a rate string ("0.85", "0.855"). */
export function parsePercent(typed) {
  const shown = String(typed ?? "").trim();
  const s = normalise(typed).replace(/%$/, "");
  if (s === "") return { ok: true, value: "" };
  if (/^-/.test(s)) return fail("percent_negative", { typed: shown });
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return fail("percent_not_number", { typed: shown });
  const whole = m[1].replace(/^0+(?=\d)/, "");
  const frac = (m[2] || "").replace(/0+$/, "");
  if (whole.length > 3 || (whole.length === 3 && (whole !== "100" || frac))) return fail("percent_too_large", { typed: shown });
  const w3 = whole.padStart(3, "0");
  const int = w3.slice(0, 1).replace(/^0$/, "0");
  const dec = (w3.slice(1) + frac).replace(/0+$/, "");
  return { ok: true, value: dec ? `${int}.${dec}` : int };
}

/** Reads a whole number within [min, max] (age 0–120, household size 1–30). */
export function parseCount(typed, { min = 0, max = 150 } = {}) {
  const shown = String(typed ?? "").trim();
  const s = normalise(typed).replace(/(周岁|岁|人|口|口人|years?|yrs?|people|persons?)$/i, "");
  if (s === "") return { ok: true, value: null };
  if (!/^\d+$/.test(s)) return fail("count_not_number", { typed: shown, min, max });
  const n = Number(s.replace(/^0+(?=\d)/, ""));
  if (s.length > 6 || n < min || n > max) return fail("count_range", { typed: shown, min, max });
  return { ok: true, value: n };
}
