//! Structured cases: `arbitrary` builds a member, encounters and items (classes, first-pay
//! ratios, price limits, drug codes, quantities), dates, hospital levels, localities,
//! assistance categories, products held and programmes applied for, always in the format's
//! shape and naming what the packs define, so the fuzzer spends its time in the layers and
//! not in the JSON reader. The pack is an embedded one or an inline pack built from arbitrary
//! parameters (deductibles, gross or net bands, caps on payment or cost, rates, a hand-over
//! above the basic cap, assistance, a commercial product with an offset deductible, charity).
//! Every estimate must keep the invariants in `tiercost_fuzz::check_estimate`.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use tiercost::policy::PackKind;
use tiercost::{Case, Catalog, Money};

/// What a generated case may name in one embedded regional pack.
struct RegionMeta {
    id: String,
    schemes: Vec<(String, Vec<String>)>,
    levels: Vec<String>,
    categories: Vec<String>,
    layers: Vec<String>,
    products: Vec<String>,
}

struct Meta {
    regions: Vec<RegionMeta>,
    programmes: Vec<String>,
    /// Item codes and diagnoses the packs match on, plus a few they do not.
    codes: Vec<String>,
}

fn harvest(v: &Value, key: Option<&str>, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                harvest(x, Some(k), out);
            }
        }
        Value::Array(a) => {
            for x in a {
                if let (Value::String(s), Some("codes" | "excludeCodes" | "diagnoses")) = (x, key) {
                    if !out.contains(s) {
                        out.push(s.clone());
                    }
                }
                harvest(x, key, out);
            }
        }
        _ => {}
    }
}

fn meta() -> &'static Meta {
    static META: OnceLock<Meta> = OnceLock::new();
    META.get_or_init(|| {
        let cat = Catalog::embedded();
        let mut codes = vec!["lung_cancer".to_string(), "unknown-code".to_string()];
        let mut regions = Vec::new();
        let mut programmes = Vec::new();
        for p in cat.packs() {
            let v = serde_json::to_value(p).expect("packs serialize");
            harvest(&v, None, &mut codes);
            if p.kind == PackKind::Programme {
                programmes.push(p.id.clone());
                continue;
            }
            regions.push(RegionMeta {
                id: p.id.clone(),
                schemes: p
                    .schemes
                    .iter()
                    .map(|s| {
                        (
                            s.id.clone(),
                            s.groups.iter().map(|g| g.id.clone()).collect(),
                        )
                    })
                    .collect(),
                levels: p.levels.iter().map(|l| l.id.clone()).collect(),
                categories: p.categories.iter().map(|c| c.id.clone()).collect(),
                layers: p.layers.iter().map(|l| l.id.clone()).collect(),
                products: p
                    .layers
                    .iter()
                    .filter(|l| l.enrolment.is_some())
                    .map(|l| l.id.clone())
                    .collect(),
            });
        }
        Meta {
            regions,
            programmes,
            codes,
        }
    })
}

fn pick<T: Clone>(v: &[T], i: u8) -> Option<T> {
    if v.is_empty() {
        None
    } else {
        Some(v[i as usize % v.len()].clone())
    }
}

/// An amount on one of four scales: small, a visit, an admission, far beyond any bill.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Amt(u8, u32);

impl Amt {
    fn fen(self) -> i64 {
        let v = self.1 as i64;
        match self.0 % 8 {
            0 => v % 10_000,
            1 | 2 => v % 2_000_000,
            3..=5 => v % 100_000_000,
            6 => (v % 1_000_000) * 100,
            // Up to the input limit (one trillion yuan), to probe exactness and overflow.
            _ => (v * 23_283_064).min(tiercost::money::MAX_INPUT_FEN),
        }
    }
    fn text(self) -> String {
        Money::from_fen(self.fen()).to_string()
    }
}

/// A rate: a common round value or any number of ppm.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Rt(u32);

