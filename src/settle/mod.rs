//! Settlement: encounters in date order, layers in order, each benefit taking what is left.
//!
//! The skeleton every published worked example follows (research notes §0), a file a step:
//! each item split into buckets (`items`) → for each layer (`layer`): the rules in effect
//! (`editions`), eligibility (`eligibility`), 异地 care (`out_of_area`), a drug donation
//! (`donation`), then for each benefit: base (`base`) → the patient's first pay
//! (`first_pay`) → deductible (`deductible`) → caps on the cost (`caps`) → rate or bands over
//! the year's cumulative base (`bands`) → caps on the payment (`caps`) → one rounding, and the
//! payment taken out of the buckets it was drawn from (`allocation`), so the next layer sees
//! the rest. Each layer's outcome and the totals: `outcome`. What the steps carry: `state`;
//! where each figure comes from: `sources`.
//!
//! This file holds the order: `run` (encounters, layers) and `benefit_steps` (one benefit).

mod allocation;
mod bands;
mod base;
mod caps;
mod deductible;
mod donation;
mod editions;
mod eligibility;
mod first_pay;
mod items;
mod layer;
mod lump_sum;
mod out_of_area;
mod outcome;
mod sources;
mod state;

use crate::error::Error;
use crate::results::estimate::*;
use crate::rules::case::{Case, Encounter};
use crate::rules::condition::{EncounterFacts, Facts};
use crate::rules::policy::*;
use crate::units::date::Date;
use crate::units::money::{Money, Ratio};

use items::{empty_lines, pick_general};
use outcome::LayerTally;
use state::Payment;
use state::{BenefitCtx, BenefitResult, BenefitState, Books, EncounterCtx, EncounterState, Halt};
use state::{VecMap, YearState};

/// A layer to settle, with the pack it comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LayerRef<'a> {
    pub layer: &'a Layer,
    pub pack: &'a Pack,
    /// For a programme: when the patient joined it, and where it is named in the case.
    pub since: Option<Date>,
    pub programme_path: Option<usize>,
}

/// A layer whose payment the estimate could not decide: what the engine turns into a range.
#[derive(Clone, Debug)]
pub(crate) struct UndecidedLayer {
    pub li: usize,
    pub status: &'static str,
    pub input: Option<String>,
    pub what: Text,
    pub paid: Money,
    pub used_floor: bool,
}

/// Settles one case: its encounters through its layers, gathering the trace, the warnings
/// and the sources cited.
pub(crate) struct Settler<'a> {
    case: &'a Case,
    region: &'a Pack,
    layers: Vec<LayerRef<'a>>,
    warnings: Vec<Warning>,
    /// Every source cited so far, borrowed from the packs (see `sources.rs`).
    sources: Vec<sources::Cited<'a>>,
    /// Each edition's source keys, built once per estimate (for the trace and for a layer
    /// found ineligible by its rules).
    cited: VecMap<*const Effective, std::sync::Arc<[String]>>,
    /// The national floor pack: set for the run that gives a range's lowest share.
    floor: Option<&'a Pack>,
    /// The 异地 cut applied to the rates of the layer being settled.
    cut: Option<out_of_area::LocalityCut>,
    /// Whether the trace is kept (each benefit's steps, the items, the sources): off for a
    /// totals estimate and for the extra runs a range takes. The amounts are the same.
    trace: bool,
}

