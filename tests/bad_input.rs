//! Hostile and malformed input gets a structured error with a stable code and a path —
//! never a panic.

use tiercost::{estimate_json, validate_json, ErrorCode};

const EXAMPLE: &str = include_str!("../examples/inline-pack-case.json");

fn code_of(json: &str) -> ErrorCode {
    match estimate_json(json) {
        Ok(_) => panic!("expected an error for {json:.200}"),
        Err(e) => e.code,
    }
}

#[test]
fn malformed_json_is_a_syntax_error() {
    for bad in [
        "",
        "{",
        "{\"member\": }",
        "{\"pack\": \"x\",",
        "nul",
        "{\"pack\":\"x\",\"member\":{\"scheme\":\"a\"},\"encounters\":[]}}",
    ] {
        let e = estimate_json(bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::JsonSyntax, "{bad}: {e}");
    }
}

#[test]
fn wrong_types_name_the_field() {
    let e =
        estimate_json(r#"{"pack": 5, "member": {"scheme": "x"}, "encounters": []}"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidType);
    assert_eq!(e.path, "$.pack");
    let e = estimate_json(r#"{"pack": "x", "member": [], "encounters": []}"#).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidType, "$.member")
    );
}

#[test]
fn missing_and_unknown_fields() {
    let e = estimate_json(r#"{"pack": "x", "encounters": []}"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::MissingField);
    let e =
        estimate_json(r#"{"pack": "x", "member": {"scheme": "a"}, "encounters": [], "colour": 1}"#)
            .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnknownField, "$.colour")
    );
}

#[test]
fn money_must_be_an_exact_decimal_string() {
    let with_amount = |a: &str| EXAMPLE.replacen("\"152000\"", a, 1);
    assert_eq!(code_of(&with_amount("152000")), ErrorCode::NumberNotString);
    assert_eq!(code_of(&with_amount("1.5e5")), ErrorCode::NumberNotString);
    assert_eq!(code_of(&with_amount("\"1.505\"")), ErrorCode::InvalidAmount);
    assert_eq!(code_of(&with_amount("\"-1\"")), ErrorCode::InvalidAmount);
    assert_eq!(code_of(&with_amount("\"NaN\"")), ErrorCode::InvalidAmount);
    assert_eq!(code_of(&with_amount("\"1e5\"")), ErrorCode::InvalidAmount);
    assert_eq!(
        code_of(&with_amount("\"99999999999999999999\"")),
        ErrorCode::InvalidAmount
    );
    let e = estimate_json(&with_amount("\"1.505\"")).unwrap_err();
    assert_eq!(e.path, "$.encounters[0].items[0].amount");
    assert!(
        e.message.contains("more than two decimals"),
        "{}",
        e.message
    );
}

#[test]
fn the_largest_amounts_do_not_overflow() {
    // One trillion yuan per item, 2,000 items: sums stay exact or fail with a code.
    let items: Vec<String> = (0..2000)
        .map(|_| r#"{"amount": "1000000000000", "class": "c"}"#.to_string())
        .collect();
    let json = EXAMPLE.replacen(
        &EXAMPLE[EXAMPLE.find("\"items\": [").unwrap()..EXAMPLE.find("\"level\"").unwrap()],
        &format!("\"items\": [{}],\n      ", items.join(",")),
        1,
    );
    match estimate_json(&json) {
        Ok(e) => assert_eq!(e.covered.fen() + e.patient.total.fen(), e.total.fen()),
        Err(e) => assert_eq!(e.code, ErrorCode::Overflow),
    }
}

fn example() -> serde_json::Value {
    serde_json::from_str(EXAMPLE).unwrap()
}

/// The error for `case` (which must fail), with its code, path and message.
fn error_of(case: &serde_json::Value) -> tiercost::Error {
    match estimate_json(&case.to_string()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// The problem with `code` among a validation error's problems.
fn problem_of(e: &tiercost::Error, code: ErrorCode) -> &tiercost::Error {
    e.problems
        .iter()
        .find(|p| p.code == code)
        .unwrap_or_else(|| panic!("no {code:?} problem in {e}"))
}

fn assert_limit(e: &tiercost::Error, code: ErrorCode, path: &str, limit: usize, size: usize) {
    assert_eq!((e.code, e.path.as_str()), (code, path), "{e}");
    assert!(
        e.message.contains(&format!("limit is {limit}")) && e.message.contains(&size.to_string()),
        "the message must say the limit ({limit}) and the size ({size}): {}",
        e.message
    );
}

#[test]
fn limits_have_their_own_code_and_say_the_limit() {
    use tiercost::limits::*;
    let mut c = example();
    let item = c["encounters"][0]["items"][0].clone();
    c["encounters"][0]["items"] =
        serde_json::json!(vec![item.clone(); MAX_ITEMS_PER_ENCOUNTER + 1]);
    assert_limit(
        &error_of(&c),
        ErrorCode::TooManyItems,
        "$.encounters[0].items",
        2000,
        2001,
    );

    let mut c = example();
    let mut enc = c["encounters"][0].clone();
    enc["items"] = serde_json::json!(vec![item.clone(); MAX_ITEMS / 10]);
    c["encounters"] = serde_json::json!(vec![enc.clone(); 11]);
    assert_limit(
        &error_of(&c),
        ErrorCode::TooManyItems,
        "$.encounters",
        20_000,
        22_000,
    );

    let mut c = example();
    enc["items"] = serde_json::json!([item]);
    c["encounters"] = serde_json::json!(vec![enc; MAX_ENCOUNTERS + 1]);
    assert_limit(
        &error_of(&c),
        ErrorCode::TooManyEncounters,
        "$.encounters",
        1000,
        1001,
    );

    let mut c = example();
    c["programmes"] = serde_json::json!(vec![
        serde_json::json!({"id": "pap-gipap"});
        MAX_PROGRAMMES + 1
    ]);
    assert_limit(
        &error_of(&c),
        ErrorCode::TooManyProgrammes,
        "$.programmes",
        50,
        51,
    );

    for (field, path) in [
        ("/member/diagnoses", "$.member.diagnoses"),
        ("/member/enrolments", "$.member.enrolments"),
        ("/layerOrder", "$.layerOrder"),
        ("/encounters/0/diagnoses", "$.encounters[0].diagnoses"),
    ] {
        let mut c = example();
        let names: Vec<String> = (0..=MAX_NAMES).map(|i| format!("n{i}")).collect();
        let (parent, key) = field.rsplit_once('/').unwrap();
        c.pointer_mut(if parent.is_empty() { "" } else { parent })
            .unwrap()[key] = serde_json::json!(names);
        assert_limit(&error_of(&c), ErrorCode::TooManyNames, path, 100, 101);
    }

    // Lists in a pack: the problem is gathered with the pack's others.
    let mut c = example();
    c["inlinePack"]["layers"][0]["editions"][0]["benefits"][0]["items"] =
        serde_json::json!({"codes": (0..=MAX_RULES).map(|i| format!("c{i}")).collect::<Vec<_>>()});
    let e = error_of(&c);
    let p = problem_of(&e, ErrorCode::TooManyRules);
    assert_limit(
        p,
        ErrorCode::TooManyRules,
        "$.inlinePack.layers[0].editions[0].benefits[0].items.codes",
        1000,
        1001,
    );

    // And in all the lists of a pack together.
    let mut c = example();
    let benefit = c["inlinePack"]["layers"][0]["editions"][0]["benefits"][0].clone();
    let codes: Vec<String> = (0..MAX_RULES).map(|i| format!("c{i}")).collect();
    let benefits: Vec<serde_json::Value> = (0..=MAX_RULES_TOTAL / MAX_RULES)
        .map(|i| {
            let mut b = benefit.clone();
            b["id"] = serde_json::json!(format!("b{i}"));
            b["items"] = serde_json::json!({"codes": codes});
            b
        })
        .collect();
    c["inlinePack"]["layers"][0]["editions"][0]["benefits"] = serde_json::json!(benefits);
    let e = error_of(&c);
    let p = problem_of(&e, ErrorCode::TooManyRules);
    assert_eq!(p.path, "$.inlinePack", "{p}");
    assert!(p.message.contains("limit is 10000"), "{p}");

    let huge = " ".repeat(MAX_BYTES + 1);
    assert_limit(
        &estimate_json(&huge).unwrap_err(),
        ErrorCode::TooLarge,
        "$",
        MAX_BYTES,
        MAX_BYTES + 1,
    );
    let e = validate_json(&huge).unwrap_err();
    assert_eq!(e.code, ErrorCode::TooLarge);

    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = estimate_json(&deep).unwrap_err();
    assert_eq!(e.code, ErrorCode::TooDeep, "{e}");
    assert_eq!(e.path, format!("${}", "[0]".repeat(MAX_DEPTH)));
    assert!(
        e.message.contains("10000 levels") && e.message.contains("limit is 64"),
        "{e}"
    );
    // At the limit and one past it (the quick bracket count lets the first through unscanned).
    let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert_ne!(
        estimate_json(&nest(MAX_DEPTH)).unwrap_err().code,
        ErrorCode::TooDeep
    );
    assert_eq!(
        estimate_json(&nest(MAX_DEPTH + 1)).unwrap_err().code,
        ErrorCode::TooDeep
    );
    // Deep inside a real case: the path says where.
    let mut c = example();
    let mut v = serde_json::json!(1);
    for _ in 0..100 {
        v = serde_json::json!({"x": v});
    }
    c["member"]["extra"] = v;
    let e = error_of(&c);
    assert_eq!(e.code, ErrorCode::TooDeep, "{e}");
    assert!(e.path.starts_with("$.member.extra.x.x"), "{}", e.path);
    assert!(e.message.contains("102 levels"), "{e}");
    // Brackets inside strings are text, not nesting.
    let mut c = example();
    c["encounters"][0]["label"] = serde_json::json!("[".repeat(1000));
    assert!(estimate_json(&c.to_string()).is_ok());
}

/// A case at every case limit at once: 1,000 encounters, 20,000 items, 50 programmes,
/// 100 diagnoses, a layer order, nesting within the depth limit, under the byte limit. It
/// must estimate (the time it takes is in BENCHMARKS.md: run this test with `--release
/// -- --nocapture`).
#[test]
fn a_case_at_the_limits_estimates() {
    use tiercost::limits::*;
    let mut c = example();
    let items: Vec<serde_json::Value> = (0..MAX_ITEMS / MAX_ENCOUNTERS)
        .map(|k| {
            let class = ["a", "b", "c"][k % 3];
            serde_json::json!({"amount": format!("{}.37", 100 + k * 37), "class": class, "priceLimit": "500"})
        })
        .collect();
    let mut enc = c["encounters"][0].clone();
    enc["items"] = serde_json::json!(items);
    let encounters: Vec<serde_json::Value> = (0..MAX_ENCOUNTERS)
        .map(|i| {
            let mut e = enc.clone();
            e["date"] = serde_json::json!(format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
            e
        })
        .collect();
    c["encounters"] = serde_json::json!(encounters);
    c["member"]["diagnoses"] =
        serde_json::json!((0..MAX_NAMES).map(|i| format!("d{i}")).collect::<Vec<_>>());
    let programme: serde_json::Value = serde_json::from_str(include_str!(
        "../policies/programmes/templates/template-remainder-capped.json"
    ))
    .unwrap();
    c["programmes"] = serde_json::json!((0..MAX_PROGRAMMES)
        .map(|i| {
            let mut p = programme.clone();
            p["id"] = serde_json::json!(format!("p{i}"));
            p["layers"][0]["id"] = serde_json::json!(format!("p{i}"));
            serde_json::json!({"inline": p})
        })
        .collect::<Vec<_>>());
    c["member"]["householdSize"] = serde_json::json!(3);
    c["member"]["householdIncome"] = serde_json::json!("30000");
    let text = c.to_string();
    assert!(text.len() <= MAX_BYTES, "{} bytes", text.len());
    let start = std::time::Instant::now();
    let e = estimate_json(&text).unwrap_or_else(|e| panic!("the case at the limits fails: {e}"));
    eprintln!(
        "a case at the limits ({} bytes, {} encounters, {} items, {} layers): estimated in {:?}",
        text.len(),
        e.encounters.len(),
        e.items.len(),
        e.layers.len(),
        start.elapsed()
    );
    assert_eq!(e.items.len(), MAX_ITEMS);
    assert_eq!(e.covered.fen() + e.patient.total.fen(), e.total.fen());
    assert!(
        e.layers.iter().filter(|l| l.paid.fen() > 0).count() > 2,
        "layers paid: {:?}",
        e.layers.iter().map(|l| (&l.id, l.paid)).collect::<Vec<_>>()
    );
}

#[test]
fn validation_reports_every_problem_with_its_path() {
    let v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let mut pack = v["inlinePack"].clone();
    pack["layers"][0]["editions"][0]["sources"] = serde_json::json!(["NOPE"]);
    pack["layers"][1]["editions"][0]["benefits"][0]["rate"]["bands"]["steps"][1]["from"] =
        serde_json::json!("0");
    pack["order"] = serde_json::json!(["ghost"]);
    let e = validate_json(&pack.to_string()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidPack);
    let got: Vec<(ErrorCode, &str)> = e
        .problems
        .iter()
        .map(|p| (p.code, p.path.as_str()))
        .collect();
    assert!(
        got.contains(&(
            ErrorCode::UnknownReference,
            "$.layers[0].editions[0].sources[0]"
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            ErrorCode::BandsNotAscending,
            "$.layers[1].editions[0].benefits[0].rate.bands.steps[1].from"
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(ErrorCode::UnknownReference, "$.order[0]")),
        "{got:?}"
    );
}

#[test]
fn unsorted_editions_are_refused() {
    let v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let mut pack = v["inlinePack"].clone();
    let ed = pack["layers"][0]["editions"][0].clone();
    let mut older = ed.clone();
    older["from"] = serde_json::json!("2020-01-01");
    older["until"] = serde_json::json!("2020-12-31");
    pack["layers"][0]["editions"] = serde_json::json!([ed, older]);
    let e = validate_json(&pack.to_string()).unwrap_err();
    assert!(e.problems.iter().any(|p| p.code == ErrorCode::UnsortedDates && p.path == "$.layers[0].editions[1].from"), "{e}");
}

#[test]
fn every_error_code_has_a_distinct_stable_name() {
    let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n);
    for c in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(c).unwrap(),
            serde_json::Value::String(c.as_str().into())
        );
    }
}

/// The planning functions' own limits: variants, combinations, plan months, courses and
/// non-medical costs, and a plan that expands into too many encounters.
#[test]
fn planning_limits_have_their_own_codes() {
    use serde_json::json;
    let case = example();
    let check =
        |r: Result<(), tiercost::Error>, code: ErrorCode, path: &str, limit: usize, size: usize| {
            let e = r.expect_err("expected an error");
            assert_limit(&e, code, path, limit, size);
        };
    let variants = vec![json!({"label": "same"}); tiercost::scenario::MAX_VARIANTS + 1];
    let doc = json!({"base": case, "variants": variants});
    check(
        tiercost::compare_json(&doc.to_string()).map(|_| ()),
        ErrorCode::TooManyVariants,
        "$.variants",
        64,
        65,
    );
    let split = json!({"classA": "1", "classB": "0", "classC": "0"});
    let mut quick = case.clone();
    quick["encounters"][0]
        .as_object_mut()
        .unwrap()
        .remove("items");
    quick["encounters"][0]["total"] = json!("10000");
    let doc = json!({"case": quick, "unknowns": [
        {"kind": "split", "splits": vec![split; 20]},
        {"kind": "admissions", "max": 12},
        {"kind": "level"}
    ]});
    let e = tiercost::range_json(&doc.to_string())
        .map(|_| ())
        .expect_err("too many combinations");
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::TooManyCombinations, "$.unknowns"),
        "{e}"
    );
    assert!(e.message.contains("limit is 256"), "{e}");

    let mut plan = case.clone();
    plan.as_object_mut().unwrap().remove("encounters");
    let course =
        json!({"kind": "visits", "perMonth": 1, "items": [{"amount": "300", "class": "a"}]});
    plan["plan"] = json!({"start": "2025-01-01", "months": 61, "courses": [course]});
    check(
        tiercost::plan_json(&plan.to_string()).map(|_| ()),
        ErrorCode::TooManyMonths,
        "$.plan.months",
        60,
        61,
    );
    plan["plan"] =
        json!({"start": "2025-01-01", "months": 12, "courses": vec![course.clone(); 51]});
    check(
        tiercost::plan_json(&plan.to_string()).map(|_| ()),
        ErrorCode::TooManyCourses,
        "$.plan.courses",
        50,
        51,
    );
    plan["plan"] = json!({"start": "2025-01-01", "months": 60, "courses": [
        {"kind": "visits", "perMonth": 20, "items": [{"amount": "300", "class": "a"}]}
    ]});
    let e = tiercost::plan_json(&plan.to_string())
        .map(|_| ())
        .expect_err("too many encounters");
    assert_eq!(e.code, ErrorCode::TooManyEncounters, "{e}");
    assert!(e.message.contains("limit is 1000"), "{e}");
    plan["plan"] = json!({"start": "2025-01-01", "months": 12, "courses": [course]});
    plan["nonMedical"] = json!(vec![json!({"kind": "travel", "amount": "10"}); 101]);
    check(
        tiercost::plan_json(&plan.to_string()).map(|_| ()),
        ErrorCode::TooManyCosts,
        "$.nonMedical",
        100,
        101,
    );
}

/// An unknown field in a variant whose fields sit beside its tag (a plan course) lists the
/// fields it may have: the tag and the variant's own, and no empty name.
#[test]
fn an_unknown_field_beside_a_tag_lists_real_names() {
    use serde_json::json;
    let mut plan = example();
    plan.as_object_mut().unwrap().remove("encounters");
    let course = json!({"kind": "visits", "perMonth": 1, "colour": "red",
        "items": [{"amount": "300", "class": "a"}]});
    plan["plan"] = json!({"start": "2025-01-01", "months": 2, "courses": [course]});
    let e = tiercost::plan_json(&plan.to_string()).expect_err("an unknown field");
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnknownField, "$.plan.courses[0].colour"),
        "{e}"
    );
    assert!(e.message.contains("`kind`"), "the tag is listed: {e}");
    assert!(
        e.message.contains("`perMonth`"),
        "the variant's fields are listed: {e}"
    );
    assert!(!e.message.contains("``"), "no empty name: {e}");
}
