// The bills of the tiercost-vs-Publicodes comparison (tests/browser/compare-bench.mjs), and
// how each becomes a tiercost case (with the inline pack benches/compare/pack.json) and a
// Publicodes situation (for benches/compare/publicodes-rules.json).
//
// A bill is one inpatient admission, summed by class: `{ id, level, category, a, b, c }`,
// amounts in yuan as decimal strings. Hand-picked bills cover each edge (below a deductible,
// a half fen, each cap, the tilt, the assistance threshold); the rest are drawn from a seeded
// generator. They are kept in bills.json (also read by the native `compare` bench in
// benches/estimate.rs); `node benches/compare/bills.mjs --write` regenerates it.
//
// This module runs in Node and in the browser page (`agreement` is run in both), so it
// imports Node's modules only inside the functions that need them.

/** In Node: the bills, the inline pack and the Publicodes rules, as committed. */
export async function load() {
  const { readFileSync } = await import("node:fs");
  const read = (f) => JSON.parse(readFileSync(new URL(f, import.meta.url), "utf8"));
  return { bills: read("bills.json"), pack: read("pack.json"), rules: read("publicodes-rules.json") };
}

const LEVELS = ["level1", "level2", "level3"];
// Weighted: most patients hold no assistance category.
const CATEGORIES = [
  "none",
  "none",
  "none",
  "extreme_poverty",
  "minimum_living",
  "near_minimum_living",
];

const FIXED = [
  // Below the basic deductible: nothing paid.
  { level: "level3", category: "none", a: "150.00", b: "0", c: "20.00" },
  // The 乙类 first pay is a half fen (12.345): rounded half up.
  { level: "level1", category: "near_minimum_living", a: "500.00", b: "123.45", c: "0" },
  // Exactly at the 大病 threshold after basic.
  { level: "level3", category: "none", a: "28800.00", b: "0", c: "0" },
  // Basic cap reached (90% of 200000 > 150000), 大病 takes the rest into its second band.
  { level: "level1", category: "none", a: "180000.00", b: "20000.00", c: "5000.00" },
  // 大病 cap reached (300000), no assistance.
  { level: "level3", category: "none", a: "1200000.00", b: "150000.00", c: "40000.00" },
  // The same bill for 特困: no 大病 cap, +5 points, assistance cap reached.
  { level: "level3", category: "extreme_poverty", a: "1200000.00", b: "150000.00", c: "40000.00" },
  // 低保 on a middle bill.
  { level: "level2", category: "minimum_living", a: "152000.00", b: "30000.00", c: "6000.00" },
  // 低保边缘 under the 3000 assistance threshold.
  { level: "level2", category: "near_minimum_living", a: "3000.00", b: "1500.55", c: "300.00" },
  // Only out-of-catalogue costs.
  { level: "level3", category: "minimum_living", a: "0", b: "0", c: "8888.88" },
];

/** A seeded PRNG (mulberry32): the same bills on every run. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;

/** `n` bills (the fixed ones first), totals from about 100 to 1,000,000 yuan. */
export function generate(n = 40, seed = 20251201) {
  const r = rng(seed);
  const out = FIXED.slice(0, n).map((b, i) => ({ id: `fixed-${i + 1}`, ...b }));
  while (out.length < n) {
    const totalFen = Math.round(10 ** (4 + 4 * r())); // log-uniform, 100 to 1,000,000 yuan
    const wa = r();
    const wb = r() * (1 - wa);
    const a = Math.round(totalFen * wa);
    const b = Math.round(totalFen * wb);
    const c = totalFen - a - b;
    out.push({
      id: `drawn-${out.length + 1}`,
      level: LEVELS[Math.floor(r() * LEVELS.length)],
      category: CATEGORIES[Math.floor(r() * CATEGORIES.length)],
      a: yuan(a),
      b: yuan(b),
      c: yuan(c),
    });
  }
  return out;
}

/** The tiercost case for a bill: the pack travels inline, so every estimate reads it. */
export function toCase(bill, pack) {
  const items = [];
  for (const cls of ["a", "b", "c"]) {
    if (Number(bill[cls]) > 0) items.push({ amount: bill[cls], class: cls });
  }
  return {
    inlinePack: pack,
    member: { scheme: "resident", group: "adult", age: 50, category: bill.category },
    encounters: [
      { date: "2025-06-01", setting: "inpatient", level: bill.level, items, label: bill.id },
    ],
  };
}

