//! Plain sentences for an estimate and for the planning results, in zh-CN or en: what the
//! CLI prints with `--format text`. The words are the page's (`www/lib/explain-text.js`,
//! through [`crate::results::wording`]): each sentence is a template rendered on the result
//! as serialized to JSON, exactly as the page renders it. Native only.

use std::fmt::Write;

use serde_json::{json, Value};

use crate::results::estimate::{Estimate, Step};
use crate::results::wording::{fill, is_zh, money};

/// Renders the estimate as sentences.
pub fn render(e: &Estimate, lang: &str) -> String {
    let v = serde_json::to_value(e).unwrap_or_default();
    let mut out = String::new();
    if let Some(r) = v.get("range").filter(|r| !r.is_null()) {
        // The page's words for an answer with undecided layers: who is undecided and what the
        // family pays, what the two ends assume, and where to ask.
        let undecided: &[Value] = r["undecided"].as_array().map_or(&[], |u| u.as_slice());
        let names: Vec<String> = undecided
            .iter()
            .map(|u| fill("undecided.name", lang, u))
            .collect();
        let layers = names.join(&fill("sep.names", lang, &Value::Null));
        let ranged = r["low"] != r["high"];
        let end = |k: &str| money(r[k].as_str().unwrap_or_default());
        let range = if ranged {
            fill(
                "amount.range",
                lang,
                &json!({"low": end("low"), "high": end("high")}),
            )
        } else {
            end("low")
        };
        let lead = if ranged {
            "undecided.lead"
        } else {
            "undecided.leadSame"
        };
        // The answer first: who is undecided and what the family pays; then the bill.
        let _ = writeln!(
            out,
            "{}",
            fill(lead, lang, &json!({"layers": layers, "range": range}))
        );
        let _ = writeln!(out, "{}", fill("estimate.rangeTotal", lang, &v));
        let mut notes = vec![fill("undecided.ends", lang, &Value::Null)];
        if undecided.iter().any(|u| u["nationalFloor"] == true) {
            notes.push(fill("undecided.nationalFloor", lang, &Value::Null));
        }
        if undecided.iter().any(|u| u["status"] == "no_rules") {
            notes.push(fill("undecided.askWhere", lang, &Value::Null));
        }
        let _ = writeln!(out, "{}", notes.join(if is_zh(lang) { "" } else { " " }));
        for u in undecided {
            let _ = writeln!(out, "  · {}", fill("undecided.what", lang, u));
        }
    } else {
        let _ = writeln!(out, "{}", fill("estimate.total", lang, &v));
    }
    for l in v["layers"].as_array().into_iter().flatten() {
        let status = l["outcome"]["status"].as_str().unwrap_or_default();
        let _ = writeln!(out, "\n{}", fill(&format!("layer.{status}"), lang, l));
        if status != "eligible" {
            continue;
        }
        for s in l["settlements"].as_array().into_iter().flatten() {
            let mut s = s.clone();
            if s.get("name").is_none() {
                s["name"] = l["name"].clone();
            }
            let _ = writeln!(out, "  {}", fill("settlement", lang, &s));
            for st in s["steps"].as_array().into_iter().flatten() {
                let line = step_sentence_json(st, lang);
                if !line.is_empty() {
                    let _ = writeln!(out, "    - {line}");
                }
            }
        }
    }
    if !e.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", fill("heading.warnings", lang, &Value::Null));
        for w in &e.warnings {
            let _ = writeln!(out, "  * {}", w.message.get(lang));
        }
    }
    if !e.sources.is_empty() {
        let _ = writeln!(out, "\n{}", fill("heading.sources", lang, &Value::Null));
        for (k, s) in &e.sources {
            let _ = writeln!(
                out,
                "  [{k}] {}{}{} ({}{:?})",
                s.title,
                s.document
                    .as_ref()
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default(),
                s.url.as_ref().map(|u| format!(" {u}")).unwrap_or_default(),
                s.published.map(|p| format!("{p}, ")).unwrap_or_default(),
                s.grade
            );
        }
    }
    out
}

