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

// The JSON Schemas are a separate entry, `tiercost/schemas` (schemas.js), so that a page
// estimating a bill does not download them.

// The two builds of the engine: `core` estimates, validates and lists packs; `planning` does
// that too and also compares scenarios and plans courses of treatment (a larger download).
// Each one's wasm-bindgen glue is imported when that build is first asked for, so a page
// that only estimates never loads the planning glue.
const MODULES = {
  core: { glue: () => import("./tiercost.js"), name: "tiercost" },
  planning: { glue: () => import("./tiercost_planning.js"), name: "tiercost_planning" },
};
const PLANNING_ONLY = new Set([
  "estimateFen",
  "compare",
  "commonVariants",
  "plan",
  "aidNeeded",
  "maxBill",
  "range",
  "burden",
  "helpAvailable",
]);

let glue = null; // the wasm-bindgen glue of the live instance
let kind = null; // "core" | "planning": which module is live
let loadingKind = null; // the module being loaded (the live one keeps answering meanwhile)
let loading = null; // the promise of that load
let compiled = null; // the compiled WebAssembly.Module, kept so a reload is cheap
let state = "new"; // "new" | "loading" (nothing live yet) | "ready" | "crashed"
let pending = null; // the promise of the current load or reload
let crashError = null;
let lastPanic = null;
let instances = 0;
let memory = null; // the live instance's WebAssembly.Memory (for memoryBytes())
// The packs registered with registerPack(), by id, as given: registered again in every new
// instance (the planning module, a reload after a crash), so a handle outlives the instance.
const registered = new Map();

function makeError(code, message, extra) {
  const e = new Error(`${code}: ${message}`);
  e.name = "TiercostError";
  e.code = code;
  e.path = "$";
  e.detail = message;
  e.problems = [];
  return Object.assign(e, extra);
}

// The sha384 of each module's .wasm, written in by scripts/assemble-pkg.mjs when it builds the
// package. The default .wasm is fetched with this as its Subresource Integrity, so a page
// that pins this file (an import map's `integrity`, docs/EMBED.md) pins the engine too.
const WASM_INTEGRITY = {};

async function compile(source, integrity) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof URL && source.protocol === "file:") {
    // Node.js (and Deno, Bun): read the file instead of fetching it.
    const { readFile } = await import("node:fs/promises");
    source = await readFile(source);
  } else if (
    typeof source === "string" ||
    source instanceof URL ||
    (typeof Request === "function" && source instanceof Request)
  ) {
    source = await fetch(source, integrity ? { integrity } : undefined);
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
  // initSync returns the instance's exports; wasm-bindgen exports the linear memory as `memory`.
  const exported = g.initSync({ module: compiled });
  memory = exported && exported.memory instanceof WebAssembly.Memory ? exported.memory : null;
  g.setPanicListener((message) => {
    lastPanic = String(message);
  });
  // Parse the embedded packs now rather than in the first estimate (versions() reads them).
  g.versions();
  for (const pack of registered.values()) {
    try {
      g.registerPack(pack);
    } catch {
      // It was valid when registered, in the same engine: nothing to report here.
    }
  }
  glue = g;
  state = "ready";
  crashError = null;
  lastPanic = null;
}

/**
 * Loads the engine. Call once before anything else; calling again with the same options
 * returns at once. `options.planning: true` loads the larger module that also has compare()
 * and the planning functions. `options.wasm` may give that module's .wasm as a URL,
 * Response, bytes or a compiled WebAssembly.Module (by default it is fetched, or in Node
 * read, from beside this file).
 */
export function init(options = {}) {
  const want = options.planning ? "planning" : "core";
  // The planning module does everything the core does: once it is live, or on its way, a
  // plain init() has nothing to add.
  const covers = (have) => have === want || have === "planning";
  if (loadingKind && covers(loadingKind)) return loading;
  if (!loadingKind && state === "ready" && covers(kind)) return Promise.resolve();
  // Moving up to the planning module while the core is live: the core keeps answering until
  // the planning module is in, so a page never shows "not initialized" in between.
  loadingKind = want;
  if (state === "new") state = "loading";
  const { glue: g, name } = MODULES[want];
  const source = options.wasm ?? new URL(`./${name}_bg.wasm`, import.meta.url);
  const load = Promise.all([compile(source, options.wasm ? undefined : WASM_INTEGRITY[name]), g()])
    .then(([module, loadedGlue]) => {
      // Superseded by a later init() (the core asked for, then the planning module): this
      // promise settles with that load.
      if (loadingKind !== want) return loading;
      compiled = module;
      kind = want;
      loadingKind = null;
      loading = null;
      instantiate(loadedGlue);
    })
    .catch((e) => {
      if (loadingKind === want) {
        loadingKind = null;
        // A failed upgrade leaves the live module as it was.
        if (state === "loading") {
          state = "new";
          kind = null;
        }
        loading = null;
        if (state === "new") pending = null;
      }
      throw e;
    });
  loading = load;
  // ready() waits for this load only when nothing is live yet.
  if (state === "loading") pending = load;
  return load;
}

