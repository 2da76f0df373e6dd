//! Layers and their editions: what a layer is (basic insurance, critical illness, assistance,
//! commercial cover, charity), who may claim it (enrolment, requirements, a programme's
//! status), and its dated editions, each naming its sources and holding its benefits.

use serde::{Deserialize, Serialize};
use tiercost_derive::Read;

use super::*;
use crate::rules::condition::Condition;
use crate::units::date::{Date, MonthDay};
use crate::units::money::Money;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// What a layer is, for display and ordering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    /// 基本医疗保险 statutory basic insurance.
    Basic,
    /// 大病保险 critical-illness insurance (residents).
    CriticalIllness,
    /// 职工大额 / 大额医疗补助 employees' large-expense cover.
    LargeExpense,
    /// 医疗救助 medical assistance, including 倾斜救助 second rounds.
    Assistance,
    /// 惠民保, 百万医疗 and other commercial products.
    Commercial,
    /// Charity cash programmes.
    Charity,
    /// Drug-donation programmes (患者援助项目): donated units are taken off the bill before
    /// any other layer settles.
    Donation,
}

impl LayerKind {
    /// The public layers (基本医保, 大病, 职工大额, 医疗救助): the ones whose 异地 care the
    /// national rules govern.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            LayerKind::Basic
                | LayerKind::CriticalIllness
                | LayerKind::LargeExpense
                | LayerKind::Assistance
        )
    }
}

/// One paying layer.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Layer {
    /// Identifier, unique in the pack (and across packs used together).
    pub id: String,
    /// What kind of layer.
    pub kind: LayerKind,
    /// Display name.
    pub name: Text,
    /// The schemes whose members this layer concerns; layers for other schemes are left out
    /// of an estimate altogether. Empty: everybody.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemes: Vec<String>,
    /// Eligibility: every requirement must hold. A requirement that cannot be decided from
    /// the case makes the layer "needs information", naming the input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    /// For products one enrols in (惠民保): the premium and the enrolment window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<Enrolment>,
    /// For programmes: closed to new patients or ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ProgrammeStatus>,
    /// Documents the family must bring to apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Text>,
    /// For programmes and assistance: where and how to apply, and by when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<HowToApply>,
    /// Dated editions, in date order, not overlapping.
    pub editions: Vec<Edition>,
    /// For a product (惠民保): the month and day its product year starts, when it differs
    /// from the region's insurance year; its caps and deductibles run over that year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_start: Option<MonthDay>,
    /// Notes for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// An eligibility requirement.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Requirement {
    /// What must hold.
    pub when: Condition,
    /// Why a family that fails it is not eligible, in plain words.
    pub reason: Text,
}

/// Enrolment in a product.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Enrolment {
    /// The yearly premium.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premium: Option<Money>,
    /// When enrolment is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_from: Option<Date>,
    /// Last day of enrolment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_until: Option<Date>,
}

/// A programme's life cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgrammeStatus {
    /// From this date no new patient is accepted; patients enrolled before it continue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_to_new_from: Option<Date>,
    /// From this date nobody is helped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<Date>,
    /// The source for the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One dated edition of a layer's rules.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Edition {
    /// When, and from which sources.
    #[serde(flatten)]
    pub effective: Effective,
    /// The benefits (liabilities), settled in order; each sees what the earlier ones left.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<Benefit>,
    /// Caps on the layer's total payment across its benefits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<Cap>,
    /// For donation programmes: the pattern of paid and donated units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donation: Option<Donation>,
}
