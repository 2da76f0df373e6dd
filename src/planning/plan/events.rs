//! The events of a plan: what changes what the family pays from one month to the next — a new
//! policy year, a deductible met, a cap reached, a donation's free units starting or paid
//! units resuming — found in the settlement traces.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::error::Error;
use crate::results::estimate::{Exact, Step};
use crate::rules::policy::{LayerKind, Per, Text};
use crate::units::date::Date;
use crate::units::money::Money;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::subject::Evaluated;

/// What kind of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new policy year began: yearly deductibles, bands and caps start again.
    PolicyYearStart,
    /// A yearly deductible was met.
    DeductibleMet,
    /// A yearly cap on a payment was reached (the payment was cut).
    CapReached,
    /// A yearly cap on the cost entering a benefit was reached.
    CostCapReached,
    /// A donation programme started giving free units.
    DonationFreeUnitsStart,
    /// After free units, the family buys again (a new round).
    DonationPaidUnitsResume,
}

/// Something that changes what the family pays, derived from the settlement traces.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// What.
    pub kind: EventKind,
    /// Plan month.
    pub month: u32,
    /// Date.
    pub date: Date,
    /// Encounter index (date order, as in the estimate's `encounters`).
    pub encounter: usize,
    /// The layer concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// The benefit concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benefit: Option<String>,
    /// The deductible or cap amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// In words.
    pub message: Text,
}