fn text(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

impl<'a> Settler<'a> {
    pub(crate) fn new(case: &'a Case, region: &'a Pack, layers: Vec<LayerRef<'a>>) -> Settler<'a> {
        Settler {
            case,
            region,
            layers,
            warnings: Vec::new(),
            sources: Vec::new(),
            cited: VecMap::default(),
            floor: None,
            cut: None,
            trace: true,
        }
    }

    /// Settles without keeping the trace ([`Detail::Totals`]): the same steps in the same
    /// order, so the same amounts, statuses and warnings, with no step, item or settlement
    /// recorded.
    pub(crate) fn with_detail(mut self, detail: Detail) -> Settler<'a> {
        self.trace = detail.is_full();
        self
    }

    /// Settles for the lowest share of a range: every layer×encounter with no rules (or an
    /// input no value is tried for) is settled with the floor pack's layer of the same kind
    /// and scheme, and 异地 care the rules do not mention is settled as local.
    pub(crate) fn with_floor(mut self, floor: Option<&'a Pack>) -> Settler<'a> {
        self.floor = floor;
        self
    }

    /// Runs the settlement, returning the estimate and the layers it could not decide.
    pub(crate) fn run(mut self) -> Result<(Estimate, Vec<UndecidedLayer>), Error> {
        let case = self.case;
        let mut order: Vec<usize> = (0..case.encounters.len()).collect();
        order.sort_by_key(|&i| case.encounters[i].date);
        let items = self.build_items(&order)?;
        self.check_rules_in_effect(&order)?;

        let mut tallies: Vec<LayerTally> = (0..self.layers.len())
            .map(|_| LayerTally::default())
            .collect();
        let mut books = Books {
            items,
            year: YearState::default(),
            encounter: EncounterState::default(),
            donations: VecMap::default(),
            scratch: state::Scratch::borrow(),
        };
        let mut encounters = Vec::new();
        let mut item_start = 0usize;
        for (pos, &ei) in order.iter().enumerate() {
            let enc: &'a Encounter = &case.encounters[ei];
            let item_end = item_start
                + books.items[item_start..]
                    .iter()
                    .take_while(|it| it.enc == pos)
                    .count();
            let range = item_start..item_end;
            item_start = item_end;

            let ystart = self.region.year_start.year_start_for(enc.date);
            books.year.enter(ystart);
            let admission = books.year.admit(enc.setting);
            let general = pick_general(self.region, enc.date);
            let lines = general.map(|g| &g.lines).unwrap_or_else(|| empty_lines());
            let facts = Facts {
                member: &case.member,
                date: enc.date,
                encounter: Some(EncounterFacts {
                    setting: enc.setting,
                    level: enc.level.as_deref(),
                    locality: enc.locality,
                    filed: enc.filed,
                    admission,
                    referred: enc.referred,
                    diagnoses: &enc.diagnoses,
                }),
                code: None,
                lines,
            };
            books.encounter = EncounterState::default();
            let e = EncounterCtx {
                pos,
                enc,
                facts: &facts,
                admission,
                range,
            };
            for (li, tally) in tallies.iter_mut().enumerate() {
                self.settle_layer(li, &e, &mut books, tally)?;
            }
            encounters.push(self.encounter_result(ei, &e, ystart, &books.items)?);
        }
        books.scratch.give_back();
        self.finish(books.items, tallies, encounters)
    }

    /// One benefit on one encounter: its steps in order, each handing the next what is left.
    // A function of its own (the steps inlined into it): the wasm module is 56 B (gzip)
    // smaller than with it inlined into the layer's loop.
    #[inline(never)]
    fn settle_benefit(
        &mut self,
        ctx: BenefitCtx<'a, '_>,
        books: &mut Books<'a>,
    ) -> Result<BenefitResult, Error> {
        let mut st = BenefitState {
            ctx,
            books,
            cells: Vec::new(),
            base: Ratio::ZERO,
            deductible_applied: Ratio::ZERO,
            payable: Ratio::ZERO,
            trace: self.trace,
            steps: Vec::new(),
        };
        let steps = self.benefit_steps(&mut st);
        st.books.scratch.cells = std::mem::take(&mut st.cells);
        match steps {
            Ok(settlement) => Ok(BenefitResult::Paid(settlement)),
            Err(Halt::NotApplicable) => Ok(BenefitResult::NotApplicable),
            Err(Halt::Missing(m)) => Ok(m.for_benefit(&st.ctx)),
            Err(Halt::Error(e)) => Err(e),
        }
    }

    /// The steps of one benefit, in the order every published worked example follows.
    fn benefit_steps(&mut self, st: &mut BenefitState<'a, '_, '_>) -> Result<Payment, Halt> {
        self.base(st)?;
        if let Some(lump) = st.ctx.benefit.lump_sum {
            return self.lump_sum(st, lump);
        }
        self.first_pay(st)?;
        self.deductible(st)?;
        st.payable = st.base.checked_sub(st.deductible_applied)?;
        st.payable = self.caps(st, CapOn::Cost, st.payable)?;
        let rated = self.bands(st)?;
        let pays = self.caps(st, CapOn::Payment, rated.pays)?;
        rated.hand_over_above_cap(st, pays)?;
        Ok(st.pay(pays)?)
    }
}
