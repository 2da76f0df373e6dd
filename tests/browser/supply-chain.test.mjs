// Supply chain and static security checks (no browser needed, except where it says):
// - scripts/check-sinks.mjs passes on www/ and pkg-templates/, and catches each sink it
//   claims to (a file of seeded bad code);
// - docs/LICENSES.md is what scripts/licenses.mjs writes from `cargo metadata`, every licence
//   is allowed by deny.toml, and www/ ships no copy of a third-party file from node_modules/;
// - every npm dependency is locked (package-lock.json: a registry URL and an integrity hash
//   for each), and the shipped package has no dependency at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ALLOW, check, defaultFiles, scanHtml } from "../../scripts/check-sinks.mjs";
import { THIRD_PARTY_WWW, allowedLicences, crates, render, satisfied } from "../../scripts/licenses.mjs";

const ROOT = resolve(import.meta.dirname, "../..");

test("check-sinks: no string-to-code or string-to-DOM sink in www/ and pkg-templates/", async () => {
  const files = await defaultFiles();
  assert.ok(files.some((f) => f.endsWith("www/app.js")) && files.some((f) => f.endsWith("pkg-templates/index.js")));
  const { problems, unused } = await check(files);
  assert.deepEqual(problems, [], "run: node scripts/check-sinks.mjs");
  assert.deepEqual(unused, [], "stale allow-list entries in scripts/check-sinks.mjs");
  for (const a of ALLOW) assert.ok(a.why.length > 20, `allow-list entry without a reason: ${a.code}`);
});

