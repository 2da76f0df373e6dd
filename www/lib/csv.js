// www/lib/csv.js — parse a pasted hospital bill (费用清单) as CSV or TSV, guess which column is
// which, and turn rows into engine items. Amount cells are read by lib/amount.js (the same
// parser as every amount field: 8万, 1,200.00, ¥2000, full-width digits); a cell it cannot read
// is reported with its line and column, never silently turned into another amount.
//
// API (stable):
//   parseTable(text)            → { header: string[] | null, rows: string[][], lines: number[], problems }
//                                 lines[i] is the pasted line (1-based) of rows[i]; problems lists
//                                 lines whose cell count differs from the header's (an unquoted
//                                 "8,000" splits into two cells) as { line, cells, expected }
//   guessColumns(header, rows)  → { description, class, amount, code, quantity } column indexes or -1
//   cleanAmount(cell)           → "1234.50" | "" (string only; "" when the cell is not an amount)
//   toItems(rows, mapping, lines) → { items: [{ description?, class, amount, code?, quantity? }],
//                                     problems: [{ line, column, typed, error }] }  (error: lib/amount.js)

import { parseAmount } from "./amount.js";

export function parseTable(text) {
  const all = String(text).replace(/\r\n?/g, "\n").split("\n");
  const numbered = all.map((l, i) => ({ l, line: i + 1 })).filter(({ l }) => l.trim() !== "");
  if (!numbered.length) return { header: null, rows: [], lines: [], problems: [] };
  const tab = numbered.some(({ l }) => l.includes("\t"));
  let rows = numbered.map(({ l }) => (tab ? l.split("\t") : splitCsv(l)).map((c) => c.trim()));
  let lines = numbered.map(({ line }) => line);
  const first = rows[0];
  const looksHeader = first.every((c) => cleanAmount(c) === "" || c === "");
  const header = looksHeader ? first : null;
  if (looksHeader) {
    rows = rows.slice(1);
    lines = lines.slice(1);
  }
  // The width a row should have: the header's, else the most common one.
  const counts = new Map();
  for (const r of rows) counts.set(r.length, (counts.get(r.length) || 0) + 1);
  const expected = header ? header.length : [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  const problems = rows.flatMap((r, i) => (r.length !== expected ? [{ line: lines[i], cells: r.length, expected }] : []));
  return { header, rows, lines, problems };
}

function splitCsv(line) {
  const out = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === "," || ch === "，") { out.push(cur); cur = ""; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

export function cleanAmount(cell) {
  const r = parseAmount(cell);
  return r.ok ? r.value : "";
}

const HINTS = {
  description: /名称|项目|药品|description|name|item/i,
  class: /类别|甲乙|分类|class|category|type/i,
  amount: /金额|费用|合计|amount|total|cost|price/i,
  code: /编码|代码|code/i,
  quantity: /数量|quantity|qty/i,
};

export function guessColumns(header, rows) {
  const n = Math.max(header?.length || 0, ...rows.map((r) => r.length));
  const map = { description: -1, class: -1, amount: -1, code: -1, quantity: -1 };
  if (header) {
    for (const key of Object.keys(HINTS)) {
      const i = header.findIndex((h, j) => HINTS[key].test(h) && !Object.values(map).includes(j));
      if (i >= 0) map[key] = i;
    }
  }
  for (let j = 0; j < n && (map.class < 0 || map.amount < 0 || map.description < 0); j++) {
    if (Object.values(map).includes(j)) continue;
    const cells = rows.map((r) => r[j] ?? "");
    if (map.class < 0 && cells.length && cells.every((c) => /^(甲|乙|丙|a|b|c)(类)?$/i.test(c))) map.class = j;
    else if (map.amount < 0 && cells.length && cells.every((c) => cleanAmount(c) !== "")) map.amount = j;
    else if (map.description < 0) map.description = j;
  }
  return map;
}

function normClass(c) {
  const s = String(c ?? "").trim().toLowerCase().replace("类", "");
  return { 甲: "a", 乙: "b", 丙: "c", a: "a", b: "b", c: "c" }[s] || s;
}

export function toItems(rows, mapping, lines = rows.map((_, i) => i + 1)) {
  const problems = [];
  const items = rows.map((r, i) => {
    const cell = mapping.amount >= 0 ? r[mapping.amount] ?? "" : "";
    const read = parseAmount(cell, { required: true });
    if (!read.ok) problems.push({ line: lines[i], column: mapping.amount + 1, typed: cell, error: read });
    const item = { class: mapping.class >= 0 ? normClass(r[mapping.class]) : "a", amount: read.ok ? read.value : cell };
    if (mapping.description >= 0 && r[mapping.description]) item.description = r[mapping.description];
    if (mapping.code >= 0 && r[mapping.code]) item.code = r[mapping.code];
    if (mapping.quantity >= 0 && /^\d+$/.test(r[mapping.quantity] ?? "")) item.quantity = Number(r[mapping.quantity]); // units, not money
    return item;
  });
  return { items, problems };
}
