#!/usr/bin/env node
// Writes docs/LICENSES.md: the licence of everything the page and the widget ship, i.e. the
// Rust crates compiled into the wasm (the normal dependencies of the crate `tiercost-wasm` for
// wasm32-unknown-unknown with the feature `wasm-planning`, resolved by `cargo tree` — which,
// unlike `cargo metadata`, resolves features for that crate alone, not for the whole workspace
// with the CLI's — and described by `cargo metadata`; proc macros and build scripts run on the
// build machine and are listed apart) and the JavaScript in www/ (tiercost's own, and the glue
// wasm-bindgen generates into www/pkg/).
//
//   node scripts/licenses.mjs            # rewrite docs/LICENSES.md
//   node scripts/licenses.mjs --check    # exit 1 if docs/LICENSES.md is not what it would write
//
// Every licence must be one deny.toml allows (cargo deny checks the whole graph the same way).
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const DOC = join(ROOT, "docs/LICENSES.md");
export const FEATURES = "wasm-planning";
const TARGET = "wasm32-unknown-unknown";
/** The crate the wasm is built from (wasm/), and the core it wraps. */
const BOUNDARY = "tiercost-wasm";
const CORE = "tiercost";

/**
 * Third-party files shipped in www/ (a vendored library): { path (under www/), package,
 * version, license, from (the file in node_modules/<package>/ it is an exact copy of) }. A file
 * copied from node_modules/ into www/ must be listed here (tests/browser/supply-chain.test.mjs
 * fails otherwise, and checks that the copy is byte for byte the package's file, the package
 * a locked dev dependency at that version) and its licence must be allowed.
 */
export const THIRD_PARTY_WWW = [
  // QR code of the share link on the printed handout (www/handout.js), generated on the device
  { path: "lib/vendor/uqr.js", package: "uqr", version: "0.1.3", license: "MIT", from: "dist/index.mjs" },
];

