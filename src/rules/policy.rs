//! Policy packs and charity programmes: the rules as data.
//!
//! A *pack* describes one region's (or the nation's) layers; a *programme* describes one
//! charity or drug-donation scheme. Both use the same format: dated *editions* of each
//! layer, each edition naming the sources its values come from. Nothing about any city is
//! written in code: every rule below is a primitive that a pack parameterises.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tiercost_derive::Read;

use crate::choice::{Amount, Choice, Limit};
use crate::condition::Condition;
use crate::date::{Date, MonthDay};
use crate::money::{Money, Rate, RateDelta};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A text in both languages the page speaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang` (`"zh-CN"`, `"zh"`, anything else is English).
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("zh") {
            &self.zh
        } else {
            &self.en
        }
    }

    pub(crate) fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

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

impl crate::read::Read for Until {
    fn read(v: &serde_json::Value, at: crate::read::At<'_>) -> Result<Self, crate::Error> {
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

/// One benefit or liability: base → first pay → deductible → rate or bands → caps.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Benefit {
    /// Identifier, unique in the edition.
    pub id: String,
    /// Display name (defaults to the layer's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Which encounters and members the benefit applies to (setting, level, locality, group…).
    #[serde(default, skip_serializing_if = "Condition::is_empty")]
    pub when: Condition,
    /// Which items it sees (by class or code); all items when absent.
    #[serde(default, skip_serializing_if = "ItemFilter::is_empty")]
    pub items: ItemFilter,
    /// What amount enters the benefit.
    pub base: Base,
    /// A share of the base the patient pays first (e.g. 10% for unfiled out-of-region care).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_pay: Option<Choice<Rate>>,
    /// The deductible (起付线 / 免赔额).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deductible: Option<Deductible>,
    /// The rate: flat, or progressive bands.
    pub rate: RateRule,
    /// Caps on this benefit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<Cap>,
    /// A lump sum paid once a year when the condition holds (e.g. on a diagnosis), limited to
    /// what is left of the bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lump_sum: Option<Money>,
}

/// Which items a benefit sees.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemFilter {
    /// Item or drug codes (e.g. a 特药 list); absent: any code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// Items whose code is in this list are not seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_codes: Vec<String>,
}

impl ItemFilter {
    /// Whether the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.exclude_codes.is_empty()
    }
}

/// The four buckets every item's amount is split into before any layer pays.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Read,
)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Bucket {
    /// 政策范围内 in-scope cost.
    InScope,
    /// 乙类先行自付 the class-B share the patient pays first.
    FirstPay,
    /// 超限价 the part above a price limit.
    OverLimit,
    /// 丙类 / 目录外 out-of-catalogue cost.
    OutOfCatalogue,
}

impl Bucket {
    /// All buckets in their fixed order.
    pub const ALL: [Bucket; 4] = [
        Bucket::InScope,
        Bucket::FirstPay,
        Bucket::OverLimit,
        Bucket::OutOfCatalogue,
    ];

    /// Position in [`Bucket::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Weights of each bucket in a base (0 when absent; at most 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BucketWeights {
    /// Weight of the in-scope bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_scope: Option<Rate>,
    /// Weight of the 乙类 first-pay bucket (惠绵保 counts it at 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_pay: Option<Rate>,
    /// Weight of the over-price-limit bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_limit: Option<Rate>,
    /// Weight of the out-of-catalogue bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_catalogue: Option<Rate>,
}

impl BucketWeights {
    /// The weight of `b`.
    pub fn weight(&self, b: Bucket) -> Rate {
        match b {
            Bucket::InScope => self.in_scope,
            Bucket::FirstPay => self.first_pay,
            Bucket::OverLimit => self.over_limit,
            Bucket::OutOfCatalogue => self.out_of_catalogue,
        }
        .unwrap_or(Rate::ZERO)
    }
}

/// What enters a benefit.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Base {
    /// Weights of the buckets (what is left of them after earlier layers).
    #[serde(default)]
    pub buckets: BucketWeights,
    /// Measure the buckets as billed, not as left by earlier layers (co-payment pools: "the
    /// manufacturer pays 20% of the price").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub as_billed: bool,
    /// Instead of buckets: the cost that this earlier layer's caps left unpaid (职工大额 pays
    /// 95% of the cost between the basic cap and its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above_cap_of: Option<String>,
    /// Subtract the deductible these earlier layers applied in the same encounter (some 大病
    /// bases exclude the basic 起付线).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_deductible_of: Vec<String>,
}

/// Per encounter or per policy year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Each encounter (admission, visit) on its own.
    Encounter,
    /// Cumulative over the policy year.
    Year,
}

