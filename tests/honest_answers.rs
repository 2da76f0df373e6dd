//! An answer is never wrong by omission: over every embedded region × scheme × locality ×
//! filing × assistance category the page offers, whenever a layer that would apply has no
//! rules here or needs an input, the estimate is a range and what a person reads (the CLI's
//! and handout's sentences) states the range and names the layer — never one number that
//! counts the unknown layer as ¥0. Plus the property that a range contains every answer its
//! enumerable missing inputs could give.

use proptest::prelude::*;
use serde_json::{json, Value};
use tiercost::estimate::Outcome;
use tiercost::policy::PackKind;
use tiercost::{Case, Catalog, Estimate};

fn case(v: Value) -> Case {
    serde_json::from_value(v).expect("a valid case")
}

fn estimate(c: &Case) -> Estimate {
    tiercost::estimate(c, Catalog::embedded()).expect("the matrix cases estimate")
}

/// Checks one estimate as a person would read it; returns every problem found.
fn check(label: &str, e: &Estimate, local: bool, pack_mentions_locality: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let undecided_layers: Vec<&str> = e
        .layers
        .iter()
        .filter(|l| {
            matches!(
                l.outcome,
                Outcome::NoRules { .. } | Outcome::NeedsInformation { .. }
            )
        })
        .map(|l| l.id.as_str())
        .collect();
    let text = tiercost::explain::render(e, "zh");
    let headline = text.lines().next().unwrap_or_default().to_string();
    match &e.range {
        None => {
            if !undecided_layers.is_empty() {
                problems.push(format!(
                    "{label}: layers {undecided_layers:?} are undecided but the answer is a single number"
                ));
            }
            if !local && !pack_mentions_locality {
                problems.push(format!(
                    "{label}: care outside the region was priced as local (a single number)"
                ));
            }
        }
        Some(r) => {
            if r.low > r.high || r.high != e.patient.total {
                problems.push(format!(
                    "{label}: range {}–{} is not ordered or its high is not the share {}",
                    r.low, r.high, e.patient.total
                ));
            }
            for id in &undecided_layers {
                if !r.undecided.iter().any(|u| u.layer == *id) {
                    problems.push(format!("{label}: layer {id} is undecided but not named"));
                }
            }
            // As the page says it: "约 ¥low – ¥high", or the one amount when both ends meet
            // (the sentence then says the undecided layers would not pay even at their most).
            let stated = if r.low == r.high {
                format!("¥{}", r.low)
            } else {
                format!("¥{} – ¥{}", r.low, r.high)
            };
            if !headline.contains(&stated) {
                problems.push(format!(
                    "{label}: the headline does not state the range {stated}: {headline}"
                ));
            }
            for u in &r.undecided {
                if !headline.contains(&u.name.zh) {
                    problems.push(format!(
                        "{label}: the headline does not name {}: {headline}",
                        u.name.zh
                    ));
                }
            }
            if headline.contains(&format!("个人还需负担 ¥{}（", e.patient.total)) {
                problems.push(format!("{label}: the headline gives a single number"));
            }
        }
    }
    problems
}

