//! Scenarios: several variants of one case (or plan) settled in one call, with each layer's
//! difference and the family's against the base.
//!
//! ```json
//! { "base": { …a case or plan document… },
//!   "variants": [
//!     {"label": "三级医院", "preset": {"kind": "level", "level": "level3"}},
//!     {"label": "加入惠民保", "preset": {"kind": "enrol", "product": "huiminbao"}},
//!     {"label": "慈善先于惠民保", "layerOrder": ["charity", "huiminbao"]},
//!     {"label": "更贵的药", "patch": {"plan": {"courses": …}}} ],
//!   "common": false, "includeEstimates": false }
//! ```
//!
//! A variant applies, in this order, its `preset`, its `patch` (an RFC 7386 JSON merge patch on
//! the base document) and its `layerOrder`. `common: true` appends the variants
//! [`common_variants`] builds. Every difference is `variant − base`, a signed decimal string, so
//! that `base + difference = variant` holds field by field.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};
use tiercost_derive::Read;

use crate::error::{Error, ErrorCode};
use crate::planning::plan::{evaluate_value, read_subject, region_of, Evaluated};
use crate::reading::read::{parse, read_str};
use crate::results::estimate::{Estimate, Outcome};
use crate::rules::case::Locality;
use crate::rules::catalog::Catalog;
use crate::rules::policy::{LayerKind, Text};
use crate::units::money::Money;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The most variants compared in one call.
pub const MAX_VARIANTS: usize = 64;

/// RFC 7386 JSON merge patch: objects merge key by key, `null` removes a key, anything else
/// replaces the target.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(fields) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(map) = target {
                for (k, v) in fields {
                    if v.is_null() {
                        map.remove(k);
                    } else {
                        merge_patch(map.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// A ready-made change.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Preset {
    /// Every encounter (every course of a plan) at this hospital level.
    Level {
        /// The level id.
        level: String,
    },
    /// Every encounter (course) at this locality, filed or not.
    Locality {
        /// Where.
        locality: Locality,
        /// Filed (备案); removed when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filed: Option<bool>,
    },
    /// Enrol in a product (a layer id).
    Enrol {
        /// The layer id.
        product: String,
    },
    /// Leave a product.
    Unenrol {
        /// The layer id.
        product: String,
    },
    /// Be recognised in an assistance category (`none` to remove it).
    Category {
        /// The category id.
        category: String,
    },
    /// Apply for a programme (by id).
    Programme {
        /// The programme id.
        id: String,
    },
}

/// One variant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Variant {
    /// Its name.
    pub label: String,
    /// A ready-made change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<Preset>,
    /// A JSON merge patch on the base document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<Value>,
    /// A settlement order (layer ids) to use instead of the rules'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_order: Option<Vec<String>>,
}

/// What `compare` reads.
#[derive(Clone, Debug, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompareInput {
    /// The base case or plan document.
    pub base: Value,
    /// The variants.
    #[serde(default)]
    pub variants: Vec<Variant>,
    /// Append the common variants.
    #[serde(default)]
    pub common: bool,
    /// Return each variant's full estimate too.
    #[serde(default)]
    pub include_estimates: bool,
}

/// One layer in a summary.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LayerLine {
    /// Id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Kind.
    pub kind: LayerKind,
    /// Paid.
    pub paid: Money,
    /// `eligible`, `ineligible` or `needs_information`.
    pub status: String,
}

/// What a scenario comes to.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The bill.
    pub total: Money,
    /// Paid by all layers.
    pub covered: Money,
    /// Left for the family (the medical remainder).
    pub family: Money,
    /// 自付.
    pub in_scope: Money,
    /// 自费.
    pub out_of_scope: Money,
    /// Premiums of the products the member is enrolled in (shown separately).
    pub premiums: Money,
    /// Family + premiums: what this scenario costs the family in all.
    pub family_total_cost: Money,
    /// The settlement order used.
    pub order: Vec<String>,
    /// Each layer.
    pub layers: Vec<LayerLine>,
    /// Warning codes.
    pub warnings: Vec<String>,
}

