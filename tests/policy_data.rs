//! Checks on the policy data itself (policies/): every document loads and validates, every
//! value is dated and sourced, and every regional pack and programme has hand-derived case
//! files. Collects every problem and asserts once per check, so one run lists them all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tiercost::policy::{Grade, Pack, PackKind};
use tiercost::Catalog;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every policy document, embedded or on demand, as (path, parsed pack).
fn documents() -> Vec<(PathBuf, Pack)> {
    let files = tiercost::casefile::json_files(&root().join("policies"));
    assert!(!files.is_empty(), "no policy documents found");
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("readable");
            let pack: Pack = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a pack: {e}", f.display()));
            (f, pack)
        })
        .collect()
}

/// The pack with inheritance resolved (embedded ones from the catalogue, others resolved
/// against it).
fn resolved(pack: &Pack) -> Pack {
    let cat = Catalog::embedded();
    match cat.get(&pack.id) {
        Some(p) if p.version == pack.version => p.clone(),
        _ => cat
            .resolve(pack.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", pack.id)),
    }
}

fn case_files(dir: &Path) -> Vec<(PathBuf, serde_json::Value)> {
    tiercost::casefile::json_files(dir)
        .into_iter()
        .map(|f| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&f).expect("readable"))
                    .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f, v)
        })
        .collect()
}

#[test]
fn every_embedded_document_loads() {
    let problems: Vec<String> = Catalog::embedded()
        .problems()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let ids: BTreeSet<&str> = Catalog::embedded().packs().map(|p| p.id.as_str()).collect();
    assert!(
        ids.contains("cn-national"),
        "the national defaults are embedded"
    );
}

