//! The patient's first pay (先行自付 of a benefit): a share of the base the patient pays
//! before the deductible and the rate, e.g. 10% or 40% of unfiled out-of-region care (异地
//! 未备案) in some regions. (The 乙类 first pay of an item is a bucket: see `items`.)
//!
//! The rule: a benefit's `firstPay` (a rate, possibly chosen by conditions); research notes
//! §1.5.

use crate::results::estimate::{Exact, Step};
use crate::rules::choice::Pick;
use crate::rules::policy::Benefit;

use super::state::{BenefitState, Halt, Missing};
use super::Settler;

impl<'a> Settler<'a> {
    /// Takes the patient's first pay out of the base.
    pub(super) fn first_pay(&mut self, st: &mut BenefitState<'a, '_, '_>) -> Result<(), Halt> {
        let b: &'a Benefit = st.ctx.benefit;
        let Some(fp) = &b.first_pay else {
            return Ok(());
        };
        match fp.pick(st.ctx.facts) {
            Pick::Value(r, _) if r.ppm() > 0 => {
                let first = st.base.times(*r)?;
                st.base = st.base.checked_sub(first)?;
                let pointer = st.ctx.pointer("firstPay");
                let (source, note) = self.provenance(&st.ctx, pointer);
                st.record(|| Step::FirstPay {
                    rate: *r,
                    amount: Exact(first),
                    pointer,
                    source,
                    note,
                });
            }
            Pick::Value(..) | Pick::NoMatch => {}
            other => {
                if let Some(m) = Option::<Missing>::from(other) {
                    return Err(m.into());
                }
            }
        }
        Ok(())
    }
}