/// A deductible.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deductible {
    /// The amount (fixed, or a multiple of a reference line); conditions may index it by
    /// level, group, locality, admission number…
    pub amount: Choice<Amount>,
    /// Per encounter or cumulative per year.
    pub per: Per,
    /// For a yearly deductible: charged once, at the highest level used so far this year
    /// (moving up a level costs only the difference).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub highest_level: bool,
    /// For later inpatient admissions in the year: halve, step down, or drop the deductible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub later_admissions: Option<LaterAdmissions>,
    /// Earlier layers whose payments (on the same items) count toward this deductible
    /// (百万医疗 免赔额 offset by social insurance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offset_by: Vec<String>,
    /// A name shared with other benefits' deductibles: one yearly threshold met by all of
    /// them together (e.g. outpatient and inpatient assistance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// For a per-encounter deductible: charged again for every this many days of a
    /// continuous stay (广州: one more 起付 per 90 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_every_days: Option<u32>,
}

/// How the deductible changes for the 2nd, 3rd… inpatient admission of a year.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LaterAdmissions {
    /// Multiply the deductible by this for every later admission (0.5 = halved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiply: Option<Rate>,
    /// Subtract this for each earlier admission in the year…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_down: Option<Money>,
    /// …but not below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Choice<Amount>>,
    /// No deductible from this admission number on (e.g. 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub none_from: Option<u32>,
}

/// How the payment rate is found.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateRule {
    /// A single rate (possibly chosen by conditions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<Choice<Rate>>,
    /// Progressive bands over the year's cumulative base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Bands>,
    /// Adjustments applied in order to the flat rate or to every band's rate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<Adjustment>,
}

/// Progressive bands.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Bands {
    /// Whether thresholds count from zero (`gross`: "12,000–30,000 at 60%") or from the
    /// deductible (`net`: "the first 50,000 above the threshold at 60%").
    pub measure: Measure,
    /// Bands in ascending order of `from`; each runs to the next one's `from`.
    pub steps: Vec<Band>,
}

/// Gross or net of the deductible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Thresholds counted on the cumulative base from zero (the deductible included).
    Gross,
    /// Thresholds counted on the cumulative amount above the deductible.
    Net,
}

/// One band.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Band {
    /// Where the band starts.
    pub from: Money,
    /// The rate in the band.
    pub rate: Choice<Rate>,
}

/// An adjustment to a rate, applied when its condition holds.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Adjustment {
    /// When it applies.
    #[serde(default, skip_serializing_if = "Condition::is_empty")]
    pub when: Condition,
    /// Add (or subtract) percentage points: `"0.05"`, `"-0.1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<RateDelta>,
    /// Multiply the patient's share (1 − rate) by this: retirees pay 0.7 or 0.6 of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_share_factor: Option<Rate>,
    /// Add this per year of age (成都: 75% + age × 0.2%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_year_of_age: Option<RateDelta>,
    /// Never below this after the adjustments so far (蚌埠's 保底 45%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Rate>,
    /// Never above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<Rate>,
    /// Why, in plain words (shown in the explanation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

/// What a cap limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CapOn {
    /// The payment (最高支付限额).
    Payment,
    /// The cost that enters the rate step (a ceiling on 进入统筹的费用).
    Cost,
}

/// A cap.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cap {
    /// The amount (fixed, or a multiple of a reference line); `null` (possibly chosen by
    /// conditions) means no cap, e.g. removed for 特困.
    pub amount: Choice<Limit>,
    /// Per encounter or per year.
    pub per: Per,
    /// On the payment or on the cost entering the rate step.
    #[serde(default = "default_cap_on")]
    pub on: CapOn,
    /// A pool name shared with other benefits or layers (e.g. 门慢特 and 住院 share one cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
}

fn default_cap_on() -> CapOn {
    CapOn::Payment
}

/// A drug-donation pattern: the patient pays some units, the programme donates the next ones.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Donation {
    /// Drug codes the programme donates.
    pub codes: Vec<String>,
    /// Rounds of paid then free units; the last round repeats (K药: 2+2, then 2+3 …).
    pub rounds: Vec<DonationRound>,
    /// Whether the last round repeats (default true); otherwise units after the rounds are paid.
    #[serde(default = "yes")]
    pub repeat_last: bool,
    /// Everything is donated when this holds (e.g. 低保 patients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_free_when: Option<Condition>,
    /// Help ends this many months after the first unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_months: Option<u32>,
}

fn yes() -> bool {
    true
}

/// Paid then free units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DonationRound {
    /// Units the patient buys.
    pub paid: u32,
    /// Units then donated.
    pub free: u32,
}
