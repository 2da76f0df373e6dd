//! The JavaScript boundary: the only crate that knows about JS (the core is `tiercost`).
//!
//! A few coarse functions taking and returning plain JS objects. Inside, values cross as JSON
//! text: the input is turned into JSON by `JSON.stringify` (native, fast) after a check that it
//! holds no number JSON cannot carry exactly (`NaN`, `±Infinity`, integers beyond ±2^53−1),
//! the core reads it exactly as the CLI and the native tests do, and the result is handed back
//! through `JSON.parse`. Money is a decimal string on both sides; no float touches it.
//!
//! `estimate`, `registerPack`, `unregisterPack`, `validate`, `listPacks`, `versions` and
//! `errorCodes` are always exported; the planning functions (`compare`, `commonVariants`,
//! `plan`, `aidNeeded`, `maxBill`, `range`, `burden`, `helpAvailable`) only with the feature
//! `wasm-planning`, because they more than double the module (the npm package ships both
//! builds).
//!
//! Errors are thrown as JS `Error` objects (`name` `"TiercostError"`) carrying the core's
//! stable `code`, the JSON `path` of the offending field, the `detail` message and, for
//! validation errors, the individual `problems` (plain `{code, path, message}` objects).

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(any(
    feature = "measure-fen",
    feature = "measure-swb",
    feature = "wasm-planning"
))]
mod measure;

use tiercost::{Error, ErrorCode};

// build.rs validated the embedded packs this module ships (the feature
// `embedded-prevalidated` skips validating them again when first loaded): a compile error if
// they are not the documents it validated.
tiercost::embedded_validated!();

/// The largest JSON text (in UTF-16 code units, as JS counts) accepted at the boundary.
/// Larger inputs are refused with `too_large` before anything is copied into wasm memory,
/// so no input can exhaust the module's memory.
pub const MAX_INPUT_CHARS: u32 = tiercost::reading::limits::MAX_BYTES as u32;

// The JS half of the boundary. Kept tiny; it only converts values and builds Error objects.
#[wasm_bindgen(inline_js = r#"
const MAX_DEPTH = 64; // tiercost::reading::limits::MAX_DEPTH

// JSON text for `value`, or [code, path, message] when the value cannot be read exactly.
export function inputText(value, maxChars) {
  if (typeof value === "string") {
    return value.length > maxChars ? tooLarge(value.length, maxChars) : value;
  }
  if (value === undefined || typeof value === "function" || typeof value === "symbol") {
    return ["invalid_type", "$", `expected an object or JSON text, got ${describe(value)}`];
  }
  let flagged = false;
  let text;
  try {
    text = JSON.stringify(value, function (key, v) {
      switch (typeof v) {
        case "number":
          if (!(Math.abs(v) <= Number.MAX_SAFE_INTEGER)) flagged = true;
          break;
        case "bigint":
        case "symbol":
        case "function":
          flagged = true;
          break;
      }
      return v;
    });
  } catch (_) {
    flagged = true; // a cycle, a throwing toJSON or getter, or nesting deeper than JS's stack
  }
  if (flagged) return findProblem(value);
  if (text === undefined) {
    return ["invalid_type", "$", `expected an object or JSON text, got ${describe(value)}`];
  }
  return text.length > maxChars ? tooLarge(text.length, maxChars) : text;
}

function tooLarge(n, max) {
  return ["too_large", "$", `the input is ${n} characters of JSON; the limit is ${max} characters`];
}

function describe(v) {
  if (v === null) return "null";
  if (typeof v === "number") return String(v);
  if (typeof v === "bigint") return `the BigInt ${v}n`;
  return typeof v === "object" ? (Array.isArray(v) ? "an array" : "an object") : typeof v;
}