/** Resolves when the engine can be used: after `init()`, or after a crash, once reloaded. */
export function ready() {
  return state === "ready" ? Promise.resolve() : pending || init();
}

/** Re-instantiates the engine from the compiled module (a fresh instance, fresh memory). */
export async function reload() {
  if (!compiled) return init();
  instances += 1;
  const fresh = await import(`./${MODULES[kind].name}.js?instance=${instances}`);
  instantiate(fresh);
}

function call(name, args) {
  if (state !== "ready") {
    if (state === "crashed") throw crashError;
    throw makeError("not_initialized", "call and await init() before using the engine");
  }
  if (typeof glue[name] !== "function") {
    throw makeError(
      "not_initialized",
      PLANNING_ONLY.has(name)
        ? `${name}() needs the planning module: await init({ planning: true })`
        : `${name}() is not in this build of the engine`,
    );
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

/**
 * Estimates a case (an object or JSON text): what each layer pays, what is left to pay.
 * `options.detail: "totals"` settles the same way and leaves out the trace (each benefit's
 * steps, the items, the sources): for many estimates at once.
 */
export function estimate(caseInput, options) {
  return call("estimate", [caseInput, options?.detail]);
}

/**
 * *(planning module)* Many cases in one call, for batches in JS: a Float64Array of fen (whole
 * numbers, exact in a float64), for each case in order `[n, total, family, familyLow, paid ×
 * n]` — n layers in settlement order, `familyLow` the range's low end (the family's share when
 * no layer is undecided). `options.detail` as for estimate() ("totals" is the fast one). About
 * 2.5× faster per case than estimate() (BENCHMARKS.md). Throws a TiercostError at `$[i]…`.
 */
export function estimateFen(cases, options) {
  return call("estimateFen", [cases, options?.detail]);
}

/**
 * Registers a pack or programme (an object or JSON text): read, resolved and validated once.
 * Cases then name it by its `id` (`pack: id`, or `programmes: [{id}]`) instead of carrying it
 * inline, and settle without reading it again. Registering the same id again replaces it.
 * Returns its summary (as listPacks() gives); throws a TiercostError if it is invalid.
 */
export function registerPack(pack) {
  const summary = call("registerPack", [pack]);
  // Kept as JSON text: a later change to the caller's object does not change the pack.
  registered.set(summary.id, typeof pack === "string" ? pack : JSON.stringify(pack));
  return summary;
}

/** Forgets a registered pack; returns whether one was registered under `id`. */
export function unregisterPack(id) {
  registered.delete(id);
  return call("unregisterPack", [String(id)]);
}

/**
 * Compares variants of a case or plan with it: `compare({base, variants, common?,
 * includeEstimates?})`, or `compare(base, variants)`. A variant is `{label, preset?, patch?,
 * layerOrder?}`; `patch` is a JSON merge patch (RFC 7386) on the base.
 */
export function compare(input, variants) {
  return call("compare", [input, variants]);
}

/** Ready-made variants of a case or plan (other hospital levels, joining a product, …). */
export function commonVariants(subject) {
  return call("commonVariants", [subject]);
}

/** A course of treatment expanded into encounters: monthly cash flow, events, totals, burden. */
export function plan(doc) {
  return call("plan", [doc]);
}

/** The aid that brings the family's share to a target. */
export function aidNeeded(doc) {
  return call("aidNeeded", [doc]);
}

/** The largest bill that keeps the family's share under a target. */
export function maxBill(doc) {
  return call("maxBill", [doc]);
}

/** Lowest, typical and highest share when some inputs are unknown. */
export function range(doc) {
  return call("range", [doc]);
}

/** The family's share against household income and capacity to pay. */
export function burden(doc) {
  return call("burden", [doc]);
}

/** Programmes, products and assistance categories the family could still apply for. */
export function helpAvailable(doc) {
  return call("helpAvailable", [doc]);
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

/**
 * Debugging: the size in bytes of the live instance's WebAssembly linear memory (it grows
 * and never shrinks, so it shows the engine's peak use), or null before init().
 */
export function memoryBytes() {
  return memory ? memory.buffer.byteLength : null;
}
