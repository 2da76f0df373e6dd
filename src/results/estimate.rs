//! The result of an estimate: who pays what, why, and what the family still owes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::rules::policy::{Bucket, CapOn, LayerKind, Measure, Per, Source, Text};
use crate::units::date::Date;
use crate::units::money::{Money, Rate, Ratio};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// An exact amount that may not be whole fen (a base weighted by 0.5, a cap ÷ a rate),
/// written in yuan with up to six decimals; a trailing `…` marks a truncated repeating
/// decimal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exact(pub Ratio);

impl Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_yuan_string())
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Exact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Exact".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An exact amount in yuan with up to six decimals; a trailing … marks a truncated repeating decimal.",
            "pattern": "^-?[0-9]+\\.[0-9]{2,6}…?$"
        })
    }
}

/// A JSON pointer to a parameter inside an edition (`/benefits/0/deductible`,
/// `/benefits/1/rate/bands/steps/2`, `/caps/0`), kept compact and written out only when the
/// result is serialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pointer {
    /// The benefit's index in the edition; `None` for the edition's own caps.
    pub benefit: Option<u16>,
    /// The path below the benefit (or the edition).
    pub part: &'static str,
    /// A trailing index (a cap's or a band's).
    pub index: Option<u16>,
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(b) = self.benefit {
            write!(f, "/benefits/{b}")?;
        }
        write!(f, "/{}", self.part)?;
        if let Some(i) = self.index {
            write!(f, "/{i}")?;
        }
        Ok(())
    }
}

impl Serialize for Pointer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Pointer {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Pointer".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "description": "A JSON pointer inside the edition to the parameter used."})
    }
}

/// How much of a settlement an estimate reports. Both come from the same settlement; only
/// what is kept differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// Every benefit's steps, each item's split and the sources cited: what the page explains.
    #[default]
    Full,
    /// What each layer pays and its status, the family's share, its range and the warnings;
    /// `layers[].settlements`, `items` and `sources` stay empty (no trace is built). For many
    /// estimates at once (batches, comparisons, charts).
    Totals,
}

impl Detail {
    /// Whether the trace (steps, items, sources) is built.
    pub fn is_full(&self) -> bool {
        *self == Detail::Full
    }
}

/// The estimate.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    /// The engine version that computed this.
    pub engine_version: String,
    /// `"totals"` when the estimate was asked for without its trace ([`Detail::Totals`]);
    /// absent for a full estimate.
    #[serde(skip_serializing_if = "Detail::is_full")]
    pub detail: Detail,
    /// The packs and programmes used, with their data versions.
    pub packs: Vec<PackStamp>,
    /// The whole bill.
    pub total: Money,
    /// What all layers together pay.
    pub covered: Money,
    /// What is left for the family, counting every undecided layer as paying nothing: the
    /// highest share. When `range` is present this is its `high`, never the answer alone.
    pub patient: PatientShare,
    /// Present when a layer that would apply has no rules here or needs an input: the
    /// family's share is then a range, never the single number above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<ShareRange>,
    /// Each layer, in settlement order.
    pub layers: Vec<LayerResult>,
    /// Each encounter's totals.
    pub encounters: Vec<EncounterResult>,
    /// Each line item: its buckets and who paid it.
    pub items: Vec<ItemResult>,
    /// Assumptions made and things to check.
    pub warnings: Vec<Warning>,
    /// The sources cited by the layers' traces, by key (`pack/source`).
    pub sources: BTreeMap<String, Source>,
}

impl Estimate {
    /// This estimate as [`Detail::Totals`] reports it: the same amounts, statuses, range and
    /// warnings, without the steps, items and sources. A totals estimate of a case equals
    /// the full one's `without_trace()` (the case files and the property tests check it).
    pub fn without_trace(mut self) -> Estimate {
        self.detail = Detail::Totals;
        self.items = Vec::new();
        self.sources = BTreeMap::new();
        for l in &mut self.layers {
            l.settlements = Vec::new();
        }
        self
    }
}