// The slow path, taken only when the fast one flagged something: walk like JSON.stringify
// does and name the first offending value with its JSON path.
function findProblem(root) {
  const seen = new Set();
  const walk = (v, path, depth) => {
    if (v !== null && typeof v === "object" && typeof v.toJSON === "function") {
      try { v = v.toJSON(); } catch (e) { return ["invalid_value", path, `toJSON() threw: ${e}`]; }
    }
    switch (typeof v) {
      case "number":
        if (!Number.isFinite(v)) {
          return ["number_not_string", path, `${v} is not a number JSON can carry; money and rates are decimal strings such as "1234.50"`];
        }
        if (Math.abs(v) > Number.MAX_SAFE_INTEGER) {
          return ["number_not_string", path, `${v} is beyond the range where JS numbers are exact; money and rates are decimal strings such as "1234.50"`];
        }
        return null;
      case "bigint":
        return ["number_not_string", path, `${describe(v)} is not accepted; money and rates are decimal strings such as "1234.50"`];
      case "symbol":
      case "function":
        return ["invalid_type", path, `a ${typeof v} is not a JSON value`];
      case "object":
        break;
      default:
        return null;
    }
    if (v === null) return null;
    if (depth >= MAX_DEPTH) return ["too_deep", path, `the input nests more than ${MAX_DEPTH} levels deep; the limit is ${MAX_DEPTH} levels`];
    if (seen.has(v)) return ["invalid_value", path, "a circular reference: the value contains itself"];
    seen.add(v);
    let found = null;
    try {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length && !found; i++) found = walk(v[i], `${path}[${i}]`, depth + 1);
      } else {
        for (const k of Object.keys(v)) {
          const item = v[k];
          if (item === undefined) continue;
          if ((typeof item === "function" || typeof item === "symbol")) {
            found = ["invalid_type", `${path}.${k}`, `a ${typeof item} is not a JSON value`];
          } else {
            found = walk(item, `${path}.${k}`, depth + 1);
          }
          if (found) break;
        }
      }
    } catch (e) {
      found = ["invalid_value", path, `reading the value threw: ${e}`];
    }
    seen.delete(v);
    return found;
  };
  return walk(root, "$", 0) ||
    ["invalid_value", "$", "the value cannot be converted to JSON"];
}

export function fromJson(text) {
  return JSON.parse(text);
}

export function toJson(value) {
  return JSON.stringify(value);
}

export function makeError(json) {
  const d = JSON.parse(json);
  const e = new Error(`${d.code} at ${d.path}: ${d.message}`);
  e.name = "TiercostError";
  e.code = d.code;
  e.path = d.path;
  e.detail = d.message;
  e.problems = d.problems || [];
  return e;
}

let panicListener = null;
export function setListener(f) {
  panicListener = typeof f === "function" ? f : null;
}
export function notifyPanic(message) {
  if (panicListener) {
    try { panicListener(message); } catch (_) { /* the module is going down anyway */ }
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = inputText)]
    fn input_text(value: &JsValue, max_chars: u32) -> JsValue;
    #[wasm_bindgen(js_name = fromJson)]
    fn from_json(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = toJson)]
    fn to_json(value: &JsValue) -> Option<String>;
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(json: &str) -> JsValue;
    #[wasm_bindgen(js_name = setListener)]
    fn set_listener(f: &JsValue);
    #[wasm_bindgen(js_name = notifyPanic)]
    fn notify_panic(message: &str);
}

fn throw(error: &Error) -> JsValue {
    match serde_json::to_string(error) {
        Ok(json) => make_error(&json),
        // Serializing plain strings cannot fail; never panic even so.
        Err(_) => make_error(
            r#"{"code":"internal","path":"$","message":"an error could not be reported"}"#,
        ),
    }
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    match serde_json::to_string(value) {
        Ok(json) => Ok(from_json(&json)),
        Err(e) => Err(throw(&Error::new(
            ErrorCode::Internal,
            "$",
            format!("the result could not be serialized: {e}"),
        ))),
    }
}

