//! Treatment plans: a course of care ("a targeted drug every month for a year, two admissions,
//! a visit a month") expanded into dated encounters, settled by the normal engine, and
//! returned as a month-by-month cash flow with the events that explain it.
//!
//! A plan document is a case without `encounters`, plus a `plan`:
//!
//! ```json
//! { "pack": "cn-shanghai", "programmes": [{"id": "pap-gipap", "since": "2024-01-15"}],
//!   "member": {"scheme": "resident", "group": "adult"},
//!   "plan": { "start": "2025-01-15", "months": 12, "courses": [
//!     {"kind": "drug", "code": "imatinib", "class": "b", "unitPrice": "12000"},
//!     {"kind": "admissions", "count": 2, "each": "60000", "level": "level3", "months": [3, 9]},
//!     {"kind": "visits", "perMonth": 1, "each": "800", "level": "level2"} ] },
//!   "nonMedical": [{"kind": "travel", "amount": "3000"}] }
//! ```
//!
//! Plan month `m` (1-based) is the start date plus `m − 1` months (the day clamped to the
//! month's end). Every encounter of a month is dated on that day, in the order drug purchases,
//! admissions, visits — the order the engine settles them in. The same document shape (a
//! *subject*: a case, or a plan document) is accepted by the scenario, inverse, range and help
//! functions.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::burden::{burden_for, Burden, NonMedicalCost};
use crate::case::{Case, Class, Encounter, Item, Locality, Setting};
use crate::catalog::Catalog;
use crate::date::Date;
use crate::error::{from_json_str, from_json_value, Error, ErrorCode};
use crate::estimate::{Estimate, Exact, Outcome, Step};
use crate::money::{Money, Rate, MAX_INPUT_FEN};
use crate::policy::{LayerKind, Pack, PackKind, Per, Split, Text};
use crate::read::read_value;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The most months a plan may span.
pub const MAX_PLAN_MONTHS: u32 = 60;
/// The most courses in one plan.
pub const MAX_COURSES: usize = 50;
/// The most non-medical cost lines.
pub const MAX_NON_MEDICAL: usize = 100;

/// A course of treatment over months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Plan {
    /// The first day of the plan (month 1).
    pub start: Date,
    /// How many months it runs (1–60).
    pub months: u32,
    /// What happens in those months.
    pub courses: Vec<Course>,
}

/// One strand of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Course {
    /// A drug bought every month (or in the listed months).
    Drug(DrugCourse),
    /// Inpatient admissions.
    Admissions(AdmissionCourse),
    /// Outpatient (or chronic-disease) visits every month.
    Visits(VisitCourse),
}

/// A drug bought month by month; donation programmes match its `code`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DrugCourse {
    /// The drug code (donation programmes and special-drug lists match it).
    pub code: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The catalogue class.
    pub class: Class,
    /// The price of one unit (a cycle, a box, a month's supply).
    pub unit_price: Money,
    /// Units bought each month (default 1).
    #[serde(default = "one")]
    pub units_per_month: u32,
    /// Where it is bought (default `pharmacy`).
    #[serde(default = "pharmacy")]
    pub setting: Setting,
    /// Its own 乙类 first-pay ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_pay_ratio: Option<Rate>,
    /// The plan months (1-based) it is bought in; every month when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<u32>>,
    /// The hospital level, as the pack names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// In or out of region.
    #[serde(default)]
    pub locality: Locality,
    /// Filed (备案) for out-of-region care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed: Option<bool>,
    /// Referred (转诊).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred: Option<bool>,
    /// Diagnoses for these encounters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// A label for the encounters (the month number is appended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Inpatient admissions of about the same cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdmissionCourse {
    /// How many admissions.
    pub count: u32,
    /// The bill of each (give `each`, with an optional `split`, or `items`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each: Option<Money>,
    /// How `each` splits among 甲/乙/丙 (the pack's typical split when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// The itemised bill of each admission.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// Days of each stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The plan month of each admission (1-based, `count` of them); spread evenly when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<u32>>,
    /// The hospital level, as the pack names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// In or out of region.
    #[serde(default)]
    pub locality: Locality,
    /// Filed (备案) for out-of-region care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed: Option<bool>,
    /// Referred (转诊).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred: Option<bool>,
    /// Diagnoses for these encounters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// A label for the encounters (the month number is appended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Visits every month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VisitCourse {
    /// Visits in each month.
    pub per_month: u32,
    /// The bill of each visit (give `each`, with an optional `split`, or `items`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each: Option<Money>,
    /// How `each` splits among 甲/乙/丙.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// The itemised bill of each visit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// `outpatient` (default) or `chronic`.
    #[serde(default = "outpatient")]
    pub setting: Setting,
    /// The plan months with visits; every month when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<u32>>,
    /// The hospital level, as the pack names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// In or out of region.
    #[serde(default)]
    pub locality: Locality,
    /// Filed (备案) for out-of-region care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed: Option<bool>,
    /// Referred (转诊).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred: Option<bool>,
    /// Diagnoses for these encounters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// A label for the encounters (the month number is appended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Where care is given: the fields every kind of course shares.
