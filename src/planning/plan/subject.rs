//! A subject — a case, or a plan document (a case with a `plan` in place of `encounters`) —
//! read and settled, the form every planning function (scenarios, inverse questions,
//! ranges, burden, help available) accepts; errors met in generated encounters are reported
//! at the course and month they came from.

use std::borrow::Cow;

use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::planning::burden::NonMedicalCost;
use crate::reading::read::read_value;
use crate::results::estimate::Estimate;
use crate::rules::case::Case;
use crate::rules::catalog::Catalog;
use crate::rules::policy::{Pack, PackKind};

use super::expand::{expand, Origin};
use super::{Plan, MAX_NON_MEDICAL};

/// A subject (a case or a plan document) read and settled.
#[derive(Clone, Debug)]
pub struct Evaluated {
    /// The case that was settled (for a plan, with the generated encounters).
    pub case: Case,
    /// The plan, when the subject was a plan document.
    pub plan: Option<Plan>,
    /// For a plan: the origin of each encounter, by its index in `case.encounters`.
    pub origins: Vec<Origin>,
    /// Non-medical costs the family entered.
    pub non_medical: Vec<NonMedicalCost>,
    /// The settlement.
    pub estimate: Estimate,
}

/// Reads a subject (a case, or a plan document) from a JSON value and settles it. Error paths
/// are given under `prefix` (`$` for a document read on its own).
pub fn evaluate_value(value: &Value, prefix: &str) -> Result<Evaluated, Error> {
    let (case, plan, origins, non_medical) = read_subject(value, prefix)?;
    let estimate = crate::estimate(&case, Catalog::embedded())
        .map_err(|e| map_plan_paths(e, &origins, plan.is_some(), prefix))?;
    Ok(Evaluated {
        case,
        plan,
        origins,
        non_medical,
        estimate,
    })
}

type Subject = (Case, Option<Plan>, Vec<Origin>, Vec<NonMedicalCost>);

/// Reads a subject without settling it.
pub(crate) fn read_subject(value: &Value, prefix: &str) -> Result<Subject, Error> {
    let Value::Object(map) = value else {
        return Err(Error::new(
            ErrorCode::InvalidType,
            prefix,
            "expected an object (a case, or a case with a `plan` instead of `encounters`)",
        ));
    };
    let mut map = map.clone();
    let plan_value = map.remove("plan");
    let non_medical: Vec<NonMedicalCost> = match map.remove("nonMedical") {
        None => Vec::new(),
        Some(v) => read_value(&v, &format!("{prefix}.nonMedical"))?,
    };
    if non_medical.len() > MAX_NON_MEDICAL {
        return Err(Error::new(
            ErrorCode::TooManyCosts,
            format!("{prefix}.nonMedical"),
            format!(
                "{} non-medical costs; the limit is {MAX_NON_MEDICAL}",
                non_medical.len()
            ),
        ));
    }
    match plan_value {
        None => {
            let case: Case = read_value(&Value::Object(map), prefix)?;
            Ok((case, None, Vec::new(), non_medical))
        }
        Some(pv) => {
            if map.contains_key("encounters") {
                return Err(Error::new(
                    ErrorCode::Inconsistent,
                    format!("{prefix}.encounters"),
                    "give either `encounters` or a `plan`, not both",
                ));
            }
            let plan: Plan = read_value(&pv, &format!("{prefix}.plan"))?;
            map.insert("encounters".into(), Value::Array(Vec::new()));
            let mut case: Case = read_value(&Value::Object(map), prefix)?;
            let (encounters, origins) = expand(&plan, &format!("{prefix}.plan"))?;
            case.encounters = encounters;
            Ok((case, Some(plan), origins, non_medical))
        }
    }
}

/// Rewrites `$.encounters[i]…` paths of errors met in generated encounters to the course.
fn map_plan_paths(e: Error, origins: &[Origin], is_plan: bool, prefix: &str) -> Error {
    if !is_plan {
        return e;
    }
    let mut e = e;
    let start = format!("{prefix}.encounters[");
    if let Some(rest) = e.path.strip_prefix(&start) {
        if let Some((idx, tail)) = rest.split_once(']') {
            if let Some(o) = idx.parse::<usize>().ok().and_then(|i| origins.get(i)) {
                let tail = tail.strip_prefix(".total").unwrap_or(tail);
                e.path = format!("{prefix}.plan.courses[{}]{tail}", o.course);
                e.message = format!("{} (plan month {})", e.message, o.month);
            }
        }
    }
    e.problems = e
        .problems
        .into_iter()
        .map(|p| map_plan_paths(p, origins, true, prefix))
        .collect();
    e
}

/// The region pack a case uses, resolved.
pub(crate) fn region_of<'c>(case: &Case, catalog: &'c Catalog) -> Result<Cow<'c, Pack>, Error> {
    match (&case.inline_pack, &case.pack) {
        (Some(p), _) => Ok(Cow::Owned(
            catalog
                .resolve_inline((**p).clone())
                .map_err(|e| e.under("$.inlinePack"))?,
        )),
        (None, Some(id)) => match catalog.get(id) {
            Some(p) if p.kind != PackKind::Programme => Ok(Cow::Borrowed(p)),
            _ => Err(Error::new(
                ErrorCode::UnknownPack,
                "$.pack",
                format!("no built-in regional pack is called \"{id}\""),
            )),
        },
        (None, None) => Err(Error::new(
            ErrorCode::MissingField,
            "$.pack",
            "name a built-in pack (`pack`) or give one inline (`inlinePack`)",
        )),
    }
}