/// Differences `variant − base`, signed.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    /// In the bill.
    pub total: Money,
    /// In what the layers pay.
    pub covered: Money,
    /// In the family's share.
    pub family: Money,
    /// In premiums.
    pub premiums: Money,
    /// In family + premiums.
    pub family_total_cost: Money,
    /// Per layer id (a layer absent on one side counts as zero there).
    pub layers: BTreeMap<String, Money>,
}

/// A scenario's result.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScenarioResult {
    /// Its label.
    pub label: String,
    /// Whether its settlement order differs from the order the rules prescribe.
    pub overrides_order: bool,
    /// The summary.
    pub summary: Summary,
    /// Against the base (absent for the base).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Difference>,
    /// The full estimate, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
}

/// The comparison.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The settlement order the rules prescribe (the packs' order, donation first).
    pub prescribed_order: Vec<String>,
    /// The base.
    pub base: ScenarioResult,
    /// The variants, in the order given (common ones last).
    pub variants: Vec<ScenarioResult>,
}

fn status(o: &Outcome) -> &'static str {
    o.status()
}

/// Premiums of the enrolled products among the estimate's layers.
pub(crate) fn premiums(ev: &Evaluated) -> Result<Money, Error> {
    let mut p = Money::ZERO;
    for l in &ev.estimate.layers {
        if let Some(pr) = l.premium {
            if ev.case.member.enrolments.contains(&l.id) {
                p = p.checked_add(pr)?;
            }
        }
    }
    Ok(p)
}

/// The summary of an evaluated scenario.
pub fn summarize(ev: &Evaluated) -> Result<Summary, Error> {
    let e = &ev.estimate;
    let premiums = premiums(ev)?;
    Ok(Summary {
        total: e.total,
        covered: e.covered,
        family: e.patient.total,
        in_scope: e.patient.in_scope,
        out_of_scope: e.patient.out_of_scope,
        premiums,
        family_total_cost: e.patient.total.checked_add(premiums)?,
        order: e.layers.iter().map(|l| l.id.clone()).collect(),
        layers: e
            .layers
            .iter()
            .map(|l| LayerLine {
                id: l.id.clone(),
                name: l.name.clone(),
                kind: l.kind,
                paid: l.paid,
                status: status(&l.outcome).to_string(),
            })
            .collect(),
        warnings: e.warnings.iter().map(|w| w.code.clone()).collect(),
    })
}

/// `variant − base` for every field.
pub fn difference(base: &Summary, variant: &Summary) -> Result<Difference, Error> {
    let ids: BTreeSet<&String> = base
        .layers
        .iter()
        .chain(variant.layers.iter())
        .map(|l| &l.id)
        .collect();
    let paid = |s: &Summary, id: &str| {
        s.layers
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.paid)
            .unwrap_or(Money::ZERO)
    };
    let mut layers = BTreeMap::new();
    for id in ids {
        layers.insert(id.clone(), paid(variant, id).checked_sub(paid(base, id))?);
    }
    Ok(Difference {
        total: variant.total.checked_sub(base.total)?,
        covered: variant.covered.checked_sub(base.covered)?,
        family: variant.family.checked_sub(base.family)?,
        premiums: variant.premiums.checked_sub(base.premiums)?,
        family_total_cost: variant
            .family_total_cost
            .checked_sub(base.family_total_cost)?,
        layers,
    })
}

fn for_each_place(doc: &mut Value, f: &dyn Fn(&mut serde_json::Map<String, Value>)) {
    let list = if doc.get("plan").is_some() {
        doc.pointer_mut("/plan/courses")
    } else {
        doc.get_mut("encounters")
    };
    if let Some(Value::Array(v)) = list {
        for x in v {
            if let Value::Object(m) = x {
                f(m);
            }
        }
    }
}

