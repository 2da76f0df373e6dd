//! Plain sentences for an estimate and for the planning results, in zh-CN or en: what the
//! CLI prints with `--format text`. The words are the page's (`www/lib/explain-text.js`,
//! through [`crate::results::wording`]): each sentence is a template rendered on the result
//! as serialized to JSON, exactly as the page renders it. Native only.

use std::fmt::Write;

use serde_json::{json, Value};

use crate::results::estimate::{Estimate, Step};
use crate::results::wording::fill;

/// Renders the estimate as sentences.
pub fn render(e: &Estimate, lang: &str) -> String {
    let v = serde_json::to_value(e).unwrap_or_default();
    let mut out = String::new();
    if let Some(r) = v.get("range").filter(|r| !r.is_null()) {
        let floor = r["undecided"]
            .as_array()
            .is_some_and(|u| u.iter().any(|u| u["nationalFloor"] == true));
        let mut head = v.clone();
        head["nationalFloor"] = json!(floor);
        let _ = writeln!(out, "{}", fill("estimate.range", lang, &head));
        for u in r["undecided"].as_array().into_iter().flatten() {
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