test("check-sinks: catches each sink (seeded bad code), not comments or strings", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tiercost-sinks-"));
  try {
    const cases = {
      eval: ['eval(s)', 'window.eval(s)', 'globalThis["eval"](s)'],
      "function-ctor": ['new Function("return 1")', 'Function(s)'],
      "string-timer": ['setTimeout("go()", 1)', "setInterval(`go(${s})`, 1)", 'setTimeout("a" + s)'],
      "html-sink": ["el.innerHTML = s", 'el["outerHTML"] = s', "f.srcdoc = s", 'el.insertAdjacentHTML("beforeend", s)', "document.write(s)", "r.createContextualFragment(s)", 'new DOMParser().parseFromString(s, "text/html")', "el({ innerHTML: s })"],
      "event-attr": ['a.setAttribute("onclick", s)', 'a.onclick = "go()"'],
      "url-sink": ['a.setAttribute("href", s)', "location = s", "location.href = s", "window.location.assign(s)", "window.open(s)", "a.href = s", 'el("a", { href: s })'],
      "dynamic-code": ["import(s)", "new Worker(s)", "navigator.serviceWorker.register(s)", "importScripts(s)"],
    };
    const fine = [
      "// eval(s) and el.innerHTML = s in a comment",
      'const t = "document.write(s)";',
      "el.textContent = s;",
      'a.setAttribute("href", "#top");',
      "setTimeout(run, 250);",
      'import("./constant.js");',
      'el("a", { href: "#x", text: s });',
    ];
    for (const [rule, lines] of Object.entries(cases)) {
      for (const line of lines) {
        const file = join(dir, "bad.js");
        await writeFile(file, `${fine.join("\n")}\n${line};\n`);
        const { problems } = await check([file], { root: dir, allow: [] });
        assert.deepEqual(problems.map((p) => p.rule), [rule], `${line} → ${JSON.stringify(problems)}`);
      }
    }
    const html = scanHtml(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'">
       <script>go()</script><img src=x onerror="go()"><p style="color:red"><a href="javascript:go()">x</a>
       <script type="application/json">{"a":"</script>"}</script>`,
    );
    assert.deepEqual([...new Set(html.map((f) => f.rule))].sort(), ["csp", "event-attr", "inline-script", "inline-style", "url-sink"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("docs/LICENSES.md lists what the wasm is built from, and every licence is allowed", async () => {
  const doc = await readFile(join(ROOT, "docs/LICENSES.md"), "utf8");
  assert.equal(doc, await render(), "docs/LICENSES.md is out of date: node scripts/licenses.mjs");
  const allowed = await allowedLicences();
  assert.ok(allowed.includes("MIT") && allowed.includes("Apache-2.0"));
  const { shipped, build } = crates();
  assert.ok(shipped.some((c) => c.name === "serde_json") && shipped.some((c) => c.name === "wasm-bindgen"));
  assert.ok(!shipped.some((c) => c.name === "clap" || c.name === "proptest" || c.name === "schemars"), "a native-only crate is listed as shipped");
  assert.ok(build.some((c) => c.name === "serde_derive"), "proc macros are build-time");
  for (const c of [...shipped, ...build]) assert.ok(satisfied(c.license, allowed), `${c.name} ${c.version}: ${c.license}`);
  // The SPDX check itself.
  assert.equal(satisfied("MIT OR GPL-3.0", ["MIT"]), true);
  assert.equal(satisfied("MIT AND GPL-3.0", ["MIT"]), false);
  assert.equal(satisfied("(MIT OR Apache-2.0) AND Unicode-3.0", ["MIT", "Unicode-3.0"]), true);
  assert.equal(satisfied("GPL-3.0", ["MIT"]), false);
});

async function files(dir, pattern, skip = () => false, out = []) {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (skip(p)) continue;
    if (e.isDirectory()) await files(p, pattern, skip, out);
    else if (pattern.test(e.name)) out.push(p);
  }
  return out;
}
const sha = async (f) => createHash("sha256").update(await readFile(f)).digest("hex");

test("www/ ships no third-party JavaScript or CSS (no copy of a file in node_modules/), and loads nothing from elsewhere", async () => {
  const listed = new Set(THIRD_PARTY_WWW.map((f) => join(ROOT, "www", f.path)));
  const shipped = (await files(join(ROOT, "www"), /\.(m?js|css)$/, (p) => p.endsWith(join("www", "pkg")))).filter((f) => !listed.has(f));
  const allowed = await allowedLicences();
  const devDeps = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")).devDependencies;
  for (const f of THIRD_PARTY_WWW) {
    assert.ok(satisfied(f.license, allowed), `www/${f.path}: ${f.license} is not allowed by deny.toml`);
    // a vendored file is the package's own, unchanged, at the version the lock file pins
    assert.equal(devDeps[f.package], f.version, `www/${f.path}: ${f.package} ${f.version} is a pinned dev dependency`);
    assert.equal(await sha(join(ROOT, "www", f.path)), await sha(join(ROOT, "node_modules", f.package, f.from)), `www/${f.path} is node_modules/${f.package}/${f.from} unchanged`);
  }
  const ours = new Map();
  for (const f of shipped) ours.set(await sha(f), f);
  const theirs = await files(join(ROOT, "node_modules"), /\.(m?js|cjs|css)$/);
  assert.ok(theirs.length > 100, "node_modules/ is installed (npm ci)");
  for (const f of theirs) {
    const h = await sha(f);
    assert.ok(!ours.has(h), `${ours.get(h)} is a copy of ${f}: list it in THIRD_PARTY_WWW (scripts/licenses.mjs), then node scripts/licenses.mjs`);
  }
  for (const page of await files(join(ROOT, "www"), /\.html$/, (p) => p.endsWith(join("www", "pkg")))) {
    const html = await readFile(page, "utf8");
    for (const m of html.matchAll(/<(?:script|link|img|iframe)\b[^>]*?\s(?:src|href)=["']([^"']+)["']/gi)) {
      assert.ok(!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(m[1]) || m[1].startsWith("data:"), `${page} loads ${m[1]} from elsewhere`);
    }
  }
});

test("every npm dependency is locked; the shipped package depends on nothing", async () => {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
  const lock = JSON.parse(await readFile(join(ROOT, "package-lock.json"), "utf8"));
  assert.ok(lock.lockfileVersion >= 2, "lockfileVersion 2 or 3");
  assert.deepEqual(lock.packages[""].devDependencies, pkg.devDependencies, "package-lock.json is stale: npm install");
  assert.deepEqual(lock.packages[""].dependencies ?? {}, pkg.dependencies ?? {});
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    assert.ok(lock.packages[`node_modules/${name}`]?.version, `${name} is not in package-lock.json`);
  }
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "" || entry.link) continue;
    // The lockfile omits `resolved` (npm then fetches from the configured registry); where it
    // is given it must be the npm registry, never a git URL, a tarball URL or a file.
    if (entry.resolved !== undefined) assert.match(entry.resolved, /^https:\/\/registry\.npmjs\.org\//, `${path}: not from the npm registry`);
    assert.ok(entry.version, `${path}: no version`);
    assert.match(entry.integrity ?? "", /^sha512-/, `${path}: no sha512 integrity`);
  }
  // The npm package (pkg/, from pkg-templates/) ships with no dependency: nothing unlocked
  // reaches a user of the page, the widget or the package.
  const shipped = JSON.parse(await readFile(join(ROOT, "pkg-templates/package.json"), "utf8"));
  for (const k of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]) {
    assert.equal(shipped[k], undefined, `pkg-templates/package.json has ${k}`);
  }
  // No other package.json (a test fixture, a tool) installs anything without a lockfile.
  const manifests = await files(ROOT, /^package\.json$/, (p) => /node_modules|[/\\]target[/\\]?|[/\\]\.git$|[/\\]pkg$|[/\\]www[/\\]pkg$/.test(p));
  for (const m of manifests) {
    const j = JSON.parse(await readFile(m, "utf8"));
    const deps = Object.keys({ ...j.dependencies, ...j.devDependencies, ...j.optionalDependencies });
    if (m === join(ROOT, "package.json") || !deps.length) continue;
    const lockFile = join(m, "..", "package-lock.json");
    assert.ok(await readFile(lockFile).catch(() => null), `${m} has dependencies but no package-lock.json`);
  }
});
