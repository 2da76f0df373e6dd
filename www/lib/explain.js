// www/lib/explain.js — plain sentences (zh / en) for an estimate's settlement steps, and the
// per-settlement summary a layer table shows (base, deductible, rate, cap). The words are the
// templates of lib/explain-text.js, which the CLI renders too (src/results/wording.rs): fill()
// here and wording::fill there follow the same rules, on the same JSON. Only formats what the
// engine returned; no arithmetic on money.
//
// API (stable):
//   stepSentence(step, lang, fmt?)      → string (one sentence for one step; "" for a step with
//                                         nothing to say, such as rounding that changed nothing)
//   fill(key, lang, value, fmt?)        → the template `key` of lib/explain-text.js on `value`
//                                         (fmt: { money(decimal, lang), rate(decimal, lang) },
//                                         format.js's by default)
//   settlementSummary(settlement)       → { base, deductible, rates: [rate], cap, capReduction }
//   unId(text, sources)                 → text with each source key replaced by its title and
//                                         any other internal id left out
//   sourceLine(sourceKey, sources, lang)→ "title (document), published …, grade X"

import { money, rate, text } from "./format.js";
import { EXPLAIN_TEXT } from "./explain-text.js";

const FORMAT = { money, rate };

function get(v, path) {
  if (path === ".") return v;
  let x = v;
  for (const k of path.split(".")) x = x == null ? undefined : x[k];
  return x === null ? undefined : x;
}

function plain(x, lang) {
  if (x === undefined || x === null) return "";
  if (typeof x === "object" && !Array.isArray(x)) return text(x, lang === "zh" ? "zh" : "en");
  return String(x);
}

function truthy(x) {
  if (Array.isArray(x)) return x.length > 0;
  return x !== undefined && x !== null && x !== false && x !== 0 && x !== "";
}

function holds(cond, v) {
  if (cond.startsWith("!")) return !truthy(get(v, cond.slice(1)));
  const ne = cond.indexOf("!=");
  const eq = cond.indexOf("=");
  if (eq < 0) return truthy(get(v, cond));
  const [path, negate, rhs] = ne >= 0 ? [cond.slice(0, ne), true, cond.slice(ne + 2)] : [cond.slice(0, eq), false, cond.slice(eq + 1)];
  const other = rhs.startsWith("@") ? plain(get(v, rhs.slice(1)), "") : rhs;
  return (plain(get(v, path), "") === other) !== negate;
}

const joined = (parts, sep) => parts.filter((p) => p !== "").join(sep);

function value(spec, lang, v, fmt) {
  const bar = spec.indexOf("|");
  const [path, filter] = bar < 0 ? [spec, ""] : [spec.slice(0, bar), spec.slice(bar + 1)];
  const x = get(v, path);
  if (x === undefined) return "";
  const [name, a = "", b = ""] = filter.split(":");
  const items = Array.isArray(x) ? x : [];
  switch (name) {
    case "money": return fmt.money(plain(x, lang), lang);
    case "rate": return fmt.rate(plain(x, lang), lang);
    case "next": return typeof x === "number" ? String(x + 1) : "";
    case "word": return fill(`${a}.${plain(x, lang)}`, lang, null, fmt);
    case "join": return joined(items.map((e) => plain(e, lang)), fill(a, lang, null, fmt));
    case "each": return joined(items.map((e) => fill(a, lang, e, fmt)), fill(b, lang, null, fmt));
    case "pairs": return joined(Object.entries(x).map(([k, e]) => `${k}=${plain(e, lang)}`), ", ");
    default: return plain(x, lang);
  }
}

function expand(t, lang, v, fmt) {
  let out = "";
  let rest = t;
  for (let open = rest.indexOf("{"); open >= 0; open = rest.indexOf("{")) {
    out += rest.slice(0, open);
    rest = rest.slice(open);
    const close = rest.indexOf("}");
    if (close < 0) break;
    const spec = rest.slice(1, close);
    rest = rest.slice(close + 1);
    if (spec.startsWith("?")) {
      const end = rest.indexOf("{/}");
      const [body, after] = end < 0 ? [rest, ""] : [rest.slice(0, end), rest.slice(end + 3)];
      if (holds(spec.slice(1), v)) out += expand(body, lang, v, fmt);
      rest = after;
    } else {
      out += value(spec, lang, v, fmt);
    }
  }
  return out + rest;
}

export function fill(key, lang, v, fmt = FORMAT) {
  const t = EXPLAIN_TEXT[key];
  return t ? expand(lang.startsWith("zh") ? t.zh : t.en, lang, v ?? null, fmt) : "";
}

export function stepSentence(s, lang = "zh", fmt = FORMAT) {
  return EXPLAIN_TEXT[`step.${s.step}`] ? fill(`step.${s.step}`, lang, s, fmt) : `${s.step}`;
}

export function settlementSummary(st) {
  const out = { base: "", deductible: "", rates: [], cap: "", capReduction: "", per: "" };
  for (const s of st.steps || []) {
    if (s.step === "base") out.base = s.amount;
    else if (s.step === "deductible") out.deductible = s.applied;
    else if (s.step === "band") { if (!out.rates.includes(s.rate)) out.rates.push(s.rate); }
    else if (s.step === "cap") { out.cap = s.limit; out.capReduction = s.reduction; out.per = s.per; }
  }
  return out;
}

export function sourceLine(key, sources, lang = "zh") {
  const s = sources?.[key];
  if (!s) return key;
  const bits = [s.title];
  if (s.document) bits.push(s.document);
  if (s.published) bits.push(fill("source.published", lang, s));
  if (s.grade) bits.push(fill("source.grade", lang, s));
  return bits.filter(Boolean).join(fill("sep.list", lang));
}

// Internal ids (a source key "cn-wuhan/wh-kuyiso", a pack id) never reach a family, on the
// page or on paper: a source key in a message is replaced by the source's title.
export function unId(s, sources) {
  let out = String(s ?? "");
  const title = (v) => (v?.title ? `“${v.title}”` : "");
  // Only where a key stands whole ("…/bj-s1" is not the start of "…/bj-s13"), longest first.
  const whole = (key) => new RegExp(`(?<![\\w/-])${key.replace(/[^\w]/g, "\\$&")}(?![\\w-])`, "g");
  const entries = Object.entries(sources || {}).sort((a, b) => b[0].length - a[0].length);
  for (const [k, v] of entries) out = out.replace(whole(k), title(v));
  // a key without its pack ("bj-s1"), as a source's own title may cite another
  for (const [k, v] of entries) {
    const local = k.split("/").at(-1);
    if (local !== k) out = out.replace(whole(local), title(v));
  }
  return out.replace(/\b(cn|pap|template|org)-[a-z0-9-]+(\/[a-z0-9-]+)?\b/g, "").replace(/\s*\(\s*\)|（\s*）/g, "");
}
