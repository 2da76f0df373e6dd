//! Invariants that hold for every case: the identity, nothing negative, monotone in cost
//! and in coverage, caps respected, and splitting a bill within one yearly deductible
//! period changes nothing.

use proptest::prelude::*;
use serde_json::{json, Value};
use tiercost::{Case, Catalog, Estimate, Money};

/// A pack with yearly deductibles, gross bands, caps, a hand-over above the basic cap,
/// assistance, a commercial product and a charity (no deductible offsets: those make the
/// family's share legitimately non-monotone; the offsets are in src/settle/deductible.rs).
fn pack() -> Value {
    let t = |s: &str| json!({"zh": s, "en": s});
    let ed =
        |benefits: Value| json!([{"from": "2020-01-01", "sources": ["S1"], "benefits": benefits}]);
    json!({
        "id": "prop", "kind": "region", "name": t("prop"), "version": "1", "rulesAsOf": "2025-01-01",
        "sources": {"S1": {"title": "property-test pack", "grade": "D"}},
        "schemes": [{"id": "resident", "name": t("居民"), "groups": [{"id": "adult", "name": t("adult")}]}],
        "levels": [{"id": "level1", "name": t("1"), "rank": 1}, {"id": "level3", "name": t("3"), "rank": 3}],
        "categories": [{"id": "minimum_living", "name": t("低保")}],
        "general": [{"from": "2020-01-01", "sources": ["S1"], "firstPayRatio": "0.1"}],
        "layers": [
            {"id": "basic", "kind": "basic", "name": t("basic"), "editions": ed(json!([
                {"id": "main", "base": {"buckets": {"inScope": "1"}},
                 "deductible": {"amount": [{"when": {"levels": ["level3"]}, "value": "1300"}, {"value": "500"}], "per": "year", "highestLevel": true},
                 "rate": {"flat": [{"when": {"levels": ["level3"]}, "value": "0.8"}, {"value": "0.9"}]},
                 "caps": [{"amount": "50000", "per": "year"}]}]))},
            {"id": "large", "kind": "large_expense", "name": t("large"), "editions": ed(json!([
                {"id": "above", "base": {"aboveCapOf": "basic"}, "rate": {"flat": "0.95"}, "caps": [{"amount": "200000", "per": "year"}]}]))},
            {"id": "critical", "kind": "critical_illness", "name": t("critical"), "editions": ed(json!([
                {"id": "annual", "base": {"buckets": {"inScope": "1", "firstPay": "1"}},
                 "deductible": {"amount": "15000", "per": "year"},
                 "rate": {"bands": {"measure": "gross", "steps": [{"from": "0", "rate": "0.6"}, {"from": "50000", "rate": "0.7"}]}},
                 "caps": [{"amount": "300000", "per": "year"}]}]))},
            {"id": "assistance", "kind": "assistance", "name": t("assistance"),
             "requires": [{"when": {"categories": ["minimum_living"]}, "reason": t("no")}],
             "editions": ed(json!([{"id": "one", "base": {"buckets": {"inScope": "1", "firstPay": "1"}}, "rate": {"flat": "0.7"}, "caps": [{"amount": "30000", "per": "year"}]}]))},
            {"id": "hmb", "kind": "commercial", "name": t("hmb"), "enrolment": {"premium": "99"}, "editions": ed(json!([
                {"id": "in", "base": {"buckets": {"inScope": "1", "firstPay": "0.5"}}, "deductible": {"amount": "10000", "per": "year"}, "rate": {"flat": "0.8"}},
                {"id": "out", "base": {"buckets": {"outOfCatalogue": "1", "overLimit": "1"}}, "deductible": {"amount": "20000", "per": "year"}, "rate": {"flat": "0.6"}, "caps": [{"amount": "1000000", "per": "year"}]}]))},
            {"id": "charity", "kind": "charity", "name": t("charity"), "editions": ed(json!([
                {"id": "rest", "base": {"buckets": {"inScope": "1", "firstPay": "1", "overLimit": "1", "outOfCatalogue": "1"}}, "rate": {"flat": "0.5"}, "caps": [{"amount": "20000", "per": "year"}]}]))}
        ]
    })
}

