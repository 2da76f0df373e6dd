//! Policy packs and charity programmes: the rules as data.
//!
//! A *pack* describes one region's (or the nation's) layers; a *programme* describes one
//! charity or drug-donation scheme. Both use the same format: dated *editions* of each
//! layer, each edition naming the sources its values come from. Nothing about any city is
//! written in code: every rule below is a primitive that a pack parameterises.
//!
//! This file holds the pack itself (its kind, sources and their grades, schemes, levels and
//! general editions); `layer.rs` the layers and their editions; `benefit.rs` the benefits
//! and their rule primitives.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tiercost_derive::Read;

use crate::rules::choice::Choice;
pub use crate::rules::text::Text;
use crate::units::date::{Date, MonthDay};
use crate::units::money::{Money, Rate};

mod benefit;
mod layer;
pub use benefit::*;
pub use layer::*;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// What kind of document a pack is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PackKind {
    /// A region's rules (a city or province).
    Region,
    /// National defaults that regional packs extend.
    National,
    /// A charity or drug-donation programme, applied on top of any region.
    Programme,
}

/// How trustworthy a source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum Grade {
    /// A government site or a verbatim mirror of one.
    A,
    /// News quoting a government body or an insurer.
    B,
    /// An insurer, agent or aggregator page.
    C,
    /// Unverified (SEO or machine-written pages); a hint only.
    D,
}

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Source {
    /// The document's title.
    pub title: String,
    /// The document number (文号), e.g. `国办发〔2021〕42号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Where it can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// How trustworthy it is.
    pub grade: Grade,
    /// The words relied on, quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Anything a reviewer should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When this is a copy of another document on another site (a repost of a government
    /// page, a repository of verbatim fragments): the original's title or address. A mirror is
    /// never graded A (see `policies/README.md`, *Grades*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror_of: Option<String>,
    /// How long what the source states holds, and when someone should read it again; the
    /// annual rollover checklist (`tiercost stale`) is made of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
}

/// The period a source's rules hold, and its review date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Validity {
    /// The day the rules the source states took effect.
    pub from: Date,
    /// Their last day, or `"replaced"`: in force until a new rule replaces them.
    pub until: Until,
    /// When someone should check the source again (normally the next insurance-year start).
    pub review: Date,
}

/// The end of a source's validity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// In force until a later rule replaces it (no end date stated).
    Replaced,
    /// The last day the source states.
    On(Date),
}

impl Validity {
    /// Whether the source's rules have expired, or its review date has passed, by `date`.
    pub fn stale_on(&self, date: Date) -> Option<Staleness> {
        match self.until {
            Until::On(u) if u < date => Some(Staleness::Expired(u)),
            _ if self.review < date => Some(Staleness::ReviewDue(self.review)),
            _ => None,
        }
    }
}

/// Why a source needs attention on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staleness {
    /// Its rules ended on this day.
    Expired(Date),
    /// It should have been checked again by this day.
    ReviewDue(Date),
}

impl Serialize for Until {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Until::Replaced => s.serialize_str("replaced"),
            Until::On(d) => d.serialize(s),
        }
    }
}

impl crate::reading::read::Read for Until {
    fn read(v: &serde_json::Value, at: crate::reading::read::At<'_>) -> Result<Self, crate::Error> {
        match v {
            serde_json::Value::String(t) if t == "replaced" => Ok(Until::Replaced),
            _ => Date::read(v, at).map(Until::On).map_err(|mut e| {
                e.message = format!("{} (or \"replaced\" when no end date is stated)", e.message);
                e
            }),
        }
    }
}

/// How settlement amounts are rounded to the fen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Rounding {
    /// Each benefit's exact year-to-date total is rounded once; a settlement pays the change
    /// of the rounded total (the default: the year's total is exact to the fen).
    #[default]
    Cumulative,
    /// Each settlement is rounded on its own, as settlement sheets (结算单) print them; the
    /// year's total is the sum of the rounded settlements.
    PerSettlement,
}