/// The JSON text of a JS argument (an object, or JSON text as a string).
fn text_of(value: &JsValue, path: &str) -> Result<String, Error> {
    let out = input_text(value, MAX_INPUT_CHARS);
    if let Some(text) = out.as_string() {
        return Ok(text);
    }
    // Otherwise the JS side returned [code, path, message].
    // Read as a `Value`: a typed read would bring serde_json's typed error messages.
    let parts: Vec<String> = to_json(&out)
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| match v {
            serde_json::Value::Array(items) => Some(
                items
                    .into_iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    let code = parts
        .first()
        .and_then(|c| ErrorCode::ALL.iter().copied().find(|k| k.as_str() == c))
        .unwrap_or(ErrorCode::InvalidValue);
    let sub = parts.get(1).map(String::as_str).unwrap_or("$");
    let message = parts
        .get(2)
        .cloned()
        .unwrap_or_else(|| "the value cannot be read".into());
    Err(Error::new(code, sub, message).under(path))
}

/// Runs a core entry point that reads JSON text, on a JS argument.
fn run<T: Serialize>(
    input: &JsValue,
    f: impl FnOnce(&str) -> Result<T, Error>,
) -> Result<JsValue, JsValue> {
    let text = text_of(input, "$").map_err(|e| throw(&e))?;
    match f(&text) {
        Ok(value) => to_js(&value),
        Err(e) => Err(throw(&e)),
    }
}

/// Estimates a case: what each layer pays and what is left for the patient.
///
/// `case` is a case object (or its JSON text); it names an embedded pack by id or carries its
/// own. `detail` is `"full"` (the default: every step, item and source) or `"totals"` (what
/// each layer pays, statuses, the range and warnings, from the same settlement without its
/// trace). Returns the estimate as a plain object; throws a `TiercostError` otherwise.
#[wasm_bindgen(js_name = estimate)]
pub fn estimate(case: JsValue, detail: Option<String>) -> Result<JsValue, JsValue> {
    let detail = detail_of(detail.as_deref()).map_err(|e| throw(&e))?;
    run(&case, |text| {
        REGISTERED.with(|r| tiercost::estimate_registered_json(text, &r.borrow(), detail))
    })
}

/// The `detail` option: absent or `"full"`, or `"totals"`.
fn detail_of(detail: Option<&str>) -> Result<tiercost::Detail, Error> {
    match detail {
        None | Some("full") => Ok(tiercost::Detail::Full),
        Some("totals") => Ok(tiercost::Detail::Totals),
        Some(other) => Err(Error::new(
            ErrorCode::InvalidValue,
            "$",
            format!("the option `detail` is \"full\" or \"totals\", not \"{other}\""),
        )),
    }
}

thread_local! {
    /// The packs registered with `registerPack` (this instance's; the npm wrapper registers
    /// them again in a fresh instance).
    static REGISTERED: std::cell::RefCell<tiercost::Registered> = Default::default();
}

/// Registers a pack or programme (an object or JSON text): read, resolved and validated once;
/// cases then name it by its `id` (`pack`, or a programme's `id`) instead of carrying it
/// inline. Registering the same id again replaces it. Returns its summary (as `listPacks`).
#[wasm_bindgen(js_name = registerPack)]
pub fn register_pack(pack: JsValue) -> Result<JsValue, JsValue> {
    run(&pack, |text| {
        REGISTERED.with(|r| {
            let catalog = tiercost::Catalog::embedded();
            let mut r = r.borrow_mut();
            let p = r.register_json(text, catalog)?;
            Ok(catalog.summaries_of(p))
        })
    })
}

/// Forgets a registered pack; whether there was one by that id.
#[wasm_bindgen(js_name = unregisterPack)]
pub fn unregister_pack(id: &str) -> bool {
    REGISTERED.with(|r| r.borrow_mut().remove(id))
}

/// Compares variants of a case or plan with it: `compare({base, variants, common?,
/// includeEstimates?})`, or `compare(base, variants)`. Each variant is `{label, preset?,
/// patch?, layerOrder?}` (`patch`: an RFC 7386 JSON merge patch on the base). Paths in errors
/// are into that document (`$.base…`, `$.variants[1]…`).
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = compare)]
pub fn compare(input: JsValue, variants: JsValue) -> Result<JsValue, JsValue> {
    if variants.is_undefined() {
        return run(&input, tiercost::compare_json);
    }
    let base = text_of(&input, "$.base").map_err(|e| throw(&e))?;
    let variants = text_of(&variants, "$.variants").map_err(|e| throw(&e))?;
    let doc = format!("{{\"base\":{base},\"variants\":{variants}}}");
    match tiercost::compare_json(&doc) {
        Ok(value) => to_js(&value),
        Err(e) => Err(throw(&e)),
    }
}

