//! Two other ways across the JS boundary, measured against JSON text both ways by
//! tests/browser/boundary-bench.mjs (issue 17 point 3; figures and choice in BENCHMARKS.md):
//! `estimateFen` — many cases in one call, a Float64Array of fen out — is 2.5× faster per case
//! for 1.2 KB of wasm, and ships in the planning module (`estimateFen` in the npm package);
//! `estimateSwb` — serde-wasm-bindgen both ways — is slower and 22 KB larger, and exists only
//! under the feature `measure-swb`, for `make bench-boundary`.

use wasm_bindgen::prelude::*;

use tiercost::read::{At, Read};
use tiercost::{Case, Detail, Estimate};

#[cfg(any(feature = "measure-fen", feature = "wasm-planning"))]
use super::text_of;
use super::{detail_of, throw, REGISTERED};

/// Estimates with the packs registered in this instance.
fn settle(case: &Case, detail: Detail) -> Result<Estimate, tiercost::Error> {
    REGISTERED.with(|r| tiercost::estimate_registered(case, &r.borrow(), detail))
}

/// Many cases (an array, or its JSON text) in one call; out, a Float64Array of fen: for each
/// case `[layers n, total, family, family's low, paid × n]` (fen are integers far below 2^53,
/// exact in a float64). A case the engine refuses throws, as `estimate` does.
#[cfg(any(feature = "measure-fen", feature = "wasm-planning"))]
#[wasm_bindgen(js_name = estimateFen)]
pub fn estimate_fen(
    cases: JsValue,
    detail: Option<String>,
) -> Result<js_sys::Float64Array, JsValue> {
    let detail = detail_of(detail.as_deref()).map_err(|e| throw(&e))?;
    let text = text_of(&cases, "$").map_err(|e| throw(&e))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        throw(&tiercost::Error::new(
            tiercost::ErrorCode::JsonSyntax,
            "$",
            e.to_string(),
        ))
    })?;
    let cases = <Vec<Case> as Read>::read(&value, At::Root("$")).map_err(|e| throw(&e))?;
    let mut out: Vec<f64> = Vec::with_capacity(cases.len() * 8);
    for (i, case) in cases.iter().enumerate() {
        let e = settle(case, detail).map_err(|e| throw(&e.under(&format!("$[{i}]"))))?;
        out.push(e.layers.len() as f64);
        out.push(e.total.fen() as f64);
        out.push(e.patient.total.fen() as f64);
        out.push(e.range.as_ref().map_or(e.patient.total, |r| r.low).fen() as f64);
        out.extend(e.layers.iter().map(|l| l.paid.fen() as f64));
    }
    Ok(js_sys::Float64Array::from(out.as_slice()))
}

/// `estimate` with serde-wasm-bindgen both ways: the case object walked into a JSON value,
/// the result built as JS objects (maps as plain objects, as JSON.parse gives them).
#[cfg(feature = "measure-swb")]
#[wasm_bindgen(js_name = estimateSwb)]
pub fn estimate_swb(case: JsValue, detail: Option<String>) -> Result<JsValue, JsValue> {
    use serde::Serialize;
    let detail = detail_of(detail.as_deref()).map_err(|e| throw(&e))?;
    let value: serde_json::Value = serde_wasm_bindgen::from_value(case).map_err(|e| {
        throw(&tiercost::Error::new(
            tiercost::ErrorCode::InvalidValue,
            "$",
            e.to_string(),
        ))
    })?;
    let case = Case::read(&value, At::Root("$")).map_err(|e| throw(&e))?;
    let e = settle(&case, detail).map_err(|e| throw(&e))?;
    e.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            throw(&tiercost::Error::new(
                tiercost::ErrorCode::Internal,
                "$",
                e.to_string(),
            ))
        })
}