/// A policy pack or charity programme.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pack {
    /// A stable identifier, e.g. `cn-shanghai`.
    pub id: String,
    /// Region, national defaults, or programme.
    pub kind: PackKind,
    /// Display name.
    pub name: Text,
    /// The data version, bumped on every change of values (e.g. `2025.2`).
    pub version: String,
    /// The date up to which the rules were checked ("rules as of").
    pub rules_as_of: Date,
    /// The pack whose schemes, levels, categories, sources and layers this one inherits;
    /// a layer with the same id here replaces the inherited one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// The month and day the policy year starts (default `01-01`); region packs state it
    /// (Shanghai's 医保年度 starts `07-01`).
    #[serde(default, skip_serializing_if = "is_default_month_day")]
    pub year_start: MonthDay,
    /// Rules entered by hand from an official document (the page's rules editor): the
    /// organisation that entered them. Every estimate with the pack names it and the sources,
    /// so that nobody takes them for the product's own data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    /// How settlements are rounded to the fen (default `cumulative`).
    #[serde(default, skip_serializing_if = "is_default_rounding")]
    pub rounding: Rounding,
    /// Sources, by id; every edition cites some of them.
    pub sources: BTreeMap<String, Source>,
    /// Insurance schemes and their member groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemes: Vec<Scheme>,
    /// Hospital levels, ranked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    /// For a programme: the region packs whose residents it serves (重庆市慈善总会 serves
    /// Chongqing). Empty: patients from anywhere. Help still available offers a programme only
    /// to cases in these regions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Assistance categories recognised here (特困, 低保, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Named>,
    /// How a household is certified (认定) in one of the assistance categories, by the
    /// civil-affairs office: the same route for every category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification: Option<HowToApply>,
    /// Region-wide parameters: 乙类 first-pay ratio, reference income lines, typical split.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub general: Vec<GeneralEdition>,
    /// The layers, in their default settlement order.
    #[serde(default)]
    pub layers: Vec<Layer>,
    /// The settlement order by layer id, when it differs from the order of `layers`
    /// (including inherited layers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
    /// Notes for readers and reviewers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
}

fn is_default_month_day(m: &MonthDay) -> bool {
    *m == MonthDay::default()
}

fn is_default_rounding(r: &Rounding) -> bool {
    *r == Rounding::default()
}

/// An insurance scheme (职工医保 `employee`, 城乡居民医保 `resident`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scheme {
    /// Identifier, e.g. `employee`.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Member groups (在职 `in_service`, 退休 `retired`; `adult`, `child`, `student`, …).
    pub groups: Vec<Named>,
}

/// Something with an id and a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Named {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: Text,
}

/// How a family applies (申请途径): where, what to bring, by when — as the cited source says.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HowToApply {
    /// Where to apply: the office or organisation, and the route, in plain words.
    pub office: Text,
    /// What to bring.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Text>,
    /// The deadline or application window, in plain words ("出院后 90 日内"), where the
    /// source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Text>,
    /// The source (an id in the pack's `sources`) the route is taken from.
    pub source: String,
}

/// A hospital level; `rank` orders levels for "charged once at the highest level used".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Level {
    /// Identifier, e.g. `level3`.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Higher is a higher level.
    pub rank: u32,
}

/// The dates an edition is in effect, and where its values come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Effective {
    /// First day in effect.
    pub from: Date,
    /// Last day in effect; open-ended when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The sources (ids in the pack's `sources`) for this edition's values.
    pub sources: Vec<String>,
    /// Values that come from another source than the edition's, or need a note; `field` is a
    /// JSON pointer inside the edition (e.g. `/benefits/0/caps/0`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<Provenance>,
    /// Values no source gives. The engine warns when a gap affects an estimate; it never
    /// invents the number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<Gap>,
}

impl Effective {
    /// The ids of every source the edition cites, in `sources` and in `provenance`.
    pub fn cited(&self) -> impl Iterator<Item = &String> {
        self.sources
            .iter()
            .chain(self.provenance.iter().filter_map(|p| p.source.as_ref()))
    }

    /// Whether `date` falls within the edition.
    pub fn covers(&self, date: Date) -> bool {
        date >= self.from && self.until.is_none_or(|u| date <= u)
    }
}

/// The source of one value inside an edition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Provenance {
    /// JSON pointer inside the edition.
    pub field: String,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why the value is what it is (inferred, sources disagree, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A value no source gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Gap {
    /// What is missing, in words a reader understands.
    pub what: Text,
    /// Whether the gap is so central that the layer cannot be estimated at all: the layer then
    /// reports "needs information" instead of a payment.
    #[serde(default)]
    pub blocking: bool,
    /// A figure seen only in a source too weak to compute with (grade D), for whoever checks
    /// next. Never computed, never shown to a family, and not embedded in the library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Text>,
}

/// Region-wide parameters in effect for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeneralEdition {
    /// When, and from which sources.
    #[serde(flatten)]
    pub effective: Effective,
    /// The 乙类 先行自付 ratio used for class-B items that do not state their own; conditions
    /// may select by setting or item code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_pay_ratio: Option<Choice<Rate>>,
    /// Reference lines used by income tests (per person per year): e.g. `minimum_living`
    /// (低保标准), `disposable_income` (人均可支配收入).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lines: BTreeMap<String, Money>,
    /// Reference lines the rules use but no source gives a number for (e.g. the
    /// `disposable_income` behind the national 大病 threshold): amounts built on them give
    /// "needs information" instead of a guess.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsourced_lines: Vec<String>,
    /// The split of a total among catalogue classes to assume when the user does not know it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typical_split: Option<Split>,
}

/// Shares of a total by catalogue class; they must sum to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Split {
    /// 甲类 share.
    pub class_a: Rate,
    /// 乙类 share.
    pub class_b: Rate,
    /// 丙类 / out-of-catalogue share.
    pub class_c: Rate,
}
