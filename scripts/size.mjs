// Measures the optimised wasm: raw, gzip (level 9) and brotli (quality 11) sizes.
// Usage: node scripts/size.mjs [FILE] [--check] [--markdown]
//   --check     enforce scripts/size-budget.json: fail above the budget (150 KB gzipped),
//               unless a waiver there allows more, in which case fail above the waiver's
//               ceiling and warn loudly in between (delete the waiver to enforce the budget)
//   --markdown  print a BENCHMARKS.md table row
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const budgetFile = new URL("./size-budget.json", import.meta.url);
const { budgetGzipBytes, waiver } = JSON.parse(readFileSync(budgetFile, "utf8"));
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--")) || "pkg/tiercost_bg.wasm";
const bytes = readFileSync(file);
const raw = bytes.length;
const gzip = gzipSync(bytes, { level: 9 }).length;
const brotli = brotliCompressSync(bytes, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw },
}).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (args.includes("--markdown")) {
  console.log(`| ${file} | ${raw} B (${kb(raw)}) | ${gzip} B (${kb(gzip)}) | ${brotli} B (${kb(brotli)}) |`);
} else {
  console.log(`${file}: raw ${kb(raw)} (${raw} B), gzip ${kb(gzip)} (${gzip} B), brotli ${kb(brotli)} (${brotli} B)`);
}
if (args.includes("--check")) {
  if (gzip <= budgetGzipBytes) {
    console.log(`size budget ok: ${kb(gzip)} gzipped <= ${kb(budgetGzipBytes)} (${((100 * gzip) / budgetGzipBytes).toFixed(0)}% used)`);
    if (waiver) console.log("the size waiver in scripts/size-budget.json is no longer needed: delete it");
  } else if (waiver && gzip <= waiver.maxGzipBytes) {
    console.log(`WARNING: size budget EXCEEDED: ${kb(gzip)} gzipped > ${kb(budgetGzipBytes)}; allowed up to ${kb(waiver.maxGzipBytes)} by the waiver in scripts/size-budget.json: ${waiver.reason}`);
  } else {
    const limit = waiver ? waiver.maxGzipBytes : budgetGzipBytes;
    console.error(`size budget exceeded: ${kb(gzip)} gzipped > ${kb(limit)}${waiver ? " (the waiver's ceiling)" : ""}`);
    process.exit(1);
  }
}
