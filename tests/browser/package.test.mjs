// Packaging smoke test: `npm pack` pkg/, install the tarball in a temporary folder, then
// - import it from Node (ESM) and estimate every case file, comparing with the native CLI
//   (this also checks the release, wasm-opt'd build, which the wasm-bindgen tests do not);
// - compile a TypeScript consumer against its types with `tsc --noEmit`;
// - load it in a page in headless Chromium and run one estimate.
// Needs: pkg/ built (make pkg) and the native CLI built (make pkg builds it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startServer } from "../../scripts/serve.mjs";
import { launch, watch } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
const CLI = join(TARGET, "debug", "tiercost");
const FIXTURE = join(ROOT, "tests/browser/fixtures/twenty-items.json");

let dir;
let installed;
let tiercost;

function caseFiles(d = join(ROOT, "tests/cases")) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? caseFiles(join(d, e.name)) : e.name.endsWith(".json") ? [join(d, e.name)] : [],
  );
}

/** The native CLI's answer for a case: { ok: JSON text } or { code }. */
function native(caseText) {
  try {
    const out = execFileSync(CLI, ["estimate", "-"], { input: caseText, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
    return { ok: JSON.stringify(JSON.parse(out)) };
  } catch (e) {
    // The CLI reports `error[code] at path: message`.
    const m = /^error\[(\w+)\] at (\S+?):? /m.exec(e.stderr || "");
    return { code: m?.[1], path: m?.[2], stderr: e.stderr };
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "tiercost-pack-"));
  const packed = JSON.parse(
    execFileSync("npm", ["pack", join(ROOT, "pkg"), "--json", "--pack-destination", dir], { encoding: "utf8" }),
  );
  const tarball = join(dir, packed[0].filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], { cwd: dir, stdio: "pipe" });
  installed = join(dir, "node_modules", "tiercost");
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the tarball holds the package files and nothing else", () => {
  const files = readdirSync(installed).sort();
  for (const f of ["index.js", "index.d.ts", "tiercost.js", "tiercost_bg.wasm", "package.json", "README.md", "schema", "types", "snippets"]) {
    assert.ok(files.includes(f), `missing ${f} in ${files}`);
  }
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  const cargo = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
  assert.equal(pkg.version, /^version = "([^"]+)"/m.exec(cargo)[1], "the package version is the crate's");
  assert.equal(pkg.exports["."].types, "./index.d.ts");
});

test("Node imports the installed package (ESM) and estimates", async () => {
  tiercost = await import(pathToFileURL(join(dir, "node_modules", "tiercost", "index.js")).href);
  await tiercost.init();
  const caseText = readFileSync(FIXTURE, "utf8");
  const e = tiercost.estimate(JSON.parse(caseText));
  assert.match(e.total, /^\d+\.\d{2}$/);
  assert.equal(JSON.stringify(e), native(caseText).ok, "the packaged wasm agrees with the native CLI");
  const v = tiercost.versions();
  assert.equal(typeof v.engine, "string");
  assert.ok(tiercost.listPacks().length > 0);
  assert.equal(tiercost.packSchema, undefined, "the schemas are not in the main entry");
  const schemas = await import(pathToFileURL(join(dir, "node_modules", "tiercost", "schemas.js")).href);
  assert.equal(schemas.packSchema().type, "object");
  assert.notEqual(schemas.packSchema(), schemas.packSchema(), "schemas are fresh copies");
  assert.throws(() => tiercost.compare(JSON.parse(caseText), []), { code: "not_initialized" });
  assert.throws(() => tiercost.estimate({ pack: "cn-wuhan", encounters: [{ items: [{ amount: NaN }] }] }), (err) => {
    assert.equal(err.name, "TiercostError");
    assert.equal(err.code, "number_not_string");
    assert.equal(err.path, "$.encounters[0].items[0].amount");
    return true;
  });
});