struct Place<'a> {
    level: &'a Option<String>,
    locality: Locality,
    filed: Option<bool>,
    referred: Option<bool>,
    diagnoses: &'a [String],
    label: &'a Option<String>,
}

macro_rules! place {
    ($c:expr) => {
        Place {
            level: &$c.level,
            locality: $c.locality,
            filed: $c.filed,
            referred: $c.referred,
            diagnoses: &$c.diagnoses,
            label: &$c.label,
        }
    };
}

fn one() -> u32 {
    1
}
fn pharmacy() -> Setting {
    Setting::Pharmacy
}
fn outpatient() -> Setting {
    Setting::Outpatient
}

/// Where a generated encounter came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index of the course in `plan.courses`.
    pub course: usize,
    /// Plan month, 1-based.
    pub month: u32,
}

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
        Some(v) => from_json_value(v, &format!("{prefix}.nonMedical"))?,
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
            let plan: Plan = from_json_value(pv, &format!("{prefix}.plan"))?;
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

fn months_of(given: &Option<Vec<u32>>, plan_months: u32, path: &str) -> Result<Vec<u32>, Error> {
    match given {
        None => Ok((1..=plan_months).collect()),
        Some(v) => {
            for (i, m) in v.iter().enumerate() {
                if *m == 0 || *m > plan_months {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{path}.months[{i}]"),
                        format!("month {m} is outside the plan's months 1–{plan_months}"),
                    ));
                }
            }
            Ok(v.clone())
        }
    }
}

/// A bill: a quick total with its split, or items.
type Bill = (Option<Money>, Option<Split>, Vec<Item>);

fn bill(
    each: &Option<Money>,
    split: &Option<Split>,
    items: &[Item],
    path: &str,
) -> Result<Bill, Error> {
    match (each, items.is_empty()) {
        (Some(_), false) => Err(Error::new(
            ErrorCode::Inconsistent,
            format!("{path}.each"),
            "give either `each` (with an optional `split`) or `items`, not both",
        )),
        (None, true) => Err(Error::new(
            ErrorCode::MissingField,
            format!("{path}.each"),
            "give the bill of each: `each` (with an optional `split`) or `items`",
        )),
        (Some(t), true) => Ok((Some(*t), *split, Vec::new())),
        (None, false) => {
            if split.is_some() {
                return Err(Error::new(
                    ErrorCode::Inconsistent,
                    format!("{path}.split"),
                    "a split goes with `each`, not with `items`",
                ));
            }
            Ok((None, None, items.to_vec()))
        }
    }
}

fn encounter(
    date: Date,
    setting: Setting,
    place: &Place<'_>,
    month: u32,
    days: Option<u32>,
    bill: Bill,
) -> Encounter {
    Encounter {
        label: Some(match &place.label {
            Some(l) => format!("{l} · {month}"),
            None => format!("{} · {month}", setting_name(setting)),
        }),
        date,
        setting,
        level: place.level.clone(),
        locality: place.locality,
        filed: place.filed,
        referred: place.referred,
        days,
        diagnoses: place.diagnoses.to_vec(),
        items: bill.2,
        total: bill.0,
        split: bill.1,
    }
}

fn setting_name(s: Setting) -> &'static str {
    match s {
        Setting::Inpatient => "inpatient",
        Setting::Outpatient => "outpatient",
        Setting::Chronic => "chronic",
        Setting::Pharmacy => "pharmacy",
    }
}