/// Derives the events from the settlement traces.
pub(super) fn events(ev: &Evaluated, month_of_pos: &[u32]) -> Result<Vec<Event>, Error> {
    let est = &ev.estimate;
    let mut out: Vec<Event> = Vec::new();
    let at = |pos: usize| -> Option<(u32, Date)> {
        Some((
            month_of_pos.get(pos).copied().unwrap_or(1),
            est.encounters.get(pos)?.date,
        ))
    };
    for (pos, pair) in est.encounters.windows(2).enumerate() {
        if pair[1].policy_year != pair[0].policy_year {
            let Some((month, date)) = at(pos + 1) else {
                continue;
            };
            let y = pair[1].policy_year;
            out.push(Event {
                kind: EventKind::PolicyYearStart,
                month,
                date,
                encounter: pos + 1,
                layer: None,
                benefit: None,
                amount: None,
                message: Text::new(
                    format!("新的医保年度自 {y} 开始：起付线、分段和年度限额重新累计"),
                    format!("A new policy year starts on {y}: yearly deductibles, bands and caps start again"),
                ),
            });
        }
    }
    let mut caps_seen: HashSet<(String, String, String, Date)> = HashSet::new();
    for layer in &est.layers {
        for s in &layer.settlements {
            let Some((month, date)) = at(s.encounter) else {
                continue;
            };
            let year = est.encounters[s.encounter].policy_year;
            // What this settlement's steps announce: an event of its layer and benefit.
            let name = s.name.as_ref().unwrap_or(&layer.name);
            let event = |kind, amount: Money, zh: String, en: String| Event {
                kind,
                month,
                date,
                encounter: s.encounter,
                layer: Some(layer.id.clone()),
                benefit: Some(s.benefit.clone()),
                amount: Some(amount),
                message: Text::new(zh, en),
            };
            for step in &s.steps {
                match step {
                    Step::Deductible {
                        amount,
                        per: Per::Year,
                        met_before,
                        applied,
                        offset,
                        ..
                    } if !amount.is_zero() => {
                        let mut after = met_before.0.checked_add(applied.0)?;
                        if let Some(o) = offset {
                            after = after.checked_add(o.0)?;
                        }
                        if !ge(*met_before, *amount) && ge(Exact(after), *amount) {
                            out.push(event(
                                EventKind::DeductibleMet,
                                *amount,
                                format!(
                                    "{}（{}）的年度起付线 {} 元已达到",
                                    layer.name.zh, name.zh, amount
                                ),
                                format!(
                                    "{} ({}): the yearly deductible of {} is met",
                                    layer.name.en, name.en, amount
                                ),
                            ));
                        }
                    }
                    Step::Cap {
                        limit,
                        per: Per::Year,
                        reduction,
                        pointer,
                        pool,
                        ..
                    } if reduction.0.is_positive() => {
                        let key = (
                            layer.id.clone(),
                            pool.clone().unwrap_or_else(|| s.benefit.clone()),
                            pointer.to_string(),
                            year,
                        );
                        if caps_seen.insert(key) {
                            out.push(event(
                                EventKind::CapReached,
                                *limit,
                                format!("{}（{}）的年度支付限额 {} 元已用完，本年度此后不再支付", layer.name.zh, name.zh, limit),
                                format!("{} ({}): the yearly cap of {} is reached; it pays nothing more this policy year", layer.name.en, name.en, limit),
                            ));
                        }
                    }
                    Step::CostCap {
                        limit,
                        per: Per::Year,
                        removed,
                        pointer,
                        ..
                    } if removed.0.is_positive() => {
                        let key = (
                            layer.id.clone(),
                            s.benefit.clone(),
                            format!("cost{pointer}"),
                            year,
                        );
                        if caps_seen.insert(key) {
                            out.push(event(
                                EventKind::CostCapReached,
                                *limit,
                                format!("{}（{}）计入的年度费用上限 {} 元已达到", layer.name.zh, name.zh, limit),
                                format!("{} ({}): the yearly ceiling of {} on the cost it counts is reached", layer.name.en, name.en, limit),
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    // Donation rounds: walk each donated code over the plan's purchases of it.
    for layer in est.layers.iter().filter(|l| l.kind == LayerKind::Donation) {
        let mut free_at: HashMap<(String, usize), u32> = HashMap::new();
        for s in &layer.settlements {
            for step in &s.steps {
                if let Step::Donation {
                    code, free_units, ..
                } = step
                {
                    *free_at.entry((code.clone(), s.encounter)).or_default() += free_units;
                }
            }
        }
        let mut codes: Vec<&String> = free_at.keys().map(|(c, _)| c).collect();
        codes.sort();
        codes.dedup();
        for code in codes {
            let mut prev: Option<bool> = None;
            for (pos, e) in est.encounters.iter().enumerate() {
                let buys = ev
                    .case
                    .encounters
                    .get(e.input_index)
                    .is_some_and(|enc| enc.items.iter().any(|i| i.code.as_ref() == Some(code)));
                if !buys {
                    continue;
                }
                let free = free_at.get(&(code.clone(), pos)).copied().unwrap_or(0) > 0;
                let Some((month, date)) = at(pos) else {
                    continue;
                };
                // A turn: free units start, or the family buys again after free ones.
                let turn = match (free, prev == Some(true)) {
                    (true, false) => Some((
                        EventKind::DonationFreeUnitsStart,
                        format!("{}：从本月起药品 {} 由项目赠送", layer.name.zh, code),
                        format!("{}: from this month {} is donated", layer.name.en, code),
                    )),
                    (false, true) => Some((
                        EventKind::DonationPaidUnitsResume,
                        format!("{}：赠药周期结束，本月起需重新自购 {}", layer.name.zh, code),
                        format!(
                            "{}: the free period ends; the family buys {} again from this month",
                            layer.name.en, code
                        ),
                    )),
                    _ => None,
                };
                if let Some((kind, zh, en)) = turn {
                    out.push(Event {
                        kind,
                        month,
                        date,
                        encounter: pos,
                        layer: Some(layer.id.clone()),
                        benefit: Some(code.clone()),
                        amount: None,
                        message: Text::new(zh, en),
                    });
                }
                prev = Some(free);
            }
        }
    }
    out.sort_by_key(|e| e.encounter);
    Ok(out)
}

/// Whether an exact amount has reached a money amount.
fn ge(a: Exact, b: Money) -> bool {
    a.0.cmp_exact(b.exact()) != std::cmp::Ordering::Less
}