/** The Publicodes situation for a bill (numbers: Publicodes has no decimal type). */
export function toSituation(bill) {
  return {
    "bill . level": `'${bill.level}'`,
    "bill . category": `'${bill.category}'`,
    "bill . class A": Number(bill.a),
    "bill . class B": Number(bill.b),
    "bill . class C": Number(bill.c),
  };
}

/** The four amounts compared, in fen, from a tiercost estimate. */
export function tiercostFen(estimate) {
  const paid = (id) => {
    const l = estimate.layers.find((x) => x.id === id);
    if (!l) throw new Error(`no layer ${id} in the estimate`);
    return fen(l.paid);
  };
  return {
    basic: paid("basic"),
    critical: paid("critical_illness"),
    assistance: paid("assistance"),
    patient: fen(estimate.patient.total),
  };
}

/** The Publicodes rules whose values are compared with tiercostFen's. */
export const PUBLICODES_RULES = {
  basic: "basic . paid",
  critical: "critical . paid",
  assistance: "assistance . paid",
  patient: "patient",
};

/** A decimal string of yuan ("1234.5", "-3.07") as integer fen, exactly. */
export function fen(text) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not an amount of yuan: ${text}`);
  const v = Number(m[2]) * 100 + Number((m[3] || "").padEnd(2, "0"));
  return m[1] ? -v : v;
}

/** Publicodes' float result as integer fen, refusing a value that is not on a whole fen. */
export function floatFen(x, what) {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new Error(`${what}: not a number: ${x}`);
  const f = Math.round(x * 100);
  if (Math.abs(x * 100 - f) > 1e-6) throw new Error(`${what}: ${x} is not a whole fen`);
  return f;
}

/**
 * Runs every bill through tiercost (`t`: the package, initialised) and Publicodes (`Engine`),
 * and compares the four amounts in fen. Returns `mismatches` (must be empty), `untouched`
 * (the bills on which Publicodes with `tolerance` 0, i.e. its own rounding, is a fen off:
 * reported, not enforced) and the average JSON sizes of a tiercost case and estimate.
 */
export function agreement(t, Engine, { bills, pack, rules }) {
  const quiet = { log() {}, warn() {}, error: console.error };
  const engine = new Engine(rules, { logger: quiet });
  const untouchedEngine = new Engine(
    { ...rules, tolerance: { ...rules.tolerance, valeur: 0 } },
    { logger: quiet },
  );
  const mismatches = [];
  const untouched = [];
  let caseBytes = 0;
  let resultBytes = 0;
  for (const bill of bills) {
    const c = toCase(bill, pack);
    const est = t.estimate(c);
    caseBytes += JSON.stringify(c).length;
    resultBytes += JSON.stringify(est).length;
    const want = tiercostFen(est);
    const got = (e) => {
      e.setSituation(toSituation(bill));
      return Object.fromEntries(
        Object.entries(PUBLICODES_RULES).map(([k, r]) => [k, floatFen(e.evaluate(r).nodeValue, `${bill.id} ${k}`)]),
      );
    };
    const [p, u] = [got(engine), got(untouchedEngine)];
    const off = [];
    for (const [k, v] of Object.entries(want)) {
      if (p[k] !== v) mismatches.push(`${bill.id} ${k}: tiercost ${v} fen, Publicodes ${p[k]} fen`);
      if (u[k] !== v) off.push(`${k} ${u[k] > v ? "+" : ""}${u[k] - v} fen`);
    }
    if (off.length) untouched.push(`${bill.id}: ${off.join(", ")}`);
  }
  return {
    mismatches,
    untouched,
    caseBytes: caseBytes / bills.length,
    resultBytes: resultBytes / bills.length,
  };
}

if (typeof process !== "undefined" && process.argv?.[2] === "--write") {
  const { fileURLToPath } = await import("node:url");
  const { writeFileSync } = await import("node:fs");
  if (process.argv[1] === fileURLToPath(import.meta.url)) {
    writeFileSync(new URL("bills.json", import.meta.url), `${JSON.stringify(generate(), null, 1)}\n`);
  }
}
