// Measures the optimised wasm: raw, gzip (level 9) and brotli (quality 11) sizes.
// Usage: node scripts/size.mjs [FILE] [--check] [--markdown]
//   --check     exit 1 when the gzipped size is above the budget (150 KB = 153,600 bytes)
//   --markdown  print a BENCHMARKS.md table row
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const BUDGET_GZIP = 150 * 1024;
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--")) || "pkg/tiercost_bg.wasm";
const bytes = readFileSync(file);
const raw = bytes.length;
const gzip = gzipSync(bytes, { level: 9 }).length;
const brotli = brotliCompressSync(bytes, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_SIZE_HINT]: raw,
  },
}).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (args.includes("--markdown")) {
  console.log(`| ${file} | ${raw} (${kb(raw)}) | ${gzip} (${kb(gzip)}) | ${brotli} (${kb(brotli)}) |`);
} else {
  console.log(`${file}: raw ${kb(raw)} (${raw} B), gzip ${kb(gzip)} (${gzip} B), brotli ${kb(brotli)} (${brotli} B); budget ${kb(BUDGET_GZIP)} gzipped`);
}
if (args.includes("--check")) {
  if (gzip > BUDGET_GZIP) {
    console.error(`size budget exceeded: ${kb(gzip)} gzipped > ${kb(BUDGET_GZIP)}`);
    process.exit(1);
  }
  console.log(`size budget ok: ${kb(gzip)} gzipped <= ${kb(BUDGET_GZIP)} (${((100 * gzip) / BUDGET_GZIP).toFixed(0)}% used)`);
}