/** The `allow = [...]` licences of deny.toml's [licenses] table. */
export async function allowedLicences(root = ROOT) {
  const toml = await readFile(join(root, "deny.toml"), "utf8");
  const table = /^\[licenses\]([\s\S]*?)(?=^\[)/m.exec(toml)?.[1] ?? "";
  const list = /^allow\s*=\s*\[([\s\S]*?)\]/m.exec(table)?.[1] ?? "";
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** Is an SPDX expression satisfied by the allowed licences? (AND, OR, parentheses.) */
export function satisfied(expr, allowed) {
  const tokens = expr.replace(/\(/g, " ( ").replace(/\)/g, " ) ").split(/\s+/).filter(Boolean);
  let i = 0;
  const primary = () => {
    const t = tokens[i++];
    if (t === "(") {
      const v = or();
      i++; // ")"
      return v;
    }
    return allowed.includes(t.replace(/\+$/, ""));
  };
  const and = () => {
    let v = primary();
    while (tokens[i] === "AND") {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const or = () => {
    let v = and();
    while (tokens[i] === "OR") {
      i++;
      v = and() || v;
    }
    return v;
  };
  return tokens.length > 0 && or();
}

/** The crates: { shipped: [pkg], build: [pkg] }, each { name, version, license, repository }. */
export function crates(root = ROOT) {
  const run = (args) =>
    execFileSync("cargo", args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "pipe"] });
  // `name version` of every crate `tiercost-wasm` depends on through the given kinds of edge.
  const tree = (edges) =>
    new Set(
      run(["tree", "--locked", "-p", BOUNDARY, "--target", TARGET, "--features", FEATURES, "--edges", edges, "--prefix", "none", "--format", "{p}"])
        .split("\n")
        .map((line) => /^(\S+) v(\S+)/.exec(line))
        .filter(Boolean)
        .map((m) => `${m[1]} ${m[2]}`),
    );
  // Shipped: normal dependencies, not through a proc macro. Build-time: what else the build
  // uses (proc macros, build dependencies and everything under them).
  const shippedKeys = tree("normal,no-proc-macro");
  const buildKeys = [...tree("normal,build")].filter((k) => !shippedKeys.has(k));
  const meta = JSON.parse(run(["metadata", "--format-version", "1", "--locked", "--filter-platform", TARGET]));
  const pkgs = new Map(meta.packages.map((p) => [`${p.name} ${p.version}`, p]));
  const rows = (keys) =>
    [...keys]
      .filter((k) => !k.startsWith(`${BOUNDARY} `) && !k.startsWith(`${CORE} `))
      .map((k) => pkgs.get(k))
      .map((p) => ({ name: p.name, version: p.version, license: p.license ?? "(none: see its license_file)", repository: p.repository ?? "" }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const self = meta.packages.find((p) => p.name === CORE && p.source === null);
  return { self: { name: self.name, version: self.version, license: self.license }, shipped: rows(shippedKeys), build: rows(buildKeys) };
}

/** The text of docs/LICENSES.md. */
export async function render(root = ROOT) {
  const { self, shipped, build } = crates(root);
  const bindgen = shipped.find((c) => c.name === "wasm-bindgen");
  const table = (list) => [
    "| crate | version | licence | source |",
    "|---|---|---|---|",
    ...list.map((c) => `| ${c.name} | ${c.version} | ${c.license} | ${c.repository} |`),
  ];
  return [
    "# Licences of what the page ships",
    "",
    "<!-- Generated by `node scripts/licenses.mjs` from `cargo metadata`; do not edit. The browser",
    "     tests (tests/browser/supply-chain.test.mjs) fail when it differs from what is shipped. -->",
    "",
    `The page (\`www/\`), the widget and the npm package ship three kinds of code. All of it is under`,
    `licences that \`deny.toml\` allows (\`cargo deny check licenses\`, part of \`make test\`).`,
    "",
    "## JavaScript, CSS and HTML",
    "",
    `- Everything in \`www/\` outside \`www/pkg/\`, and \`pkg-templates/\`: written for tiercost, ${self.license}${THIRD_PARTY_WWW.length ? ", except the files below" : ""}.`,
    ...(THIRD_PARTY_WWW.length
      ? THIRD_PARTY_WWW.map((f) => `  - \`www/${f.path}\`: ${f.package} ${f.version}, ${f.license}`)
      : ["  No third-party JavaScript, CSS or font is shipped or loaded."]),
    `  (The tests check that no file in \`www/\` is an unlisted copy of one in \`node_modules/\`, and`,
    `  that pages request nothing off their origin.)`,
    `- \`www/pkg/tiercost.js\`, \`tiercost_planning.js\`, \`snippets/\`: glue generated by wasm-bindgen-cli ${bindgen?.version ?? "?"}`,
    `  (${bindgen?.license ?? "?"}).`,
    "- The npm dev tools in `package.json` build and test; none of their code is shipped (the npm",
    "  package itself has no dependency).",
    "",
    `## Rust crates compiled into the wasm (${shipped.length})`,
    "",
    `The normal dependencies of \`${BOUNDARY}\` (\`wasm/\`, the JavaScript boundary around the core \`${self.name}\` ${self.version}) for \`${TARGET}\` with \`--features ${FEATURES}\``,
    "(the larger of the two modules; the other uses a subset), besides tiercost itself and Rust's",
    "standard library (`core`, `alloc`, `std`, with its wasm32 allocator `dlmalloc`: MIT OR Apache-2.0):",
    "",
    ...table(shipped),
    "",
    `## Build-time only (${build.length}): proc macros and what they use, not in the wasm`,
    "",
    ...table(build),
    "",
  ].join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await render();
  const allowed = await allowedLicences();
  const { shipped, build } = crates();
  const bad = [...shipped, ...build, ...THIRD_PARTY_WWW.map((f) => ({ name: f.package, version: f.version, license: f.license }))].filter((c) => !satisfied(c.license, allowed));
  for (const c of bad) console.error(`${c.name} ${c.version}: licence ${c.license} is not allowed by deny.toml`);
  if (process.argv.includes("--check")) {
    const have = await readFile(DOC, "utf8").catch(() => "");
    if (have !== text) {
      console.error("docs/LICENSES.md is out of date: node scripts/licenses.mjs");
      process.exit(1);
    }
    console.log(`docs/LICENSES.md: up to date (${shipped.length} crates shipped, ${build.length} build-time)`);
  } else {
    await writeFile(DOC, text);
    console.log(`docs/LICENSES.md: ${shipped.length} crates shipped, ${build.length} build-time`);
  }
  if (bad.length) process.exit(1);
}
