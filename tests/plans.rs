//! Treatment-plan files (`tests/plans/*.json`): a plan document and, derived by hand, the
//! family's amount each month, the totals per layer and policy year, and the events.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;
use tiercost::plan::PlanResult;
use tiercost::Money;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PlanFile {
    name: String,
    source: String,
    derivation: Vec<String>,
    plan: Value,
    expected: Expected,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Expected {
    total: Money,
    family: Money,
    layers: BTreeMap<String, Money>,
    monthly_family: Vec<Money>,
    years: Vec<Year>,
    events: Vec<ExpectedEvent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Year {
    policy_year: String,
    family: Money,
    layers: BTreeMap<String, Money>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedEvent {
    month: u32,
    kind: String,
    layer: Option<String>,
    benefit: Option<String>,
}

fn check(file: &PlanFile, r: &PlanResult) -> Vec<String> {
    let mut f = Vec::new();
    let e = &file.expected;
    if r.total != e.total {
        f.push(format!("total {} ≠ {}", r.total, e.total));
    }
    if r.family != e.family {
        f.push(format!("family {} ≠ {}", r.family, e.family));
    }
    for (id, want) in &e.layers {
        let got = r.layers.iter().find(|l| l.id == *id).map(|l| l.paid);
        if got != Some(*want) {
            f.push(format!("layer {id}: {got:?} ≠ {want}"));
        }
    }
    let monthly: Vec<Money> = r.months.iter().map(|m| m.family).collect();
    if monthly != e.monthly_family {
        f.push(format!(
            "monthly family {:?} ≠ {:?}",
            monthly.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
            e.monthly_family
                .iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
        ));
    }
    // Cumulative totals add up, and the months add up to the plan.
    let mut cum = Money::ZERO;
    for m in &r.months {
        cum = cum.checked_add(m.family).unwrap();
        if m.cumulative_family != cum {
            f.push(format!(
                "month {}: cumulative {} ≠ {cum}",
                m.month, m.cumulative_family
            ));
        }
    }
    if cum != r.family {
        f.push(format!("months sum to {cum}, plan family {}", r.family));
    }
    if r.years.len() != e.years.len() {
        f.push(format!(
            "{} policy years ≠ {}",
            r.years.len(),
            e.years.len()
        ));
    }
    for (got, want) in r.years.iter().zip(&e.years) {
        if got.policy_year.to_string() != want.policy_year || got.family != want.family {
            f.push(format!(
                "year {}: family {} ≠ {} {}",
                got.policy_year, got.family, want.policy_year, want.family
            ));
        }
        for (id, amount) in &want.layers {
            if got.paid_by.get(id) != Some(amount) {
                f.push(format!(
                    "year {}: layer {id} {:?} ≠ {amount}",
                    got.policy_year,
                    got.paid_by.get(id)
                ));
            }
        }
    }
    let events: Vec<(u32, String, Option<String>, Option<String>)> = r
        .events
        .iter()
        .map(|e| {
            (
                e.month,
                serde_json::to_value(e.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                e.layer.clone(),
                e.benefit.clone(),
            )
        })
        .collect();
    for want in &e.events {
        let found = events.iter().any(|(m, k, l, b)| {
            *m == want.month
                && *k == want.kind
                && (want.layer.is_none() || *l == want.layer)
                && (want.benefit.is_none() || *b == want.benefit)
        });
        if !found {
            f.push(format!(
                "missing event {} in month {} ({:?}/{:?}); got {events:?}",
                want.kind, want.month, want.layer, want.benefit
            ));
        }
    }
    if events.len() != e.events.len() {
        f.push(format!(
            "{} events, expected {}: {events:?}",
            events.len(),
            e.events.len()
        ));
    }
    f
}

#[test]
fn every_plan_file_matches_its_hand_derived_cash_flow() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/plans");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 3, "expected plan files in {}", dir.display());
    let mut failures = Vec::new();
    for p in &paths {
        let file: PlanFile = serde_json::from_str(&std::fs::read_to_string(p).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        match tiercost::plan_json(&file.plan.to_string()) {
            Ok(r) => {
                for x in check(&file, &r) {
                    failures.push(format!("{}: {x}", p.display()));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", p.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn plan_errors_point_into_the_plan() {
    let doc = |plan: &str| {
        format!(
            r#"{{"pack": "cn-shanghai", "member": {{"scheme": "resident", "group": "adult"}}, "plan": {plan}}}"#
        )
    };
    let e = tiercost::plan_json(&doc(r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "admissions", "count": 1, "each": "1000", "level": "level9"}]}"#)).unwrap_err();
    let paths: Vec<String> = std::iter::once(e.path.clone())
        .chain(e.problems.iter().map(|p| p.path.clone()))
        .collect();
    assert!(paths.iter().any(|p| p == "$.plan.courses[0].level"), "{e}");
    let e = tiercost::plan_json(&doc(
        r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "surgery"}]}"#,
    ))
    .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (tiercost::ErrorCode::InvalidValue, "$.plan.courses[0].kind"),
        "{e}"
    );
    // A problem inside a course is at its field, not at the course list.
    let e = tiercost::plan_json(&doc(
        r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "visits", "perMonth": 1, "each": "10"}, {"kind": "drug", "code": "x", "class": "b", "unitPrice": 7}]}"#,
    ))
    .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (
            tiercost::ErrorCode::NumberNotString,
            "$.plan.courses[1].unitPrice"
        ),
        "{e}"
    );
    let e = tiercost::plan_json(&doc(
        r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "admissions", "count": 1, "items": [{"amount": "x", "class": "a"}]}]}"#,
    ))
    .unwrap_err();
    assert_eq!(e.path, "$.plan.courses[0].items[0].amount", "{e}");
    let e = tiercost::plan_json(r#"{"pack": "cn-shanghai", "member": {"scheme": "resident"}, "encounters": [], "plan": {"start": "2025-01-01", "months": 1, "courses": []}}"#).unwrap_err();
    assert_eq!(e.code, tiercost::ErrorCode::Inconsistent);
    let e = tiercost::plan_json(
        r#"{"pack": "cn-shanghai", "member": {"scheme": "resident"}, "encounters": []}"#,
    )
    .unwrap_err();
    assert_eq!(e.path, "$.plan");
    let e = tiercost::plan_json("[1, 2").unwrap_err();
    assert_eq!(e.code, tiercost::ErrorCode::JsonSyntax);
}

