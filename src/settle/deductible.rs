//! The deductible (起付线; commercial 免赔额): the part of the base the patient pays before a
//! layer pays anything. Per encounter or per year; indexed by hospital level, member group
//! and locality through conditions; for a later admission of the year halved, stepped down
//! with a floor, or none from the n-th; charged again for every so many days of a long stay;
//! counted once at the highest level used; met together by the benefits of a pool; offset by
//! what earlier layers paid on the same items (百万医疗's 免赔额 counts social insurance).
//!
//! The rule: a benefit's `deductible` (`amount`, `per`, `highestLevel`, `laterAdmissions`,
//! `offsetBy`, `pool`, `repeatEveryDays`; docs/FORMATS.md §2); research notes §1.1–§1.2, §4.2
//! and §7.

use crate::error::Error;
use crate::results::estimate::{Exact, Step};
use crate::rules::choice::Pick;
use crate::rules::condition::Facts;
use crate::rules::policy::{Benefit, Deductible, Per};
use crate::units::money::{Money, Ratio};

use super::state::{missing, missing_line, BenefitState, DeductibleAcc, Halt};
use super::Settler;

impl<'a> Settler<'a> {
    /// Takes what is left of the deductible out of the base, counting it toward the year's
    /// (or the pool's) threshold.
    pub(super) fn deductible(&mut self, st: &mut BenefitState<'a, '_, '_>) -> Result<(), Halt> {
        let b: &'a Benefit = st.ctx.benefit;
        let Some(d) = &b.deductible else {
            return Ok(());
        };
        let amount = deductible_amount(d, st.ctx.facts, st.ctx.admission, st.ctx.days)?;
        let mut offset = Ratio::ZERO;
        if !d.offset_by.is_empty() {
            // Each item once: the base lists an item's cells one after another.
            let mut last = None;
            for c in &st.cells {
                if last == Some(c.item) {
                    continue;
                }
                last = Some(c.item);
                for (lj, lr) in self.layers.iter().enumerate() {
                    if d.offset_by.contains(&lr.layer.id) {
                        offset = offset.checked_add(st.books.items[c.item].paid[lj].exact())?;
                    }
                }
            }
        }
        let base = st.base;
        // A pooled deductible is one threshold met by several benefits together.
        let acc: &mut DeductibleAcc = match d.pool.as_deref() {
            Some(pool) => st.books.year.deductible_pools.entry_default(pool),
            None => &mut st.acc().deductible,
        };
        let (total_d, met_before) = match d.per {
            Per::Year => {
                acc.total = if d.highest_level {
                    acc.total.max(amount)
                } else {
                    amount
                };
                acc.met = acc.met.checked_add(offset)?;
                (acc.total, acc.met)
            }
            Per::Encounter => (amount, offset),
        };
        let remaining = total_d.exact().checked_sub(met_before)?.max(Ratio::ZERO);
        let applied = remaining.min(base);
        if d.per == Per::Year {
            acc.met = acc.met.checked_add(applied)?;
        }
        let note = &mut st.books.encounter.note;
        note.deductible_applied = note.deductible_applied.checked_add(applied)?;
        st.deductible_applied = applied;
        let pointer = st.ctx.pointer("deductible");
        let (source, pnote) = self.provenance(&st.ctx, pointer);
        let admission = st.ctx.admission;
        st.record(|| Step::Deductible {
            amount: total_d,
            per: d.per,
            met_before: Exact(met_before.min(total_d.exact())),
            applied: Exact(applied),
            admission: if d.later_admissions.is_some() && admission > 1 {
                Some(admission)
            } else {
                None
            },
            offset: if offset.is_zero() {
                None
            } else {
                Some(Exact(offset))
            },
            pointer,
            source,
            note: pnote,
        });
        Ok(())
    }
}

/// The deductible in effect for this encounter: the amount the conditions pick (a fixed sum
/// or a multiple of a reference line), charged again for a long stay, and lowered for a later
/// admission of the year.
fn deductible_amount(
    d: &Deductible,
    facts: &Facts,
    admission: u32,
    days: Option<u32>,
) -> Result<Money, Halt> {
    let base = match d.amount.pick(facts) {
        Pick::Value(v, _) => match v.resolve(facts.lines) {
            Ok(m) => m,
            Err(line) => return Err(missing_line(line).into()),
        },
        Pick::NoMatch => return Ok(Money::ZERO),
        other => return Err(missing(other).into()),
    };
    // A long stay is charged again for every `repeat_every_days` days (广州: 90).
    let base = match (d.repeat_every_days, days) {
        (Some(n), Some(days)) if n > 0 && days > n => {
            let times = days.div_ceil(n) as i64;
            Money::from_fen(base.fen().checked_mul(times).ok_or_else(Error::overflow)?)
        }
        _ => base,
    };
    let Some(later) = &d.later_admissions else {
        return Ok(base);
    };
    if admission <= 1 {
        return Ok(base);
    }
    if later.none_from.is_some_and(|n| admission >= n) {
        return Ok(Money::ZERO);
    }
    let mut amount = base;
    if let Some(m) = later.multiply {
        amount = amount.exact().times(m)?.round_half_up()?;
    }
    if let Some(step) = later.step_down {
        let down = Money::from_fen(step.fen().saturating_mul(admission as i64 - 1));
        amount = amount.saturating_sub_floor0(down);
    }
    if let Some(floor) = &later.floor {
        match floor.pick(facts) {
            Pick::Value(f, _) => match f.resolve(facts.lines) {
                Ok(f) => amount = amount.max(f.min(base)),
                Err(line) => return Err(missing_line(line).into()),
            },
            Pick::NoMatch => {}
            other => return Err(missing(other).into()),
        }
    }
    Ok(amount)
}
