// www/lib/format.js — display formatting for tiercost results. Never does money arithmetic:
// amounts stay decimal strings ("45400.00") and are handed to Intl.NumberFormat as strings,
// which formats them exactly (no binary float).
//
// API (stable; the widget may import it):
//   money(decimal, lang)   "45400.00" → "¥45,400.00" (lang "zh" | "en")
//   rate(decimal, lang)    "0.85" → "85%"
//   text(obj, lang)        {zh, en} → the string in lang (falls back to the other)
//   isZero(decimal)        true for "0", "0.00", "-0.00"
//   compareDecimal(a, b)   -1 | 0 | 1 comparing two decimal strings (no float)
//   locale(lang)           "zh-CN" | "en"

export function locale(lang) {
  return lang === "zh" ? "zh-CN" : "en";
}

const moneyFormats = new Map();
const rateFormats = new Map();

export function money(decimal, lang = "zh") {
  if (decimal === undefined || decimal === null || decimal === "") return "";
  let f = moneyFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), {
      style: "currency",
      currency: "CNY",
      currencyDisplay: "narrowSymbol",
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    moneyFormats.set(lang, f);
  }
  return f.format(String(decimal)); // a string is formatted as an exact decimal
}

export function rate(decimal, lang = "zh") {
  if (decimal === undefined || decimal === null || decimal === "") return "";
  let f = rateFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), { style: "percent", maximumFractionDigits: 4 });
    rateFormats.set(lang, f);
  }
  return f.format(String(decimal));
}

export function text(t, lang = "zh") {
  if (!t) return "";
  if (typeof t === "string") return t;
  return t[lang] || t[lang === "zh" ? "en" : "zh"] || "";
}

export function isZero(decimal) {
  return /^-?0*(\.0*)?$/.test(String(decimal ?? "0"));
}

function parts(d) {
  let s = String(d).trim();
  const neg = s.startsWith("-");
  if (neg || s.startsWith("+")) s = s.slice(1);
  let [w, f = ""] = s.split(".");
  w = w.replace(/^0+/, "");
  f = f.replace(/0+$/, "");
  return { neg: neg && (w !== "" || f !== ""), w, f };
}

export function compareDecimal(a, b) {
  const x = parts(a);
  const y = parts(b);
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  const sign = x.neg ? -1 : 1;
  if (x.w.length !== y.w.length) return x.w.length < y.w.length ? -sign : sign;
  if (x.w !== y.w) return x.w < y.w ? -sign : sign;
  const n = Math.max(x.f.length, y.f.length);
  const xf = x.f.padEnd(n, "0");
  const yf = y.f.padEnd(n, "0");
  if (xf === yf) return 0;
  return xf < yf ? -sign : sign;
}

/** Today's date on the user's device (local time) as YYYY-MM-DD: the default date of care. */
export function today() {
  const d = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
