// Writes the comparison bills (benches/compare/bills.mjs, the tiercost-vs-Publicodes bills:
// the 9 fixed ones, then drawn from the same seeded generator) as a table for `tiercost batch`:
//
//   node benches/batch/rows.mjs 1000000 > /tmp/bills.csv
//   node benches/batch/rows.mjs 1000000 --jsonl > /tmp/bills.jsonl
//
// Columns: id, level, category, a, b, c (amounts in yuan, exact decimal text). The template
// is examples/batch/template.json (the comparison pack inline) and the mapping
// benches/batch/mapping.json (BENCHMARKS.md, "Batch").
import { generate } from "../compare/bills.mjs";

const n = Number(process.argv[2] ?? 1000);
const jsonl = process.argv.includes("--jsonl");
const out = [];
const flush = () => {
  process.stdout.write(out.join(""));
  out.length = 0;
};
if (!jsonl) out.push("id,level,category,a,b,c\n");
for (const b of generate(n)) {
  out.push(
    jsonl
      ? `${JSON.stringify({ id: b.id, level: b.level, category: b.category, a: b.a, b: b.b, c: b.c })}\n`
      : `${b.id},${b.level},${b.category},${b.a},${b.b},${b.c}\n`,
  );
  if (out.length >= 10000) flush();
}
flush();
