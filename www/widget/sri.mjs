#!/usr/bin/env node
// Prints the Subresource Integrity hashes of the widget's entry scripts, for the
// `integrity="…"` attribute of the script tags in docs/EMBED.md:
//
//   node www/widget/sri.mjs              # sha384 of tiercost-widget.js and frame-host.js
//   node www/widget/sri.mjs FILE…        # of other files
//   node www/widget/sri.mjs --update-doc # also rewrite the hash block in docs/EMBED.md
//
// Same as: openssl dgst -sha384 -binary FILE | openssl base64 -A
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const args = process.argv.slice(2);
const update = args.includes("--update-doc");
const given = args.filter((a) => a !== "--update-doc");
const files = given.length ? given : [here("tiercost-widget.js"), here("frame-host.js")];
const sri = async (file) => `sha384-${createHash("sha384").update(await readFile(file)).digest("base64")}`;
for (const file of files) console.log(`${await sri(file)}  ${file}`);

if (update) {
  const doc = here("../../docs/EMBED.md");
  const text = await readFile(doc, "utf8");
  const next = text.replace(
    /(<!-- sri:tiercost-widget\.js -->\s*`)[^`]*(`)/,
    `$1${await sri(here("tiercost-widget.js"))}$2`,
  );
  if (next !== text) await writeFile(doc, next);
  console.log(next === text ? "docs/EMBED.md: up to date" : "docs/EMBED.md: hash updated");
}