/// One step in words (`""` for a step with nothing to say, such as rounding that changed
/// nothing).
pub fn step_sentence(st: &Step, lang: &str) -> String {
    step_sentence_json(&serde_json::to_value(st).unwrap_or_default(), lang)
}

/// One step, as serialized to JSON, in words: the template `step.<step>`.
pub fn step_sentence_json(st: &Value, lang: &str) -> String {
    fill(
        &format!("step.{}", st["step"].as_str().unwrap_or_default()),
        lang,
        st,
    )
}

/// Each element of the array `v[field]` rendered with `key`, a line each, `indent` before.
fn lines(out: &mut String, key: &str, lang: &str, v: &Value, field: &str, indent: &str) {
    for x in v[field].as_array().into_iter().flatten() {
        let _ = writeln!(out, "{indent}{}", fill(key, lang, x));
    }
}

/// A treatment plan's cash flow (`tiercost plan`): each month with what changed, the
/// layers' totals and the year's total.
pub fn plan_text(v: &Value, lang: &str) -> String {
    let mut out = String::new();
    for m in v["months"].as_array().into_iter().flatten() {
        let _ = writeln!(out, "{}", fill("plan.month", lang, m));
        for e in m["events"].as_array().into_iter().flatten() {
            let _ = writeln!(out, "  · {}", fill("plan.event", lang, e));
        }
    }
    lines(&mut out, "plan.layer", lang, v, "layers", "");
    let _ = writeln!(out, "{}", fill("plan.total", lang, v));
    out
}

/// Scenarios against a base (`tiercost compare`).
pub fn compare_text(v: &Value, lang: &str) -> String {
    let mut out = format!("{}\n", fill("compare.base", lang, v));
    lines(&mut out, "compare.variant", lang, v, "variants", "");
    out
}

/// The aid that brings the family's share to a target (`tiercost aid`).
pub fn aid_text(v: &Value, lang: &str) -> String {
    format!("{}\n", fill("aid", lang, v))
}

/// The largest bill within a target (`tiercost max-bill`).
pub fn max_bill_text(v: &Value, lang: &str) -> String {
    let key = match (truthy_field(v, "amount"), v["bounded"] == true) {
        (false, _) => "maxBill.none",
        (true, false) => "maxBill.unbounded",
        (true, true) => "maxBill.bounded",
    };
    format!("{}\n", fill(key, lang, v))
}

/// What the unknown facts make of the family's share (`tiercost range`).
pub fn range_text(v: &Value, lang: &str) -> String {
    let mut out = format!("{}\n", fill("range.summary", lang, v));
    if truthy_field(v, "mattersMost") {
        let _ = writeln!(out, "{}", fill("range.mattersMost", lang, v));
    }
    out
}

/// The help the family could still apply for (`tiercost help-available`): never "eligible"
/// without a basis: what must still be true comes first.
pub fn help_available_text(v: &Value, lang: &str) -> String {
    let mut out = String::new();
    for o in v["options"].as_array().into_iter().flatten() {
        let status = o["outcome"]["status"].as_str().unwrap_or_default();
        let mut o = o.clone();
        o["status"] = json!(fill(&format!("help.{status}"), lang, &o));
        let _ = writeln!(out, "{}", fill("help.option", lang, &o));
        lines(&mut out, "help.apply", lang, &o, "apply", "  ");
    }
    out
}

