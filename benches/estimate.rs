//! Benchmarks (not tests): one 20-item encounter through five layers, a 52-encounter
//! year, planning, and the bills of the comparison with Publicodes (benches/compare/). Run with `cargo bench --bench estimate`; results go into BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};
use tiercost::{Case, Catalog};

/// Five layers: basic (deductible by level, retiree adjustment, cap), 大病 (gross bands),
/// assistance (by category), 惠民保 (two liabilities), charity (percentage of remainder).
fn pack() -> Value {
    let t = |s: &str| json!({"zh": s, "en": s});
    let ed = |b: Value| json!([{"from": "2020-01-01", "sources": ["S1"], "benefits": b}]);
    json!({
        "id": "bench", "kind": "region", "name": t("bench"), "version": "1", "rulesAsOf": "2025-01-01",
        "sources": {"S1": {"title": "benchmark pack", "grade": "C"}},
        "schemes": [{"id": "employee", "name": t("职工"), "groups": [{"id": "in_service", "name": t("在职")}, {"id": "retired", "name": t("退休")}]}],
        "levels": [{"id": "level1", "name": t("1"), "rank": 1}, {"id": "level2", "name": t("2"), "rank": 2}, {"id": "level3", "name": t("3"), "rank": 3}],
        "categories": [{"id": "minimum_living", "name": t("低保")}],
        "general": [{"from": "2020-01-01", "sources": ["S1"], "firstPayRatio": "0.1"}],
        "layers": [
            {"id": "basic", "kind": "basic", "name": t("basic"), "editions": ed(json!([{
                "id": "inpatient", "base": {"buckets": {"inScope": "1"}},
                "deductible": {"amount": [{"when": {"levels": ["level3"]}, "value": "1300"}, {"when": {"levels": ["level2"]}, "value": "800"}, {"value": "400"}],
                               "per": "encounter", "laterAdmissions": {"multiply": "0.5"}},
                "rate": {"flat": [{"when": {"levels": ["level3"]}, "value": "0.8"}, {"value": "0.85"}],
                         "adjustments": [{"when": {"groups": ["retired"]}, "selfShareFactor": "0.7"}]},
                "caps": [{"amount": "400000", "per": "year"}]}]))},
            {"id": "critical", "kind": "critical_illness", "name": t("critical"), "editions": ed(json!([{
                "id": "annual", "base": {"buckets": {"inScope": "1", "firstPay": "1"}},
                "deductible": {"amount": "15000", "per": "year"},
                "rate": {"bands": {"measure": "gross", "steps": [{"from": "0", "rate": "0.6"}, {"from": "50000", "rate": "0.65"}, {"from": "100000", "rate": "0.75"}]}},
                "caps": [{"amount": "400000", "per": "year"}]}]))},
            {"id": "assistance", "kind": "assistance", "name": t("assistance"),
             "requires": [{"when": {"categories": ["minimum_living"]}, "reason": t("no")}],
             "editions": ed(json!([{"id": "one", "base": {"buckets": {"inScope": "1", "firstPay": "1"}}, "rate": {"flat": "0.7"}, "caps": [{"amount": "60000", "per": "year"}]}]))},
            {"id": "hmb", "kind": "commercial", "name": t("hmb"), "enrolment": {"premium": "99"}, "editions": ed(json!([
                {"id": "in", "base": {"buckets": {"inScope": "1", "firstPay": "0.5"}}, "deductible": {"amount": "15000", "per": "year"}, "rate": {"flat": "0.7"}},
                {"id": "out", "base": {"buckets": {"outOfCatalogue": "1", "overLimit": "1"}}, "deductible": {"amount": "20000", "per": "year"}, "rate": {"flat": "0.4"}, "caps": [{"amount": "1000000", "per": "year"}]}]))},
            {"id": "charity", "kind": "charity", "name": t("charity"), "editions": ed(json!([
                {"id": "rest", "base": {"buckets": {"inScope": "1", "firstPay": "1", "overLimit": "1", "outOfCatalogue": "1"}}, "rate": {"flat": "0.5"}, "caps": [{"amount": "50000", "per": "year"}]}]))}
        ]
    })
}

fn items(n: usize, seed: u64) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let k = (i as u64 * 7919 + seed * 104_729) % 997;
            let class = ["a", "a", "b", "c"][i % 4];
            let mut v = json!({"amount": format!("{}.{:02}", 200 + k * 37, k % 100), "class": class, "description": format!("item {i}")});
            if i % 5 == 0 {
                v["priceLimit"] = json!(format!("{}", 200 + k * 30));
            }
            v
        })
        .collect()
}

fn case(encounters: Vec<Value>) -> (String, Case) {
    let v = json!({
        "pack": "bench",
        "member": {"scheme": "employee", "group": "retired", "age": 66, "category": "minimum_living", "enrolments": ["hmb"]},
        "encounters": encounters
    });
    let text = v.to_string();
    let case: Case = serde_json::from_str(&text).expect("benchmark case parses");
    (text, case)
}

