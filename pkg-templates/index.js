// tiercost: what a medical bill costs a patient in mainland China after every paying layer.
//
// The public entry of the npm package. It loads the WebAssembly engine once (`await init()`),
// then every function is synchronous and takes and returns plain objects; money is always a
// decimal string ("1234.50"). Errors are thrown as `Error`s named "TiercostError" with a
// stable `code` and the JSON `path` of the field at fault.
//
// If the engine ever crashes (always a bug: please report it), the call throws an error with
// `code: "internal"` and `fatal: true`, the module is re-instantiated in the background, and
// `await ready()` resolves once it can be used again.

import * as firstInstance from "./tiercost.js";
import { packSchema as PACK, caseSchema as CASE, resultSchema as RESULT } from "./schemas.js";

let glue = firstInstance; // the wasm-bindgen glue of the live instance
let compiled = null; // the compiled WebAssembly.Module, kept so a reload is cheap
let state = "new"; // "new" | "loading" | "ready" | "crashed"
let pending = null; // the promise of the current load or reload
let crashError = null;
let lastPanic = null;
let instances = 0;

function makeError(code, message, extra) {
  const e = new Error(`${code}: ${message}`);
  e.name = "TiercostError";
  e.code = code;
  e.path = "$";
  e.detail = message;
  e.problems = [];
  return Object.assign(e, extra);
}

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source === undefined) source = new URL("./tiercost_bg.wasm", import.meta.url);
  if (source instanceof URL && source.protocol === "file:") {
    // Node.js (and Deno, Bun): read the file instead of fetching it.
    const { readFile } = await import("node:fs/promises");
    source = await readFile(source);
  } else if (
    typeof source === "string" ||
    source instanceof URL ||
    (typeof Request === "function" && source instanceof Request)
  ) {
    source = await fetch(source);
  }
  source = await source;
  if (typeof Response === "function" && source instanceof Response) {
    if (!source.ok) {
      throw new Error(`tiercost: fetching the engine failed: ${source.status} ${source.url}`);
    }
    const streaming =
      typeof WebAssembly.compileStreaming === "function" &&
      (source.headers.get("Content-Type") || "").startsWith("application/wasm");
    return streaming
      ? WebAssembly.compileStreaming(source)
      : WebAssembly.compile(await source.arrayBuffer());
  }
  return WebAssembly.compile(source);
}

function instantiate(g) {
  g.initSync({ module: compiled });
  g.setPanicListener((message) => {
    lastPanic = String(message);
  });
  glue = g;
  state = "ready";
  crashError = null;
  lastPanic = null;
}

/**
 * Loads the engine. Call once before anything else; later calls return at once.
 * `options.wasm` may give the .wasm as a URL, Response, bytes or a compiled WebAssembly.Module
 * (by default it is fetched, or in Node read, from beside this file).
 */
export function init(options = {}) {
  if (state === "ready") return Promise.resolve();
  if (!pending) {
    state = "loading";
    pending = compile(options.wasm)
      .then((module) => {
        compiled = module;
        instantiate(glue);
      })
      .catch((e) => {
        state = "new";
        pending = null;
        throw e;
      });
  }
  return pending;
}

/** Resolves when the engine can be used: after `init()`, or after a crash, once reloaded. */
export function ready() {
  return state === "ready" ? Promise.resolve() : pending || init();
}

/** Re-instantiates the engine from the compiled module (a fresh instance, fresh memory). */
export async function reload() {
  if (!compiled) return init();
  instances += 1;
  const fresh = await import(`./tiercost.js?instance=${instances}`);
  instantiate(fresh);
}

function call(name, args) {
  if (state !== "ready") {
    if (state === "crashed") throw crashError;
    throw makeError("not_initialized", "call and await init() before using the engine");
  }
  try {
    return glue[name](...args);
  } catch (e) {
    if (e && e.name === "TiercostError") throw e;
    // Anything else is a trap inside the module (a panic or an engine bug): this instance is
    // unusable. Report it, and reload in the background.
    state = "crashed";
    crashError = makeError(
      "internal",
      `the engine crashed (${lastPanic || e}); it is being reloaded: await ready() and retry. This is a bug, please report it with the input that caused it.`,
      { fatal: true, cause: e, panic: lastPanic },
    );
    pending = reload().catch((err) => {
      crashError = makeError("internal", `the engine could not be reloaded: ${err}`, {
        fatal: true,
        cause: err,
      });
      throw err;
    });
    pending.catch(() => {});
    throw crashError;
  }
}

/** Estimates a case (an object or JSON text): what each layer pays, what is left to pay. */
export function estimate(caseInput) {
  return call("estimate", [caseInput]);
}

/** Estimates a case and variants of it: `variants` is `[{label, patch}]` (JSON merge patches). */
export function compare(caseInput, variants) {
  return call("compare", [caseInput, variants]);
}

/** Validates a policy pack or charity programme; returns a summary or throws. */
export function validate(doc) {
  return call("validate", [doc]);
}

/** The embedded policy packs, with their rules-as-of dates. */
export function listPacks() {
  return call("listPacks", []);
}

/** `{engine, data}`: the engine version and the embedded data version. */
export function versions() {
  return call("versions", []);
}

/** Every stable error code the engine can throw. */
export function errorCodes() {
  return call("errorCodes", []);
}

/** The JSON Schema of a policy pack or programme (a fresh copy each call). */
export function packSchema() {
  return structuredClone(PACK);
}

/** The JSON Schema of a case. */
export function caseSchema() {
  return structuredClone(CASE);
}

/** The JSON Schema of an estimate. */
export function resultSchema() {
  return structuredClone(RESULT);
}
