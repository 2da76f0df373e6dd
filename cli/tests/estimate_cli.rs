//! `tiercost estimate --detail totals`: the same amounts, statuses and range as the full
//! estimate, without the trace; an unknown detail is refused by the argument parser.

use std::path::Path;
use std::process::Command;

fn estimate(args: &[&str]) -> serde_json::Value {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/inline-pack-case.json");
    let out = Command::new(env!("CARGO_BIN_EXE_tiercost"))
        .arg("estimate")
        .arg(&example)
        .args(args)
        .output()
        .expect("the CLI runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn totals_are_the_full_estimate_without_its_trace() {
    let full = estimate(&[]);
    let totals = estimate(&["--detail", "totals"]);
    assert_eq!(totals["detail"], "totals");
    assert!(full.get("detail").is_none());
    assert_eq!(totals["items"], serde_json::json!([]));
    assert_eq!(totals["sources"], serde_json::json!({}));
    for k in ["total", "covered", "patient", "encounters", "warnings"] {
        assert_eq!(totals[k], full[k], "{k}");
    }
    let layers = |e: &serde_json::Value| -> Vec<(serde_json::Value, serde_json::Value)> {
        e["layers"]
            .as_array()
            .expect("layers")
            .iter()
            .map(|l| (l["paid"].clone(), l["outcome"].clone()))
            .collect()
    };
    assert_eq!(layers(&totals), layers(&full));
    assert!(full["layers"][0]["settlements"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(totals["layers"][0]["settlements"], serde_json::json!([]));

    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/inline-pack-case.json");
    let bad = Command::new(env!("CARGO_BIN_EXE_tiercost"))
        .arg("estimate")
        .arg(&example)
        .args(["--detail", "everything"])
        .output()
        .expect("the CLI runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("totals"));
}
