//! Caps (封顶线 / 最高支付限额): a limit per encounter or per year, on the payment or on the
//! cost that enters the rate step (both occur), of one benefit or of a whole edition, alone
//! or shared by several benefits in a pool (chronic outpatient and inpatient sharing one
//! cap), removed for some groups (`null`, e.g. for 特困). What one layer's caps leave is noted
//! for a later layer that takes it as its base (职工大额 pays above the basic cap).
//!
//! The rule: `caps` of a benefit and of an edition (`amount`, `per`, `on`, `pool`;
//! docs/FORMATS.md §2); DESIGN.md "Layers" (cap) and research notes §1.1, §2.3 and §7.

use std::cmp::Ordering;

use crate::results::estimate::{Exact, Pointer, Step};
use crate::rules::choice::{Limit, Pick};
use crate::rules::condition::Facts;
use crate::rules::policy::{Benefit, Cap, CapOn, Edition};
use crate::units::money::{Money, Ratio};

use super::state::{missing, missing_line, BenefitState, CapKey, Halt, Missing};
use super::Settler;

impl<'a> Settler<'a> {
    /// Limits `amount` — the cost entering the rate step, or the payment — by the caps `on`
    /// it, each within the room its earlier uses left, and counts what passes against them.
    pub(super) fn caps(
        &mut self,
        st: &mut BenefitState<'a, '_, '_>,
        on: CapOn,
        mut amount: Ratio,
    ) -> Result<Ratio, Halt> {
        let facts = st.ctx.facts;
        let (li, bi) = (st.ctx.li, st.ctx.bi);
        let (benefit, edition) = (st.ctx.benefit, st.ctx.edition);
        for (key, cap, pointer) in caps_of(li, bi, benefit, edition) {
            if cap.on != on {
                continue;
            }
            let Some(limit) = cap_limit(cap, facts)? else {
                continue;
            };
            let used = *st
                .books
                .caps_used(cap.per)
                .get(&(key, on))
                .unwrap_or(&Ratio::ZERO);
            let room = limit.exact().checked_sub(used)?.max(Ratio::ZERO);
            if amount.cmp_exact(room) != Ordering::Greater {
                continue;
            }
            let over = amount.checked_sub(room)?;
            let (source, note) = self.provenance(&st.ctx, pointer);
            if on == CapOn::Cost {
                let n = &mut st.books.encounter.note;
                n.above_cap = n.above_cap.checked_add(over)?;
            }
            st.record(|| match on {
                CapOn::Cost => Step::CostCap {
                    limit,
                    per: cap.per,
                    used_before: Exact(used),
                    removed: Exact(over),
                    pointer,
                    source,
                    note,
                },
                CapOn::Payment => Step::Cap {
                    source,
                    note,
                    limit,
                    per: cap.per,
                    on,
                    pool: cap.pool.clone(),
                    used_before: Exact(used),
                    reduction: Exact(over),
                    pointer,
                },
            });
            amount = room;
        }
        // Only caps that apply to this member and encounter count what was paid: a cap that
        // is `null` here (removed for this group) must not use up a pool others share.
        for (key, cap, _) in caps_of(li, bi, benefit, edition) {
            if cap.on == on && matches!(cap_limit(cap, facts), Ok(Some(_))) {
                let e = st.books.caps_used(cap.per).entry_default((key, on));
                *e = e.checked_add(amount)?;
            }
        }
        Ok(amount)
    }
}

/// The caps on a benefit: its own, then its edition's, each with the key its room is counted
/// under (its pool's, or its own) and its pointer in the pack.
fn caps_of<'a>(
    li: usize,
    bi: usize,
    b: &'a Benefit,
    e: &'a Edition,
) -> impl Iterator<Item = (CapKey<'a>, &'a Cap, Pointer)> {
    let own = b.caps.len();
    (0..own + e.caps.len()).map(move |i| {
        let (cap, key, benefit, ci) = if i < own {
            let key = CapKey::Benefit(li, b.id.as_str(), i);
            (&b.caps[i], key, Some(bi as u16), i)
        } else {
            (&e.caps[i - own], CapKey::Layer(li, i - own), None, i - own)
        };
        let key = match &cap.pool {
            Some(p) => CapKey::Pool(p.as_str()),
            None => key,
        };
        let pointer = Pointer {
            benefit,
            part: "caps",
            index: Some(ci as u16),
        };
        (key, cap, pointer)
    })
}

/// The cap's amount for this member and encounter: `None` when there is none (`null`, or no
/// row matches).
fn cap_limit(cap: &Cap, facts: &Facts) -> Result<Option<Money>, Missing> {
    match cap.amount.pick(facts) {
        Pick::Value(Limit(None), _) | Pick::NoMatch => Ok(None),
        Pick::Value(Limit(Some(a)), _) => a.resolve(facts.lines).map(Some).map_err(missing_line),
        other => Err(missing(other)),
    }
}
