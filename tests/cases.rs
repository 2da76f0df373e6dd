//! Runs every data-driven case file under `tests/cases/` (the same files the wasm tests
//! run), collects every failure and asserts once. `CASES=substring` runs a subset.

use std::path::Path;

#[test]
fn every_case_file_gives_its_expected_amounts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let files = tiercost::casefile::json_files(&root);
    let filter = std::env::var("CASES").unwrap_or_default();
    let mut failures = Vec::new();
    let mut ran = 0;
    for f in files
        .iter()
        .filter(|f| f.to_string_lossy().contains(&filter))
    {
        ran += 1;
        let text = std::fs::read_to_string(f).expect("readable case file");
        match tiercost::casefile::check(&text) {
            Ok(r) if r.failures.is_empty() => {}
            Ok(r) => failures.push(format!(
                "{} — {}\n    {}",
                f.display(),
                r.name,
                r.failures.join("\n    ")
            )),
            Err(e) => failures.push(format!("{}: not a case file: {e}", f.display())),
        }
    }
    assert!(ran >= 1, "no case file matched");
    assert!(
        failures.is_empty(),
        "{} of {ran} case files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_bundled_case_list_matches_the_files_on_disk() {
    // The wasm tests run the list compiled in by build.rs; it must be the same set.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let files = tiercost::casefile::json_files(&root);
    assert_eq!(tiercost::casefile::BUNDLED.len(), files.len());
}

#[test]
fn the_documented_example_runs_and_adds_up() {
    let text = include_str!("../examples/inline-pack-case.json");
    let e = tiercost::estimate_json(text).expect("the README example estimates");
    assert_eq!(e.covered.fen() + e.patient.total.fen(), e.total.fen());
    assert_eq!(e.total.to_string(), "245000.00");
    assert_eq!(e.patient.total.to_string(), "60783.20");
    let text = tiercost::explain::render(&e, "en");
    assert!(text.contains("the family pays ¥60783.20"), "{text}");
    let zh = tiercost::explain::render(&e, "zh-CN");
    assert!(zh.contains("个人还需负担 ¥60783.20"), "{zh}");
}

/// The low-grade warning names every weak source behind the numbers in the order of their
/// keys, whatever order the layers cited them in (here the region pack `test` is cited before
/// the programme `cap-prog`), and the same in totals as in full.
#[test]
fn the_low_grade_warning_lists_sources_by_key() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/charity/capacity-to-pay-eligible.json");
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("case file")).expect("JSON");
    let case = file["case"].to_string();
    for detail in [tiercost::Detail::Full, tiercost::Detail::Totals] {
        let e = tiercost::estimate_registered_json(&case, &Default::default(), detail)
            .expect("estimates");
        let w = e
            .warnings
            .iter()
            .find(|w| w.code == "low_grade_source")
            .expect("a low-grade warning");
        assert!(
            w.message.en.ends_with(": cap-prog/S1 (D), test/S1 (D)"),
            "{detail:?}: {}",
            w.message.en
        );
    }
}
