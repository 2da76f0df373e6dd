//! The base: which buckets of which items a benefit sees, and at what weight (one 惠民保
//! counts 乙类 先行自付 at 50%; one moves first pay and 超限价 into its out-of-scope
//! liability). The weights apply to what earlier layers left, or to the bill as billed; a
//! benefit may instead take the cost an earlier layer's cap left over (职工大额 above the
//! basic 封顶线), or leave out what an earlier layer counted as its deductible.
//!
//! The rule: a benefit's `base` (`buckets`, `asBilled`, `aboveCapOf`, `excludeDeductibleOf`)
//! and `items` filter; DESIGN.md "Layers" (base) and research notes §0 and §7.

use crate::results::estimate::{BasePart, Exact, Step};
use crate::rules::policy::Bucket;
use crate::units::money::{Ratio, PPM};

use super::items::{item_matches, Cell};
use super::state::{BenefitState, Halt};
use super::Settler;

impl<'a> Settler<'a> {
    /// Weighs the buckets this benefit sees into its base, remembering the cells it drew on.
    /// `NotApplicable` when there is nothing to pay on (and no lump sum to pay).
    pub(super) fn base(&mut self, st: &mut BenefitState<'a, '_, '_>) -> Result<(), Halt> {
        let b = st.ctx.benefit;
        let items = &st.books.items;
        let mut cells: Vec<Cell> = std::mem::take(&mut st.books.scratch.cells);
        cells.clear();
        // In fen·ppm, by bucket.
        let mut parts = [0i128; 4];
        let above_cap = b.base.above_cap_of.as_deref();
        let mut base = if let Some(src) = above_cap {
            let Some(n) = st.books.encounter.notes.get(&src) else {
                return Err(Halt::NotApplicable);
            };
            // The cost above the earlier layer's cap is in-scope cost of the items this benefit
            // sees; the payment is taken from their in-scope remainder.
            for ii in st.ctx.range.clone() {
                if items[ii].rem[0].fen() > 0 && item_matches(&b.items, items[ii].code) {
                    cells.push(Cell {
                        item: ii,
                        bucket: 0,
                    });
                }
            }
            n.above_cap
        } else {
            let mut sum: i128 = 0;
            let weights = Bucket::ALL.map(|bucket| b.base.buckets.weight(bucket));
            for ii in st.ctx.range.clone() {
                let it = &items[ii];
                if !item_matches(&b.items, it.code) {
                    continue;
                }
                for bucket in Bucket::ALL {
                    let w = weights[bucket.index()];
                    if w.ppm() == 0 {
                        continue;
                    }
                    // As billed: the share is of the price, and the payment is then limited to what
                    // is left of the bucket.
                    let amount = if b.base.as_billed {
                        it.billed[bucket.index()]
                    } else {
                        it.rem[bucket.index()]
                    };
                    let cw = amount.fen() as i128 * w.ppm() as i128;
                    if cw > 0 {
                        cells.push(Cell {
                            item: ii,
                            bucket: bucket.index(),
                        });
                        parts[bucket.index()] += cw;
                        sum += cw;
                    }
                }
            }
            Ratio::new(sum, PPM as i128)
        };
        let mut excluded = None;
        if !b.base.exclude_deductible_of.is_empty() {
            let mut ex = Ratio::ZERO;
            for l in &b.base.exclude_deductible_of {
                if let Some(n) = st.books.encounter.notes.get(&l.as_str()) {
                    ex = ex.checked_add(n.deductible_applied)?;
                }
            }
            let ex = ex.min(base);
            base = base.checked_sub(ex)?;
            excluded = Some(Exact(ex));
        }
        st.record(|| Step::Base {
            amount: Exact(base),
            parts: if above_cap.is_some() {
                vec![]
            } else {
                Bucket::ALL
                    .iter()
                    .filter(|bk| parts[bk.index()] > 0)
                    .map(|bk| BasePart {
                        bucket: *bk,
                        weight: b.base.buckets.weight(*bk),
                        amount: Exact(Ratio::new(parts[bk.index()], PPM as i128)),
                    })
                    .collect()
            },
            above_cap_of: above_cap.map(str::to_string),
            excluded_deductible: excluded,
        });
        if (cells.is_empty() || !base.is_positive()) && b.lump_sum.is_none() {
            return Err(Halt::NotApplicable);
        }
        st.cells = cells;
        st.base = base;
        Ok(())
    }
}
