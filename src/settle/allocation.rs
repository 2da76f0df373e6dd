//! Paying a benefit: the exact payment is rounded once, half-up to the fen (cumulatively
//! over the year or per settlement, as the pack's `rounding` says), and taken out of the
//! buckets the base was drawn from, so the next layer sees what is left.
//!
//! The rule: DESIGN.md principle 2 (one rounding per layer payment, as the published worked
//! examples round) and "Buckets"; the order the buckets are drawn in follows the settlement
//! sheets of research notes §6 (WE-12).

use crate::error::Error;
use crate::results::estimate::{EditionRef, Exact, Settlement, Step};
use crate::rules::policy::Rounding;
use crate::units::money::{Money, Ratio};

use super::items::{Cell, Item};
use super::state::{BenefitState, Payment};

impl BenefitState<'_, '_, '_> {
    /// Rounds (cumulatively over the year) and takes the payment out of the cells.
    pub(super) fn pay(&mut self, exact: Ratio) -> Result<Payment, Error> {
        let rounding = self.ctx.lr.pack.rounding;
        let acc = self.acc();
        let before = acc.paid_rounded;
        acc.paid_exact = acc.paid_exact.checked_add(exact)?;
        // The pack says how a settlement is rounded: the change of the year's rounded
        // exact total (cumulative), or this settlement on its own, as a 结算单 prints it.
        acc.paid_rounded = match rounding {
            Rounding::Cumulative => acc.paid_exact.round_half_up()?,
            Rounding::PerSettlement => before.checked_add(exact.round_half_up()?)?,
        };
        let mut rounded = acc.paid_rounded.checked_sub(before)?;
        if rounded.is_negative() {
            rounded = Money::ZERO;
        }
        let items = &mut self.books.items;
        let capacity: i64 = self
            .cells
            .iter()
            .map(|c| items[c.item].rem[c.bucket].fen())
            .sum();
        if rounded.fen() > capacity {
            rounded = Money::from_fen(capacity);
        }
        let shares = &mut self.books.scratch.shares;
        let rounded = allocate(items, &self.cells, rounded, self.ctx.li, shares)?;
        self.record(|| Step::Rounding {
            exact: Exact(exact),
            rounded,
        });
        if !self.trace {
            return Ok(Payment {
                paid: rounded,
                settlement: None,
            });
        }
        let benefit = self.ctx.benefit;
        Ok(Payment {
            paid: rounded,
            settlement: Some(Settlement {
                encounter: 0,
                benefit: benefit.id.clone(),
                name: benefit.name.clone(),
                paid: rounded,
                edition: EditionRef {
                    from: self.ctx.edition.effective.from,
                    until: None,
                    sources: std::sync::Arc::from([]),
                },
                steps: std::mem::take(&mut self.steps),
            }),
        })
    }
}

/// One cell's part of what a bucket gives: (cell index, whole fen, remainder of the exact
/// share's division), the remainders deciding who gets the fen left over.
pub(super) type Share = (usize, i64, i128);

/// Takes `amount` fen out of the buckets the cells name: bucket by bucket in a fixed order —
/// in-scope, then 乙类 first pay, then over-limit, then out-of-catalogue — and within a bucket
/// across items in proportion to what each has left (largest remainder).
///
/// The order is why a later layer that weights buckets differently (惠绵保 counts 乙类 first
/// pay at 50%) sees the same buckets however a bill is split or rounded: an earlier layer
/// that covers both in-scope cost and first pay uses up the in-scope remainder first, as the
/// settlement sheets in the published examples show (WE-12: the 30,000 first pay is still
/// there after basic insurance and 大病 paid).
pub(super) fn allocate(
    items: &mut [Item],
    cells: &[Cell],
    amount: Money,
    li: usize,
    shares: &mut Vec<Share>,
) -> Result<Money, Error> {
    let mut left = amount.fen();
    for bucket in 0..4 {
        if left <= 0 {
            break;
        }
        // Cells name each (item, bucket) at most once.
        let avail: i64 = cells
            .iter()
            .filter(|c| c.bucket == bucket)
            .map(|c| items[c.item].rem[bucket].fen())
            .sum();
        if avail <= 0 {
            continue;
        }
        let take = left.min(avail);
        shares.clear();
        let mut given = 0i64;
        for (k, c) in cells.iter().enumerate().filter(|(_, c)| c.bucket == bucket) {
            let rem = items[c.item].rem[bucket].fen();
            // take × rem / avail: on 64 bits when the product fits (bills under ≈ ¥30 million
            // per bucket), else on 128; the same quotient and remainder either way.
            let (q, r) = match take.checked_mul(rem) {
                Some(num) => (num / avail, (num % avail) as i128),
                None => {
                    let num = take as i128 * rem as i128;
                    ((num / avail as i128) as i64, num % avail as i128)
                }
            };
            given += q;
            shares.push((k, q, r));
        }
        let extra = (take - given).max(0) as usize;
        if extra > 0 {
            // The keys are distinct (k is), so an unstable sort orders them the same, in place.
            shares.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            for s in shares.iter_mut().take(extra) {
                s.1 += 1;
            }
        }
        for &(k, q, _) in shares.iter() {
            if q == 0 {
                continue;
            }
            let it = &mut items[cells[k].item];
            it.rem[bucket] = it.rem[bucket].checked_sub(Money::from_fen(q))?;
            it.paid[li] = it.paid[li].checked_add(Money::from_fen(q))?;
        }
        left -= take;
    }
    // What was taken: less than asked only when the buckets hold less (e.g. two donation
    // programmes on the same drug); the caller reports what was taken, so every fen paid is
    // a fen some bucket gave.
    Ok(Money::from_fen(amount.fen() - left.max(0)))
}