/// The family's share when some layers are undecided: `low` with each undecided layer
/// paying the best the rules could plausibly pay (its own rules at the most favourable value
/// of a missing input, or the national floor pack `cn-national-floor` where the pack has no
/// rules), `high` with them paying nothing.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ShareRange {
    /// The lowest share.
    pub low: Money,
    /// The highest share (equal to `patient.total`).
    pub high: Money,
    /// `high − low`: what the undecided layers could still pay (a chart draws it as its own
    /// segment; the page never subtracts money).
    pub uncertain: Money,
    /// The layers that make the difference, in settlement order.
    pub undecided: Vec<Undecided>,
}

/// A layer whose payment is not decided, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Undecided {
    /// Layer id.
    pub layer: String,
    /// Layer name.
    pub name: Text,
    /// `no_rules` (the product's gap), `needs_information` (an input the user can give) or
    /// `out_of_area` (异地 care the pack states no rates for: the national rule's range).
    pub status: String,
    /// The input that would decide it, for `needs_information`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// What is missing, in plain words.
    pub what: Text,
    /// What the layer pays in the lowest share.
    pub best: Money,
    /// Whether the lowest share uses the national floor pack for it (national typical
    /// values, not the region's rules).
    pub national_floor: bool,
}

/// A pack or programme used, and its version.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PackStamp {
    /// Pack id.
    pub id: String,
    /// Data version.
    pub version: String,
    /// Rules checked as of.
    pub rules_as_of: Date,
    /// For rules entered by hand by an organisation: who entered them, and the titles of
    /// the documents they entered them from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<EnteredBy>,
}

/// Rules an organisation entered by hand, and from what.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct EnteredBy {
    /// The organisation.
    pub organisation: String,
    /// The documents' titles (the pack's own sources).
    pub sources: Vec<String>,
}

impl PackStamp {
    /// The stamp of a pack in an estimate.
    pub fn of(pack: &crate::rules::policy::Pack) -> PackStamp {
        PackStamp {
            id: pack.id.clone(),
            version: pack.version.clone(),
            rules_as_of: pack.rules_as_of,
            entered_by: pack.entered_by.as_ref().map(|o| EnteredBy {
                organisation: o.clone(),
                // The pack's own documents, not those it inherits (packs extend embedded ones).
                sources: crate::rules::catalog::Catalog::embedded()
                    .own_sources(pack)
                    .map(|(_, s)| s.title.clone())
                    .collect(),
            }),
        }
    }
}

/// What the family pays.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PatientShare {
    /// Everything left for the family.
    pub total: Money,
    /// 自付: the in-scope part (in-scope cost and 乙类 first pay) no layer paid.
    pub in_scope: Money,
    /// 自费: the out-of-scope part (out-of-catalogue and above price limits) no layer paid.
    pub out_of_scope: Money,
    /// What is left in each bucket.
    pub by_bucket: Buckets,
}

/// An amount per bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Buckets {
    /// 政策范围内.
    pub in_scope: Money,
    /// 乙类先行自付.
    pub first_pay: Money,
    /// 超限价.
    pub over_limit: Money,
    /// 丙类 / 目录外.
    pub out_of_catalogue: Money,
}

impl Buckets {
    pub(crate) fn from_array(a: [Money; 4]) -> Buckets {
        Buckets {
            in_scope: a[0],
            first_pay: a[1],
            over_limit: a[2],
            out_of_catalogue: a[3],
        }
    }
}

/// Whether the family can get this layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// The layer applies and was computed (it may still pay nothing, e.g. below its
    /// deductible).
    Eligible,
    /// The person did not join this voluntary layer (惠民保, 百万医疗): not a rule's verdict.
    NotEnrolled {
        /// Which layer, in plain words.
        reason: Text,
    },
    /// A rule excludes the person, and why.
    Ineligible {
        /// Why.
        reason: Text,
        /// The sources of the rule (keys into `sources`), when the rule comes from an edition.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sources: Vec<String>,
    },
    /// The case does not say enough to decide; `input` names what is needed.
    NeedsInformation {
        /// The input that would decide it (e.g. `member.category`).
        input: String,
        /// What depends on it.
        reason: Text,
    },
    /// The pack holds no rules for this layer on this scheme, date or locality: the
    /// product's gap, not the family's. The answer becomes a range (`Estimate.range`).
    NoRules {
        /// What is missing.
        missing: Text,
        /// Where the family can ask.
        ask: Text,
    },
}

