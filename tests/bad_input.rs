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

#[test]
fn limits_have_their_own_code_and_say_the_limit() {
    let items: Vec<&str> = (0..2001)
        .map(|_| r#"{"amount": "1", "class": "a"}"#)
        .collect();
    let json = EXAMPLE.replacen(
        &EXAMPLE[EXAMPLE.find("\"items\": [").unwrap()..EXAMPLE.find("\"level\"").unwrap()],
        &format!("\"items\": [{}],\n      ", items.join(",")),
        1,
    );
    let e = estimate_json(&json).unwrap_err();
    assert_eq!(e.code, ErrorCode::LimitExceeded);
    assert!(e.message.contains("2000"), "{}", e.message);
    let huge = " ".repeat(tiercost::limits::MAX_BYTES + 1);
    assert_eq!(
        estimate_json(&huge).unwrap_err().code,
        ErrorCode::LimitExceeded
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = estimate_json(&deep).unwrap_err();
    assert!(
        matches!(e.code, ErrorCode::LimitExceeded | ErrorCode::InvalidType),
        "{e}"
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