fn bench(c: &mut Criterion) {
    // The pack is loaded once, as the embedded packs are; a case naming it by id is what the
    // page sends.
    let pack_text = pack().to_string();
    let catalog = Catalog::from_documents(&[("bench", pack_text.as_str())]);
    assert!(catalog.problems().is_empty(), "{:?}", catalog.problems());
    let (text, one) = case(vec![
        json!({"date": "2025-03-01", "setting": "inpatient", "level": "level3", "items": items(20, 1)}),
    ]);
    let mut g = c.benchmark_group("estimate");
    g.throughput(Throughput::Elements(1));
    g.bench_function("one 20-item encounter, five layers", |b| {
        b.iter(|| tiercost::estimate(&one, &catalog).expect("estimates"))
    });
    g.bench_function(
        "one 20-item encounter, five layers, parsed from JSON",
        |b| {
            b.iter(|| {
                let case: Case = serde_json::from_str(&text).expect("parses");
                tiercost::estimate(&case, &catalog).expect("estimates")
            })
        },
    );
    let mut inline: Value = serde_json::from_str(&text).expect("parses");
    inline["inlinePack"] = pack();
    inline.as_object_mut().expect("object").remove("pack");
    let inline: Case = serde_json::from_value(inline).expect("parses");
    g.bench_function(
        "one 20-item encounter, five layers, inline pack validated each time",
        |b| b.iter(|| tiercost::estimate(&inline, &catalog).expect("estimates")),
    );
    let year: Vec<Value> = (0..52)
        .map(|w| {
            let month = 1 + w / 5;
            let day = 1 + (w % 5) * 5;
            let setting = if w % 13 == 0 { "inpatient" } else { "outpatient" };
            let level = ["level1", "level2", "level3"][w % 3];
            json!({"date": format!("2025-{month:02}-{day:02}"), "setting": setting, "level": level, "items": items(5, w as u64)})
        })
        .collect();
    let (_, year) = case(year);
    g.bench_function("a 52-encounter year, five layers", |b| {
        b.iter(|| tiercost::estimate(&year, &catalog).expect("estimates"))
    });
    g.finish();
}

/// Issue 7's benchmarks: a 12-month plan that expands to 52 encounters (a donated drug every
/// month, four admissions, three visits a month; embedded `cn-wuhan` with `pap-gipap`), and a
/// ten-variant scenario comparison of a 20-item encounter.
fn planning(c: &mut Criterion) {
    let plan = include_str!("fixtures/plan-52-encounters.json");
    let result = tiercost::plan_json(plan).expect("the plan runs");
    assert_eq!(result.plan.encounters, 52);
    let mut base: Value =
        serde_json::from_str(include_str!("../tests/browser/fixtures/twenty-items.json"))
            .expect("parses");
    base["member"]["category"] = json!("none");
    let variants: Value =
        serde_json::to_value(tiercost::common_variants_json(&base.to_string()).expect("variants"))
            .expect("serializes");
    let ten: Vec<Value> = variants
        .as_array()
        .expect("a list")
        .iter()
        .take(10)
        .cloned()
        .collect();
    assert_eq!(ten.len(), 10);
    let compare = json!({"base": base, "variants": ten}).to_string();
    tiercost::compare_json(&compare).expect("the comparison runs");
    let mut g = c.benchmark_group("planning");
    g.bench_function("a 12-month plan, 52 encounters, from JSON", |b| {
        b.iter(|| tiercost::plan_json(plan).expect("runs"))
    });
    g.bench_function("a 10-variant comparison, from JSON", |b| {
        b.iter(|| tiercost::compare_json(&compare).expect("runs"))
    });
    g.finish();
}

/// The bills of the side-by-side comparison with Publicodes (tests/browser/compare-bench.mjs):
/// three layers in an inline pack read with every case, from case JSON to estimate JSON, as
/// the wasm boundary does. Built from benches/compare/ as `toCase` in bills.mjs builds them.
fn compare(c: &mut Criterion) {
    let pack: Value = serde_json::from_str(include_str!("compare/pack.json")).expect("pack");
    let bills: Vec<Value> =
        serde_json::from_str(include_str!("compare/bills.json")).expect("bills");
    let cases: Vec<String> = bills
        .iter()
        .map(|b| {
            let items: Vec<Value> = ["a", "b", "c"]
                .iter()
                .filter(|k| {
                    b[**k]
                        .as_str()
                        .is_some_and(|v| v.parse::<f64>().is_ok_and(|x| x > 0.0))
                })
                .map(|k| json!({"amount": b[*k], "class": k}))
                .collect();
            json!({
                "inlinePack": pack,
                "member": {"scheme": "resident", "group": "adult", "age": 50, "category": b["category"]},
                "encounters": [{"date": "2025-06-01", "setting": "inpatient", "level": b["level"], "items": items, "label": b["id"]}]
            })
            .to_string()
        })
        .collect();
    for text in &cases {
        tiercost::estimate_json(text).expect("a comparison bill estimates");
    }
    let mut g = c.benchmark_group("compare");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("the comparison bills, inline pack, JSON in and out", |b| {
        b.iter(|| {
            for text in &cases {
                let e = tiercost::estimate_json(text).expect("estimates");
                std::hint::black_box(serde_json::to_string(&e).expect("serializes"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench, planning, compare);
criterion_main!(benches);