test("the packaged (release, wasm-opt) build agrees with the native CLI on every case file", () => {
  // The bad-input corpus's documents are validated, not estimated (tests/browser/corpus.test.mjs).
  const files = caseFiles().filter((f) => !JSON.parse(readFileSync(f, "utf8")).document);
  assert.ok(files.length > 0, "no case files");
  let same = 0;
  const differ = [];
  for (const f of files) {
    const caseText = JSON.stringify(JSON.parse(readFileSync(f, "utf8")).case);
    const want = native(caseText);
    let got;
    try {
      got = { ok: JSON.stringify(tiercost.estimate(JSON.parse(caseText))) };
    } catch (e) {
      got = { code: e.code, path: e.path };
    }
    const ok = want.ok !== undefined ? got.ok === want.ok : got.code === want.code && got.path === want.path;
    if (ok) same += 1;
    else differ.push(`${f}: native ${JSON.stringify(want).slice(0, 300)} / wasm ${JSON.stringify(got).slice(0, 300)}`);
  }
  assert.deepEqual(differ, [], `${differ.length} of ${files.length} case files differ`);
  assert.equal(same, files.length);
});

test("the planning module compares and plans, and estimates like the core module", async () => {
  const caseText = readFileSync(FIXTURE, "utf8");
  const c = JSON.parse(caseText);
  // A pack registered with the core module, and the upgrade to the planning module: the core
  // answers while the planning module loads, and the registration carries over.
  const inline = JSON.parse(readFileSync(join(ROOT, "examples/inline-pack-case.json"), "utf8"));
  const { inlinePack, ...named } = inline;
  const summary = tiercost.registerPack(inlinePack);
  named.pack = summary.id;
  const want = tiercost.estimate(inline);
  const upgrading = tiercost.init({ planning: true });
  assert.equal(tiercost.estimate(named).patient.total, want.patient.total, "the core answers during the upgrade");
  await upgrading;
  assert.equal(JSON.stringify(tiercost.estimate(named)), JSON.stringify(want), "registered = inline, after the upgrade");
  const totals = tiercost.estimate(named, { detail: "totals" });
  assert.equal(totals.detail, "totals");
  assert.deepEqual([totals.items, totals.sources], [[], {}]);
  assert.deepEqual(totals.layers.map((l) => l.paid), want.layers.map((l) => l.paid));
  assert.throws(() => tiercost.estimate(named, { detail: "some" }), { code: "invalid_value" });
  // Many cases in one call: the same fen as estimate(), case after case.
  const fen = (x) => Math.round(Number(x) * 100);
  const rows = tiercost.estimateFen([named, inline], { detail: "totals" });
  const n = want.layers.length;
  const row = [n, fen(want.total), fen(want.patient.total), fen(want.range?.low ?? want.patient.total), ...want.layers.map((l) => fen(l.paid))];
  assert.ok(rows instanceof Float64Array);
  assert.deepEqual(Array.from(rows), [...row, ...row]);
  assert.throws(() => tiercost.estimateFen([named, { member: {} }]), (e) => e.name === "TiercostError" && e.path.startsWith("$[1]"));
  assert.equal(tiercost.unregisterPack(summary.id), true);
  assert.throws(() => tiercost.estimate(named), { code: "unknown_pack", path: "$.pack" });
  assert.equal(JSON.stringify(tiercost.estimate(c)), native(caseText).ok);
  const variants = tiercost.commonVariants(c);
  assert.ok(Array.isArray(variants) && variants.length > 0, "no common variants");
  const cmp = tiercost.compare(c, variants);
  assert.equal(cmp.variants.length, variants.length);
  assert.equal(cmp.base.summary.total, "91778.30");
  assert.throws(() => tiercost.compare(c, [{ label: "x", patch: { member: { age: NaN } } }]), {
    code: "number_not_string",
    path: "$.variants[0].patch.member.age",
  });
  await tiercost.init(); // a plain init() now: the planning module stays (it does everything the core does)
});

test("the packaged types compile for a TypeScript consumer (tsc --noEmit)", () => {
  cpSync(join(ROOT, "tests/browser/consumer"), dir, { recursive: true });
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: dir, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test("Chromium loads the installed package in a page and estimates", async () => {
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>consumer</title><link rel="icon" href="data:,">
<script type="module">
  import { init, estimate } from "./node_modules/tiercost/index.js";
  const c = ${readFileSync(FIXTURE, "utf8")};
  await init();
  window.result = estimate(c);
</script>`,
  );
  const server = await startServer(dir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = watch(page, server.url);
    await page.goto(server.url);
    const result = await page.waitForFunction(() => window.result, null, { timeout: 20000 });
    const e = await result.jsonValue();
    assert.equal(JSON.stringify(e), native(readFileSync(FIXTURE, "utf8")).ok);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