#[test]
fn no_answer_is_a_single_number_while_a_layer_is_undecided() {
    let catalog = Catalog::embedded();
    let mut problems = Vec::new();
    let mut cases = 0;
    let mut ranges = 0;
    for pack in catalog.packs().filter(|p| p.kind == PackKind::Region) {
        let mentions = serde_json::to_string(pack)
            .map(|j| j.contains("\"localities\"") || j.contains("\"filed\""))
            .unwrap_or(false);
        let levels: Vec<&str> = pack.levels.iter().map(|l| l.id.as_str()).collect();
        let level = levels.last().copied().unwrap_or("level3");
        let mut categories: Vec<Option<String>> = vec![None, Some("none".into())];
        categories.extend(pack.categories.iter().map(|c| Some(c.id.clone())));
        for scheme in &pack.schemes {
            let group = scheme.groups.first().map(|g| g.id.clone());
            for (locality, filed) in [
                ("in_region", None),
                ("in_province", None),
                ("out_of_province", None),
                ("out_of_province", Some(true)),
                ("out_of_province", Some(false)),
            ] {
                for category in &categories {
                    for date in ["2026-12-04", &pack.rules_as_of.to_string()] {
                        let mut member = json!({"scheme": scheme.id, "age": 60});
                        if let Some(g) = &group {
                            member["group"] = json!(g);
                        }
                        if let Some(c) = category {
                            member["category"] = json!(c);
                        }
                        let mut enc = json!({
                            "date": date, "setting": "inpatient", "level": level,
                            "locality": locality,
                            "total": "80000",
                            "split": {"classA": "0.6", "classB": "0.3", "classC": "0.1"}
                        });
                        if let Some(f) = filed {
                            enc["filed"] = json!(f);
                        }
                        let c =
                            case(json!({"pack": pack.id, "member": member, "encounters": [enc]}));
                        let e = estimate(&c);
                        cases += 1;
                        ranges += usize::from(e.range.is_some());
                        let label = format!(
                            "{} {} {locality} filed={filed:?} category={category:?} {date}",
                            pack.id, scheme.id
                        );
                        problems.extend(check(&label, &e, locality == "in_region", mentions));
                    }
                }
            }
        }
    }
    assert!(
        cases > 500,
        "the matrix should cover every pair: {cases} cases"
    );
    assert!(ranges > 0, "some answers must be ranges");
    assert!(
        problems.is_empty(),
        "{} of {cases} answers hide an unknown layer:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn bill_case(pack: &str, scheme: &str, fen: i64, category: Option<&str>, locality: &str) -> Case {
    let mut member = json!({"scheme": scheme, "age": 50});
    if let Some(c) = category {
        member["category"] = json!(c);
    }
    case(json!({
        "pack": pack, "member": member,
        "encounters": [{"date": "2026-03-01", "setting": "inpatient", "level": "level3",
                        "locality": locality,
                        "items": [{"amount": format!("{}.{:02}", fen / 100, fen % 100), "class": "a"},
                                  {"amount": "3000", "class": "c"}]}]
    }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A range contains every answer its missing category could give: settling the case at
    /// each category (and at "none") gives a share between the range's ends.
    #[test]
    fn a_range_contains_every_answer_of_its_missing_category(
        fen in 100_000i64..50_000_000,
        pack_i in 0usize..9,
        resident in any::<bool>(),
        out_of_province in any::<bool>(),
    ) {
        let catalog = Catalog::embedded();
        let regions: Vec<_> = catalog.packs().filter(|p| p.kind == PackKind::Region).collect();
        let pack = regions[pack_i % regions.len()];
        let scheme = if resident { "resident" } else { "employee" };
        let locality = if out_of_province { "out_of_province" } else { "in_region" };
        let c = bill_case(&pack.id, scheme, fen, None, locality);
        let e = estimate(&c);
        // The same range, statuses and amounts without the trace.
        let totals = tiercost::estimate_with(&c, catalog, tiercost::Detail::Totals).expect("estimates");
        let diff = tiercost::casefile::totals_differ(&e, &totals);
        prop_assert!(diff.is_none(), "{}", diff.unwrap_or_default());
        let (low, high) = e.range.as_ref().map_or((e.patient.total, e.patient.total), |r| (r.low, r.high));
        prop_assert!(low <= high);
        let mut values: Vec<String> = pack.categories.iter().map(|c| c.id.clone()).collect();
        values.push("none".into());
        for v in values {
            let ev = estimate(&bill_case(&pack.id, scheme, fen, Some(&v), locality));
            let share = ev.patient.total;
            prop_assert!(
                low <= share && share <= high,
                "{} {scheme} {locality}: category {v} gives {share}, outside {low}–{high}",
                pack.id
            );
            // And that answer's own range lies inside the unknown-category range.
            if let Some(r) = &ev.range {
                prop_assert!(low <= r.low && r.high <= high,
                    "{} {scheme}: category {v} range {}–{} is outside {low}–{high}", pack.id, r.low, r.high);
            }
        }
    }
}