fn truthy_field(v: &Value, field: &str) -> bool {
    !v[field].is_null()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::estimate::{AppliedAdjustment, BasePart, Exact, Pointer};
    use crate::results::wording::{table, template};
    use crate::rules::policy::{Bucket, CapOn, Measure, Per};
    use crate::rules::text::Text;
    use crate::{Money, Rate};

    fn x(yuan: i64) -> Exact {
        Exact(Money::from_yuan(yuan).exact())
    }
    const P: Pointer = Pointer {
        benefit: Some(0),
        part: "rate",
        index: None,
    };

    /// One step of each kind, every optional field set.
    fn every_step() -> Vec<Step> {
        let note = || Some("n".to_string());
        let source = || Some("S1".to_string());
        vec![
            Step::Base {
                amount: x(1000),
                parts: vec![BasePart {
                    bucket: Bucket::FirstPay,
                    weight: Rate::from_ppm(500_000),
                    amount: x(1000),
                }],
                above_cap_of: Some("basic".into()),
                excluded_deductible: Some(x(100)),
            },
            Step::FirstPay {
                rate: Rate::from_ppm(100_000),
                amount: x(10),
                pointer: P,
                source: source(),
                note: note(),
            },
            Step::Deductible {
                amount: Money::from_yuan(1300),
                per: Per::Year,
                met_before: x(0),
                applied: x(1300),
                admission: Some(2),
                offset: Some(x(5)),
                pointer: P,
                source: source(),
                note: note(),
            },
            Step::CostCap {
                limit: Money::from_yuan(9000),
                per: Per::Encounter,
                used_before: x(0),
                removed: x(1),
                pointer: P,
                source: source(),
                note: note(),
            },
            Step::Band {
                measure: Some(Measure::Net),
                from: x(0),
                to: x(1000),
                base_rate: Rate::from_ppm(800_000),
                adjustments: vec![AppliedAdjustment {
                    before: Rate::from_ppm(800_000),
                    after: Rate::from_ppm(860_000),
                    reason: Some(Text {
                        zh: "退休".into(),
                        en: "retired".into(),
                    }),
                }],
                rate: Rate::from_ppm(860_000),
                pays: x(860),
                pointer: P,
                source: source(),
                note: note(),
            },
            Step::Cap {
                limit: Money::from_yuan(500),
                per: Per::Year,
                on: CapOn::Cost,
                pool: Some("pool".into()),
                used_before: x(100),
                reduction: x(10),
                pointer: P,
                source: source(),
                note: note(),
            },
            Step::LumpSum {
                amount: Money::from_yuan(300),
                pays: x(300),
            },
            Step::Donation {
                code: "imatinib".into(),
                units: 3,
                free_units: 1,
                units_before: 6,
                all_free: true,
                amount: x(12000),
            },
            Step::Rounding {
                exact: Exact(crate::units::money::Ratio::new(1_001, 2)),
                rounded: Money::from_fen(501),
            },
        ]
    }

    /// The placeholders and conditions of `text`, each with the template it is in; `each:`
    /// templates are followed into the array's first element.
    fn fields_missing(key: &str, text: &str, v: &Value, lang: &str, out: &mut Vec<String>) {
        for spec in text.split('{').skip(1).filter_map(|s| s.split_once('}')) {
            let spec = spec.0.trim_start_matches(['?', '!']);
            if spec == "/" {
                continue;
            }
            let spec = spec.split("!=").next().unwrap_or(spec);
            let spec = spec.split('=').next().unwrap_or(spec);
            let (path, filter) = spec.split_once('|').unwrap_or((spec, ""));
            let found = path.split('.').try_fold(v, |v, k| v.get(k));
            match found {
                None => out.push(format!("{key} ({lang}): `{path}` is not in {v}")),
                Some(inner) => {
                    if let Some(k) = filter
                        .strip_prefix("each:")
                        .and_then(|a| a.split(':').next())
                    {
                        if let (Some(t), Some(first)) = (template(k, lang), inner.get(0)) {
                            fields_missing(k, t, first, lang, out);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_step_kind_has_zh_and_en_and_its_placeholders_are_its_fields() {
        let steps = every_step();
        let mut covered = [false; 9];
        let mut missing = Vec::new();
        for st in &steps {
            // exhaustive: a new kind of step does not compile until it is sampled here
            covered[match st {
                Step::Base { .. } => 0,
                Step::FirstPay { .. } => 1,
                Step::Deductible { .. } => 2,
                Step::CostCap { .. } => 3,
                Step::Band { .. } => 4,
                Step::Cap { .. } => 5,
                Step::LumpSum { .. } => 6,
                Step::Donation { .. } => 7,
                Step::Rounding { .. } => 8,
            }] = true;
            let v = serde_json::to_value(st).unwrap();
            let key = format!("step.{}", v["step"].as_str().unwrap());
            for lang in ["zh", "en"] {
                let t = template(&key, lang).unwrap_or_else(|| panic!("no {lang} for {key}"));
                assert!(!t.is_empty(), "{key} {lang}");
                fields_missing(&key, t, &v, lang, &mut missing);
                assert!(
                    !step_sentence(st, lang).is_empty(),
                    "{key} {lang} says nothing"
                );
                // the handout's brief words for the step, where it has them
                let brief = format!("brief.{}", v["step"].as_str().unwrap());
                if let Some(t) = template(&brief, lang) {
                    fields_missing(&brief, t, &v, lang, &mut missing);
                }
            }
        }
        assert!(covered.iter().all(|c| *c), "{covered:?}");
        assert!(missing.is_empty(), "{missing:#?}");
        let steps_in_table = table().keys().filter(|k| k.starts_with("step.")).count();
        assert_eq!(steps_in_table, steps.len(), "a step template no step uses");
    }

    #[test]
    fn a_known_step_gives_the_expected_sentence() {
        let steps = every_step();
        let known = [
            (0, "en", "The cost this benefit sees is ¥1000.00: class-B first-pay ¥1000.00 (counted at 50%) (the part above basic's cap) (after removing earlier layers' deductibles, ¥100.00)."),
            (4, "zh-CN", "¥0.00 至 ¥1000.00 之间的部分按 86% 支付（基本比例 80%：退休）（按起付线以上金额分段），付 ¥860.00。"),
            (7, "en", "Drug imatinib: 3 units, 1 donated (all free) (6 units before), worth ¥12000.00."),
            (8, "en", "Exact result 5.005 yuan, rounded half up to the fen: ¥5.01."),
        ];
        for (i, lang, want) in known {
            assert_eq!(step_sentence(&steps[i], lang), want);
        }
    }

    /// Every template the renderers name exists in both languages (the keys `explain.rs`
    /// writes out are all listed here).
    #[test]
    fn every_template_the_renderers_use_exists() {
        let used = [
            "estimate.total",
            "estimate.rangeTotal",
            "amount.range",
            "undecided.lead",
            "undecided.leadSame",
            "undecided.ends",
            "undecided.nationalFloor",
            "undecided.askWhere",
            "sep.names",
            "undecided.name",
            "undecided.what",
            "layer.eligible",
            "layer.not_enrolled",
            "layer.ineligible",
            "layer.needs_information",
            "layer.no_rules",
            "settlement",
            "heading.warnings",
            "heading.sources",
            "plan.month",
            "plan.event",
            "plan.layer",
            "plan.total",
            "compare.base",
            "compare.variant",
            "aid",
            "maxBill.none",
            "maxBill.unbounded",
            "maxBill.bounded",
            "range.summary",
            "range.mattersMost",
            "help.option",
            "help.apply",
            "help.eligible",
            "help.ineligible",
            "help.not_enrolled",
            "help.no_rules",
            "help.needs_information",
            "source.published",
            "source.grade",
        ];
        for k in used {
            for lang in ["zh", "en"] {
                assert!(
                    template(k, lang).is_some_and(|t| !t.is_empty()),
                    "{k} {lang}"
                );
            }
        }
        let src = include_str!("explain.rs");
        for k in src
            .split("fill(\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            assert!(used.contains(&k), "explain.rs uses {k}, not listed here");
        }
    }
}