/// Expands a plan into dated encounters (in date order) and their origins.
pub fn expand(plan: &Plan, path: &str) -> Result<(Vec<Encounter>, Vec<Origin>), Error> {
    if plan.months == 0 {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("{path}.months"),
            format!("a plan runs 1 to {MAX_PLAN_MONTHS} months"),
        ));
    }
    if plan.months > MAX_PLAN_MONTHS {
        return Err(Error::new(
            ErrorCode::TooManyMonths,
            format!("{path}.months"),
            format!(
                "{} months; the limit is {MAX_PLAN_MONTHS} months per plan",
                plan.months
            ),
        ));
    }
    if plan.courses.is_empty() {
        return Err(Error::new(
            ErrorCode::MissingField,
            format!("{path}.courses"),
            "a plan needs at least one course",
        ));
    }
    if plan.courses.len() > MAX_COURSES {
        return Err(Error::new(
            ErrorCode::TooManyCourses,
            format!("{path}.courses"),
            format!(
                "{} courses; the limit is {MAX_COURSES} per plan",
                plan.courses.len()
            ),
        ));
    }
    // (month, kind order, course, encounter)
    let mut out: Vec<(u32, u8, usize, Encounter)> = Vec::new();
    let limit = crate::limits::MAX_ENCOUNTERS as u64;
    let mut count: u64 = 0;
    let date_of = |m: u32| plan.start.add_months(m - 1);
    for (ci, course) in plan.courses.iter().enumerate() {
        let cpath = format!("{path}.courses[{ci}]");
        let too_many = || {
            Error::new(
                ErrorCode::TooManyEncounters,
                cpath.clone(),
                format!("the plan expands into more than {limit} encounters; the limit is {limit} per case"),
            )
        };
        match course {
            Course::Drug(d) => {
                if d.units_per_month == 0 {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.unitsPerMonth"),
                        "at least one unit a month",
                    ));
                }
                let amount = d
                    .unit_price
                    .fen()
                    .checked_mul(d.units_per_month as i64)
                    .filter(|f| *f <= MAX_INPUT_FEN)
                    .ok_or_else(Error::overflow)?;
                let months = months_of(&d.months, plan.months, &cpath)?;
                count += months.len() as u64;
                if count > limit {
                    return Err(too_many());
                }
                for m in months {
                    let item = Item {
                        description: Some(d.description.clone().unwrap_or_else(|| d.code.clone())),
                        amount: Money::from_fen(amount),
                        class: d.class,
                        first_pay_ratio: d.first_pay_ratio,
                        price_limit: None,
                        code: Some(d.code.clone()),
                        quantity: Some(d.units_per_month),
                    };
                    let e = encounter(
                        date_of(m),
                        d.setting,
                        &place!(d),
                        m,
                        None,
                        (None, None, vec![item]),
                    );
                    out.push((m, 0, ci, e));
                }
            }
            Course::Admissions(a) => {
                if a.count == 0 {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.count"),
                        "at least one admission",
                    ));
                }
                if a.count as u64 > limit {
                    return Err(too_many());
                }
                let b = bill(&a.each, &a.split, &a.items, &cpath)?;
                let months = match &a.months {
                    Some(v) => {
                        if v.len() != a.count as usize {
                            return Err(Error::new(
                                ErrorCode::Inconsistent,
                                format!("{cpath}.months"),
                                format!("{} months given for {} admissions", v.len(), a.count),
                            ));
                        }
                        months_of(&a.months, plan.months, &cpath)?
                    }
                    None => spread(a.count, plan.months),
                };
                count += months.len() as u64;
                if count > limit {
                    return Err(too_many());
                }
                for m in months {
                    let e = encounter(
                        date_of(m),
                        Setting::Inpatient,
                        &place!(a),
                        m,
                        a.days,
                        b.clone(),
                    );
                    out.push((m, 1, ci, e));
                }
            }
            Course::Visits(v) => {
                if v.per_month == 0 {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.perMonth"),
                        "at least one visit a month",
                    ));
                }
                if v.setting == Setting::Inpatient {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.setting"),
                        "visits are outpatient, chronic or pharmacy; use an `admissions` course for inpatient stays",
                    ));
                }
                let b = bill(&v.each, &v.split, &v.items, &cpath)?;
                let months = months_of(&v.months, plan.months, &cpath)?;
                count += months.len() as u64 * v.per_month as u64;
                if count > limit {
                    return Err(too_many());
                }
                for m in months {
                    for _ in 0..v.per_month {
                        let e = encounter(date_of(m), v.setting, &place!(v), m, None, b.clone());
                        out.push((m, 2, ci, e));
                    }
                }
            }
        }
    }
    out.sort_by_key(|(m, k, c, _)| (*m, *k, *c));
    let origins = out
        .iter()
        .map(|(m, _, c, _)| Origin {
            course: *c,
            month: *m,
        })
        .collect();
    Ok((out.into_iter().map(|x| x.3).collect(), origins))
}

