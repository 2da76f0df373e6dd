#!/usr/bin/env node
// Prints the Subresource Integrity hashes of the widget's entry scripts, for the
// `integrity="…"` attribute of the script tags in docs/EMBED.md:
//
//   node www/widget/sri.mjs            # sha384 of tiercost-widget.js and frame-host.js
//   node www/widget/sri.mjs FILE…      # of other files
//
// Same as: openssl dgst -sha384 -binary FILE | openssl base64 -A
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const files = process.argv.length > 2 ? process.argv.slice(2) : [here("tiercost-widget.js"), here("frame-host.js")];
for (const file of files) {
  const hash = createHash("sha384").update(await readFile(file)).digest("base64");
  console.log(`sha384-${hash}  ${file}`);
}
