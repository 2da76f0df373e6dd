//! The wasm build computes exactly what the native build computes, and its JS boundary turns
//! every bad input into a thrown error with a code and a path, never a panic.
//!
//! Two halves, one file:
//! - natively (`cargo test -p tiercost-wasm --test web`, part of `cargo test`), `native_reports`
//!   runs every bundled case file (`tiercost::casefile::BUNDLED`, i.e. `tests/cases/**/*.json`)
//!   and writes the serialized reports (amounts, traces, errors) to `$CARGO_TARGET_TMPDIR`;
//! - in wasm (`make wasm-test`: Node, then headless Chromium with `WASM_BINDGEN_USE_BROWSER=1`),
//!   the same files run again and each report must be byte-identical to the native one. The
//!   native reports are compiled in, so the wasm half cannot build before the native half ran,
//!   and it fails if either side has no case file or the two lists differ.

use tiercost::casefile;

/// The serialized outcome of one case file: `{"ok": CheckReport}` or `{"err": Error}`.
fn report_json(text: &str) -> String {
    let r = match casefile::check(text) {
        Ok(r) => serde_json::to_string(&r).map(|s| format!("{{\"ok\":{s}}}")),
        Err(e) => serde_json::to_string(&e).map(|s| format!("{{\"err\":{s}}}")),
    };
    r.unwrap_or_else(|e| format!("{{\"serialize_error\":{:?}}}", e.to_string()))
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn native_reports() {
    let entries: Vec<(&str, String)> = casefile::BUNDLED
        .iter()
        .map(|(path, text)| (*path, report_json(text)))
        .collect();
    assert!(
        !entries.is_empty(),
        "no case files are bundled (tests/cases/**/*.json)"
    );
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("wasm-parity-native.json");
    let json = serde_json::to_string(&entries).expect("serializable");
    // Rewrite only on change, so the wasm half is not rebuilt for nothing.
    if std::fs::read_to_string(&out).ok().as_deref() != Some(json.as_str()) {
        std::fs::write(&out, json).expect("write the native reports");
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::collections::BTreeSet;

    use js_sys::{Array, BigInt, Object, Reflect, Symbol, JSON};
    use serde_json::{json, Value};
    use tiercost::{casefile, ErrorCode};
    use tiercost_wasm as wasm;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::*;

    use super::report_json;

    // The native half wrote this to `<target>/tmp`; for the wasm32 target, CARGO_TARGET_TMPDIR
    // is `<target>/wasm32-unknown-unknown/tmp`.
    const NATIVE: &str = include_str!(concat!(
        env!("CARGO_TARGET_TMPDIR"),
        "/../../tmp/wasm-parity-native.json"
    ));

    // ---- helpers

    fn js(v: &Value) -> JsValue {
        JSON::parse(&v.to_string()).expect("valid JSON")
    }

    fn get(v: &JsValue, key: &str) -> JsValue {
        Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn stringify(v: &JsValue) -> String {
        JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }

    /// The bundled case file whose path ends with `suffix`, parsed.
    fn case_file(suffix: &str) -> Value {
        let (_, text) = casefile::BUNDLED
            .iter()
            .find(|(p, _)| p.ends_with(suffix))
            .unwrap_or_else(|| panic!("no bundled case file ends with {suffix}"));
        serde_json::from_str(text).expect("case files are JSON")
    }

    /// The case inside a bundled case file.
    fn case_of(suffix: &str) -> Value {
        case_file(suffix)["case"].clone()
    }

    /// A valid case with an inline pack (one layer, one edition, two items), to mutate.
    fn inline_case() -> Value {
        case_of("worked-examples/we22a-deductible-and-self-pay-items.json")
    }

    struct Thrown {
        code: String,
        path: String,
        is_error: bool,
        problems: Vec<(String, String)>,
    }

    fn thrown(result: Result<JsValue, JsValue>, what: &str) -> Thrown {
        let e = match result {
            Ok(v) => panic!("{what}: expected a thrown error, got {}", stringify(&v)),
            Err(e) => e,
        };
        let problems = get(&e, "problems")
            .dyn_into::<Array>()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            get(&p, "code").as_string().unwrap_or_default(),
                            get(&p, "path").as_string().unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Thrown {
            code: get(&e, "code").as_string().unwrap_or_default(),
            path: get(&e, "path").as_string().unwrap_or_default(),
            is_error: e.is_instance_of::<js_sys::Error>()
                && get(&e, "name").as_string().as_deref() == Some("TiercostError"),
            problems,
        }
    }

    /// Checks a thrown error and records its code (and its problems' codes) in `seen`.
    fn expect_error(
        seen: &mut BTreeSet<String>,
        what: &str,
        result: Result<JsValue, JsValue>,
        code: &str,
        path: &str,
    ) {
        let t = thrown(result, what);
        assert!(t.is_error, "{what}: not a TiercostError");
        let codes: Vec<&str> = std::iter::once(t.code.as_str())
            .chain(t.problems.iter().map(|p| p.0.as_str()))
            .collect();
        let paths: Vec<&str> = std::iter::once(t.path.as_str())
            .chain(t.problems.iter().map(|p| p.1.as_str()))
            .collect();
        assert!(
            codes.contains(&code),
            "{what}: expected code {code}, got {codes:?} at {paths:?}"
        );
        assert!(
            paths.contains(&path),
            "{what}: expected path {path}, got {paths:?} ({codes:?})"
        );
        assert!(
            !t.path.is_empty() && t.path.starts_with('$'),
            "{what}: no path"
        );
        seen.extend(codes.iter().map(|c| c.to_string()));
    }

    // ---- parity with the native build

    #[wasm_bindgen_test]
    fn case_files_give_the_same_reports_as_native() {
        let native: Vec<(String, String)> = serde_json::from_str(NATIVE).expect("native reports");
        assert!(!native.is_empty(), "the native run produced no reports");
        assert!(
            !casefile::BUNDLED.is_empty(),
            "no case files are bundled in the wasm build"
        );
        let native_paths: Vec<&str> = native.iter().map(|(p, _)| p.as_str()).collect();
        let wasm_paths: Vec<&str> = casefile::BUNDLED.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            native_paths, wasm_paths,
            "native and wasm ran different case files"
        );
        let mut mismatches = Vec::new();
        let mut failures = Vec::new();
        for ((path, text), (_, want)) in casefile::BUNDLED.iter().zip(&native) {
            let got = report_json(text);
            if &got != want {
                mismatches.push(format!("{path}:\n  native {want}\n  wasm   {got}"));
            }
            let v: Value = serde_json::from_str(&got).unwrap_or(Value::Null);
            if let Some(f) = v["ok"]["failures"].as_array().filter(|f| !f.is_empty()) {
                failures.push(format!("{path}: {f:?}"));
            }
            if v.get("ok").is_none() {
                failures.push(format!("{path}: not a case file: {got}"));
            }
        }
        console_log!(
            "{} case files: {} differ from native",
            native.len(),
            mismatches.len()
        );
        assert!(
            mismatches.is_empty(),
            "wasm differs from native:\n{}",
            mismatches.join("\n")
        );
        assert!(
            failures.is_empty(),
            "case files fail in wasm:\n{}",
            failures.join("\n")
        );
    }

    #[wasm_bindgen_test]
    fn the_js_boundary_returns_what_the_core_returns_for_every_case_file() {
        let mut estimates = 0;
        let mut errors = 0;
        for (path, text) in casefile::BUNDLED {
            let file: Value = serde_json::from_str(text).expect("case files are JSON");
            // A bad-input document is validated (as the CLI's `validate` and the playground
            // do it), a case estimated.
            if let Some(doc) = file.get("document") {
                let core = tiercost::validate_json(&doc.to_string());
                for input in [js(doc), JsValue::from_str(&doc.to_string())] {
                    match (&core, wasm::validate(input)) {
                        (Err(e), Err(thrown_value)) => {
                            let t = thrown(Err(thrown_value), path);
                            assert!(t.is_error, "{path}: not a TiercostError");
                            assert_eq!(
                                (t.code.as_str(), t.path.as_str(), t.problems.len()),
                                (e.code.as_str(), e.path.as_str(), e.problems.len()),
                                "{path}"
                            );
                            errors += 1;
                        }
                        (Ok(_), Ok(_)) => {}
                        _ => panic!("{path}: validate differs between the core and JS"),
                    }
                }
                continue;
            }
            let case_text = file["case"].to_string();
            let core = tiercost::estimate_json(&case_text);
            // As a JS object, and as JSON text.
            for input in [js(&file["case"]), JsValue::from_str(&case_text)] {
                match (&core, wasm::estimate(input, None)) {
                    (Ok(e), Ok(v)) => {
                        let want = serde_json::to_string(e).expect("serializable");
                        assert_eq!(stringify(&v), want, "{path}: the JS result differs");
                        estimates += 1;
                        // The totals-only estimate: the full one without its trace.
                        let totals = wasm::estimate(js(&file["case"]), Some("totals".into()))
                            .unwrap_or_else(|_| panic!("{path}: totals failed"));
                        let want = serde_json::to_string(&e.clone().without_trace())
                            .expect("serializable");
                        assert_eq!(stringify(&totals), want, "{path}: JS totals differ");
                    }
                    (Err(e), Err(thrown_value)) => {
                        let t = thrown(Err(thrown_value), path);
                        assert!(t.is_error, "{path}: not a TiercostError");
                        assert_eq!(
                            (t.code.as_str(), t.path.as_str()),
                            (e.code.as_str(), e.path.as_str()),
                            "{path}"
                        );
                        assert_eq!(t.problems.len(), e.problems.len(), "{path}: problems");
                        errors += 1;
                    }
                    (Ok(_), Err(v)) => {
                        panic!("{path}: the core estimates, JS threw {}", stringify(&v))
                    }
                    (Err(e), Ok(_)) => panic!("{path}: the core fails ({e}), JS returned a result"),
                }
            }
        }
        console_log!("boundary: {estimates} estimates and {errors} errors identical to the core");
        assert!(estimates > 0, "no case file produced an estimate");
    }

    // ---- every reachable error code, thrown with its code and path

    /// Codes no input can produce at the boundary, and why. A new code must be added to the
    /// table below or here.
    const UNREACHABLE: &[(&str, &str)] = &[
        ("internal", "an internal invariant; always a bug"),
        (
            "overflow",
            "amounts are capped at input (invalid_amount) and the item limits keep every sum inside i64 fen",
        ),
        (
            "missing_validity",
            "only the rollover checklist (`tiercost stale`) and the data tests ask for a validity",
        ),
        (
            "limit_exceeded",
            "no longer produced: each limit has its own code (too_large, too_deep, too_many_*)",
        ),
    ];

    /// Codes only the planning functions (feature `wasm-planning`) throw.
    const PLANNING_LIMITS: [&str; 5] = [
        "too_many_variants",
        "too_many_combinations",
        "too_many_months",
        "too_many_courses",
        "too_many_costs",
    ];

    /// The planning functions' limits, each thrown with its code and path.
    #[cfg(feature = "wasm-planning")]
    fn planning_limits(e: &mut BTreeSet<String>) {
        let case = inline_case();
        expect_error(
            e,
            "65 variants",
            wasm::compare(
                js(&case),
                js(&Value::Array(vec![json!({"label": "same"}); 65])),
            ),
            "too_many_variants",
            "$.variants",
        );
        let mut quick = case.clone();
        let enc = &mut quick["encounters"][0];
        enc.as_object_mut().map(|m| m.remove("items"));
        enc["total"] = json!("10000");
        let split = json!({"classA": "1", "classB": "0", "classC": "0"});
        let doc = json!({"case": quick, "unknowns": [
            {"kind": "split", "splits": vec![split; 20]},
            {"kind": "admissions", "max": 12},
            {"kind": "level"}
        ]});
        expect_error(
            e,
            "too many combinations",
            wasm::range(js(&doc)),
            "too_many_combinations",
            "$.unknowns",
        );
        let mut plan = case.clone();
        plan.as_object_mut().map(|m| m.remove("encounters"));
        let course =
            json!({"kind": "visits", "perMonth": 1, "items": [{"amount": "300", "class": "a"}]});
        plan["plan"] = json!({"start": "2025-01-01", "months": 61, "courses": [course]});
        expect_error(
            e,
            "61 months",
            wasm::plan(js(&plan)),
            "too_many_months",
            "$.plan.months",
        );
        plan["plan"] =
            json!({"start": "2025-01-01", "months": 12, "courses": vec![course.clone(); 51]});
        expect_error(
            e,
            "51 courses",
            wasm::plan(js(&plan)),
            "too_many_courses",
            "$.plan.courses",
        );
        plan["plan"] = json!({"start": "2025-01-01", "months": 12, "courses": [course]});
        plan["nonMedical"] = json!(vec![json!({"kind": "travel", "amount": "10"}); 101]);
        expect_error(
            e,
            "101 non-medical costs",
            wasm::plan(js(&plan)),
            "too_many_costs",
            "$.nonMedical",
        );
    }

    #[wasm_bindgen_test]
    fn every_reachable_error_code_is_thrown_with_its_code_and_path() {
        let mut seen = BTreeSet::new();

        // Every case file that expects an error, through the boundary.
        for (path, text) in casefile::BUNDLED {
            let file: Value = serde_json::from_str(text).expect("JSON");
            if let Some(err) = file["expected"].get("error") {
                let empty = Vec::new();
                let also = file["expected"]["problems"].as_array().unwrap_or(&empty);
                for err in std::iter::once(err).chain(also) {
                    let code = err["code"].as_str().unwrap_or_default();
                    let at = err["path"].as_str().unwrap_or("$");
                    let result = match file.get("document") {
                        Some(doc) => wasm::validate(js(doc)),
                        None => wasm::estimate(js(&file["case"]), None),
                    };
                    expect_error(&mut seen, path, result, code, at);
                }
            }
        }

        let e = &mut seen;
        // Truncated text: where the path points (the document or the open field) is the
        // core's choice; the code is not.
        let t = thrown(
            wasm::estimate("{\"pack\": ".into(), None),
            "broken JSON text",
        );
        assert!(
            t.is_error && t.path.starts_with('$'),
            "broken JSON text at {}",
            t.path
        );
        expect_error(
            e,
            "broken JSON text",
            wasm::estimate("{\"pack\": ".into(), None),
            "json_syntax",
            &t.path,
        );
        expect_error(
            e,
            "an unknown detail",
            wasm::estimate(js(&inline_case()), Some("everything".into())),
            "invalid_value",
            "$",
        );
        let mut c = inline_case();
        c.as_object_mut().map(|m| m.remove("member"));
        expect_error(
            e,
            "no member",
            wasm::estimate(js(&c), None),
            "missing_field",
            "$",
        );
        let mut c = inline_case();
        c["encounters"][0]["setting"] = json!("spaceship");
        expect_error(
            e,
            "unknown setting",
            wasm::estimate(js(&c), None),
            "invalid_value",
            "$.encounters[0].setting",
        );
        let mut c = inline_case();
        let editions = c["inlinePack"]["layers"][0]["editions"]
            .as_array_mut()
            .expect("editions");
        let mut earlier = editions[0].clone();
        earlier["from"] = json!("2020-01-01");
        editions.push(earlier);
        expect_error(
            e,
            "editions out of order",
            wasm::estimate(js(&c), None),
            "unsorted_dates",
            "$.inlinePack.layers[0].editions[1].from",
        );
        let mut c = inline_case();
        let layer = c["inlinePack"]["layers"][0].clone();
        c["inlinePack"]["layers"]
            .as_array_mut()
            .expect("layers")
            .push(layer);
        let t = thrown(wasm::estimate(js(&c), None), "two layers with one id");
        assert!(
            t.path.starts_with("$.inlinePack"),
            "duplicate layer id at {}",
            t.path
        );
        expect_error(
            e,
            "two layers with one id",
            wasm::estimate(js(&c), None),
            "duplicate_id",
            &t.path,
        );
        // The grade policy's rule on grade D alone applies to published packs (validate, the
        // rules editor), not to a case's inline illustration.
        let mut c = inline_case();
        c["inlinePack"]["sources"]["WE22"]["grade"] = json!("D");
        expect_error(
            e,
            "statutory values on grade D alone",
            wasm::validate(js(&c["inlinePack"])),
            "weak_source",
            "$.layers[0].editions[0].sources",
        );
        let mut c = inline_case();
        let enc = c["encounters"][0].clone();
        c["encounters"] = json!([enc.clone(), enc]);
        c["encounters"][0]["level"] = json!("no-such-level");
        c["encounters"][1]["level"] = json!("nor-this-one");
        expect_error(
            e,
            "two problems",
            wasm::estimate(js(&c), None),
            "invalid_case",
            "$",
        );
        let mut pack = inline_case()["inlinePack"].clone();
        pack["layers"][0]["editions"][0]["benefits"][0]["rate"]["flat"] = json!("1.5");
        expect_error(
            e,
            "validate a bad pack",
            wasm::validate(js(&pack)),
            "invalid_pack",
            "$",
        );
        let mut big = inline_case();
        let item = big["encounters"][0]["items"][0].clone();
        big["encounters"][0]["items"] = Value::Array(vec![item; 2_001]);
        expect_error(
            e,
            "too many items",
            wasm::estimate(js(&big), None),
            "too_many_items",
            "$.encounters[0].items",
        );
        let mut c = inline_case();
        c["programmes"] = Value::Array(vec![json!({"id": "pap-gipap"}); 51]);
        expect_error(
            e,
            "too many programmes",
            wasm::estimate(js(&c), None),
            "too_many_programmes",
            "$.programmes",
        );
        let mut c = inline_case();
        c["member"]["diagnoses"] = Value::Array(vec![json!("x"); 101]);
        expect_error(
            e,
            "too many diagnoses",
            wasm::estimate(js(&c), None),
            "too_many_names",
            "$.member.diagnoses",
        );
        let mut pack = inline_case()["inlinePack"].clone();
        pack["layers"][0]["editions"][0]["benefits"][0]["items"] =
            json!({"codes": vec![json!("x"); 1_001]});
        expect_error(
            e,
            "a pack list over the limit",
            wasm::validate(js(&pack)),
            "too_many_rules",
            "$.layers[0].editions[0].benefits[0].items.codes",
        );
        let mut c = inline_case();
        c["member"]["extra"] = (0..70).fold(json!(1), |v, _| json!([v]));
        expect_error(
            e,
            "nesting over the limit",
            wasm::estimate(js(&c), None),
            "too_deep",
            &format!("$.member.extra{}", "[0]".repeat(62)),
        );
        let huge = "x".repeat(tiercost::limits::MAX_BYTES + 1);
        expect_error(
            e,
            "text over the limit",
            wasm::estimate(huge.as_str().into(), None),
            "too_large",
            "$",
        );
        let mut c = inline_case();
        let enc = c["encounters"][0].clone();
        c["encounters"] = Value::Array(vec![enc; 1_001]);
        expect_error(
            e,
            "1,001 encounters",
            wasm::estimate(js(&c), None),
            "too_many_encounters",
            "$.encounters",
        );
        #[cfg(feature = "wasm-planning")]
        planning_limits(e);

        let mut unreachable: BTreeSet<&str> = UNREACHABLE.iter().map(|(c, _)| *c).collect();
        if cfg!(not(feature = "wasm-planning")) {
            // Only the planning functions have these limits.
            unreachable.extend(PLANNING_LIMITS);
        }
        let missing: Vec<&str> = ErrorCode::ALL
            .iter()
            .map(|c| c.as_str())
            .filter(|c| !seen.contains(*c) && !unreachable.contains(c))
            .collect();
        assert!(
            missing.is_empty(),
            "error codes never thrown at the JS boundary (add a case above, or to UNREACHABLE with the reason): {missing:?}"
        );
        console_log!("error codes thrown at the boundary: {seen:?}");
    }

    // ---- bad JS values: errors, never panics

    fn with_amount(amount: JsValue) -> JsValue {
        let case = js(&inline_case());
        let item = get(&get(&get(&get(&case, "encounters"), "0"), "items"), "0");
        Reflect::set(&item, &"amount".into(), &amount).expect("set");
        case
    }

    #[wasm_bindgen_test]
    fn bad_js_values_are_errors_not_panics() {
        let e = &mut BTreeSet::new();
        let amount = "$.encounters[0].items[0].amount";
        expect_error(
            e,
            "undefined",
            wasm::estimate(JsValue::UNDEFINED, None),
            "invalid_type",
            "$",
        );
        expect_error(
            e,
            "null",
            wasm::estimate(JsValue::NULL, None),
            "invalid_type",
            "$",
        );
        expect_error(
            e,
            "a number",
            wasm::estimate(JsValue::from_f64(42.0), None),
            "invalid_type",
            "$",
        );
        expect_error(
            e,
            "true",
            wasm::estimate(JsValue::TRUE, None),
            "invalid_type",
            "$",
        );
        expect_error(
            e,
            "an array",
            wasm::estimate(Array::new().into(), None),
            "invalid_type",
            "$",
        );
        expect_error(
            e,
            "empty text",
            wasm::estimate("".into(), None),
            "json_syntax",
            "$",
        );
        expect_error(
            e,
            "a symbol",
            wasm::estimate(Symbol::for_("x").into(), None),
            "invalid_type",
            "$",
        );
        for (what, v) in [
            ("NaN", JsValue::from_f64(f64::NAN)),
            ("Infinity", JsValue::from_f64(f64::INFINITY)),
            ("-Infinity", JsValue::from_f64(f64::NEG_INFINITY)),
            ("2^53", JsValue::from_f64(9_007_199_254_740_992.0)),
            ("1e300", JsValue::from_f64(1e300)),
            ("a safe integer", JsValue::from_f64(1234.0)),
            ("a fraction", JsValue::from_f64(1234.5)),
            ("a BigInt", BigInt::from(1234u32).into()),
        ] {
            expect_error(
                e,
                what,
                wasm::estimate(with_amount(v), None),
                "number_not_string",
                amount,
            );
        }
        expect_error(
            e,
            "an object for money",
            wasm::estimate(with_amount(Object::new().into()), None),
            "invalid_type",
            amount,
        );
        expect_error(
            e,
            "a function",
            wasm::estimate(with_amount(js_sys::Function::new_no_args("").into()), None),
            "invalid_type",
            amount,
        );
        expect_error(
            e,
            "three decimals",
            wasm::estimate(with_amount("1.234".into()), None),
            "invalid_amount",
            amount,
        );
        expect_error(
            e,
            "a negative amount",
            wasm::estimate(with_amount("-1".into()), None),
            "invalid_amount",
            amount,
        );

        // A cycle.
        let case = js(&inline_case());
        let member = get(&case, "member");
        Reflect::set(&member, &"self".into(), &member).expect("set");
        expect_error(
            e,
            "a cycle",
            wasm::estimate(case, None),
            "invalid_value",
            "$.member.self",
        );

        // Nesting far deeper than JSON.stringify's stack or serde_json's recursion limit.
        let mut deep: JsValue = Array::new().into();
        for _ in 0..100_000 {
            let outer = Array::new();
            outer.push(&deep);
            deep = outer.into();
        }
        let case = js(&inline_case());
        Reflect::set(&case, &"extra".into(), &deep).expect("set");
        let t = thrown(wasm::estimate(case, None), "deep nesting");
        assert_eq!(t.code, "too_deep", "deep nesting: {} at {}", t.code, t.path);
        let deep_text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let t = thrown(
            wasm::estimate(deep_text.as_str().into(), None),
            "deep JSON text",
        );
        assert!(t.code == "too_deep", "deep text: {}", t.code);

        // Nested garbage where a structure is expected.
        let mut c = inline_case();
        c["encounters"] = json!([[[{"a": [1, {"b": null}]}]]]);
        let t = thrown(wasm::estimate(js(&c), None), "nested garbage");
        assert!(
            t.path.starts_with("$.encounters"),
            "nested garbage at {}",
            t.path
        );

        // A very large array, over the size limit once it is JSON.
        let big = Array::new();
        let ten = JsValue::from_str("0123456789");
        for _ in 0..1_000_000 {
            big.push(&ten);
        }
        let case = js(&inline_case());
        Reflect::set(&case, &"extra".into(), &big).expect("set");
        expect_error(
            e,
            "a million-element array",
            wasm::estimate(case, None),
            "too_large",
            "$",
        );

        // The other entry points.
        expect_error(
            e,
            "validate(undefined)",
            wasm::validate(JsValue::UNDEFINED),
            "invalid_type",
            "$",
        );
        expect_error(
            e,
            "validate(NaN inside)",
            wasm::validate(js(&json!({"id": "x"})).tap_set("n", JsValue::from_f64(f64::NAN))),
            "number_not_string",
            "$.n",
        );
        #[cfg(feature = "wasm-planning")]
        {
            // compare(case) reads the case as a {base, variants} document: it has neither.
            let t = thrown(
                wasm::compare(js(&inline_case()), JsValue::UNDEFINED),
                "compare(case)",
            );
            assert!(
                ["unknown_field", "missing_field"].contains(&t.code.as_str()),
                "{}",
                t.code
            );
            expect_error(
                e,
                "compare(case, {})",
                wasm::compare(js(&inline_case()), Object::new().into()),
                "invalid_type",
                "$.variants",
            );
        }

        // The module still works after all of that.
        assert!(
            wasm::estimate(js(&inline_case()), None).is_ok(),
            "the module no longer estimates"
        );
    }

    trait TapSet {
        fn tap_set(self, key: &str, value: JsValue) -> JsValue;
    }

    impl TapSet for JsValue {
        fn tap_set(self, key: &str, value: JsValue) -> JsValue {
            Reflect::set(&self, &key.into(), &value).expect("set");
            self
        }
    }

    // ---- the other functions

    #[cfg(feature = "wasm-planning")]
    #[wasm_bindgen_test]
    fn compare_takes_base_and_variants_or_one_document() {
        let case = inline_case();
        let variants = json!([
            {"label": "same", "patch": {}},
            {"label": "bigger bill", "patch": {"encounters": [{
                "date": case["encounters"][0]["date"], "setting": "inpatient",
                "items": [{"amount": "99999", "class": "a"}]}]}}
        ]);
        let out = wasm::compare(js(&case), js(&variants)).expect("compare");
        let want = tiercost::compare_json(&json!({"base": case, "variants": variants}).to_string())
            .expect("the core compares");
        assert_eq!(
            stringify(&out),
            serde_json::to_string(&want).expect("serializable")
        );
        let doc = json!({"base": case, "variants": variants});
        let one = wasm::compare(js(&doc), JsValue::UNDEFINED).expect("compare(doc)");
        assert_eq!(stringify(&one), stringify(&out));
        let vs = get(&out, "variants").dyn_into::<Array>().expect("array");
        assert_eq!(vs.length(), 2);

        let bad = json!([{"label": "bad", "patch": {"member": {"scheme": "nope"}}}]);
        let t = thrown(wasm::compare(js(&case), js(&bad)), "a bad variant");
        assert!(
            t.is_error && !t.code.is_empty() && t.path.starts_with('$'),
            "{} at {}",
            t.code,
            t.path
        );
        let t = thrown(
            wasm::compare(js(&case), JsValue::from_f64(f64::NAN)),
            "NaN variants",
        );
        assert_eq!(
            (t.code.as_str(), t.path.as_str()),
            ("number_not_string", "$.variants")
        );
    }

    #[cfg(feature = "wasm-planning")]
    #[wasm_bindgen_test]
    fn the_planning_functions_answer_or_throw_coded_errors() {
        type F = fn(JsValue) -> Result<JsValue, JsValue>;
        let fns: [(&str, F); 7] = [
            ("commonVariants", wasm::common_variants),
            ("plan", wasm::plan),
            ("aidNeeded", wasm::aid_needed),
            ("maxBill", wasm::max_bill),
            ("range", wasm::range),
            ("burden", wasm::burden),
            ("helpAvailable", wasm::help_available),
        ];
        for (name, f) in fns {
            let t = thrown(f(JsValue::UNDEFINED), name);
            assert_eq!(
                (t.code.as_str(), t.path.as_str()),
                ("invalid_type", "$"),
                "{name}(undefined)"
            );
            let t = thrown(f(js(&json!({"bogus": [1, {"x": null}]}))), name);
            assert!(
                t.is_error && !t.code.is_empty() && t.path.starts_with('$'),
                "{name}: {} at {}",
                t.code,
                t.path
            );
            let t = thrown(
                f(js(&json!({})).tap_set("n", JsValue::from_f64(f64::INFINITY))),
                name,
            );
            assert_eq!(
                (t.code.as_str(), t.path.as_str()),
                ("number_not_string", "$.n"),
                "{name}"
            );
        }
        // Each agrees with the core on a case it accepts.
        let case = inline_case();
        let text = case.to_string();
        let core = tiercost::common_variants_json(&text).expect("common variants of a case");
        let got = wasm::common_variants(js(&case)).expect("commonVariants");
        assert_eq!(
            stringify(&got),
            serde_json::to_string(&core).expect("serializable")
        );
    }

    #[wasm_bindgen_test]
    fn list_packs_versions_and_error_codes() {
        let packs = wasm::list_packs()
            .expect("listPacks")
            .dyn_into::<Array>()
            .expect("array");
        assert!(packs.length() > 0, "no embedded packs");
        for p in packs.iter() {
            assert!(get(&p, "id").is_string() && get(&p, "rulesAsOf").is_string());
        }
        let v = wasm::versions().expect("versions");
        assert_eq!(
            get(&v, "engine").as_string().as_deref(),
            Some(tiercost::ENGINE_VERSION)
        );
        assert_eq!(get(&v, "data").as_string(), Some(tiercost::data_version()));
        let codes = wasm::error_codes()
            .expect("errorCodes")
            .dyn_into::<Array>()
            .expect("array");
        assert_eq!(codes.length() as usize, ErrorCode::ALL.len());
        let summary = wasm::validate(js(&inline_case()["inlinePack"])).expect("a valid pack");
        assert!(get(&summary, "id").is_string() || get(&summary, "summary").is_object());
    }

    /// A registered pack settles a case that names it exactly as the same pack carried
    /// inline does; replaced by id, forgotten on request; an invalid one is refused whole.
    #[wasm_bindgen_test]
    fn a_registered_pack_settles_as_the_inline_one() {
        let inline = inline_case();
        let pack = inline["inlinePack"].clone();
        let id = pack["id"].as_str().expect("an id").to_string();
        let want = stringify(&wasm::estimate(js(&inline), None).expect("inline estimates"));
        let summary = wasm::register_pack(js(&pack)).expect("registers");
        assert_eq!(
            get(&summary, "id").as_string().as_deref(),
            Some(id.as_str())
        );
        let mut named = inline.clone();
        named.as_object_mut().expect("object").remove("inlinePack");
        named["pack"] = json!(id);
        let got = stringify(&wasm::estimate(js(&named), None).expect("named estimates"));
        assert_eq!(got, want, "registered and inline packs settle alike");
        let totals = wasm::estimate(js(&named), Some("totals".into())).expect("totals");
        assert_eq!(
            get(&totals, "detail").as_string().as_deref(),
            Some("totals")
        );

        let mut bad = pack.clone();
        bad["layers"] = json!("none");
        let t = thrown(wasm::register_pack(js(&bad)), "an invalid registered pack");
        assert!(t.is_error && t.path.starts_with("$.layers"), "{}", t.path);
        // The valid registration stands.
        assert!(wasm::estimate(js(&named), None).is_ok());
        assert!(wasm::unregister_pack(&id));
        let t = thrown(wasm::estimate(js(&named), None), "a forgotten pack");
        assert_eq!(
            (t.code.as_str(), t.path.as_str()),
            ("unknown_pack", "$.pack")
        );
        assert!(!wasm::unregister_pack(&id));
    }
}
