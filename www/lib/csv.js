// www/lib/csv.js — parse a pasted hospital bill (费用清单) as CSV or TSV, guess which column is
// which, and turn rows into engine items. Amount cells are cleaned as strings (¥, commas,
// spaces removed); nothing is parsed as a number.
//
// API (stable):
//   parseTable(text)            → { header: string[] | null, rows: string[][] }
//   guessColumns(header, rows)  → { description, class, amount, code, quantity } column indexes or -1
//   cleanAmount(cell)           → "1234.50" | "" (string only)
//   toItems(rows, mapping)      → [{ description?, class, amount, code?, quantity? }]

export function parseTable(text) {
  const lines = String(text).replace(/\r\n?/g, "\n").split("\n").filter((l) => l.trim() !== "");
  if (!lines.length) return { header: null, rows: [] };
  const tab = lines.some((l) => l.includes("\t"));
  const rows = lines.map((l) => (tab ? l.split("\t") : splitCsv(l)).map((c) => c.trim()));
  const first = rows[0];
  const looksHeader = first.every((c) => cleanAmount(c) === "" || c === "");
  return looksHeader ? { header: first, rows: rows.slice(1) } : { header: null, rows };
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
  const s = String(cell ?? "").replace(/[¥￥,\s元]/g, "");
  return /^\d+(\.\d{1,2})?$/.test(s) ? s : "";
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

export function toItems(rows, mapping) {
  return rows.map((r) => {
    const item = {
      class: mapping.class >= 0 ? normClass(r[mapping.class]) : "a",
      amount: mapping.amount >= 0 ? cleanAmount(r[mapping.amount]) || (r[mapping.amount] ?? "") : "",
    };
    if (mapping.description >= 0 && r[mapping.description]) item.description = r[mapping.description];
    if (mapping.code >= 0 && r[mapping.code]) item.code = r[mapping.code];
    if (mapping.quantity >= 0 && /^\d+$/.test(r[mapping.quantity] ?? "")) item.quantity = Number(r[mapping.quantity]); // units, not money
    return item;
  });
}
