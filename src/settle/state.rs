//! What a settlement carries from step to step: the year's accumulators (起付线 met, the
//! cumulative base the bands are counted on, 封顶线 used, admissions so far), what one
//! encounter's layers tell later layers, and the state of the one benefit being settled.
//!
//! The accumulators reset at the policy year's boundary (the region pack's `yearStart`;
//! DESIGN.md "The year"); donation courses and the items' buckets run across the whole case.

use crate::error::Error;
use crate::results::estimate::{Pointer, Settlement, Step};
use crate::rules::case::{Encounter, Setting};
use crate::rules::choice::Pick;
use crate::rules::condition::Facts;
use crate::rules::policy::{Benefit, CapOn, Edition, Layer, Text};
use crate::units::date::Date;
use crate::units::money::{Money, Ratio};

use super::items::{Cell, Item};
use super::{text, LayerRef};

/// A map for the handful of keys one estimate uses (layers, benefits, caps): a linear scan
/// over a short vector beats hashing the string keys.
pub(super) struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: PartialEq, V: Default> VecMap<K, V> {
    pub(super) fn get(&self, k: &K) -> Option<&V> {
        self.0.iter().find(|(x, _)| x == k).map(|(_, v)| v)
    }

    pub(super) fn entry_default(&mut self, k: K) -> &mut V {
        let i = match self.0.iter().position(|(x, _)| *x == k) {
            Some(i) => i,
            None => {
                self.0.push((k, V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    pub(super) fn insert(&mut self, k: K, v: V) {
        *self.entry_default(k) = v;
    }
}

/// A deductible's progress: the threshold that applies and how much of it is met.
#[derive(Default)]
pub(super) struct DeductibleAcc {
    pub total: Money,
    pub met: Ratio,
}

/// One benefit's accumulators over the year.
#[derive(Default)]
pub(super) struct BenefitAcc {
    pub deductible: DeductibleAcc,
    /// The base before the deductible: the axis of gross bands.
    pub cum_base: Ratio,
    /// The base after the deductible and cost caps: the axis of net bands.
    pub cum_payable: Ratio,
    pub paid_exact: Ratio,
    pub paid_rounded: Money,
    pub lump_paid: bool,
}

/// Whose room a cap counts: one cap of one benefit, one cap of a layer's edition, or a pool
/// several benefits share.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum CapKey<'a> {
    Benefit(usize, &'a str, usize),
    Layer(usize, usize),
    Pool(&'a str),
}

/// What a cap has counted so far, by cap and by what it limits.
pub(super) type CapsUsed<'a> = VecMap<(CapKey<'a>, CapOn), Ratio>;

/// The accumulators of one policy year.
#[derive(Default)]
pub(super) struct YearState<'a> {
    pub start: Option<Date>,
    pub admissions: u32,
    /// By (layer index, benefit id).
    pub benefits: VecMap<(usize, &'a str), BenefitAcc>,
    /// Deductibles several benefits meet together, by pool name.
    pub deductible_pools: VecMap<&'a str, DeductibleAcc>,
    /// Caps `per: year`.
    pub caps: CapsUsed<'a>,
}

impl YearState<'_> {
    /// Moves to the policy year starting on `start`: a new year starts with fresh
    /// accumulators.
    pub(super) fn enter(&mut self, start: Date) {
        if self.start != Some(start) {
            *self = YearState {
                start: Some(start),
                ..YearState::default()
            };
        }
    }

    /// The admission number of an inpatient stay in this year (0 for other care).
    pub(super) fn admit(&mut self, setting: Setting) -> u32 {
        if setting == Setting::Inpatient {
            self.admissions += 1;
            self.admissions
        } else {
            0
        }
    }
}

/// One course of a donated drug: units bought so far, when it began, what was donated.
#[derive(Default)]
pub(super) struct DonationState {
    pub units: u64,
    pub first: Option<Date>,
    pub paid_exact: Ratio,
    pub paid_rounded: Money,
}

/// What one layer recorded in the current encounter, for later layers.
#[derive(Default, Clone)]
pub(super) struct EncounterLayerNote {
    /// The deductible it applied (a later layer may exclude it from its base).
    pub deductible_applied: Ratio,
    /// The cost above its caps (a later layer may take it as its base).
    pub above_cap: Ratio,
}

/// What the layers of one encounter share.
#[derive(Default)]
pub(super) struct EncounterState<'a> {
    /// Caps `per: encounter`.
    pub caps: CapsUsed<'a>,
    /// What the earlier layers recorded, by layer id.
    pub notes: VecMap<&'a str, EncounterLayerNote>,
    /// What the layer being settled records.
    pub note: EncounterLayerNote,
}

/// Everything the settlement changes as it goes: the items' buckets, the year's and the
/// encounter's accumulators, and each donation course.
pub(super) struct Books<'a> {
    pub items: Vec<Item<'a>>,
    pub year: YearState<'a>,
    pub encounter: EncounterState<'a>,
    /// By (layer index, item code).
    pub donations: VecMap<(usize, &'a str), DonationState>,
    /// Buffers each benefit fills and empties, kept across benefits so that settling one
    /// does not allocate them again.
    pub scratch: Scratch,
}

/// See [`Books::scratch`].
#[derive(Default)]
pub(super) struct Scratch {
    /// The cells of the benefit being settled (moved into its [`BenefitState`]).
    pub cells: Vec<super::items::Cell>,
    /// A bucket's shares while a payment is taken out of it ([`super::allocation::allocate`]).
    pub shares: Vec<super::allocation::Share>,
    /// The rate's bands as they apply to the benefit being settled ([`super::bands`]).
    pub bands: Vec<super::bands::ResolvedBand>,
}

std::thread_local! {
    /// The buffers of the last settlement on this thread, lent to the next one: estimates in
    /// a loop (a batch, a page's repeated calls) fill buffers that already have room.
    static SCRATCH: std::cell::Cell<Option<Scratch>> = const { std::cell::Cell::new(None) };
}

impl Scratch {
    /// This thread's buffers (empty ones the first time).
    pub(super) fn borrow() -> Scratch {
        SCRATCH.with(|s| s.take()).unwrap_or_default()
    }

    /// Gives the buffers back for the next settlement on this thread.
    pub(super) fn give_back(self) {
        SCRATCH.with(|s| s.set(Some(self)));
    }
}

impl<'a> Books<'a> {
    /// The store a cap counts in: the year's or the encounter's.
    pub(super) fn caps_used(&mut self, per: crate::rules::policy::Per) -> &mut CapsUsed<'a> {
        match per {
            crate::rules::policy::Per::Year => &mut self.year.caps,
            crate::rules::policy::Per::Encounter => &mut self.encounter.caps,
        }
    }

    /// The year's accumulators of one benefit.
    pub(super) fn benefit_acc(&mut self, li: usize, benefit: &'a str) -> &mut BenefitAcc {
        self.year.benefits.entry_default((li, benefit))
    }
}

/// The encounter being settled, as each layer sees it.
pub(super) struct EncounterCtx<'a, 'f> {
    /// Its position in date order.
    pub pos: usize,
    pub enc: &'a Encounter,
    pub facts: &'f Facts<'f>,
    /// The admission's number in the policy year (0 for outpatient care).
    pub admission: u32,
    /// Its items in `Books::items`.
    pub range: std::ops::Range<usize>,
}

/// The benefit being settled on one encounter: which it is and where.
pub(super) struct BenefitCtx<'a, 'f> {
    pub li: usize,
    pub bi: usize,
    pub lr: LayerRef<'a>,
    pub edition: &'a Edition,
    pub benefit: &'a Benefit,
    pub facts: &'f Facts<'f>,
    pub admission: u32,
    pub days: Option<u32>,
    /// The encounter's items in `Books::items`.
    pub range: std::ops::Range<usize>,
}

impl BenefitCtx<'_, '_> {
    /// The pointer to a part of this benefit in the pack.
    pub(super) fn pointer(&self, part: &'static str) -> Pointer {
        Pointer {
            benefit: Some(self.bi as u16),
            part,
            index: None,
        }
    }
}

/// One benefit's settlement as its steps pass it on: the benefit, the books it reads and
/// changes, and the amounts each step hands to the next.
pub(super) struct BenefitState<'a, 'f, 'b> {
    pub ctx: BenefitCtx<'a, 'f>,
    pub books: &'b mut Books<'a>,
    /// The (item, bucket) cells the base was drawn from.
    pub cells: Vec<Cell>,
    /// The base after the first pay (what the gross axis counts).
    pub base: Ratio,
    /// The deductible taken from the base.
    pub deductible_applied: Ratio,
    /// What the rate applies to: the base less the deductible, within the cost caps.
    pub payable: Ratio,
    /// Whether the steps are recorded (a full estimate) or only settled (totals).
    pub trace: bool,
    /// The trace of the steps, as the result explains them.
    pub steps: Vec<Step>,
}

impl<'a> BenefitState<'a, '_, '_> {
    /// Records a step in the trace (a totals estimate keeps none). Each step is built only
    /// when it is kept: `step` runs only then.
    pub(super) fn record(&mut self, step: impl FnOnce() -> Step) {
        if self.trace {
            self.steps.push(step());
        }
    }

    /// The year's accumulators of this benefit.
    pub(super) fn acc(&mut self) -> &mut BenefitAcc {
        let b: &'a Benefit = self.ctx.benefit;
        self.books.benefit_acc(self.ctx.li, b.id.as_str())
    }
}

/// What a benefit paid, with its settlement (steps and all) when the trace is kept.
pub(super) struct Payment {
    pub paid: Money,
    pub settlement: Option<Settlement>,
}

/// How one benefit ended.
pub(super) enum BenefitResult {
    Paid(Payment),
    Needs(String, Text),
    NoRules(Text),
    NotApplicable,
}

/// Why a value could not be found: an input the case does not give, or a value no source
/// gives (a gap row in the pack, or a reference line the pack lacks).
pub(super) enum Missing {
    Input(&'static str),
    Gap(Text),
}

/// Why a benefit's steps stop before a payment: an error, a missing value, or nothing for
/// this benefit to pay.
pub(super) enum Halt {
    Error(Error),
    Missing(Missing),
    NotApplicable,
}

impl<'a, T> From<Pick<'a, T>> for Option<Missing> {
    fn from(p: Pick<'a, T>) -> Option<Missing> {
        match p {
            Pick::Unknown(i) => Some(Missing::Input(i)),
            Pick::Gap(t) => Some(Missing::Gap(t.clone())),
            _ => None,
        }
    }
}

/// What a pick that found no value is missing (a pack that picks nothing is itself missing).
pub(super) fn missing<T>(p: Pick<'_, T>) -> Missing {
    Option::<Missing>::from(p).unwrap_or(Missing::Input("pack"))
}

impl Missing {
    /// The benefit's result when a value it needs is missing.
    pub(super) fn for_benefit(self, ctx: &BenefitCtx) -> BenefitResult {
        let n = benefit_name(ctx.lr.layer, ctx.benefit);
        let input = match self {
            Missing::Input(i) => i.to_string(),
            Missing::Gap(what) => {
                return BenefitResult::NoRules(text(
                    format!("{}：{}", n.zh, what.zh),
                    format!("{}: {}", n.en, what.en),
                ))
            }
        };
        BenefitResult::Needs(
            input,
            text(
                format!("{} 的计算需要此项信息", n.zh),
                format!("{} needs this to be computed", n.en),
            ),
        )
    }
}

/// A reference line (低保 standard, income per head…) the pack gives no value for.
pub(super) fn missing_line(line: &str) -> Missing {
    Missing::Gap(text(
        format!("本地区资料没有参考标准“{line}”的数值"),
        format!("the pack gives no value for the reference line \"{line}\""),
    ))
}

/// What a benefit is called: its own name, or its layer's.
pub(super) fn benefit_name(layer: &Layer, b: &Benefit) -> Text {
    b.name.clone().unwrap_or_else(|| layer.name.clone())
}

impl From<Error> for Halt {
    fn from(e: Error) -> Halt {
        Halt::Error(e)
    }
}

impl From<Missing> for Halt {
    fn from(m: Missing) -> Halt {
        Halt::Missing(m)
    }
}
