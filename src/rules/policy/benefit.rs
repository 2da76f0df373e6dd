//! Benefits: one benefit or liability and the rule primitives it is built from — which
//! items it covers, the base, first pay, deductible, rate or bands, adjustments, caps and
//! donation rounds.

use serde::{Deserialize, Serialize};
use tiercost_derive::Read;

use super::*;
use crate::rules::choice::{Amount, Choice, Limit};
use crate::rules::condition::Condition;
use crate::units::money::{Money, Rate, RateDelta};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

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