impl Outcome {
    /// The status word: `eligible`, `not_enrolled`, `ineligible`, `needs_information` or
    /// `no_rules`.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Eligible => "eligible",
            Outcome::NotEnrolled { .. } => "not_enrolled",
            Outcome::Ineligible { .. } => "ineligible",
            Outcome::NeedsInformation { .. } => "needs_information",
            Outcome::NoRules { .. } => "no_rules",
        }
    }
}

/// One layer's result.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LayerResult {
    /// Layer id.
    pub id: String,
    /// Kind.
    pub kind: LayerKind,
    /// Name.
    pub name: Text,
    /// The pack or programme it comes from.
    pub pack: String,
    /// The date up to which that pack's rules were checked ("rules as of").
    pub rules_as_of: Date,
    /// What it paid over all encounters.
    pub paid: Money,
    /// Eligibility.
    pub outcome: Outcome,
    /// The yearly premium of a product one enrols in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub premium: Option<Money>,
    /// Documents to bring when applying.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Text>,
    /// Each settlement: one benefit on one encounter, with its trace.
    pub settlements: Vec<Settlement>,
}

/// One benefit settled on one encounter.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Settlement {
    /// Index of the encounter (in date order, as in `encounters`).
    pub encounter: usize,
    /// Benefit id.
    pub benefit: String,
    /// The benefit's own name, when it has one (otherwise the layer's name applies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// What it paid, in fen.
    pub paid: Money,
    /// The edition applied.
    pub edition: EditionRef,
    /// The steps from base to rounding.
    pub steps: Vec<Step>,
}

/// Which edition of a layer's rules was applied.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct EditionRef {
    /// In effect from.
    pub from: Date,
    /// In effect until.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Source keys (into `Estimate::sources`).
    pub sources: std::sync::Arc<[String]>,
}

/// A part of a base from one bucket.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BasePart {
    /// The bucket.
    pub bucket: Bucket,
    /// Its weight.
    pub weight: Rate,
    /// The weighted amount.
    pub amount: Exact,
}

/// A rate adjustment that was applied.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppliedAdjustment {
    /// The rate before.
    pub before: Rate,
    /// The rate after.
    pub after: Rate,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

