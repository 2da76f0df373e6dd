//! The rate (报销比例 / 支付比例), flat or in progressive bands (分段) over the year's
//! cumulative base. Bands are counted either gross — thresholds from zero, the deductible
//! included — or net of the deductible; both occur, so it is each benefit's setting. A rate is
//! adjusted for the member (retirees +x points or ×0.7 of the self-share, an age-based rate,
//! students, poor groups) and cut for 异地 care the rules do not mention.
//!
//! The rule: a benefit's `rate` (`flat`, or `bands` with `measure` and `steps`; `adjustments`
//! with `points`, `selfShareFactor`, `perYearOfAge`, `floor`, `ceiling`; docs/FORMATS.md §2);
//! DESIGN.md "Layers" (rate), research notes §1.1–§2.2 (WE-2: 大病 segments) and §7.

use std::cmp::Ordering;

use crate::error::Error;
use crate::results::estimate::{AppliedAdjustment, Exact, Pointer, Step};
use crate::rules::choice::Pick;
use crate::rules::condition::{Facts, Truth};
use crate::rules::policy::{Benefit, Measure, RateRule};
use crate::units::money::{Rate, Ratio, PPM};

use super::state::{missing, BenefitState, Halt, Missing};
use super::Settler;

/// What the rate step paid, and where on the year's axis: what a payment cap's hand-over
/// needs.
pub(super) struct Rated {
    /// The bands, in a buffer borrowed from [`super::state::Scratch`] (given back by
    /// [`Rated::hand_over_above_cap`]).
    bands: Vec<ResolvedBand>,
    /// Where this slice starts on the axis the bands are counted on.
    start: Ratio,
    /// The payment before the payment caps.
    pub pays: Ratio,
}

impl<'a> Settler<'a> {
    /// Pays the slice `payable` at the rates of the bands it crosses, and moves the year's
    /// cumulative base on.
    pub(super) fn bands(&mut self, st: &mut BenefitState<'a, '_, '_>) -> Result<Rated, Halt> {
        let applied = st.deductible_applied;
        let (start_gross, start_net) = {
            let acc = st.acc();
            (acc.cum_base.checked_add(applied)?, acc.cum_payable)
        };
        let b: &'a Benefit = st.ctx.benefit;
        let rule = &b.rate;
        let mut bands = std::mem::take(&mut st.books.scratch.bands);
        self.resolve_bands(rule, st.ctx.facts, Some(st.ctx.bi as u16), &mut bands)?;
        let (measure, start) = match &rule.bands {
            Some(bs) => (
                Some(bs.measure),
                if bs.measure == Measure::Gross {
                    start_gross
                } else {
                    start_net
                },
            ),
            None => (None, start_net),
        };
        let payable = st.payable;
        let mut raw = Ratio::ZERO;
        for (i, band) in bands.iter().enumerate() {
            let band_end = bands.get(i + 1).map(|n| n.from);
            let lo = start.max(band.from);
            let hi = match band_end {
                Some(e) => start.checked_add(payable)?.min(e),
                None => start.checked_add(payable)?,
            };
            if hi.cmp_exact(lo) != Ordering::Greater {
                continue;
            }
            let slice = hi.checked_sub(lo)?;
            let pays = slice.times(band.rate)?;
            raw = raw.checked_add(pays)?;
            let (source, note) = self.provenance(&st.ctx, band.pointer);
            st.record(|| Step::Band {
                source,
                note,
                measure,
                from: Exact(lo),
                to: Exact(hi),
                base_rate: band.base_rate,
                adjustments: band.adjustments.clone(),
                rate: band.rate,
                pays: Exact(pays),
                pointer: band.pointer,
            });
        }
        let base = st.base;
        let acc = st.acc();
        acc.cum_base = acc.cum_base.checked_add(base)?;
        acc.cum_payable = acc.cum_payable.checked_add(payable)?;
        Ok(Rated {
            bands,
            start,
            pays: raw,
        })
    }