/// `count` months spread evenly over `months`: the k-th (0-based) in month ⌊k·months/count⌋+1.
fn spread(count: u32, months: u32) -> Vec<u32> {
    (0..count as u64)
        .map(|k| (k * months as u64 / count as u64) as u32 + 1)
        .collect()
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

// ---------------------------------------------------------------------------------------
// The cash flow.

/// The result of a plan.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanResult {
    /// The plan's start, length and the encounters it expanded into.
    pub plan: PlanSummary,
    /// The whole bill.
    pub total: Money,
    /// What all layers together paid.
    pub covered: Money,
    /// What is left for the family.
    pub family: Money,
    /// Each layer's total over the plan, in settlement order.
    pub layers: Vec<LayerTotal>,
    /// Month by month.
    pub months: Vec<MonthRow>,
    /// Per policy year.
    pub years: Vec<YearRow>,
    /// Every event, in date order (also listed in each month).
    pub events: Vec<Event>,
    /// The family's share against its income, and the non-medical costs beside it.
    pub burden: Burden,
    /// The full settlement, with traces.
    pub estimate: Estimate,
}

/// The plan's shape.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// First day.
    pub start: Date,
    /// Months.
    pub months: u32,
    /// Encounters generated.
    pub encounters: usize,
}

/// One layer's total.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LayerTotal {
    /// Layer id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Kind.
    pub kind: LayerKind,
    /// Paid.
    pub paid: Money,
    /// Eligibility.
    pub outcome: Outcome,
}

/// One month of the cash flow.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MonthRow {
    /// Plan month, 1-based.
    pub month: u32,
    /// The day of the month's encounters.
    pub date: Date,
    /// The policy year it falls in (its first day).
    pub policy_year: Date,
    /// Encounters in the month.
    pub encounters: usize,
    /// The month's bill.
    pub bill: Money,
    /// Paid by each layer that paid.
    pub paid_by: BTreeMap<String, Money>,
    /// What the family pays this month.
    pub family: Money,
    /// What the family has paid since the plan started.
    pub cumulative_family: Money,
    /// What happened this month.
    pub events: Vec<Event>,
}

/// One policy year's totals.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct YearRow {
    /// First day of the policy year.
    pub policy_year: Date,
    /// The bill in that year.
    pub bill: Money,
    /// Paid by each layer that paid.
    pub paid_by: BTreeMap<String, Money>,
    /// Left for the family.
    pub family: Money,
}

/// What kind of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new policy year began: yearly deductibles, bands and caps start again.
    PolicyYearStart,
    /// A yearly deductible was met.
    DeductibleMet,
    /// A yearly cap on a payment was reached (the payment was cut).
    CapReached,
    /// A yearly cap on the cost entering a benefit was reached.
    CostCapReached,
    /// A donation programme started giving free units.
    DonationFreeUnitsStart,
    /// After free units, the family buys again (a new round).
    DonationPaidUnitsResume,
}

/// Something that changes what the family pays, derived from the settlement traces.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// What.
    pub kind: EventKind,
    /// Plan month.
    pub month: u32,
    /// Date.
    pub date: Date,
    /// Encounter index (date order, as in the estimate's `encounters`).
    pub encounter: usize,
    /// The layer concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// The benefit concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benefit: Option<String>,
    /// The deductible or cap amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// In words.
    pub message: Text,
}

/// Settles a plan document given as JSON text and returns its month-by-month cash flow.
pub fn plan_json(text: &str) -> Result<PlanResult, Error> {
    crate::engine::check_size(text)?;
    let value: Value = from_json_str(text)?;
    if value.get("plan").is_none() {
        return Err(Error::new(
            ErrorCode::MissingField,
            "$.plan",
            "a plan document needs a `plan` {start, months, courses}",
        ));
    }
    let ev = evaluate_value(&value, "$")?;
    plan_result(ev)
}

