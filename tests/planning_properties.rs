//! Properties of the planning answers: the inverse answers are tight (one fen more or less
//! flips the condition), ranges contain every concrete choice, and scenario differences add
//! up (base + difference = variant, field by field).

use proptest::prelude::*;
use serde_json::{json, Value};
use tiercost::inverse::{aid_needed, max_bill, InverseInput, Scale};
use tiercost::range::{range, RangeInput, Unknown};
use tiercost::scenario::{compare, CompareInput, Preset, Variant};
use tiercost::Money;

/// The same kind of pack as tests/properties.rs: yearly deductibles, bands, caps, a hand-over
/// above the basic cap, assistance, a commercial product with a premium, and a charity.
fn pack() -> Value {
    let t = |s: &str| json!({"zh": s, "en": s});
    let ed =
        |benefits: Value| json!([{"from": "2020-01-01", "sources": ["S1"], "benefits": benefits}]);
    json!({
        "id": "prop", "kind": "region", "name": t("prop"), "version": "1", "rulesAsOf": "2025-01-01",
        "sources": {"S1": {"title": "property-test pack", "grade": "D"}},
        "schemes": [{"id": "resident", "name": t("居民"), "groups": [{"id": "adult", "name": t("adult")}]}],
        "levels": [{"id": "level1", "name": t("1"), "rank": 1}, {"id": "level2", "name": t("2"), "rank": 2}, {"id": "level3", "name": t("3"), "rank": 3}],
        "categories": [{"id": "minimum_living", "name": t("低保")}],
        "general": [{"from": "2020-01-01", "sources": ["S1"], "firstPayRatio": "0.1"}],
        "layers": [
            {"id": "basic", "kind": "basic", "name": t("basic"), "editions": ed(json!([
                {"id": "main", "base": {"buckets": {"inScope": "1"}},
                 "deductible": {"amount": [{"when": {"levels": ["level3"]}, "value": "1300"}, {"when": {"levels": ["level2"]}, "value": "800"}, {"value": "500"}], "per": "year", "highestLevel": true},
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
             "documents": [t("低保证")],
             "editions": ed(json!([{"id": "one", "base": {"buckets": {"inScope": "1", "firstPay": "1"}}, "rate": {"flat": "0.7"}, "caps": [{"amount": "30000", "per": "year"}]}]))},
            {"id": "hmb", "kind": "commercial", "name": t("hmb"), "enrolment": {"premium": "99"}, "editions": ed(json!([
                {"id": "in", "base": {"buckets": {"inScope": "1", "firstPay": "0.5"}}, "deductible": {"amount": "10000", "per": "year"}, "rate": {"flat": "0.8"}},
                {"id": "out", "base": {"buckets": {"outOfCatalogue": "1", "overLimit": "1"}}, "deductible": {"amount": "20000", "per": "year"}, "rate": {"flat": "0.6"}, "caps": [{"amount": "1000000", "per": "year"}]}]))},
            {"id": "charity", "kind": "charity", "name": t("charity"), "editions": ed(json!([
                {"id": "rest", "base": {"buckets": {"inScope": "1", "firstPay": "1", "overLimit": "1", "outOfCatalogue": "1"}}, "rate": {"flat": "0.5"}, "caps": [{"amount": "20000", "per": "year"}]}]))}
        ]
    })
}

fn money(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

type Items = Vec<(i64, u8)>;

fn items() -> impl Strategy<Value = Items> {
    prop::collection::vec((0i64..30_000_000, 0u8..3), 1..5)
}

fn doc(encs: &[(Items, u8, u8)], category: &str, enrolled: bool) -> Value {
    let encounters: Vec<Value> = encs
        .iter()
        .map(|(items, level, month)| {
            let items: Vec<Value> = items
                .iter()
                .map(|(f, c)| {
                    let class = ["a", "b", "c"][*c as usize];
                    json!({"amount": money(*f), "class": class})
                })
                .collect();
            json!({"date": format!("2025-{:02}-10", month), "setting": "inpatient",
                   "level": format!("level{}", level), "items": items})
        })
        .collect();
    json!({
        "inlinePack": pack(),
        "member": {"scheme": "resident", "group": "adult", "category": category,
                   "enrolments": if enrolled { json!(["hmb"]) } else { json!([]) }},
        "encounters": encounters
    })
}

fn encounters() -> impl Strategy<Value = Vec<(Items, u8, u8)>> {
    prop::collection::vec((items(), 1u8..4, 1u8..13), 1..4)
}

fn family(d: &Value) -> Money {
    tiercost::estimate_json(&d.to_string())
        .expect("generated cases estimate")
        .patient
        .total
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn aid_needed_is_exact_and_tight(encs in encounters(), cat in prop::bool::ANY, enrolled in prop::bool::ANY, frac in 0u32..=1000) {
        let d = doc(&encs, if cat { "minimum_living" } else { "none" }, enrolled);
        let share = family(&d);
        let target = Money::from_fen(share.fen() * frac as i64 / 1000);
        let a = aid_needed(&InverseInput { case: d.clone(), target, scale: None, upper: None }).unwrap();
        prop_assert!(a.verified, "{a:?}");
        prop_assert_eq!(a.family, share);
        prop_assert_eq!(a.aid_needed.fen(), (share.fen() - target.fen()).max(0));
        prop_assert_eq!(a.family_with_aid, target.min(share));
        let per_year: i64 = a.by_policy_year.iter().map(|y| y.aid.fen()).sum();
        prop_assert_eq!(per_year, a.aid_needed.fen());
        // One fen less aid leaves the family one fen above the target.
        if a.aid_needed.fen() > 0 {
            let b = aid_needed(&InverseInput { case: d, target: Money::from_fen(target.fen() + 1), scale: None, upper: None }).unwrap();
            prop_assert!(b.verified);
            prop_assert_eq!(b.aid_needed.fen(), a.aid_needed.fen() - 1);
        }
    }

    #[test]
    fn largest_bill_is_tight(encs in encounters(), cat in prop::bool::ANY, enrolled in prop::bool::ANY, target in 0i64..8_000_000, pick in 0usize..16) {
        let d = doc(&encs, if cat { "minimum_living" } else { "none" }, enrolled);
        let ei = pick % encs.len();
        let ii = pick % encs[ei].0.len();
        let input = InverseInput {
            case: d.clone(),
            target: Money::from_fen(target),
            scale: Some(Scale::Encounter { encounter: ei, item: Some(ii) }),
            upper: Some(Money::from_fen(100_000_000)),
        };
        let a = max_bill(&input).unwrap();
        prop_assert!(a.iterations <= 64 + 4);
        let with = |fen: i64| {
            let mut x = d.clone();
            x["encounters"][ei]["items"][ii]["amount"] = json!(money(fen));
            family(&x)
        };
        match a.amount {
            None => prop_assert!(with(0).fen() > target),
            Some(x) if a.bounded => {
                // Checked independently of the function's own numbers.
                prop_assert!(with(x.fen()).fen() <= target, "at {x}");
                prop_assert!(with(x.fen() + 1).fen() > target, "at {x} + 1 fen");
                prop_assert_eq!(a.family_at_amount, Some(with(x.fen())));
                prop_assert_eq!(a.family_at_next_fen, Some(with(x.fen() + 1)));
            }
            Some(x) => prop_assert!(with(x.fen()).fen() <= target),
        }
    }

    #[test]
    fn ranges_contain_every_concrete_choice(total in 0i64..50_000_000, month in 1u8..6, level in 1u8..4, split in 0usize..3, count in 1u32..4, cat in prop::bool::ANY) {
        let d = json!({
            "inlinePack": pack(),
            "member": {"scheme": "resident", "group": "adult", "category": if cat { "minimum_living" } else { "none" }},
            "encounters": [{"date": format!("2025-{:02}-10", month), "setting": "inpatient", "total": money(total)}]
        });
        let r = range(RangeInput {
            case: d.clone(),
            unknowns: Some(vec![
                Unknown::Level { levels: None },
                Unknown::Split { splits: None },
                Unknown::Admissions { max: 3, encounter: None, course: None },
            ]),
        }).unwrap();
        prop_assert_eq!(r.points.len(), 3 * 3 * 3);
        for p in &r.points {
            prop_assert!(r.low.family <= p.family && p.family <= r.high.family);
        }
        prop_assert!(r.low.family <= r.typical.family && r.typical.family <= r.high.family);
        prop_assert!(r.matters_most.is_some());
        // A concrete choice, built by hand, lies within the range and matches its point.
        let splits = [("0.8", "0.15", "0.05"), ("0.6", "0.3", "0.1"), ("0.4", "0.3", "0.3")];
        let (a, b, c) = splits[split];
        let mut enc = d["encounters"][0].clone();
        enc["level"] = json!(format!("level{level}"));
        enc["split"] = json!({"classA": a, "classB": b, "classC": c});
        let date: tiercost::Date = format!("2025-{:02}-10", month).parse().unwrap();
        let mut list = vec![enc.clone()];
        for j in 1..count {
            let mut e = enc.clone();
            e["date"] = json!(date.add_months(j).to_string());
            list.push(e);
        }
        let mut concrete = d.clone();
        concrete["encounters"] = json!(list);
        let share = family(&concrete);
        prop_assert!(r.low.family <= share && share <= r.high.family);
        let label = format!("{a}/{b}/{c}");
        let p = r.points.iter().find(|p| {
            p.choice["level"] == format!("level{level}") && p.choice["admissions"] == count.to_string()
                && p.choice["split"].split('/').map(|x| x.trim_end_matches('0')).collect::<Vec<_>>()
                    == label.split('/').map(|x| x.trim_end_matches('0')).collect::<Vec<_>>()
        });
        prop_assert!(p.is_some(), "no point for {level}/{label}/{count} in {:?}", r.points.iter().map(|p| &p.choice).collect::<Vec<_>>());
        prop_assert_eq!(p.unwrap().family, share);
    }

    #[test]
    fn scenario_differences_add_up(encs in encounters(), cat in prop::bool::ANY, enrolled in prop::bool::ANY, level in 1u8..4, bump in 0i64..5_000_000) {
        let d = doc(&encs, if cat { "minimum_living" } else { "none" }, enrolled);
        let v = |label: &str, preset: Option<Preset>, patch: Option<Value>, order: Option<Vec<&str>>| Variant {
            label: label.into(),
            preset,
            patch,
            layer_order: order.map(|o| o.into_iter().map(String::from).collect()),
        };
        let variants = vec![
            v("level", Some(Preset::Level { level: format!("level{level}") }), None, None),
            v("enrol", Some(Preset::Enrol { product: "hmb".into() }), None, None),
            v("unenrol", Some(Preset::Unenrol { product: "hmb".into() }), None, None),
            v("category", Some(Preset::Category { category: "minimum_living".into() }), None, None),
            v("charity first", None, None, Some(vec!["basic", "large", "critical", "assistance", "charity"])),
            v("patch", None, Some(json!({"member": {"category": "none"}})), None),
            v("bigger", Some(Preset::Level { level: "level3".into() }), Some(json!({"encounters": [{"date": "2025-06-01", "setting": "inpatient", "level": "level1", "items": [{"amount": money(bump), "class": "b"}]}]})), None),
        ];
        let c = compare(CompareInput { base: d, variants, common: true, include_estimates: false }).unwrap();
        prop_assert_eq!(c.prescribed_order.clone(), vec!["basic", "large", "critical", "assistance", "hmb", "charity"]);
        prop_assert!(!c.base.overrides_order);
        for s in &c.variants {
            let diff = s.difference.as_ref().unwrap();
            let (b, x) = (&c.base.summary, &s.summary);
            prop_assert_eq!(b.total.fen() + diff.total.fen(), x.total.fen());
            prop_assert_eq!(b.covered.fen() + diff.covered.fen(), x.covered.fen());
            prop_assert_eq!(b.family.fen() + diff.family.fen(), x.family.fen());
            prop_assert_eq!(b.premiums.fen() + diff.premiums.fen(), x.premiums.fen());
            prop_assert_eq!(b.family_total_cost.fen() + diff.family_total_cost.fen(), x.family_total_cost.fen());
            prop_assert_eq!(x.family_total_cost.fen(), x.family.fen() + x.premiums.fen());
            let layer_sum: i64 = diff.layers.values().map(|m| m.fen()).sum();
            prop_assert_eq!(layer_sum, diff.covered.fen());
            for l in &x.layers {
                let before = b.layers.iter().find(|y| y.id == l.id).map_or(0, |y| y.paid.fen());
                prop_assert_eq!(before + diff.layers[&l.id].fen(), l.paid.fen());
            }
            prop_assert_eq!(s.overrides_order, s.label.contains("charity"), "{}", s.label);
            prop_assert_eq!(x.premiums.fen(), if s.label.starts_with("unenrol") || s.label.starts_with("不参加") { 0 } else if s.label == "enrol" || s.label.starts_with("参加") || enrolled { 9900 } else { 0 });
        }
    }
}

#[test]
fn signed_differences_are_decimal_strings() {
    let d = doc(&[(vec![(10_000_000, 0)], 3, 3)], "none", false);
    let c = compare(CompareInput {
        base: d,
        variants: vec![Variant {
            label: "level1".into(),
            preset: Some(Preset::Level {
                level: "level1".into(),
            }),
            patch: None,
            layer_order: None,
        }],
        common: false,
        include_estimates: false,
    })
    .unwrap();
    let v = serde_json::to_value(&c).unwrap();
    let fam = v["variants"][0]["difference"]["family"].as_str().unwrap();
    assert!(fam.starts_with('-'), "{fam}");
    assert!(fam.parse::<f64>().is_ok() && fam.split('.').nth(1).unwrap().len() == 2);
}

#[test]
fn inverse_and_range_errors_have_paths() {
    let d = doc(&[(vec![(100_000, 0)], 3, 3)], "none", false);
    let e = tiercost::max_bill_json(
        &json!({"case": d, "target": "10", "scale": {"encounter": 5}}).to_string(),
    )
    .unwrap_err();
    assert_eq!(e.code, tiercost::ErrorCode::UnknownReference);
    let e = tiercost::aid_needed_json(&json!({"case": d, "target": 10}).to_string()).unwrap_err();
    assert_eq!(e.path, "$.target");
    let e = tiercost::range_json(
        &json!({"case": d, "unknowns": [{"kind": "admissions", "max": 99}]}).to_string(),
    )
    .unwrap_err();
    assert_eq!(e.path, "$.unknowns[0].max");
    let e = tiercost::compare_json(
        &json!({"base": d, "variants": [{"label": "x", "patch": {"member": {"scheme": 5}}}]})
            .to_string(),
    )
    .unwrap_err();
    assert!(e.path.starts_with("$.variants[0]"), "{e}");
    // The planning documents' own fields: each error at its field.
    let e = tiercost::compare_json(
        &json!({"base": d, "variants": [{"label": "x", "preset": {"kind": "locality", "locality": "moon"}}]})
            .to_string(),
    )
    .unwrap_err();
    assert_eq!(e.path, "$.variants[0].preset.locality", "{e}");
    let e = tiercost::max_bill_json(&json!({"case": d, "target": "10", "upper": "x"}).to_string())
        .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (tiercost::ErrorCode::InvalidAmount, "$.upper")
    );
    let e = tiercost::range_json(
        &json!({"case": d, "unknowns": [{"kind": "split", "splits": [{"classA": 1}]}]}).to_string(),
    )
    .unwrap_err();
    assert_eq!(e.path, "$.unknowns[0].splits[0].classA", "{e}");
    let e = tiercost::help_available_json("{").unwrap_err();
    assert_eq!(e.code, tiercost::ErrorCode::JsonSyntax);
}

#[test]
fn help_lists_category_products_and_programmes_sorted_by_saving() {
    let mut d = doc(
        &[(vec![(20_000_000, 0), (3_000_000, 2)], 3, 3)],
        "none",
        false,
    );
    d["member"]["householdIncome"] = json!("60000");
    let h = tiercost::help_available::help_available(&d).unwrap();
    let ids: Vec<&str> = h.options.iter().map(|o| o.id.as_str()).collect();
    assert!(
        ids.contains(&"minimum_living") && ids.contains(&"hmb"),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|i| i.starts_with("template-")));
    for w in h.options.windows(2) {
        assert!(w[0].saving >= w[1].saving);
    }
    let cat = h.options.iter().find(|o| o.id == "minimum_living").unwrap();
    assert!(cat.saving.fen() > 0);
    // Assistance now pays; the charity after it sees less.
    assert_eq!(cat.layers, vec!["assistance", "charity"]);
    assert_eq!(cat.outcome, tiercost::estimate::Outcome::Eligible);
    assert_eq!(cat.documents[0].zh, "低保证");
    let hmb = h.options.iter().find(|o| o.id == "hmb").unwrap();
    assert_eq!(hmb.premium.map(|p| p.to_string()), Some("99.00".into()));
    assert_eq!(hmb.net_saving.unwrap().fen(), hmb.saving.fen() - 9900);
}

/// Help still available for an embedded region's case: only what concerns this case, and
/// never "eligible" without a basis (issue 16: a plain bill, 特困 shown as 符合条件 to a family
/// that gave no such status, Chongqing programmes shown to a Wuhan patient).
fn help_for(pack: &str, items: serde_json::Value) -> tiercost::help_available::HelpAvailable {
    let d = json!({
        "pack": pack,
        "member": {"scheme": "resident", "group": "adult"},
        "encounters": [{"date": "2026-03-01", "setting": "inpatient", "level": "level3", "items": items}]
    });
    tiercost::help_available::help_available(&d).unwrap()
}

#[test]
fn help_offers_only_what_concerns_the_case() {
    let imatinib = json!([
        {"description": "格列卫", "class": "b", "amount": "12000", "code": "imatinib"},
        {"description": "住院", "class": "a", "amount": "30000"}
    ]);
    let plain = json!([{"description": "住院", "class": "a", "amount": "42000"}]);
    let ids = |h: &tiercost::help_available::HelpAvailable| -> Vec<String> {
        h.options.iter().map(|o| o.id.clone()).collect()
    };
    // A plain bill: no drug-donation programme at all.
    let h = help_for("cn-chongqing-yubei", plain);
    assert!(
        !ids(&h).iter().any(|i| i.starts_with("pap-")),
        "{:?}",
        ids(&h)
    );
    // 格列卫 in Chongqing: the Chongqing charity's programme; GIPAP closed to new patients
    // in 2025 is not offered.
    let h = help_for("cn-chongqing-yubei", imatinib.clone());
    assert!(ids(&h).contains(&"pap-cqcf".to_string()), "{:?}", ids(&h));
    assert!(!ids(&h).contains(&"pap-gipap".to_string()), "{:?}", ids(&h));
    let cq = h.options.iter().find(|o| o.id == "pap-cqcf").unwrap();
    assert!(cq.apply[0].office.zh.contains("重庆市慈善总会"));
    assert!(
        !cq.conditions.is_empty(),
        "its financial test is a declared gap"
    );
    // The same bill in Wuhan: the Chongqing programme serves Chongqing only.
    let h = help_for("cn-wuhan", imatinib);
    assert!(!ids(&h).contains(&"pap-cqcf".to_string()), "{:?}", ids(&h));
}

#[test]
fn help_never_says_eligible_for_a_status_the_family_did_not_give() {
    let h = help_for(
        "cn-chongqing-yubei",
        json!([{"description": "住院", "class": "a", "amount": "80000"}]),
    );
    let cats: Vec<_> = h
        .options
        .iter()
        .filter(|o| o.kind == tiercost::help_available::HelpKind::Category)
        .collect();
    assert!(!cats.is_empty());
    for c in &cats {
        assert!(
            c.saving.fen() > 0,
            "{}: a category that saves nothing is left out",
            c.id
        );
        assert!(
            c.conditions[0].zh.starts_with("如果您家经认定为"),
            "{}: {:?}",
            c.id,
            c.conditions
        );
        assert!(
            c.apply
                .first()
                .is_some_and(|a| a.office.zh.contains("乡镇政府或街道办事处")),
            "{}: how to be certified",
            c.id
        );
    }
    // Products are offered with the caveat that cover starts after enrolment.
    for p in h
        .options
        .iter()
        .filter(|o| o.kind == tiercost::help_available::HelpKind::Product)
    {
        assert!(p.conditions[0].zh.contains("等待期"), "{:?}", p.conditions);
    }
}