#[derive(Clone, Debug)]
struct Bill {
    items: Vec<(i64, u8, Option<i64>)>, // fen, class 0..3, price limit
    level3: bool,
    month: u8,
}

fn bill() -> impl Strategy<Value = Bill> {
    (
        prop::collection::vec(
            (0i64..20_000_000, 0u8..3, prop::option::of(0i64..20_000_000)),
            1..8,
        ),
        any::<bool>(),
        1u8..13,
    )
        .prop_map(|(items, level3, month)| Bill {
            items,
            level3,
            month,
        })
}

fn money(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

fn encounter(b: &Bill, setting: &str) -> Value {
    let items: Vec<Value> = b
        .items
        .iter()
        .map(|(fen, class, limit)| {
            let class = ["a", "b", "c"][*class as usize];
            let mut v = json!({"amount": money(*fen), "class": class});
            if let Some(l) = limit {
                v["priceLimit"] = json!(money(*l));
            }
            v
        })
        .collect();
    json!({"date": format!("2025-{:02}-10", b.month), "setting": setting,
           "level": if b.level3 { "level3" } else { "level1" }, "items": items})
}

fn case(encounters: Vec<Value>, category: &str, enrolled: bool) -> Case {
    let v = json!({
        "inlinePack": pack(),
        "member": {"scheme": "resident", "group": "adult", "category": category,
                   "enrolments": if enrolled { json!(["hmb"]) } else { json!([]) }},
        "encounters": encounters
    });
    serde_json::from_value(v).expect("generated case is valid JSON for the format")
}

fn run(c: &Case) -> Estimate {
    tiercost::estimate(c, &Catalog::default()).expect("generated cases estimate")
}

fn layer(e: &Estimate, id: &str) -> i64 {
    e.layers
        .iter()
        .find(|l| l.id == id)
        .map_or(0, |l| l.paid.fen())
}

fn check_identity(e: &Estimate) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.covered.fen() + e.patient.total.fen(), e.total.fen());
    prop_assert_eq!(
        e.layers.iter().map(|l| l.paid.fen()).sum::<i64>(),
        e.covered.fen()
    );
    prop_assert_eq!(
        e.patient.in_scope.fen() + e.patient.out_of_scope.fen(),
        e.patient.total.fen()
    );
    for l in &e.layers {
        prop_assert!(!l.paid.is_negative(), "layer {} paid {}", l.id, l.paid);
        let s: i64 = l.settlements.iter().map(|s| s.paid.fen()).sum();
        prop_assert_eq!(s, l.paid.fen());
    }
    for it in &e.items {
        prop_assert!(!it.patient.is_negative());
        let paid: i64 = it.paid_by.iter().map(|m| m.fen()).sum();
        prop_assert_eq!(paid + it.patient.fen(), it.amount.fen());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// A totals estimate (no trace) is the full estimate without its trace: every amount,
    /// status and warning to the fen, from the same settlement.
    #[test]
    fn totals_equal_the_full_estimate(bills in prop::collection::vec(bill(), 1..5), cat in prop::bool::ANY, enrolled in prop::bool::ANY, outpatient in prop::bool::ANY) {
        let setting = if outpatient { "outpatient" } else { "inpatient" };
        let encs = bills.iter().map(|b| encounter(b, setting)).collect();
        let c = case(encs, if cat { "minimum_living" } else { "none" }, enrolled);
        let full = run(&c);
        let totals = tiercost::estimate_with(&c, &Catalog::default(), tiercost::Detail::Totals).expect("generated cases estimate");
        prop_assert!(totals.items.is_empty() && totals.sources.is_empty());
        prop_assert!(totals.layers.iter().all(|l| l.settlements.is_empty()));
        let diff = tiercost::casefile::totals_differ(&full, &totals);
        prop_assert!(diff.is_none(), "{}", diff.unwrap_or_default());
    }

    #[test]
    fn layers_and_family_add_up_and_nothing_is_negative(bills in prop::collection::vec(bill(), 1..5), cat in prop::bool::ANY, enrolled in prop::bool::ANY) {
        let encs = bills.iter().map(|b| encounter(b, "inpatient")).collect();
        let e = run(&case(encs, if cat { "minimum_living" } else { "none" }, enrolled));
        check_identity(&e)?;
    }

    #[test]
    fn caps_are_never_exceeded(bills in prop::collection::vec(bill(), 1..6)) {
        let encs = bills.iter().map(|b| encounter(b, "inpatient")).collect();
        let e = run(&case(encs, "minimum_living", true));
        prop_assert!(layer(&e, "basic") <= 5_000_000);
        prop_assert!(layer(&e, "large") <= 20_000_000);
        prop_assert!(layer(&e, "critical") <= 30_000_000);
        prop_assert!(layer(&e, "assistance") <= 3_000_000);
        prop_assert!(layer(&e, "charity") <= 2_000_000);
    }

    #[test]
    fn more_cost_never_lowers_what_the_family_pays(b in bill(), which in 0usize..8, extra in 1i64..5_000_000, cat in prop::bool::ANY, enrolled in prop::bool::ANY) {
        let category = if cat { "minimum_living" } else { "none" };
        let before = run(&case(vec![encounter(&b, "inpatient")], category, enrolled));
        let mut more = b.clone();
        let k = which % more.items.len();
        more.items[k].0 += extra;
        let after = run(&case(vec![encounter(&more, "inpatient")], category, enrolled));
        prop_assert!(after.patient.total >= before.patient.total, "{} then {}", before.patient.total, after.patient.total);
    }

    #[test]
    fn more_coverage_never_raises_what_the_family_pays(bills in prop::collection::vec(bill(), 1..4)) {
        let encs: Vec<Value> = bills.iter().map(|b| encounter(b, "inpatient")).collect();
        let none = run(&case(encs.clone(), "none", false));
        let product = run(&case(encs.clone(), "none", true));
        let assisted = run(&case(encs.clone(), "minimum_living", true));
        prop_assert!(product.patient.total <= none.patient.total);
        prop_assert!(assisted.patient.total <= product.patient.total);
    }

    #[test]
    fn splitting_a_bill_within_the_year_changes_no_total(b in bill(), cut in 0usize..8) {
        // Outpatient visits on one day: yearly deductibles, yearly caps and bands on the
        // cumulative base make one bill and the same bill in two parts settle alike, to the
        // fen. Not enrolled in `hmb`, whose base counts 乙类 first pay at 50%: when an earlier
        // layer uses up one part's in-scope remainder and reaches into that part's first pay
        // while the whole bill still had in-scope cost left, the buckets a 50% weight sees
        // differ — the rules themselves settle each bill on its own buckets.
        let whole = run(&case(vec![encounter(&b, "outpatient")], "minimum_living", false));
        let k = cut % (b.items.len() + 1);
        let (first, second) = b.items.split_at(k);
        let part = |items: &[(i64, u8, Option<i64>)]| Bill { items: items.to_vec(), ..b.clone() };
        let encs: Vec<Value> = [first, second].iter().filter(|p| !p.is_empty()).map(|p| encounter(&part(p), "outpatient")).collect();
        let split = run(&case(encs, "minimum_living", false));
        for l in &whole.layers {
            prop_assert_eq!(layer(&split, &l.id), l.paid.fen(), "layer {}", l.id);
        }
        prop_assert_eq!(split.patient.total, whole.patient.total);
    }
}
