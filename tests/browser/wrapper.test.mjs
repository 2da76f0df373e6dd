// The package wrapper (pkg-templates/index.js) on its own, against a stand-in for the
// wasm-bindgen glue whose `estimate` traps like a panicking module does (it throws a real
// WebAssembly.RuntimeError): the crash is reported as a fatal TiercostError, later calls
// fail the same way until the module is re-instantiated, and then everything works again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "../..");
let dir;
let t;

// A stand-in glue module. Each instance (index.js re-imports it with ?instance=N on reload)
// has its own `instance` number, as real glue modules have their own wasm instance.
const GLUE = `
let instance = 0;
let panicListener = null;
export function initSync({ module }) {
  if (!(module instanceof WebAssembly.Module)) throw new Error("expected a compiled module");
  instance = ++globalThis.__tiercostInstances;
}
export function setPanicListener(f) { panicListener = f; }
export function estimate(input) {
  if (input === "trap") {
    panicListener("panicked at src/settle.rs:1:1: a stand-in panic");
    throw new WebAssembly.RuntimeError("unreachable");
  }
  if (input === "bad") {
    const e = new Error("invalid_amount at $.x: bad");
    e.name = "TiercostError"; e.code = "invalid_amount"; e.path = "$.x";
    throw e;
  }
  return { instance, total: "1.00" };
}
export function versions() { return { engine: "test", data: "test" }; }
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "tiercost-wrapper-"));
  copyFileSync(join(ROOT, "pkg-templates/index.js"), join(dir, "index.js"));
  writeFileSync(join(dir, "tiercost.js"), GLUE);
  writeFileSync(join(dir, "tiercost_planning.js"), GLUE + "export function plan() { return { planned: instance }; }\n");
  writeFileSync(join(dir, "tiercost_planning_bg.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(
    join(dir, "schemas.js"),
    "export function packSchema() { return {type: 'object'}; }",
  );
  // The smallest valid wasm module: magic and version.
  writeFileSync(join(dir, "tiercost_bg.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  globalThis.__tiercostInstances = 0;
});

after(() => rmSync(dir, { recursive: true, force: true }));

test("calls before init() throw not_initialized", async () => {
  t = await import(pathToFileURL(join(dir, "index.js")).href);
  assert.throws(() => t.estimate({}), { name: "TiercostError", code: "not_initialized" });
});

test("a trap is reported as fatal, and the module is re-instantiated", async () => {
  await t.init();
  assert.equal(t.estimate({}).instance, 1);
  assert.throws(() => t.estimate("bad"), { name: "TiercostError", code: "invalid_amount", path: "$.x" });
  assert.equal(t.estimate({}).instance, 1, "an ordinary error does not reload the module");

  assert.throws(() => t.estimate("trap"), (e) => {
    assert.equal(e.name, "TiercostError");
    assert.equal(e.code, "internal");
    assert.equal(e.fatal, true);
    assert.ok(e.cause instanceof WebAssembly.RuntimeError);
    assert.match(e.message, /a stand-in panic/);
    return true;
  });
  // Until the reload finishes, calls fail with the same fatal error (never the dead instance).
  assert.throws(() => t.estimate({}), { code: "internal", fatal: true });
  await t.ready();
  assert.equal(t.estimate({}).instance, 2, "a fresh instance after the crash");
  assert.equal(t.versions().engine, "test");

  await t.reload();
  assert.equal(t.estimate({}).instance, 3);
  assert.throws(() => t.plan({}), { code: "not_initialized", message: /init\(\{ planning: true \}\)/ });
  // While the planning module loads, the live core keeps answering (a page that asks for
  // planning and then estimates never sees "not initialized").
  const upgrading = t.init({ planning: true });
  assert.equal(t.estimate({}).instance, 3, "the core answers during the upgrade");
  assert.equal(t.init({ planning: true }), upgrading, "a second call joins the same load");
  await t.ready();
  await upgrading;
  assert.equal(t.plan({}).planned, 4, "the planning module is a separate instance");
  assert.equal(t.estimate({}).instance, 4, "and now answers everything");
  await t.init();
  assert.equal(t.plan({}).planned, 4, "a plain init() keeps the planning module (it does everything the core does)");
  assert.equal(t.packSchema, undefined, "the schemas are their own entry (tiercost/schemas)");
});
