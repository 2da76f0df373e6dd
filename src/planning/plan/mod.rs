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
//!
//! The files: `expand` turns a plan into dated encounters; `subject` reads a subject (a case
//! or a plan document) and settles it; `cash_flow` builds the month-by-month result; `events`
//! finds in the settlement traces what changes what the family pays.

use serde::Serialize;
use tiercost_derive::Read;

use crate::rules::case::{Class, Item, Locality, Setting};
use crate::rules::policy::Split;
use crate::units::date::Date;
use crate::units::money::{Money, Rate};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

mod cash_flow;
mod events;
mod expand;
mod subject;

pub use cash_flow::{
    plan_json, plan_result, LayerTotal, MonthRow, PlanResult, PlanSummary, YearRow,
};
pub use events::{Event, EventKind};
pub use expand::{expand, Origin};
pub use subject::{evaluate_value, Evaluated};
pub(crate) use subject::{read_subject, region_of};

/// The most months a plan may span.
pub const MAX_PLAN_MONTHS: u32 = 60;
/// The most courses in one plan.
pub const MAX_COURSES: usize = 50;
/// The most non-medical cost lines.
pub const MAX_NON_MEDICAL: usize = 100;

/// A course of treatment over months.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
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
    /// Where its encounters take place, for what, and their label.
    #[serde(flatten)]
    pub details: EncounterDetails,
}

/// Inpatient admissions of about the same cost.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdmissionCourse {
    /// How many admissions.
    pub count: u32,
    /// The bill of each admission.
    #[serde(flatten)]
    pub bill: BillOfEach,
    /// Days of each stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The plan month of each admission (1-based, `count` of them); spread evenly when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<u32>>,
    /// Where its encounters take place, for what, and their label.
    #[serde(flatten)]
    pub details: EncounterDetails,
}

/// Visits every month.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VisitCourse {
    /// Visits in each month.
    pub per_month: u32,
    /// The bill of each visit.
    #[serde(flatten)]
    pub bill: BillOfEach,
    /// `outpatient` (default) or `chronic`.
    #[serde(default = "outpatient")]
    pub setting: Setting,
    /// The plan months with visits; every month when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<u32>>,
    /// Where its encounters take place, for what, and their label.
    #[serde(flatten)]
    pub details: EncounterDetails,
}

/// The bill of each admission or visit of a course: a quick total `each`, with an optional
/// `split`, or the itemised `items` — one or the other. Its fields sit in the course's own JSON
/// object (`#[serde(flatten)]`).
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BillOfEach {
    /// The bill of each (give `each`, with an optional `split`, or `items`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each: Option<Money>,
    /// How `each` splits among 甲/乙/丙 (the pack's typical split when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// The itemised bill of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
}

/// What every encounter a course expands into carries, whatever the kind of course: where the
/// care is given (hospital level, in or out of region, filed, referred), the diagnoses, and a
/// label. Its fields sit in the course's own JSON object (`#[serde(flatten)]`).
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EncounterDetails {
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
    /// Diagnoses for the encounters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// A label for the encounters (the month number is appended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
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
