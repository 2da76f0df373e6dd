//! The JavaScript boundary: the only module that knows about JS (feature `wasm`).
//!
//! A few coarse functions taking and returning plain JS objects. Inside, values cross as JSON
//! text: the input is turned into JSON by `JSON.stringify` (native, fast) after a check that it
//! holds no number JSON cannot carry exactly (`NaN`, `±Infinity`, integers beyond ±2^53−1),
//! the core reads it exactly as the CLI and the native tests do, and the result is handed back
//! through `JSON.parse`. Money is a decimal string on both sides; no float touches it.
//!
//! Errors are thrown as JS `Error` objects (`name` `"TiercostError"`) carrying the core's
//! stable `code`, the JSON `path` of the offending field, the `detail` message and, for
//! validation errors, the individual `problems` (plain `{code, path, message}` objects).

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::{Error, ErrorCode};

/// The largest JSON text (in UTF-16 code units, as JS counts) accepted at the boundary.
/// Larger inputs are refused with `limit_exceeded` before anything is copied into wasm memory,
/// so no input can exhaust the module's memory.
pub const MAX_INPUT_CHARS: u32 = crate::limits::MAX_BYTES as u32;

/// The most variants [`compare`] accepts in one call.
pub const MAX_VARIANTS: usize = 64;

// The JS half of the boundary. Kept tiny; it only converts values and builds Error objects.
#[wasm_bindgen(inline_js = r#"
const MAX_DEPTH = 128;

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
  return ["limit_exceeded", "$", `the input is ${n} characters of JSON; at most ${max} are accepted`];
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
    if (depth >= MAX_DEPTH) return ["limit_exceeded", path, `nested more than ${MAX_DEPTH} levels deep`];
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

export function makeError(json) {
  const d = JSON.parse(json);
  const e = new Error(`${d.code} at ${d.path}: ${d.message}`);
  e.name = "TiercostError";
  e.code = d.code;
  e.path = d.path;
  e.detail = d.message;
  e.problems = d.problems || [];
  if (d.variant !== undefined) e.variant = d.variant;
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
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(json: &str) -> JsValue;
    #[wasm_bindgen(js_name = setListener)]
    fn set_listener(f: &JsValue);
    #[wasm_bindgen(js_name = notifyPanic)]
    fn notify_panic(message: &str);
}

/// An error as it crosses to JS: the core error, and for [`compare`] the variant it came from.
#[derive(Serialize)]
struct Thrown<'a> {
    #[serde(flatten)]
    error: &'a Error,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<usize>,
}

fn throw(error: &Error, variant: Option<usize>) -> JsValue {
    match serde_json::to_string(&Thrown { error, variant }) {
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
        Err(e) => Err(throw(
            &Error::new(
                ErrorCode::Internal,
                "$",
                format!("the result could not be serialized: {e}"),
            ),
            None,
        )),
    }
}

/// The JSON text of a JS argument (an object, or JSON text as a string).
fn text_of(value: &JsValue, path: &str) -> Result<String, Error> {
    let out = input_text(value, MAX_INPUT_CHARS);
    if let Some(text) = out.as_string() {
        return Ok(text);
    }
    // [code, path, message] from the JS side: an array of strings, read back as JSON.
    let parts: Vec<String> = input_text(&out, MAX_INPUT_CHARS)
        .as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
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

/// Estimates a case: what each layer pays and what is left for the patient.
///
/// `case` is a case object (or its JSON text); it names an embedded pack by id or carries its
/// own. Returns the estimate as a plain object; throws a `TiercostError` otherwise.
#[wasm_bindgen(js_name = estimate)]
pub fn estimate(case: JsValue) -> Result<JsValue, JsValue> {
    let text = text_of(&case, "$").map_err(|e| throw(&e, None))?;
    match crate::estimate_json(&text) {
        Ok(estimate) => to_js(&estimate),
        Err(e) => Err(throw(&e, None)),
    }
}

/// Estimates a case and variants of it, for side-by-side comparison.
///
/// Each variant is `{label, patch}`: `patch` is a JSON merge patch (RFC 7386) applied to the
/// case (objects merge key by key, `null` removes a key, anything else replaces). Returns
/// `{base, variants: [{label, estimate}]}`. An error in a variant is thrown with its `variant`
/// index and a path into the patched case.
#[wasm_bindgen(js_name = compare)]
pub fn compare(case: JsValue, variants: JsValue) -> Result<JsValue, JsValue> {
    let base_text = text_of(&case, "$").map_err(|e| throw(&e, None))?;
    let variants_text = text_of(&variants, "$variants").map_err(|e| throw(&e, None))?;
    let base_value: Value = crate::error::from_json_str(&base_text).map_err(|e| throw(&e, None))?;
    let variants: Vec<VariantIn> = crate::error::from_json_str(&variants_text)
        .map_err(|e| throw(&e.under("$variants"), None))?;
    if variants.len() > MAX_VARIANTS {
        let e = Error::new(
            ErrorCode::LimitExceeded,
            "$variants",
            format!(
                "{} variants given; at most {MAX_VARIANTS} are compared at once",
                variants.len()
            ),
        );
        return Err(throw(&e, None));
    }
    let base = crate::estimate_json(&base_text).map_err(|e| throw(&e, None))?;
    let mut out = Vec::with_capacity(variants.len());
    for (i, v) in variants.into_iter().enumerate() {
        let mut patched = base_value.clone();
        merge_patch(&mut patched, v.patch);
        let text = serde_json::to_string(&patched).map_err(|e| {
            throw(
                &Error::new(ErrorCode::Internal, "$", format!("variant {i}: {e}")),
                Some(i),
            )
        })?;
        let estimate = crate::estimate_json(&text).map_err(|e| throw(&e, Some(i)))?;
        out.push(VariantOut {
            label: v.label,
            estimate,
        });
    }
    to_js(&Comparison {
        base,
        variants: out,
    })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantIn {
    label: String,
    patch: Value,
}

#[derive(Serialize)]
struct VariantOut<E> {
    label: String,
    estimate: E,
}

#[derive(Serialize)]
struct Comparison<E> {
    base: E,
    variants: Vec<VariantOut<E>>,
}

/// RFC 7386 JSON merge patch, iterative over the patch's depth (which serde_json already
/// bounds at 128 levels when it read the patch).
fn merge_patch(target: &mut Value, patch: Value) {
    match patch {
        Value::Object(fields) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(map) = target {
                for (k, v) in fields {
                    if v.is_null() {
                        map.remove(&k);
                    } else {
                        merge_patch(map.entry(k).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other,
    }
}

/// Validates a policy pack or charity programme and summarises it.
#[wasm_bindgen(js_name = validate)]
pub fn validate(doc: JsValue) -> Result<JsValue, JsValue> {
    let text = text_of(&doc, "$").map_err(|e| throw(&e, None))?;
    match crate::validate_json(&text) {
        Ok(summary) => to_js(&summary),
        Err(e) => Err(throw(&e, None)),
    }
}

/// The embedded policy packs: id, names, version, rules-as-of date and more.
#[wasm_bindgen(js_name = listPacks)]
pub fn list_packs() -> Result<JsValue, JsValue> {
    to_js(&crate::list_packs())
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
        engine: crate::ENGINE_VERSION,
        data: crate::data_version(),
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
/// re-instantiated; the npm package's wrapper does that.
#[wasm_bindgen(js_name = setPanicListener)]
pub fn set_panic_listener(listener: JsValue) {
    set_listener(&listener);
    std::panic::set_hook(Box::new(|info| notify_panic(&info.to_string())));
}