/// Builds the cash flow of an evaluated plan.
pub fn plan_result(ev: Evaluated) -> Result<PlanResult, Error> {
    let Some(plan) = ev.plan.clone() else {
        return Err(Error::new(
            ErrorCode::MissingField,
            "$.plan",
            "not a plan document",
        ));
    };
    let est = &ev.estimate;
    let month_of_pos: Vec<u32> = est
        .encounters
        .iter()
        .map(|e| ev.origins.get(e.input_index).map(|o| o.month).unwrap_or(1))
        .collect();
    let events = events(&ev, &month_of_pos)?;
    let mut months: Vec<MonthRow> = (1..=plan.months)
        .map(|m| {
            let date = plan.start.add_months(m - 1);
            MonthRow {
                month: m,
                date,
                policy_year: policy_year_of(&ev, date),
                encounters: 0,
                bill: Money::ZERO,
                paid_by: BTreeMap::new(),
                family: Money::ZERO,
                cumulative_family: Money::ZERO,
                events: Vec::new(),
            }
        })
        .collect();
    let mut years: Vec<YearRow> = Vec::new();
    for (pos, e) in est.encounters.iter().enumerate() {
        let row = &mut months[(month_of_pos[pos] - 1) as usize];
        row.encounters += 1;
        row.policy_year = e.policy_year;
        row.bill = row.bill.checked_add(e.total)?;
        row.family = row.family.checked_add(e.patient)?;
        add_into(&mut row.paid_by, &e.paid_by)?;
        let y = match years
            .iter_mut()
            .position(|y| y.policy_year == e.policy_year)
        {
            Some(i) => &mut years[i],
            None => {
                years.push(YearRow {
                    policy_year: e.policy_year,
                    bill: Money::ZERO,
                    paid_by: BTreeMap::new(),
                    family: Money::ZERO,
                });
                years.last_mut().ok_or_else(Error::overflow)?
            }
        };
        y.bill = y.bill.checked_add(e.total)?;
        y.family = y.family.checked_add(e.patient)?;
        add_into(&mut y.paid_by, &e.paid_by)?;
    }
    let mut cum = Money::ZERO;
    for row in &mut months {
        cum = cum.checked_add(row.family)?;
        row.cumulative_family = cum;
        row.events = events
            .iter()
            .filter(|e| e.month == row.month)
            .cloned()
            .collect();
    }
    let burden = burden_for(&ev)?;
    let layers = est
        .layers
        .iter()
        .map(|l| LayerTotal {
            id: l.id.clone(),
            name: l.name.clone(),
            kind: l.kind,
            paid: l.paid,
            outcome: l.outcome.clone(),
        })
        .collect();
    Ok(PlanResult {
        plan: PlanSummary {
            start: plan.start,
            months: plan.months,
            encounters: ev.case.encounters.len(),
        },
        total: est.total,
        covered: est.covered,
        family: est.patient.total,
        layers,
        months,
        years,
        events,
        burden,
        estimate: ev.estimate,
    })
}

fn policy_year_of(ev: &Evaluated, date: Date) -> Date {
    // The estimate gives each encounter's policy year; months without encounters take the
    // pack's year start (January 1 unless the pack says otherwise).
    let start = region_of(&ev.case, Catalog::embedded())
        .map(|p| p.year_start)
        .unwrap_or_default();
    start.year_start_for(date)
}

fn add_into(
    into: &mut BTreeMap<String, Money>,
    from: &BTreeMap<String, Money>,
) -> Result<(), Error> {
    for (k, v) in from {
        let e = into.entry(k.clone()).or_insert(Money::ZERO);
        *e = e.checked_add(*v)?;
    }
    Ok(())
}

fn ge(a: Exact, b: Money) -> bool {
    a.0.cmp_exact(b.exact()) != std::cmp::Ordering::Less
}

