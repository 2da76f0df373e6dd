//! A case: who the patient is, which rules apply, and what the care cost.

use serde::{Deserialize, Serialize};
use tiercost_derive::Read;

pub use crate::rules::member::{Locality, Member, Setting};
use crate::rules::policy::{Pack, Split};
use crate::units::date::Date;
use crate::units::money::{Money, Rate};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// Everything an estimate needs.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Case {
    /// The id of a built-in regional pack (e.g. `cn-shanghai`). Give this or `inlinePack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
    /// A pack carried in the case itself, used in place of a built-in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_pack: Option<Box<Pack>>,
    /// Charity and donation programmes applied for (or to check).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programmes: Vec<ProgrammeRef>,
    /// The patient.
    pub member: Member,
    /// The encounters (admissions, visits, pharmacy purchases), settled in date order.
    pub encounters: Vec<Encounter>,
    /// A settlement order (layer ids) to use instead of the pack's, to compare orders.
    /// Layers not named keep their relative order after the named ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layer_order: Vec<String>,
}

/// A programme the family applies for: a built-in one by id, or one given inline.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgrammeRef {
    /// The id of a built-in programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A programme carried inline (a pack of kind `programme`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<Box<Pack>>,
    /// When the patient joined the programme (matters once a programme closes to new
    /// patients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
}

/// One admission, visit or purchase.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Encounter {
    /// A label for the family's own reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The date (of discharge, for an admission).
    pub date: Date,
    /// The setting.
    pub setting: Setting,
    /// The hospital level, as the pack names it (`level1`, `level2`, `level3`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// In or out of region.
    #[serde(default)]
    pub locality: Locality,
    /// For out-of-region care: filed (备案) with the home region, or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed: Option<bool>,
    /// Referred (转诊) by the home region's hospital, for out-of-region care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred: Option<bool>,
    /// Days of a continuous stay (for deductibles charged again per so many days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Diagnoses for this encounter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// The itemised bill. Give items, or `total` (with an optional `split`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// A quick total, when the items are not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
    /// How the total splits among 甲/乙/丙; the pack's typical split when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
}

/// A catalogue class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// 甲类: paid under the normal rules.
    #[serde(alias = "甲")]
    A,
    /// 乙类: the patient first pays a share (先行自付), then the normal rules apply.
    #[serde(alias = "乙")]
    B,
    /// 丙类 / 目录外: outside the catalogue, paid by the patient unless a commercial or
    /// charity layer covers it.
    #[serde(alias = "丙")]
    C,
}

/// One line of a bill.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Item {
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The amount billed.
    pub amount: Money,
    /// The catalogue class.
    pub class: Class,
    /// This item's 乙类 先行自付 ratio, when it differs from the pack's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_pay_ratio: Option<Rate>,
    /// The most the catalogue allows for this item; the rest is 超限价.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_limit: Option<Money>,
    /// A drug or item code that special-drug lists and donation programmes match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Units bought (cycles, boxes), for donation programmes; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}
