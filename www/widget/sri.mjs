#!/usr/bin/env node
// Subresource Integrity for the widget: the sha384 hashes of what a host page loads.
//
//   node www/widget/sri.mjs                      # the two entry scripts (tiercost-widget.js, frame-host.js)
//   node www/widget/sri.mjs FILE…                # other files
//   node www/widget/sri.mjs --update-doc         # also rewrite the hash block in docs/EMBED.md
//   node www/widget/sri.mjs --check-doc          # exit 1 if that block is stale (make security-check)
//   node www/widget/sri.mjs --manifest OUT.json  # every file the widget loads (scripts/build-pkg.sh
//                                                # writes www/pkg/integrity.json this way)
//   node www/widget/sri.mjs --importmap BASE     # an import map pinning every module the widget
//                                                # imports, for the files hosted at BASE (docs/EMBED.md)
//
// The element's script tag pins tiercost-widget.js only; the modules it imports (core.js,
// styles.js, ../lib/format.js, the engine's ../pkg/*.js) are pinned by the import map's
// `integrity` field, and the engine's .wasm by the hash that scripts/assemble-pkg.mjs writes
// into pkg/index.js (fetched with `integrity`). Together they cover every file the widget
// loads. Same hash as: openssl dgst -sha384 -binary FILE | openssl base64 -A
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const WWW = resolve(here(".."));
/** The widget's module entry, its iframe-side and host-side scripts. */
export const ENTRIES = ["widget/tiercost-widget.js", "widget/frame-host.js"];
// tiercost-widget.js loads the engine with a dynamic import of ../pkg/index.js, which fetches
// the .wasm; embed.html loads embed.js and embed.css.
const ROOTS = ["widget/tiercost-widget.js", "pkg/index.js", "widget/embed.js"];
const EXTRA = ["widget/frame-host.js", "embed.html", "widget/embed.css", "pkg/tiercost_bg.wasm", "pkg/tiercost_planning_bg.wasm"];

export const sri = async (file) => `sha384-${createHash("sha384").update(await readFile(file)).digest("base64")}`;

/**
 * The imports of a module's source: static (import … from "x", export … from "x", import "x")
 * and dynamic with a constant name (import("x"): pkg/index.js loads each engine's glue so).
 */
export function importsOf(text) {
  const out = [];
  const re = /^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/gm;
  for (const m of text.matchAll(re)) out.push(m[1]);
  // (node: imports are Node's own modules, used only when the package runs in Node)
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) if (!m[1].startsWith("node:")) out.push(m[1]);
  return out;
}

/** Every module reachable from ROOTS by static relative imports, as paths relative to www/. */
export async function modules(www = WWW) {
  const seen = new Set();
  const visit = async (rel) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = await readFile(join(www, rel), "utf8");
    for (const spec of importsOf(text)) {
      if (!spec.startsWith(".")) throw new Error(`${rel} imports ${spec}: only relative imports can be pinned`);
      await visit(relative(www, resolve(dirname(join(www, rel)), spec.split("?")[0])).split("\\").join("/"));
    }
  };
  for (const r of ROOTS) await visit(r);
  return [...seen].sort();
}

/** { algorithm, modules: [paths], files: { path: hash } } for everything the widget loads. */
export async function manifest(www = WWW) {
  const mods = await modules(www);
  const files = {};
  for (const f of [...new Set([...mods, ...EXTRA])].sort()) files[f] = await sri(join(www, f));
  return { algorithm: "sha384", modules: mods, files };
}

/** The <script type="importmap"> block for files hosted at `base`, and the CSP hash of its text. */
export async function importMap(base, www = WWW) {
  const root = base.endsWith("/") ? base : `${base}/`;
  const m = await manifest(www);
  const integrity = {};
  for (const f of m.modules) if (f !== "widget/tiercost-widget.js") integrity[new URL(f, root).href] = m.files[f];
  const json = JSON.stringify({ integrity }, null, 2).replace(/</g, "\\u003c");
  const csp = `'sha256-${createHash("sha256").update(json).digest("base64")}'`;
  return { json, csp, html: `<script type="importmap">${json}</script>` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const take = (flag) => {
    const i = args.indexOf(flag);
    if (i < 0) return null;
    const [v] = args.splice(i, 2).slice(1);
    if (!v) throw new Error(`${flag} needs a value`);
    return v;
  };
  const update = args.includes("--update-doc");
  if (args.includes("--check-doc")) {
    const doc = await readFile(here("../../docs/EMBED.md"), "utf8");
    const have = /<!-- sri:tiercost-widget\.js -->\s*`([^`]*)`/.exec(doc)?.[1];
    const want = await sri(join(WWW, ENTRIES[0]));
    if (have !== want) {
      console.error(`docs/EMBED.md gives ${have} for tiercost-widget.js, not ${want}: node www/widget/sri.mjs --update-doc`);
      process.exit(1);
    }
    console.log("docs/EMBED.md: the SRI hash of tiercost-widget.js is current");
    process.exit(0);
  }
  const out = take("--manifest");
  const base = take("--importmap");
  const given = args.filter((a) => a !== "--update-doc");
  if (base) {
    const { html, csp } = await importMap(base);
    console.log(`${html}\n<!-- add ${csp} to your page's script-src (this block is an inline script) -->`);
  } else if (out) {
    const m = await manifest();
    await writeFile(out, JSON.stringify(m, null, 2) + "\n");
    console.log(`${out}: ${Object.keys(m.files).length} files, ${m.modules.length} modules`);
  } else {
    const files = given.length ? given : ENTRIES.map((e) => join(WWW, e));
    for (const file of files) console.log(`${await sri(file)}  ${file}`);
  }
  if (update) {
    const doc = here("../../docs/EMBED.md");
    const text = await readFile(doc, "utf8");
    const next = text.replace(/(<!-- sri:tiercost-widget\.js -->\s*`)[^`]*(`)/, `$1${await sri(join(WWW, ENTRIES[0]))}$2`);
    if (next !== text) await writeFile(doc, next);
    console.log(next === text ? "docs/EMBED.md: up to date" : "docs/EMBED.md: hash updated");
  }
}