/// Derives the events from the settlement traces.
fn events(ev: &Evaluated, month_of_pos: &[u32]) -> Result<Vec<Event>, Error> {
    let est = &ev.estimate;
    let mut out: Vec<Event> = Vec::new();
    let at = |pos: usize| -> Option<(u32, Date)> {
        Some((
            month_of_pos.get(pos).copied().unwrap_or(1),
            est.encounters.get(pos)?.date,
        ))
    };
    for (pos, pair) in est.encounters.windows(2).enumerate() {
        if pair[1].policy_year != pair[0].policy_year {
            let Some((month, date)) = at(pos + 1) else {
                continue;
            };
            let y = pair[1].policy_year;
            out.push(Event {
                kind: EventKind::PolicyYearStart,
                month,
                date,
                encounter: pos + 1,
                layer: None,
                benefit: None,
                amount: None,
                message: Text::new(
                    format!("新的医保年度自 {y} 开始：起付线、分段和年度限额重新累计"),
                    format!("A new policy year starts on {y}: yearly deductibles, bands and caps start again"),
                ),
            });
        }
    }
    let mut caps_seen: HashSet<(String, String, String, Date)> = HashSet::new();
    for layer in &est.layers {
        for s in &layer.settlements {
            let Some((month, date)) = at(s.encounter) else {
                continue;
            };
            let year = est.encounters[s.encounter].policy_year;
            for step in &s.steps {
                match step {
                    Step::Deductible {
                        amount,
                        per: Per::Year,
                        met_before,
                        applied,
                        offset,
                        ..
                    } if !amount.is_zero() => {
                        let mut after = met_before.0.checked_add(applied.0)?;
                        if let Some(o) = offset {
                            after = after.checked_add(o.0)?;
                        }
                        if !ge(*met_before, *amount) && ge(Exact(after), *amount) {
                            out.push(Event {
                                kind: EventKind::DeductibleMet,
                                month,
                                date,
                                encounter: s.encounter,
                                layer: Some(layer.id.clone()),
                                benefit: Some(s.benefit.clone()),
                                amount: Some(*amount),
                                message: Text::new(
                                    format!(
                                        "{}（{}）的年度起付线 {} 元已达到",
                                        layer.name.zh,
                                        s.name.as_ref().unwrap_or(&layer.name).zh,
                                        amount
                                    ),
                                    format!(
                                        "{} ({}): the yearly deductible of {} is met",
                                        layer.name.en,
                                        s.name.as_ref().unwrap_or(&layer.name).en,
                                        amount
                                    ),
                                ),
                            });
                        }
                    }
                    Step::Cap {
                        limit,
                        per: Per::Year,
                        reduction,
                        pointer,
                        pool,
                        ..
                    } if reduction.0.is_positive() => {
                        let key = (
                            layer.id.clone(),
                            pool.clone().unwrap_or_else(|| s.benefit.clone()),
                            pointer.to_string(),
                            year,
                        );
                        if caps_seen.insert(key) {
                            out.push(Event {
                                kind: EventKind::CapReached,
                                month,
                                date,
                                encounter: s.encounter,
                                layer: Some(layer.id.clone()),
                                benefit: Some(s.benefit.clone()),
                                amount: Some(*limit),
                                message: Text::new(
                                    format!("{}（{}）的年度支付限额 {} 元已用完，本年度此后不再支付", layer.name.zh, s.name.as_ref().unwrap_or(&layer.name).zh, limit),
                                    format!("{} ({}): the yearly cap of {} is reached; it pays nothing more this policy year", layer.name.en, s.name.as_ref().unwrap_or(&layer.name).en, limit),
                                ),
                            });
                        }
                    }
                    Step::CostCap {
                        limit,
                        per: Per::Year,
                        removed,
                        pointer,
                        ..
                    } if removed.0.is_positive() => {
                        let key = (
                            layer.id.clone(),
                            s.benefit.clone(),
                            format!("cost{pointer}"),
                            year,
                        );
                        if caps_seen.insert(key) {
                            out.push(Event {
                                kind: EventKind::CostCapReached,
                                month,
                                date,
                                encounter: s.encounter,
                                layer: Some(layer.id.clone()),
                                benefit: Some(s.benefit.clone()),
                                amount: Some(*limit),
                                message: Text::new(
                                    format!("{}（{}）计入的年度费用上限 {} 元已达到", layer.name.zh, s.name.as_ref().unwrap_or(&layer.name).zh, limit),
                                    format!("{} ({}): the yearly ceiling of {} on the cost it counts is reached", layer.name.en, s.name.as_ref().unwrap_or(&layer.name).en, limit),
                                ),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    // Donation rounds: walk each donated code over the plan's purchases of it.
    for layer in est.layers.iter().filter(|l| l.kind == LayerKind::Donation) {
        let mut free_at: HashMap<(String, usize), u32> = HashMap::new();
        for s in &layer.settlements {
            for step in &s.steps {
                if let Step::Donation {
                    code, free_units, ..
                } = step
                {
                    *free_at.entry((code.clone(), s.encounter)).or_default() += free_units;
                }
            }
        }
        let mut codes: Vec<&String> = free_at.keys().map(|(c, _)| c).collect();
        codes.sort();
        codes.dedup();
        for code in codes {
            let mut prev: Option<bool> = None;
            for (pos, e) in est.encounters.iter().enumerate() {
                let buys = ev
                    .case
                    .encounters
                    .get(e.input_index)
                    .is_some_and(|enc| enc.items.iter().any(|i| i.code.as_ref() == Some(code)));
                if !buys {
                    continue;
                }
                let free = free_at.get(&(code.clone(), pos)).copied().unwrap_or(0) > 0;
                let Some((month, date)) = at(pos) else {
                    continue;
                };
                if free && prev != Some(true) {
                    out.push(Event {
                        kind: EventKind::DonationFreeUnitsStart,
                        month,
                        date,
                        encounter: pos,
                        layer: Some(layer.id.clone()),
                        benefit: Some(code.clone()),
                        amount: None,
                        message: Text::new(
                            format!("{}：从本月起药品 {} 由项目赠送", layer.name.zh, code),
                            format!("{}: from this month {} is donated", layer.name.en, code),
                        ),
                    });
                } else if !free && prev == Some(true) {
                    out.push(Event {
                        kind: EventKind::DonationPaidUnitsResume,
                        month,
                        date,
                        encounter: pos,
                        layer: Some(layer.id.clone()),
                        benefit: Some(code.clone()),
                        amount: None,
                        message: Text::new(
                            format!("{}：赠药周期结束，本月起需重新自购 {}", layer.name.zh, code),
                            format!("{}: the free period ends; the family buys {} again from this month", layer.name.en, code),
                        ),
                    });
                }
                prev = Some(free);
            }
        }
    }
    out.sort_by_key(|e| e.encounter);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_even_and_starts_in_month_one() {
        assert_eq!(spread(2, 12), vec![1, 7]);
        assert_eq!(spread(3, 12), vec![1, 5, 9]);
        assert_eq!(spread(1, 5), vec![1]);
        assert_eq!(spread(4, 2), vec![1, 1, 2, 2]);
    }

    #[test]
    fn expansion_orders_by_month_then_kind() {
        let plan: Plan = serde_json::from_str(
            r#"{"start": "2025-01-31", "months": 3, "courses": [
                {"kind": "visits", "perMonth": 2, "each": "100", "months": [2]},
                {"kind": "admissions", "count": 1, "each": "5000", "months": [2]},
                {"kind": "drug", "code": "x", "class": "a", "unitPrice": "10", "unitsPerMonth": 3}]}"#,
        )
        .unwrap();
        let (enc, origins) = expand(&plan, "$.plan").unwrap();
        assert_eq!(enc.len(), 6);
        assert_eq!(enc[1].date.to_string(), "2025-02-28"); // clamped
        assert_eq!(enc[1].items[0].amount.to_string(), "30.00");
        assert_eq!(enc[2].setting, Setting::Inpatient);
        assert_eq!(
            origins[3],
            Origin {
                course: 0,
                month: 2
            }
        );
        assert_eq!(enc[5].date.to_string(), "2025-03-31");
    }

    #[test]
    fn bad_plans_are_errors_with_paths() {
        let p = |s: &str| serde_json::from_str::<Plan>(s).unwrap();
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 0, "courses": []}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.path, "$.plan.months");
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "admissions", "count": 2, "each": "1", "months": [1]}]}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Inconsistent);
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "visits", "perMonth": 1000, "each": "1"}]}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyEncounters);
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "drug", "code": "x", "class": "a", "unitPrice": "1", "months": [3]}]}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.path, "$.plan.courses[0].months[0]");
    }
}
