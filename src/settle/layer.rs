//! One layer on one encounter: the rules that settle it (the layer's own edition, or in the
//! floor run the floor pack's layer where it has none), eligibility, 异地 care its rules do
//! not mention, a drug donation, then each benefit whose `when` holds, in the pack's order.
//! What stays undecided (an input, a rule no source gives) is gathered for the outcome.
//!
//! The rule: a layer's `editions` (`benefits`, `caps`, `donation`, `gaps`) and `requires`;
//! DESIGN.md "Layers" and principle 7.

use crate::error::Error;
use crate::results::estimate::EditionRef;
use crate::rules::case::Locality;
use crate::rules::condition::Truth;

use super::donation::donate_on_encounter;
use super::eligibility::Eligibility;
use super::out_of_area::edition_mentions_locality;
use super::outcome::LayerTally;
use super::state::{benefit_name, BenefitCtx, BenefitResult, Books, EncounterCtx};
use super::{text, Settler};

impl<'a> Settler<'a> {
    /// Settles layer `li` on the encounter, adding what it pays and why to its tally.
    // Inlined into `run`, as it was before the split: the wasm module is 135 B (gzip) smaller.
    #[inline(always)]
    pub(super) fn settle_layer(
        &mut self,
        li: usize,
        e: &EncounterCtx<'a, '_>,
        books: &mut Books<'a>,
        tally: &mut LayerTally,
    ) -> Result<(), Error> {
        let (enc, facts) = (e.enc, e.facts);
        let lr0 = self.layers[li];
        let layer0 = lr0.layer;
        // What is settled: the layer's own edition, or (in the floor run) the floor
        // pack's layer in its place where the layer has no rules.
        let mut attempt = match self.edition_on(lr0, enc.date) {
            Some(e) => Some((lr0, e)),
            None if lr0.programme_path.is_some() => {
                tally.ineligible.get_or_insert((
                    text(
                        format!("{} 没有在 {} 生效的规则", layer0.name.zh, enc.date),
                        format!("{} has no rules in effect on {}", layer0.name.en, enc.date),
                    ),
                    Vec::new(),
                ));
                None
            }
            None => {
                tally.no_rules.get_or_insert(text(
                    format!("{}在 {} 适用的规则", layer0.name.zh, enc.date),
                    format!("the rules of {} in effect on {}", layer0.name.en, enc.date),
                ));
                self.floor_attempt(layer0, enc.date)
            }
        };
        let mut own = attempt.is_some_and(|(lr, _)| std::ptr::eq(lr.layer, layer0));
        if attempt.is_some() && !own {
            tally.used_floor = true;
        }
        while let Some((lr, edition)) = attempt.take() {
            let layer = lr.layer;
            let undecided = match self.eligibility(lr, facts, edition) {
                Eligibility::Yes => {
                    tally.eligible_somewhere |= own;
                    false
                }
                Eligibility::No(reason, by_rule) => {
                    let sources = if by_rule {
                        self.cite_edition(lr.pack, &edition.effective).to_vec()
                    } else {
                        Vec::new()
                    };
                    if own {
                        tally.ineligible.get_or_insert((reason, sources));
                    }
                    break;
                }
                Eligibility::NotEnrolled(reason) => {
                    if own {
                        tally.not_enrolled.get_or_insert(reason);
                    }
                    break;
                }
                Eligibility::Needs(input, reason) => {
                    if own {
                        tally.needs.get_or_insert((input, reason));
                    }
                    true
                }
                Eligibility::NoRules(what) => {
                    if own {
                        tally.no_rules.get_or_insert(what);
                    }
                    true
                }
            };
            if undecided {
                if own {
                    attempt = self.floor_attempt(layer0, enc.date);
                    tally.used_floor |= attempt.is_some();
                    own = false;
                }
                continue;
            }
            self.cut = None;
            if own
                && layer.kind.is_public()
                && enc.locality != Locality::InRegion
                && !edition_mentions_locality(edition)
            {
                match self.out_of_area(layer, enc) {
                    Ok((what, cut)) => {
                        tally.out_of_area.get_or_insert(what);
                        if self.floor.is_none() {
                            self.cut = Some(cut);
                        }
                    }
                    Err(what) => {
                        tally.no_rules.get_or_insert(what);
                        if self.floor.is_none() {
                            break;
                        }
                    }
                }
            }
            for g in &edition.effective.gaps {
                if !g.blocking && own {
                    self.warn(
                        "data_gap",
                        text(
                            format!("{}：资料缺失——{}", layer.name.zh, g.what.zh),
                            format!("{}: no source gives {}", layer.name.en, g.what.en),
                        ),
                        Some(format!("pack {} layer {}", lr.pack.id, layer.id)),
                    );
                }
            }
            // What a settlement in the trace cites; not built for totals, which only note the
            // sources (their grades decide the low-grade warning).
            let edition_ref = if self.trace {
                Some(EditionRef {
                    from: edition.effective.from,
                    until: edition.effective.until,
                    sources: self.cite_edition(lr.pack, &edition.effective),
                })
            } else {
                self.note_edition(lr.pack, &edition.effective);
                None
            };
            if let Some(don) = &edition.donation {
                donate_on_encounter(don, li, e, edition_ref.as_ref(), books, tally)?;
            }
            let mut gap = false;
            for (bi, benefit) in edition.benefits.iter().enumerate() {
                match benefit.when.eval(facts) {
                    Truth::No => continue,
                    Truth::Unknown(input) => {
                        if own && tally.needs.is_none() {
                            let n = benefit_name(layer, benefit);
                            tally.needs = Some((
                                input.to_string(),
                                text(
                                    format!("{} 是否适用取决于此项信息", n.zh),
                                    format!("whether {} applies depends on this", n.en),
                                ),
                            ));
                        }
                        gap = true;
                        continue;
                    }
                    Truth::Yes => {}
                }
                let ctx = BenefitCtx {
                    li,
                    bi,
                    lr,
                    edition,
                    benefit,
                    facts,
                    admission: e.admission,
                    days: enc.days,
                    range: e.range.clone(),
                };
                match self.settle_benefit(ctx, books)? {
                    BenefitResult::Paid(p) => {
                        tally.paid = tally.paid.checked_add(p.paid)?;
                        if let (Some(mut s), Some(edition)) = (p.settlement, &edition_ref) {
                            s.encounter = e.pos;
                            s.edition = edition.clone();
                            tally.settlements.push(s);
                        }
                    }
                    BenefitResult::Needs(input, what) => {
                        if own {
                            tally.needs.get_or_insert((input, what));
                        }
                        gap = true;
                    }
                    BenefitResult::NoRules(what) => {
                        if own {
                            tally.no_rules.get_or_insert(what);
                        }
                        gap = true;
                    }
                    BenefitResult::NotApplicable => {}
                }
            }
            self.cut = None;
            if gap && own {
                // The floor run settles the floor pack's layer on what is left.
                attempt = self.floor_attempt(layer0, enc.date);
                tally.used_floor |= attempt.is_some();
                own = false;
            }
        }
        let note = std::mem::take(&mut books.encounter.note);
        books.encounter.notes.insert(layer0.id.as_str(), note);
        Ok(())
    }
}
