// Writes www/pkg/page-version.json: { version, files } — a hash of every file the page is
// made of (so the service worker, www/sw.js, can tell a new build from the one it holds) and
// the engine files it must keep for offline use whose names the build chooses (the glue's
// hashed snippets folder). scripts/build-pkg.sh runs it after the page's files are final.
// Usage: node scripts/page-version.mjs
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { filesUnder } from "./precompress.mjs";

const WWW = resolve(import.meta.dirname, "../www");
const OUT = join(WWW, "pkg", "page-version.json");

const hash = createHash("sha256");
const engine = [];
const names = (await filesUnder(WWW)).map((path) => relative(WWW, path).split(sep).join("/")).sort();
for (const name of names) {
  const path = join(WWW, name);
  if (/\.(br|gz)$/.test(name) || path === OUT) continue;
  hash.update(`${name}\0`).update(await readFile(path)).update("\0");
  // What the page can load from pkg/ at run time (not the schemas, types or docs).
  if (/^pkg\/(index\.js|tiercost(_planning)?(\.js|_bg\.wasm)|snippets\/.+\.js)$/.test(name)) engine.push(`./${name}`);
}
const version = hash.digest("hex").slice(0, 16);
await writeFile(OUT, JSON.stringify({ version, files: engine }, null, 2) + "\n");
console.log(`www/pkg/page-version.json: ${version} (${engine.length} engine files)`);