/// The common variants of a case or plan (other hospital levels, joining a product, an
/// assistance category, …), ready to pass to [`compare`].
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = commonVariants)]
pub fn common_variants(subject: JsValue) -> Result<JsValue, JsValue> {
    run(&subject, tiercost::common_variants_json)
}

/// A course of treatment (a case with a `plan`) expanded into encounters, with the monthly
/// cash flow, the events, the totals and the burden.
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = plan)]
pub fn plan(doc: JsValue) -> Result<JsValue, JsValue> {
    run(&doc, tiercost::plan_json)
}

/// The aid that brings the family's share to a target.
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = aidNeeded)]
pub fn aid_needed(doc: JsValue) -> Result<JsValue, JsValue> {
    run(&doc, tiercost::aid_needed_json)
}

/// The largest bill that keeps the family's share under a target.
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = maxBill)]
pub fn max_bill(doc: JsValue) -> Result<JsValue, JsValue> {
    run(&doc, tiercost::max_bill_json)
}

/// Lowest, typical and highest share when some inputs are unknown.
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = range)]
pub fn range(doc: JsValue) -> Result<JsValue, JsValue> {
    run(&doc, tiercost::range_json)
}

/// The family's share against household income and capacity to pay.
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = burden)]
pub fn burden(doc: JsValue) -> Result<JsValue, JsValue> {
    run(&doc, tiercost::burden_json)
}

/// Programmes, products and assistance categories the family could still apply for.
#[cfg(feature = "wasm-planning")]
#[wasm_bindgen(js_name = helpAvailable)]
pub fn help_available(doc: JsValue) -> Result<JsValue, JsValue> {
    run(&doc, tiercost::help_available_json)
}

/// Validates a policy pack or charity programme and summarises it.
#[wasm_bindgen(js_name = validate)]
pub fn validate(doc: JsValue) -> Result<JsValue, JsValue> {
    run(&doc, tiercost::validate_json)
}

/// The embedded policy packs: id, names, version, rules-as-of date and more.
#[wasm_bindgen(js_name = listPacks)]
pub fn list_packs() -> Result<JsValue, JsValue> {
    to_js(&tiercost::list_packs())
}

#[derive(Serialize)]
struct Versions {
    engine: &'static str,
    data: String,
}

/// `{engine, data}`: the engine (crate) version and the embedded data version.
#[wasm_bindgen(js_name = versions)]
pub fn versions() -> Result<JsValue, JsValue> {
    to_js(&Versions {
        engine: tiercost::ENGINE_VERSION,
        data: tiercost::data_version(),
    })
}

/// Every stable error code, in the order the core declares them.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Result<JsValue, JsValue> {
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    to_js(&codes)
}

/// Registers `listener(message)`, called if the module ever panics (always a bug). The panic
/// then aborts the call with a `WebAssembly.RuntimeError`, and the module must be
/// re-instantiated; the npm package's wrapper does that. The package's modules are built with
/// `-Cpanic=immediate-abort` (scripts/build-pkg.sh): there a panic traps at once, without a
/// message and without calling the listener; builds with the ordinary std (the wasm tests)
/// call it.
#[wasm_bindgen(js_name = setPanicListener)]
pub fn set_panic_listener(listener: JsValue) {
    set_listener(&listener);
    std::panic::set_hook(Box::new(|info| notify_panic(&info.to_string())));
}
