//! Lump sums (定额给付): a fixed amount paid once a year on a diagnosis or a listed
//! treatment, limited to what is left of the base — some commercial liabilities pay this way
//! instead of a rate.
//!
//! The rule: a benefit's `lumpSum` (DESIGN.md "Commercial products", research notes §4).

use crate::results::estimate::{Exact, Step};
use crate::units::money::Money;

use super::state::{BenefitState, Halt, Payment};
use super::Settler;

impl<'a> Settler<'a> {
    /// Pays the lump sum, once a year, within the base.
    pub(super) fn lump_sum(
        &mut self,
        st: &mut BenefitState<'a, '_, '_>,
        lump: Money,
    ) -> Result<Payment, Halt> {
        let (nothing_to_pay_on, base) = (st.cells.is_empty(), st.base);
        let acc = st.acc();
        if acc.lump_paid || nothing_to_pay_on {
            return Err(Halt::NotApplicable);
        }
        let pays = lump.exact().min(base);
        acc.lump_paid = true;
        st.record(|| Step::LumpSum {
            amount: lump,
            pays: Exact(pays),
        });
        Ok(st.pay(pays)?)
    }
}