fn member_mut(doc: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    match doc.get_mut("member") {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// Applies a preset to a subject document.
pub fn apply_preset(doc: &mut Value, preset: &Preset) {
    match preset {
        Preset::Level { level } => for_each_place(doc, &|m| {
            let pharmacy = m.get("setting").and_then(Value::as_str) == Some("pharmacy")
                || (m.get("kind").and_then(Value::as_str) == Some("drug")
                    && m.get("setting").is_none());
            if !pharmacy || m.contains_key("level") {
                m.insert("level".into(), json!(level));
            }
        }),
        Preset::Locality { locality, filed } => for_each_place(doc, &|m| {
            m.insert("locality".into(), json!(locality));
            match filed {
                Some(f) => m.insert("filed".into(), json!(f)),
                None => m.remove("filed"),
            };
        }),
        Preset::Enrol { product } | Preset::Unenrol { product } => {
            let enrol = matches!(preset, Preset::Enrol { .. });
            if let Some(m) = member_mut(doc) {
                let list = m.entry("enrolments").or_insert_with(|| json!([]));
                if let Value::Array(v) = list {
                    v.retain(|x| x.as_str() != Some(product));
                    if enrol {
                        v.push(json!(product));
                    }
                }
            }
        }
        Preset::Category { category } => {
            if let Some(m) = member_mut(doc) {
                m.insert("category".into(), json!(category));
            }
        }
        Preset::Programme { id } => {
            if let Value::Object(m) = doc {
                let list = m.entry("programmes").or_insert_with(|| json!([]));
                if let Value::Array(v) = list {
                    if !v
                        .iter()
                        .any(|p| p.get("id").and_then(Value::as_str) == Some(id))
                    {
                        v.push(json!({ "id": id }));
                    }
                }
            }
        }
    }
}

/// Applies a variant to the base document.
pub fn apply_variant(base: &Value, v: &Variant) -> Value {
    let mut doc = base.clone();
    if let Some(p) = &v.preset {
        apply_preset(&mut doc, p);
    }
    if let Some(p) = &v.patch {
        merge_patch(&mut doc, p);
    }
    if let Some(order) = &v.layer_order {
        if let Value::Object(m) = &mut doc {
            m.insert("layerOrder".into(), json!(order));
        }
    }
    doc
}

/// The common variants of a subject: every hospital level of the pack, in region / out of
/// province filed / unfiled, with or without each product one enrols in, each assistance
/// category, and charity settled before commercial cover.
pub fn common_variants(base: &Value) -> Result<Vec<Variant>, Error> {
    let (case, _, _, _) = read_subject(base, "$")?;
    let catalog = Catalog::embedded();
    let region = region_of(&case, catalog)?;
    let mut out = Vec::new();
    let v = |label: String, preset: Preset| Variant {
        label,
        preset: Some(preset),
        patch: None,
        layer_order: None,
    };
    for l in &region.levels {
        out.push(v(
            format!("{} / {}", l.name.zh, l.name.en),
            Preset::Level {
                level: l.id.clone(),
            },
        ));
    }
    out.push(v(
        "本地就医 / in region".into(),
        Preset::Locality {
            locality: Locality::InRegion,
            filed: None,
        },
    ));
    out.push(v(
        "跨省已备案 / out of province, filed".into(),
        Preset::Locality {
            locality: Locality::OutOfProvince,
            filed: Some(true),
        },
    ));
    out.push(v(
        "跨省未备案 / out of province, not filed".into(),
        Preset::Locality {
            locality: Locality::OutOfProvince,
            filed: Some(false),
        },
    ));
    let scheme = case.member.scheme.as_str();
    for l in &region.layers {
        if l.enrolment.is_none() || !(l.schemes.is_empty() || l.schemes.iter().any(|s| s == scheme))
        {
            continue;
        }
        if case.member.enrolments.contains(&l.id) {
            out.push(v(
                format!("不参加{} / without {}", l.name.zh, l.name.en),
                Preset::Unenrol {
                    product: l.id.clone(),
                },
            ));
        } else {
            out.push(v(
                format!("参加{} / with {}", l.name.zh, l.name.en),
                Preset::Enrol {
                    product: l.id.clone(),
                },
            ));
        }
    }
    for c in &region.categories {
        if case.member.category.as_deref() != Some(c.id.as_str()) {
            out.push(v(
                format!("{} / {}", c.name.zh, c.name.en),
                Preset::Category {
                    category: c.id.clone(),
                },
            ));
        }
    }
    if case.member.category.as_deref().is_some_and(|c| c != "none") {
        out.push(v(
            "无救助身份 / no assistance category".into(),
            Preset::Category {
                category: "none".into(),
            },
        ));
    }
    // Settlement order: charity before commercial cover, when the case has both.
    let ev = evaluate_value(base, "$")?;
    let kinds: Vec<(String, LayerKind)> = ev
        .estimate
        .layers
        .iter()
        .map(|l| (l.id.clone(), l.kind))
        .collect();
    let first_commercial = kinds.iter().position(|(_, k)| *k == LayerKind::Commercial);
    let charity: Vec<String> = kinds
        .iter()
        .filter(|(_, k)| *k == LayerKind::Charity)
        .map(|(id, _)| id.clone())
        .collect();
    if let Some(fc) = first_commercial {
        if !charity.is_empty() {
            let mut order: Vec<String> = kinds[..fc]
                .iter()
                .filter(|(_, k)| *k != LayerKind::Charity)
                .map(|(id, _)| id.clone())
                .collect();
            order.extend(charity);
            out.push(Variant {
                label: "慈善先于商业保险 / charity before commercial cover".into(),
                preset: None,
                patch: None,
                layer_order: Some(order),
            });
        }
    }
    Ok(out)
}

/// Compares variants of a base document, parsed.
pub fn compare(input: CompareInput) -> Result<Comparison, Error> {
    let mut variants = input.variants;
    if input.common {
        variants.extend(common_variants(&input.base).map_err(|e| e.under("$.base"))?);
    }
    if variants.len() > MAX_VARIANTS {
        return Err(Error::new(
            ErrorCode::TooManyVariants,
            "$.variants",
            format!(
                "{} variants; the limit is {MAX_VARIANTS} compared at once",
                variants.len()
            ),
        ));
    }
    let base_ev = evaluate_value(&input.base, "$.base")?;
    let prescribed: Vec<String> = if base_ev.case.layer_order.is_empty() {
        base_ev
            .estimate
            .layers
            .iter()
            .map(|l| l.id.clone())
            .collect()
    } else {
        let mut doc = input.base.clone();
        if let Value::Object(m) = &mut doc {
            m.remove("layerOrder");
        }
        evaluate_value(&doc, "$.base")?
            .estimate
            .layers
            .iter()
            .map(|l| l.id.clone())
            .collect()
    };
    let base_summary = summarize(&base_ev)?;
    let overrides = |s: &Summary| {
        let mine: Vec<&String> = s
            .order
            .iter()
            .filter(|id| prescribed.contains(id))
            .collect();
        let rules: Vec<&String> = prescribed
            .iter()
            .filter(|id| s.order.contains(id))
            .collect();
        mine != rules
    };
    let base = ScenarioResult {
        label: "base".into(),
        overrides_order: overrides(&base_summary),
        difference: None,
        estimate: input.include_estimates.then(|| base_ev.estimate.clone()),
        summary: base_summary,
    };
    let mut out = Vec::with_capacity(variants.len());
    for (i, v) in variants.iter().enumerate() {
        let doc = apply_variant(&input.base, v);
        let path = format!("$.variants[{i}]");
        let ev = evaluate_value(&doc, &path)?;
        let summary = summarize(&ev)?;
        out.push(ScenarioResult {
            label: v.label.clone(),
            overrides_order: overrides(&summary),
            difference: Some(difference(&base.summary, &summary)?),
            estimate: input.include_estimates.then_some(ev.estimate),
            summary,
        });
    }
    Ok(Comparison {
        prescribed_order: prescribed,
        base,
        variants: out,
    })
}

/// Compares variants given as JSON text (`{base, variants, common?, includeEstimates?}`).
pub fn compare_json(text: &str) -> Result<Comparison, Error> {
    crate::reading::limits::check_size(text)?;
    compare(read_str(text)?)
}

/// The common variants of a subject given as JSON text.
pub fn common_variants_json(text: &str) -> Result<Vec<Variant>, Error> {
    crate::reading::limits::check_size(text)?;
    common_variants(&parse(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patched(t: &str, p: &str) -> Value {
        let mut t: Value = serde_json::from_str(t).unwrap();
        merge_patch(&mut t, &serde_json::from_str(p).unwrap());
        t
    }

    #[test]
    fn merge_patch_follows_rfc_7386_examples() {
        // The examples of RFC 7386 §3 / appendix A.
        let cases = [
            (r#"{"a":"b"}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"b":"c"}"#, r#"{"a":"b","b":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"a":null}"#, r#"{}"#),
            (r#"{"a":"b","b":"c"}"#, r#"{"a":null}"#, r#"{"b":"c"}"#),
            (r#"{"a":["b"]}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"c"}"#, r#"{"a":["b"]}"#, r#"{"a":["b"]}"#),
            (
                r#"{"a":{"b":"c"}}"#,
                r#"{"a":{"b":"d","c":null}}"#,
                r#"{"a":{"b":"d"}}"#,
            ),
            (r#"{"a":[{"b":"c"}]}"#, r#"{"a":[1]}"#, r#"{"a":[1]}"#),
            (r#"["a","b"]"#, r#"["c","d"]"#, r#"["c","d"]"#),
            (r#"{"a":"b"}"#, r#"["c"]"#, r#"["c"]"#),
            (r#"{"a":"foo"}"#, r#"null"#, r#"null"#),
            (r#"{"a":"foo"}"#, r#""bar""#, r#""bar""#),
            (r#"{"e":null}"#, r#"{"a":1}"#, r#"{"e":null,"a":1}"#),
            (r#"[1,2]"#, r#"{"a":"b","c":null}"#, r#"{"a":"b"}"#),
            (
                r#"{}"#,
                r#"{"a":{"bb":{"ccc":null}}}"#,
                r#"{"a":{"bb":{}}}"#,
            ),
        ];
        for (t, p, want) in cases {
            assert_eq!(
                patched(t, p),
                serde_json::from_str::<Value>(want).unwrap(),
                "{t} + {p}"
            );
        }
    }

    #[test]
    fn presets_touch_only_what_they_name() {
        let mut doc = json!({"member": {"scheme": "resident", "enrolments": ["a"]},
            "encounters": [{"setting": "inpatient"}, {"setting": "pharmacy"}]});
        apply_preset(
            &mut doc,
            &Preset::Level {
                level: "level2".into(),
            },
        );
        assert_eq!(doc["encounters"][0]["level"], "level2");
        assert!(doc["encounters"][1].get("level").is_none());
        apply_preset(
            &mut doc,
            &Preset::Enrol {
                product: "b".into(),
            },
        );
        apply_preset(
            &mut doc,
            &Preset::Enrol {
                product: "b".into(),
            },
        );
        assert_eq!(doc["member"]["enrolments"], json!(["a", "b"]));
        apply_preset(
            &mut doc,
            &Preset::Unenrol {
                product: "a".into(),
            },
        );
        assert_eq!(doc["member"]["enrolments"], json!(["b"]));
        apply_preset(&mut doc, &Preset::Programme { id: "p".into() });
        apply_preset(&mut doc, &Preset::Programme { id: "p".into() });
        assert_eq!(doc["programmes"], json!([{"id": "p"}]));
    }
}