    /// The bands of a rate rule as they apply to this member and encounter, into `out`: each
    /// band's rate picked by its conditions, then adjusted (`adjustments`, and the 异地 cut).
    /// The adjustments are listed only when the trace is kept (a band step shows them).
    fn resolve_bands(
        &mut self,
        rule: &RateRule,
        facts: &Facts,
        bi: Option<u16>,
        out: &mut Vec<ResolvedBand>,
    ) -> Result<(), Halt> {
        out.clear();
        let flat = rule.flat.as_ref().map(|flat| {
            let pointer = Pointer {
                benefit: bi,
                part: "rate/flat",
                index: None,
            };
            (Ratio::ZERO, flat, pointer)
        });
        let steps = match (&rule.flat, &rule.bands) {
            (None, Some(bands)) => bands.steps.as_slice(),
            _ => &[],
        };
        let stepped = steps.iter().enumerate().map(|(i, s)| {
            let pointer = Pointer {
                benefit: bi,
                part: "rate/bands/steps",
                index: Some(i as u16),
            };
            (s.from.exact(), &s.rate, pointer)
        });
        for (from, choice, pointer) in flat.into_iter().chain(stepped) {
            let base_rate = match choice.pick(facts) {
                Pick::Value(r, _) => *r,
                Pick::NoMatch => Rate::ZERO,
                other => return Err(missing(other).into()),
            };
            let mut rate = base_rate;
            let mut adjustments = Vec::new();
            for adj in &rule.adjustments {
                match adj.when.eval(facts) {
                    Truth::No => continue,
                    Truth::Unknown(i) => return Err(Missing::Input(i).into()),
                    Truth::Yes => {}
                }
                let before = rate;
                let mut ppm = rate.ppm() as i64;
                if let Some(p) = adj.points {
                    ppm += p.0;
                }
                if let Some(f) = adj.self_share_factor {
                    let self_share = PPM as i64 - ppm.clamp(0, PPM as i64);
                    ppm = PPM as i64 - (self_share * f.ppm() as i64 + PPM as i64 / 2) / PPM as i64;
                }
                if let Some(per_year) = adj.per_year_of_age {
                    match facts.member.age_on(facts.date) {
                        Some(age) => ppm += per_year.0 * age as i64,
                        None => return Err(Missing::Input("member.age").into()),
                    }
                }
                if let Some(fl) = adj.floor {
                    ppm = ppm.max(fl.ppm() as i64);
                }
                if let Some(c) = adj.ceiling {
                    ppm = ppm.min(c.ppm() as i64);
                }
                rate = Rate::from_ppm(ppm.clamp(0, PPM as i64) as u32);
                if self.trace {
                    adjustments.push(AppliedAdjustment {
                        before,
                        after: rate,
                        reason: adj.reason.clone(),
                    });
                }
            }
            if let Some(cut) = &self.cut {
                let before = rate;
                rate = Rate::from_ppm((rate.ppm() as i64 - cut.points).clamp(0, PPM as i64) as u32);
                if self.trace {
                    adjustments.push(AppliedAdjustment {
                        before,
                        after: rate,
                        reason: Some(cut.reason.clone()),
                    });
                }
            }
            out.push(ResolvedBand {
                from,
                base_rate,
                rate,
                adjustments,
                pointer,
            });
        }
        Ok(())
    }
}

/// A band with its rate for this member and encounter.
pub(super) struct ResolvedBand {
    from: Ratio,
    base_rate: Rate,
    rate: Rate,
    adjustments: Vec<AppliedAdjustment>,
    pointer: Pointer,
}

/// The point on the axis (from `start`) at which the bands have paid `target`.
fn cost_for_payment(bands: &[ResolvedBand], start: Ratio, target: Ratio) -> Result<Ratio, Error> {
    let mut left = target;
    let mut pos = start;
    for (i, band) in bands.iter().enumerate() {
        let end = bands.get(i + 1).map(|n| n.from);
        if let Some(e) = end {
            if e.cmp_exact(pos) != Ordering::Greater {
                continue;
            }
        }
        pos = pos.max(band.from);
        if band.rate.ppm() == 0 {
            match end {
                Some(e) => {
                    pos = e;
                    continue;
                }
                None => return Ok(pos),
            }
        }
        let need = left.checked_div(band.rate.exact())?;
        match end {
            Some(e) if pos.checked_add(need)?.cmp_exact(e) == Ordering::Greater => {
                left = left.checked_sub(e.checked_sub(pos)?.times(band.rate)?)?;
                pos = e;
            }
            _ => return pos.checked_add(need),
        }
    }
    Ok(pos)
}

impl Rated {
    /// The cost beyond the point where a payment cap was reached, noted for later layers
    /// (e.g. 职工大额 above the basic cap) when the caps cut the payment to `pays`.
    pub(super) fn hand_over_above_cap(
        self,
        st: &mut BenefitState<'_, '_, '_>,
        pays: Ratio,
    ) -> Result<(), Error> {
        if pays.cmp_exact(self.pays) != Ordering::Less {
            st.books.scratch.bands = self.bands;
            return Ok(());
        }
        let reached = cost_for_payment(&self.bands, self.start, pays);
        st.books.scratch.bands = self.bands;
        let reached = reached?;
        let unpaid = self
            .start
            .checked_add(st.payable)?
            .checked_sub(reached)?
            .max(Ratio::ZERO);
        let note = &mut st.books.encounter.note;
        note.above_cap = note.above_cap.checked_add(unpaid)?;
        Ok(())
    }
}
