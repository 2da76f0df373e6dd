//! Drug donation (患者援助项目, PAP; 慈善赠药): on a course of treatment, "pay N cycles,
//! receive M free", repeating patterns ("2+2 then 2+3"), everything free for some groups
//! (低保), a maximum duration. Donated units are never billed, so they come out of the item
//! before any later layer sees it.
//!
//! The rule: an edition's `donation` (`codes`, `rounds`, `repeatLast`, `allFreeWhen`,
//! `maxMonths`; docs/FORMATS.md §2), from the programmes' published schemes (research notes
//! §5, WE-24).

use crate::error::Error;
use crate::results::estimate::{EditionRef, Exact, Settlement, Step};
use crate::rules::condition::{Facts, Truth};
use crate::rules::policy::Donation;
use crate::units::date::Date;
use crate::units::money::Ratio;

use super::allocation::allocate;
use super::items::{Cell, Item};
use super::outcome::LayerTally;
use super::state::{Books, DonationState, EncounterCtx};

/// Donates, on each item of the encounter that the programme lists, the units its pattern
/// gives free this time (layer `li`), adding what it paid to the layer's tally (and the
/// settlements, when the trace is kept).
pub(super) fn donate_on_encounter<'a>(
    don: &Donation,
    li: usize,
    e: &EncounterCtx<'a, '_>,
    edition: Option<&EditionRef>,
    books: &mut Books<'a>,
    tally: &mut LayerTally,
) -> Result<(), Error> {
    for ii in e.range.clone() {
        let Some(code) = books.items[ii].code else {
            continue;
        };
        if !don.codes.iter().any(|c| c == code) {
            continue;
        }
        let course = books.donations.entry_default((li, code));
        let settlement = donate(
            don,
            course,
            &mut books.items[ii],
            li,
            e.enc.date,
            e.facts,
            code,
        )?;
        if let Some(mut s) = settlement {
            tally.paid = tally.paid.checked_add(s.paid)?;
            // The trace's settlement (only when the trace is kept, which is when the edition
            // to cite is given).
            let Some(edition) = edition else {
                continue;
            };
            s.encounter = e.pos;
            s.benefit = "donation".into();
            s.name = None;
            s.edition = edition.clone();
            tally.settlements.push(s);
        }
    }
    Ok(())
}

/// Applies a donation pattern to one item.
fn donate<'a>(
    don: &Donation,
    st: &mut DonationState,
    item: &mut Item<'a>,
    li: usize,
    date: Date,
    facts: &Facts,
    code: &str,
) -> Result<Option<Settlement>, Error> {
    let units = item.quantity.max(1);
    if item.amount.is_zero() {
        return Ok(None);
    }
    let first = *st.first.get_or_insert(date);
    let expired = don.max_months.is_some_and(|m| date >= first.add_months(m));
    let all_free = !expired
        && don
            .all_free_when
            .as_ref()
            .is_some_and(|c| c.eval(facts) == Truth::Yes);
    let before = st.units;
    let free = if expired {
        0
    } else if all_free {
        units as u64
    } else {
        free_units(don, before + units as u64) - free_units(don, before)
    };
    st.units += units as u64;
    if free == 0 {
        return Ok(None);
    }
    let exact = item
        .amount
        .exact()
        .checked_mul(Ratio::new(free as i128, units as i128))?;
    let prev = st.paid_rounded;
    st.paid_exact = st.paid_exact.checked_add(exact)?;
    st.paid_rounded = st.paid_exact.round_half_up()?;
    let rounded = st.paid_rounded.checked_sub(prev)?.min(item.amount);
    let cells: Vec<Cell> = (0..4)
        .filter(|&k| item.rem[k].fen() > 0)
        .map(|k| Cell { item: 0, bucket: k })
        .collect();
    // Units another programme already donated are not there to donate again.
    let rounded = allocate(
        std::slice::from_mut(item),
        &cells,
        rounded,
        li,
        &mut Vec::new(),
    )?;
    if rounded.is_zero() {
        return Ok(None);
    }
    Ok(Some(Settlement {
        encounter: 0,
        benefit: String::new(),
        name: None,
        paid: rounded,
        edition: EditionRef {
            from: date,
            until: None,
            sources: std::sync::Arc::from([]),
        },
        steps: vec![
            Step::Donation {
                code: code.to_string(),
                units,
                free_units: free as u32,
                units_before: before,
                all_free,
                amount: Exact(exact),
            },
            Step::Rounding {
                exact: Exact(exact),
                rounded,
            },
        ],
    }))
}

/// How many of the first `n` units of a course are donated.
fn free_units(don: &Donation, n: u64) -> u64 {
    let mut left = n;
    let mut free = 0u64;
    let rounds = &don.rounds;
    for (i, r) in rounds.iter().enumerate() {
        let period = r.paid as u64 + r.free as u64;
        if period == 0 {
            continue;
        }
        let last = i + 1 == rounds.len();
        if last && don.repeat_last {
            let full = left / period;
            let rest = left % period;
            return free + full * r.free as u64 + rest.saturating_sub(r.paid as u64);
        }
        if left <= period {
            return free + left.saturating_sub(r.paid as u64);
        }
        free += r.free as u64;
        left -= period;
    }
    free
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::policy::DonationRound;

    fn don(rounds: &[(u32, u32)], repeat: bool) -> Donation {
        Donation {
            codes: vec![],
            rounds: rounds
                .iter()
                .map(|&(paid, free)| DonationRound { paid, free })
                .collect(),
            repeat_last: repeat,
            all_free_when: None,
            max_months: None,
        }
    }

    #[test]
    fn donation_patterns_count_free_units() {
        let gipap = don(&[(3, 9)], true);
        assert_eq!(free_units(&gipap, 3), 0);
        assert_eq!(free_units(&gipap, 12), 9);
        assert_eq!(free_units(&gipap, 15), 9);
        assert_eq!(free_units(&gipap, 24), 18);
        let k = don(&[(2, 2), (2, 3)], true);
        assert_eq!(free_units(&k, 4), 2);
        assert_eq!(free_units(&k, 9), 5);
        assert_eq!(free_units(&k, 14), 8);
        let once = don(&[(2, 1)], false);
        assert_eq!(free_units(&once, 3), 1);
        assert_eq!(free_units(&once, 10), 1);
    }
}