/// One step of a settlement. `pointer` is the JSON pointer of the parameter inside the
/// edition; `source` and `note` are set when the pack gives that value its own provenance.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(
    tag = "step",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Step {
    /// The amount entering the benefit.
    Base {
        /// The base.
        amount: Exact,
        /// Its parts by bucket.
        parts: Vec<BasePart>,
        /// When the base is what an earlier layer's cap left unpaid.
        #[serde(skip_serializing_if = "Option::is_none")]
        above_cap_of: Option<String>,
        /// Deductibles of earlier layers taken out of the base.
        #[serde(skip_serializing_if = "Option::is_none")]
        excluded_deductible: Option<Exact>,
    },
    /// The share the patient pays first.
    FirstPay {
        /// The share.
        rate: Rate,
        /// The amount the patient pays first.
        amount: Exact,
        /// Parameter pointer.
        pointer: Pointer,
        /// Source key, when the value has its own.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// Note on the value.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The deductible.
    Deductible {
        /// The deductible for this encounter or year.
        amount: Money,
        /// Per encounter or year.
        per: Per,
        /// Already met earlier in the year (or by earlier layers' payments).
        met_before: Exact,
        /// Taken from this encounter's base.
        applied: Exact,
        /// The n-th admission, when it changed the deductible.
        #[serde(skip_serializing_if = "Option::is_none")]
        admission: Option<u32>,
        /// Payments of earlier layers counted toward it in this encounter.
        #[serde(skip_serializing_if = "Option::is_none")]
        offset: Option<Exact>,
        /// Parameter pointer.
        pointer: Pointer,
        /// Source key, when the value has its own.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// Note on the value.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A cap on the cost entering the rate step cut the amount.
    CostCap {
        /// The cap.
        limit: Money,
        /// Per encounter or year.
        per: Per,
        /// Cost counted against it before.
        used_before: Exact,
        /// Cost removed by the cap.
        removed: Exact,
        /// Parameter pointer.
        pointer: Pointer,
        /// Source key, when the value has its own.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// Note on the value.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// One band (or the flat rate) applied to a slice of the amount.
    Band {
        /// Gross or net measurement; absent for a flat rate.
        #[serde(skip_serializing_if = "Option::is_none")]
        measure: Option<Measure>,
        /// Where the slice starts on the year's cumulative axis.
        from: Exact,
        /// Where it ends.
        to: Exact,
        /// The rate before adjustments.
        base_rate: Rate,
        /// Adjustments applied.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        adjustments: Vec<AppliedAdjustment>,
        /// The rate applied.
        rate: Rate,
        /// What the slice pays.
        pays: Exact,
        /// Parameter pointer.
        pointer: Pointer,
        /// Source key, when the value has its own.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// Note on the value.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A cap on the payment.
    Cap {
        /// The cap.
        limit: Money,
        /// Per encounter or year.
        per: Per,
        /// What it limits.
        on: CapOn,
        /// The pool it shares, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        pool: Option<String>,
        /// Used before this settlement.
        used_before: Exact,
        /// What the payment was cut by.
        reduction: Exact,
        /// Parameter pointer.
        pointer: Pointer,
        /// Source key, when the value has its own.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// Note on the value.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A lump sum.
    LumpSum {
        /// The sum.
        amount: Money,
        /// Paid (limited to what is left of the bill).
        pays: Exact,
    },
    /// Units donated.
    Donation {
        /// Drug code.
        code: String,
        /// Units on this encounter.
        units: u32,
        /// Of which donated.
        free_units: u32,
        /// Units bought in the programme before this encounter.
        units_before: u64,
        /// Whether everything is donated (e.g. 低保).
        all_free: bool,
        /// The value donated.
        amount: Exact,
    },
    /// Rounding to the fen, once (cumulatively over the year, so that splitting a bill
    /// never changes the year's total).
    Rounding {
        /// Exact amount.
        exact: Exact,
        /// Rounded amount paid.
        rounded: Money,
    },
}

/// One encounter's totals.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct EncounterResult {
    /// Index in the case's `encounters` as given.
    pub input_index: usize,
    /// Date.
    pub date: Date,
    /// Label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The bill.
    pub total: Money,
    /// Paid by each layer (layer id → amount), for layers that paid.
    pub paid_by: BTreeMap<String, Money>,
    /// Left for the family.
    pub patient: Money,
    /// The inpatient admission number in the policy year (0 if not an admission).
    pub admission: u32,
    /// The first day of the policy year it falls in.
    pub policy_year: Date,
}

/// One line item.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ItemResult {
    /// Encounter index (date order).
    pub encounter: usize,
    /// Item index within the encounter as given (for a quick total, the rows it was split
    /// into: class A, B, C).
    pub index: usize,
    /// The catalogue class.
    pub class: crate::rules::case::Class,
    /// Amount billed.
    pub amount: Money,
    /// How the amount split into buckets.
    pub buckets: Buckets,
    /// Paid by each layer: `paidBy[i]` is what `layers[i]` paid on this item.
    pub paid_by: Vec<Money>,
    /// Left for the family.
    pub patient: Money,
}

/// Something the family or the social worker should know.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// Stable code.
    pub code: String,
    /// What.
    pub message: Text,
    /// The input or pack path concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}