#[test]
fn a_plan_with_52_encounters_settles() {
    // The benchmark's shape: 12 drug purchases, 2 admissions, 38 visits.
    let doc = r#"{"pack": "cn-shanghai", "member": {"scheme": "resident", "group": "adult", "age": 50, "category": "none", "householdIncome": "120000", "householdSize": 3},
      "nonMedical": [{"kind": "travel", "amount": "3000"}, {"kind": "caregiver", "description": "母亲请假", "amount": "12000"}],
      "plan": {"start": "2025-01-15", "months": 12, "courses": [
        {"kind": "drug", "code": "osimertinib", "class": "b", "unitPrice": "5000"},
        {"kind": "admissions", "count": 2, "each": "60000", "split": {"classA": "0.6", "classB": "0.3", "classC": "0.1"}, "level": "level3"},
        {"kind": "visits", "perMonth": 3, "each": "800", "split": {"classA": "0.7", "classB": "0.3", "classC": "0"}, "level": "level3", "months": [1,2,3,4,5,6,7,8,9,10,11,12]},
        {"kind": "visits", "perMonth": 1, "each": "300", "split": {"classA": "1", "classB": "0", "classC": "0"}, "level": "level3", "months": [1, 2]}]}}"#;
    let r = tiercost::plan_json(doc).unwrap();
    assert_eq!(r.plan.encounters, 52);
    assert_eq!(r.total.checked_sub(r.covered).unwrap(), r.family);
    let by_month: i64 = r.months.iter().map(|m| m.bill.fen()).sum();
    assert_eq!(by_month, r.total.fen());
    // Non-medical costs are beside, not inside, the settlement.
    assert_eq!(r.burden.medical, r.family);
    assert_eq!(r.burden.non_medical.total.to_string(), "15000.00");
    assert_eq!(
        r.burden.all_costs,
        r.family.checked_add(r.burden.non_medical.total).unwrap()
    );
    assert!(r.burden.share_of_income.is_some());
}