impl Rt {
    fn ppm(self) -> u32 {
        const ROUND: [u32; 8] = [
            0, 100_000, 500_000, 600_000, 700_000, 850_000, 950_000, 1_000_000,
        ];
        if self.0 & 1 == 0 {
            ROUND[(self.0 >> 1) as usize % ROUND.len()]
        } else {
            (self.0 >> 1) % 1_000_001
        }
    }
    fn text(self) -> String {
        let p = self.ppm();
        format!("{}.{:06}", p / 1_000_000, p % 1_000_000)
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Day(u8, u8, u8);

impl Day {
    fn text(self) -> String {
        format!(
            "{}-{:02}-{:02}",
            2022 + (self.0 % 6) as u32,
            1 + self.1 % 12,
            1 + self.2 % 28
        )
    }
}

#[derive(Arbitrary, Debug)]
struct Item {
    amount: Amt,
    class: u8,
    first_pay: Option<Rt>,
    price_limit: Option<Amt>,
    code: Option<u8>,
    quantity: Option<u8>,
}

#[derive(Arbitrary, Debug)]
enum Bill {
    Items(Vec<Item>),
    Total { total: Amt, split: Option<(u8, u8)> },
}

#[derive(Arbitrary, Debug)]
struct Encounter {
    date: Day,
    setting: u8,
    level: Option<u8>,
    locality: u8,
    filed: Option<bool>,
    referred: Option<bool>,
    days: Option<u8>,
    diagnoses: Vec<u8>,
    bill: Bill,
}

#[derive(Arbitrary, Debug)]
struct Member {
    scheme: u8,
    group: Option<u8>,
    age: Option<u8>,
    birth: Option<Day>,
    retired_on: Option<Day>,
    /// 0: "none"; otherwise one of the pack's categories.
    category: Option<u8>,
    category_since: Option<Day>,
    household_size: Option<u8>,
    household_income: Option<Amt>,
    medical_spending: Option<Amt>,
    subsistence_spending: Option<Amt>,
    pre_existing: Option<bool>,
    diagnoses: Vec<u8>,
    claim_free_years: Option<u8>,
    enrolments: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct Programme {
    which: u8,
    since: Option<Day>,
}

#[derive(Arbitrary, Debug)]
struct Deductible {
    amount: Amt,
    per_year: bool,
    highest_level: bool,
    later: Option<(Option<Rt>, Option<Amt>, Option<u8>)>,
    repeat_every_days: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Cap {
    amount: Amt,
    per_year: bool,
    on_cost: bool,
    pooled: bool,
}

#[derive(Arbitrary, Debug)]
struct Benefit {
    /// Bucket weights: in scope, first pay, over limit, out of catalogue.
    weights: [Option<Rt>; 4],
    as_billed: bool,
    deductible: Option<Deductible>,
    flat: Rt,
    /// Band thresholds and rates; sorted and made distinct when built.
    bands: Vec<(Amt, Rt)>,
    net: bool,
    level_rate: Option<Rt>,
    points: Option<(bool, u8)>,
    caps: Vec<Cap>,
    outpatient_only: bool,
}

#[derive(Arbitrary, Debug)]
struct InlinePack {
    first_pay: Rt,
    basic: Benefit,
    large_expense: Option<(Rt, Amt)>,
    critical: Option<Benefit>,
    assistance: Option<Benefit>,
    second_round: Option<Benefit>,
    commercial: Option<(Benefit, bool, Amt)>,
    charity: Option<Benefit>,
}

#[derive(Arbitrary, Debug)]
enum PackChoice {
    Embedded(u8),
    Inline(Box<InlinePack>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    pack: PackChoice,
    member: Member,
    encounters: Vec<Encounter>,
    programmes: Vec<Programme>,
    layer_order: Vec<u8>,
}

fn t(s: &str) -> Value {
    json!({"zh": s, "en": s})
}

fn benefit(id: &str, b: &Benefit, allow_offset: bool) -> Value {
    let mut buckets = serde_json::Map::new();
    for (k, w) in ["inScope", "firstPay", "overLimit", "outOfCatalogue"]
        .iter()
        .zip(&b.weights)
    {
        if let Some(w) = w {
            buckets.insert(k.to_string(), json!(w.text()));
        }
    }
    if buckets.values().all(|w| w == "0.000000") {
        buckets.insert("inScope".into(), json!("1"));
    }
    let mut v = json!({"id": id, "base": {"buckets": buckets}});
    if b.as_billed {
        v["base"]["asBilled"] = json!(true);
    }
    if b.outpatient_only {
        v["when"] = json!({"settings": ["outpatient", "chronic", "pharmacy"]});
    }
    if let Some(d) = &b.deductible {
        let mut dv = json!({"amount": d.amount.text(), "per": if d.per_year { "year" } else { "encounter" }});
        if d.highest_level {
            dv["highestLevel"] = json!(true);
        }
        if let Some((mul, step, none_from)) = &d.later {
            let mut l = serde_json::Map::new();
            if let Some(m) = mul {
                l.insert("multiply".into(), json!(m.text()));
            }
            if let Some(s) = step {
                l.insert("stepDown".into(), json!(s.text()));
            }
            if let Some(n) = none_from {
                l.insert("noneFrom".into(), json!(2 + (*n as u32 % 4)));
            }
            dv["laterAdmissions"] = Value::Object(l);
        }
        if let Some(r) = d.repeat_every_days {
            dv["repeatEveryDays"] = json!(1 + r as u32);
        }
        if allow_offset {
            dv["offsetBy"] = json!(["basic"]);
        }
        v["deductible"] = dv;
    }
    let rate_value = |r: Rt| -> Value {
        match b.level_rate {
            Some(l) => {
                json!([{"when": {"levels": ["level3"]}, "value": l.text()}, {"value": r.text()}])
            }
            None => json!(r.text()),
        }
    };
    let mut bands: Vec<(i64, Rt)> = b.bands.iter().take(6).map(|(a, r)| (a.fen(), *r)).collect();
    bands.sort_by_key(|(a, _)| *a);
    bands.dedup_by_key(|(a, _)| *a);
    if bands.is_empty() {
        v["rate"] = json!({"flat": rate_value(b.flat)});
    } else {
        bands[0].0 = 0;
        let steps: Vec<Value> = bands
            .iter()
            .map(|(a, r)| json!({"from": Money::from_fen(*a).to_string(), "rate": rate_value(*r)}))
            .collect();
        v["rate"] =
            json!({"bands": {"measure": if b.net { "net" } else { "gross" }, "steps": steps}});
    }
    if let Some((down, p)) = b.points {
        let p = (p % 21) as i64 * 10_000;
        let p = if down { -p } else { p };
        let sign = if p < 0 { "-" } else { "" };
        v["rate"]["adjustments"] = json!([{
            "when": {"localities": ["out_of_province"]},
            "points": format!("{sign}0.{:06}", p.abs()),
            "reason": t("out of province")
        }]);
    }
    let caps: Vec<Value> = b
        .caps
        .iter()
        .take(3)
        .map(|c| {
            let mut cv = json!({
                "amount": c.amount.text(),
                "per": if c.per_year { "year" } else { "encounter" },
                "on": if c.on_cost { "cost" } else { "payment" }
            });
            if c.pooled {
                cv["pool"] = json!("shared");
            }
            cv
        })
        .collect();
    if !caps.is_empty() {
        v["caps"] = json!(caps);
    }
    v
}

fn inline_pack(p: &InlinePack) -> Value {
    let ed = |benefits: Vec<Value>| json!([{"from": "2020-01-01", "sources": ["S1"], "benefits": benefits}]);
    let mut layers = vec![json!({"id": "basic", "kind": "basic", "name": t("basic"),
        "editions": ed(vec![benefit("main", &p.basic, false)])})];
    if let Some((rate, cap)) = &p.large_expense {
        layers.push(
            json!({"id": "large", "kind": "large_expense", "name": t("large"), "editions": ed(vec![
            json!({"id": "above", "base": {"aboveCapOf": "basic"}, "rate": {"flat": rate.text()},
                   "caps": [{"amount": cap.text(), "per": "year"}]})])}),
        );
    }
    if let Some(b) = &p.critical {
        layers.push(
            json!({"id": "critical", "kind": "critical_illness", "name": t("critical"),
            "editions": ed(vec![benefit("annual", b, false)])}),
        );
    }
    if let Some(b) = &p.assistance {
        let mut benefits = vec![benefit("one", b, false)];
        if let Some(s) = &p.second_round {
            benefits.push(benefit("two", s, false));
        }
        layers.push(json!({"id": "assistance", "kind": "assistance", "name": t("assistance"),
            "requires": [{"when": {"categories": ["minimum_living", "extreme_poverty"]}, "reason": t("not in a category")}],
            "editions": ed(benefits)}));
    }
    if let Some((b, offset, premium)) = &p.commercial {
        layers.push(json!({"id": "hmb", "kind": "commercial", "name": t("hmb"),
            "enrolment": {"premium": premium.text()},
            "editions": ed(vec![benefit("in", b, *offset)])}));
    }
    if let Some(b) = &p.charity {
        layers.push(
            json!({"id": "charity", "kind": "charity", "name": t("charity"),
            "editions": ed(vec![benefit("rest", b, false)])}),
        );
    }
    json!({
        "id": "fuzz", "kind": "region", "name": t("fuzz"), "version": "1", "rulesAsOf": "2025-01-01",
        "sources": {"S1": {"title": "fuzz pack", "grade": "D"}},
        "schemes": [
            {"id": "resident", "name": t("居民"), "groups": [{"id": "adult", "name": t("adult")}, {"id": "child", "name": t("child")}]},
            {"id": "employee", "name": t("职工"), "groups": [{"id": "in_service", "name": t("在职")}, {"id": "retired", "name": t("退休")}]}
        ],
        "levels": [{"id": "level1", "name": t("1"), "rank": 1}, {"id": "level2", "name": t("2"), "rank": 2}, {"id": "level3", "name": t("3"), "rank": 3}],
        "categories": [{"id": "minimum_living", "name": t("低保")}, {"id": "extreme_poverty", "name": t("特困")}],
        "general": [{"from": "2020-01-01", "sources": ["S1"], "firstPayRatio": p.first_pay.text(),
                     "lines": {"minimum_living": "9000"},
                     "typicalSplit": {"classA": "0.6", "classB": "0.3", "classC": "0.1"}}],
        "layers": layers
    })
}

fn build(input: &Input) -> Value {
    let m = meta();
    let fuzz_meta;
    let (pack_field, region): (Value, &RegionMeta) = match &input.pack {
        PackChoice::Embedded(i) => {
            let r = &m.regions[*i as usize % m.regions.len()];
            (json!({"pack": r.id}), r)
        }
        PackChoice::Inline(p) => {
            let pack = inline_pack(p);
            let layers = pack["layers"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|l| l["id"].as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            fuzz_meta = RegionMeta {
                id: "fuzz".into(),
                schemes: vec![
                    ("resident".into(), vec!["adult".into(), "child".into()]),
                    (
                        "employee".into(),
                        vec!["in_service".into(), "retired".into()],
                    ),
                ],
                levels: vec!["level1".into(), "level2".into(), "level3".into()],
                categories: vec!["minimum_living".into(), "extreme_poverty".into()],
                layers,
                products: vec!["hmb".into()],
            };
            (json!({"inlinePack": pack}), &fuzz_meta)
        }
    };
    let mut case = pack_field;
    let mb = &input.member;
    let (scheme, groups) = pick(&region.schemes, mb.scheme).unwrap_or_default();
    let mut member = json!({"scheme": scheme});
    if let Some(g) = mb.group.and_then(|g| pick(&groups, g)) {
        member["group"] = json!(g);
    }
    match (mb.age, mb.birth) {
        (Some(a), _) => member["age"] = json!(a as u32 % 101),
        (None, Some(b)) => member["birthDate"] = json!(b.text()),
        _ => {}
    }
    if let Some(d) = mb.retired_on {
        member["retiredOn"] = json!(d.text());
    }
    if let Some(c) = mb.category {
        let name = if c == 0 {
            Some("none".to_string())
        } else {
            pick(&region.categories, c)
        };
        if let Some(name) = name {
            member["category"] = json!(name);
        }
    }
    if let Some(d) = mb.category_since {
        member["categorySince"] = json!(d.text());
    }
    if let Some(h) = mb.household_size {
        member["householdSize"] = json!(1 + h as u32 % 8);
    }
    for (k, a) in [
        ("householdIncome", mb.household_income),
        ("medicalSpending", mb.medical_spending),
        ("subsistenceSpending", mb.subsistence_spending),
    ] {
        if let Some(a) = a {
            member[k] = json!(a.text());
        }
    }
    if let Some(p) = mb.pre_existing {
        member["preExisting"] = json!(p);
    }
    let diagnoses: Vec<String> = mb
        .diagnoses
        .iter()
        .take(4)
        .filter_map(|d| pick(&m.codes, *d))
        .collect();
    if !diagnoses.is_empty() {
        member["diagnoses"] = json!(diagnoses);
    }
    if let Some(y) = mb.claim_free_years {
        member["claimFreeYears"] = json!(y as u32 % 10);
    }
    let mut enrolments: Vec<String> = mb
        .enrolments
        .iter()
        .take(3)
        .filter_map(|i| pick(&region.products, *i))
        .collect();
    enrolments.dedup();
    if !enrolments.is_empty() {
        member["enrolments"] = json!(enrolments);
    }
    case["member"] = member;

    const SETTINGS: [&str; 4] = ["inpatient", "outpatient", "chronic", "pharmacy"];
    const LOCALITIES: [&str; 3] = ["in_region", "in_province", "out_of_province"];
    const CLASSES: [&str; 3] = ["a", "b", "c"];
    let mut encounters = Vec::new();
    for e in input.encounters.iter().take(12) {
        let mut ev = json!({"date": e.date.text(), "setting": SETTINGS[e.setting as usize % 4],
                            "locality": LOCALITIES[e.locality as usize % 3]});
        if let Some(l) = e.level.and_then(|l| pick(&region.levels, l)) {
            ev["level"] = json!(l);
        }
        if let Some(f) = e.filed {
            ev["filed"] = json!(f);
        }
        if let Some(r) = e.referred {
            ev["referred"] = json!(r);
        }
        if let Some(d) = e.days {
            ev["days"] = json!(d);
        }
        let dx: Vec<String> = e
            .diagnoses
            .iter()
            .take(3)
            .filter_map(|d| pick(&m.codes, *d))
            .collect();
        if !dx.is_empty() {
            ev["diagnoses"] = json!(dx);
        }
        match &e.bill {
            Bill::Items(items) if !items.is_empty() => {
                let items: Vec<Value> = items
                    .iter()
                    .take(16)
                    .map(|it| {
                        let mut iv = json!({"amount": it.amount.text(), "class": CLASSES[it.class as usize % 3]});
                        if let Some(r) = it.first_pay {
                            iv["firstPayRatio"] = json!(r.text());
                        }
                        if let Some(l) = it.price_limit {
                            iv["priceLimit"] = json!(l.text());
                        }
                        if let Some(c) = it.code.and_then(|c| pick(&m.codes, c)) {
                            iv["code"] = json!(c);
                        }
                        if let Some(q) = it.quantity {
                            iv["quantity"] = json!(q);
                        }
                        iv
                    })
                    .collect();
                ev["items"] = json!(items);
            }
            Bill::Items(_) => ev["items"] = json!([{"amount": "0", "class": "a"}]),
            Bill::Total { total, split } => {
                ev["total"] = json!(total.text());
                // The embedded packs have no typical split: give one.
                let split = split.or(match input.pack {
                    PackChoice::Embedded(_) => Some((60, 30)),
                    PackChoice::Inline(_) => None,
                });
                if let Some((a, b)) = split {
                    // Three parts in hundredths that add up to one.
                    let a = (a as u32 % 101).min(100);
                    let b = (b as u32 % 101).min(100 - a);
                    let c = 100 - a - b;
                    let part = |x: u32| {
                        if x == 100 {
                            "1".to_string()
                        } else {
                            format!("0.{x:02}")
                        }
                    };
                    ev["split"] = json!({"classA": part(a), "classB": part(b), "classC": part(c)});
                }
            }
        }
        encounters.push(ev);
    }
    if encounters.is_empty() {
        encounters.push(json!({"date": "2025-06-01", "setting": "inpatient", "items": [{"amount": "10000", "class": "a"}]}));
    }
    case["encounters"] = json!(encounters);

    let programmes: Vec<Value> = input
        .programmes
        .iter()
        .take(4)
        .filter_map(|p| {
            let id = pick(&m.programmes, p.which)?;
            let mut v = json!({"id": id});
            if let Some(s) = p.since {
                v["since"] = json!(s.text());
            }
            Some(v)
        })
        .collect::<Vec<_>>();
    let mut seen = Vec::new();
    let programmes: Vec<Value> = programmes
        .into_iter()
        .filter(|p| {
            let id = p["id"].clone();
            if seen.contains(&id) {
                false
            } else {
                seen.push(id);
                true
            }
        })
        .collect();
    if !programmes.is_empty() {
        case["programmes"] = json!(programmes);
    }
    let mut order: Vec<String> = Vec::new();
    for i in input.layer_order.iter().take(6) {
        if let Some(l) = pick(&region.layers, *i) {
            if !order.contains(&l) {
                order.push(l);
            }
        }
    }
    if !order.is_empty() {
        case["layerOrder"] = json!(order);
    }
    case
}

fuzz_target!(|input: Input| {
    let value = build(&input);
    let case: Case = match serde_json::from_value(value.clone()) {
        Ok(c) => c,
        Err(e) => panic!("the generator built a case the format does not read: {e}\n{value}"),
    };
    let result = tiercost::estimate(&case, Catalog::embedded());
    if std::env::var_os("TIERCOST_FUZZ_DEBUG").is_some() {
        match &result {
            Ok(e) => eprintln!("ok layers={} total={}", e.layers.len(), e.total),
            Err(e) => eprintln!("err {e}"),
        }
    }
    tiercost_fuzz::check_result(&result);
    let totals = tiercost::estimate_with(&case, Catalog::embedded(), tiercost::Detail::Totals);
    tiercost_fuzz::check_totals(&result, &totals);
});
