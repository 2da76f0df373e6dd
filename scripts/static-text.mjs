// Writes the page's Chinese text into www/index.html, so the first paint — before any script
// has run, on a slow phone seconds before the engine arrives — shows the page as it will be
// (words and layout), not a frame of empty boxes that jumps when app.js fills it in. Each
// element with `data-t="key"` gets STRINGS.zh[key] (www/lib/strings.js), which app.js sets
// again (or replaces with the English) when it starts.
// Usage: node scripts/static-text.mjs [--check]   (--check: exit 1 if index.html is out of date;
// tests/browser/first-visit.test.mjs runs it)
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { STRINGS } from "../www/lib/strings.js";

const PAGE = resolve(import.meta.dirname, "../www/index.html");
const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** index.html with each data-t element's content set to its Chinese string. */
export function withText(html) {
  return html.replace(/(<(\w+)\b[^>]*\bdata-t="(\w+)"[^>]*>)([^<]*)(<\/\2>)/g, (all, open, tag, key, _text, close) => {
    const s = STRINGS.zh[key];
    if (typeof s !== "string") throw new Error(`www/index.html: data-t="${key}" has no string in www/lib/strings.js`);
    return `${open}${escape(s)}${close}`;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const html = await readFile(PAGE, "utf8");
  const next = withText(html);
  if (process.argv.includes("--check")) {
    if (next !== html) {
      console.error("www/index.html's text differs from www/lib/strings.js: node scripts/static-text.mjs");
      process.exit(1);
    }
  } else if (next !== html) {
    await writeFile(PAGE, next);
    console.log("www/index.html: text written from www/lib/strings.js");
  } else {
    console.log("www/index.html: text up to date");
  }
}