#[test]
fn every_policy_file_validates() {
    let mut failures = Vec::new();
    let mut ids = BTreeMap::new();
    for (f, pack) in documents() {
        let text = std::fs::read_to_string(&f).unwrap();
        if let Err(e) = tiercost::validate_json(&text) {
            failures.push(format!("{}: {e}", f.display()));
        }
        if let Some(other) = ids.insert(pack.id.clone(), f.clone()) {
            failures.push(format!(
                "{}: id \"{}\" is also used by {}",
                f.display(),
                pack.id,
                other.display()
            ));
        }
        // The file name is the pack id, so a reader can find a pack from an estimate.
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        if stem != pack.id {
            failures.push(format!(
                "{}: file name should be {}.json",
                f.display(),
                pack.id
            ));
        }
        if pack.version.trim().is_empty() {
            failures.push(format!("{}: empty version", f.display()));
        }
        if pack.kind == PackKind::Region && pack.extends.as_deref() != Some("cn-national") {
            failures.push(format!(
                "{}: a regional pack extends cn-national",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_value_is_dated_and_sourced() {
    let mut failures = Vec::new();
    for (f, own) in documents() {
        let pack = resolved(&own);
        let where_ = f.display().to_string();
        // The file's own sources (inherited ones are checked in their own file; the embedded
        // copies carry no notes or quotes).
        for (id, s) in &own.sources {
            if s.title.trim().is_empty() {
                failures.push(format!("{where_}: source {id} has no title"));
            }
            // Grade is a required field of the type; low grades must explain themselves.
            if s.grade >= Grade::C && s.note.is_none() && s.quote.is_none() && s.url.is_none() {
                failures.push(format!(
                    "{where_}: source {id} is grade {:?} with neither url, quote nor note",
                    s.grade
                ));
            }
        }
        for (gi, g) in pack.general.iter().enumerate() {
            if g.effective.sources.is_empty() {
                failures.push(format!("{where_}: general[{gi}] cites no source"));
            }
        }
        // Only the pack's own layers: inherited ones are checked in their own file.
        for layer in &own.layers {
            if layer.editions.is_empty() {
                failures.push(format!("{where_}: layer {} has no edition", layer.id));
            }
            for (ei, e) in layer.editions.iter().enumerate() {
                if e.effective.sources.is_empty() {
                    failures.push(format!(
                        "{where_}: layer {} edition {ei} (from {}) cites no source",
                        layer.id, e.effective.from
                    ));
                }
                for s in e.effective.sources.iter().chain(
                    e.effective
                        .provenance
                        .iter()
                        .filter_map(|p| p.source.as_ref()),
                ) {
                    if !pack.sources.contains_key(s) {
                        failures.push(format!(
                            "{where_}: layer {} edition {ei} cites unknown source {s}",
                            layer.id
                        ));
                    }
                }
                for p in &e.effective.provenance {
                    if p.source.is_none() && p.note.is_none() {
                        failures.push(format!(
                            "{where_}: layer {} edition {ei}: provenance {} gives neither source nor note",
                            layer.id, p.field
                        ));
                    }
                }
                for g in &e.effective.gaps {
                    if g.what.zh.trim().is_empty() || g.what.en.trim().is_empty() {
                        failures.push(format!(
                            "{where_}: layer {} edition {ei}: a gap needs words in both languages",
                            layer.id
                        ));
                    }
                }
            }
            if let Some(st) = &layer.status {
                if st.source.is_none() {
                    failures.push(format!(
                        "{where_}: layer {} has a programme status without a source",
                        layer.id
                    ));
                }
            }
        }
        if own.kind == PackKind::Programme && own.layers.len() != 1 {
            failures.push(format!("{where_}: a programme has exactly one layer"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn programme_layer_ids_are_unique_and_do_not_clash_with_regional_layers() {
    let docs = documents();
    let regional: BTreeSet<String> = docs
        .iter()
        .filter(|(_, p)| p.kind != PackKind::Programme)
        .flat_map(|(_, p)| p.layers.iter().map(|l| l.id.clone()))
        .collect();
    let mut seen = BTreeMap::new();
    let mut failures = Vec::new();
    for (f, p) in docs.iter().filter(|(_, p)| p.kind == PackKind::Programme) {
        for l in &p.layers {
            if regional.contains(&l.id) {
                failures.push(format!(
                    "{}: layer id {} is also a regional layer id",
                    f.display(),
                    l.id
                ));
            }
            if let Some(other) = seen.insert(l.id.clone(), f.clone()) {
                failures.push(format!(
                    "{}: layer id {} also in {}",
                    f.display(),
                    l.id,
                    other.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_regional_pack_has_three_hand_derived_case_files() {
    let mut failures = Vec::new();
    // Packs in policies/extra/ are not embedded and not offered (gap-only records of what
    // was searched, the leads to verify): nothing to settle, so no case files.
    let extra = root().join("policies/extra");
    for (f, pack) in documents()
        .iter()
        .filter(|(f, p)| p.kind == PackKind::Region && !f.starts_with(&extra))
    {
        let dir = root().join("tests/cases/regions").join(&pack.id);
        let cases = case_files(&dir);
        if cases.len() < 3 {
            failures.push(format!(
                "{}: {} case file(s) under {}, at least 3 needed",
                f.display(),
                cases.len(),
                dir.display()
            ));
        }
        for (cf, v) in &cases {
            if v["case"]["pack"].as_str() != Some(pack.id.as_str()) {
                failures.push(format!(
                    "{}: should name \"pack\": \"{}\"",
                    cf.display(),
                    pack.id
                ));
            }
            if v["derivation"].as_array().is_none_or(|d| d.is_empty()) {
                failures.push(format!("{}: no derivation", cf.display()));
            }
            if v["source"].as_str().is_none_or(|s| s.trim().is_empty()) {
                failures.push(format!("{}: no source", cf.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_programme_has_a_case_file() {
    let cases = case_files(&root().join("tests/cases/programmes"));
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (_, v) in &cases {
        for p in v["case"]["programmes"].as_array().into_iter().flatten() {
            if let Some(id) = p["id"].as_str() {
                used.insert(id.to_string());
            }
        }
    }
    let missing: Vec<String> = documents()
        .iter()
        .filter(|(_, p)| p.kind == PackKind::Programme && !used.contains(&p.id))
        .map(|(f, p)| {
            format!(
                "{}: no case file under tests/cases/programmes uses {}",
                f.display(),
                p.id
            )
        })
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // A donation programme's case covers a year of treatment or its whole course.
    for (f, v) in &cases {
        if v["derivation"].as_array().is_none_or(|d| d.is_empty()) {
            panic!("{}: no derivation", f.display());
        }
    }
}

/// The rollover checklist as of the session's date: printed (run with `--nocapture` to read
/// it), never failed for the age of the data — but every built-in source must say how long
/// it holds and every product when its year starts.
#[test]
fn the_stale_checklist_runs_and_every_source_has_a_validity() {
    let as_of = tiercost::Date::parse("2026-12-04").unwrap();
    let report = tiercost::stale::stale_report(tiercost::Catalog::embedded(), as_of);
    println!("{}", report.to_text(false));
    let missing: Vec<String> = report.missing.iter().map(|e| e.to_string()).collect();
    assert!(
        missing.is_empty(),
        "sources without a validity:\n{}",
        missing.join("\n")
    );
    assert!(report.current + report.stale.len() + report.historical > 0);
}

/// One grade policy (policies/README.md, *Grades*), enforced on load: every embedded pack
/// loaded, so no citation is a site root, no mirror is graded A, and no statutory value rests
/// on grade D alone. Here the rule is tried on a pack that breaks each clause.
#[test]
fn the_grade_policy_is_enforced_by_validation() {
    let pack = serde_json::json!({
        "id": "cn-grade-test", "kind": "region", "name": {"zh": "测试", "en": "Test"},
        "version": "2026.1", "rulesAsOf": "2026-01-01", "extends": "cn-national",
        "sources": {
            "root": {"title": "t", "url": "https://www.example.gov.cn/", "grade": "B"},
            "mirror": {"title": "t", "url": "https://mirror.example.com/a.html", "grade": "A", "mirrorOf": "x"},
            "seo": {"title": "t", "url": "https://seo.example.com/a.html", "grade": "D"}
        },
        "layers": [{"id": "basic", "kind": "basic", "name": {"zh": "基本", "en": "Basic"},
            "editions": [{"from": "2026-01-01", "sources": ["seo"],
                "benefits": [{"id": "b", "base": {"buckets": {"inScope": "1"}}, "rate": {"flat": [{"value": "0.5"}]}}]}]}]
    });
    let err = tiercost::Catalog::embedded()
        .resolve(serde_json::from_value(pack).expect("reads"))
        .expect_err("breaks the grade policy");
    let text = format!("{err:?}");
    for path in [
        "$.sources.root.url",
        "$.sources.mirror.grade",
        "$.layers[0].editions[0].sources",
    ] {
        assert!(text.contains(path), "no weak_source at {path}: {text}");
    }
}
