//! Eligibility: whether a layer helps this member on this date — the programme's dates (the
//! patient joined `since`; `status.endedOn`, `status.closedToNewFrom`), enrolment
//! (`enrolment`), the layer's `requires` conditions, and a blocking data gap. The answer is
//! yes, no with a reason, not enrolled, needs an input, or no rules here — never a silent ¥0
//! (DESIGN.md "Layers" and principle 7).

use crate::rules::condition::{Facts, Truth};
use crate::rules::policy::Edition;
use crate::rules::policy::Text;

use super::{text, LayerRef, Settler};

/// Whether a layer helps, and if not, why.
pub(super) enum Eligibility {
    Yes,
    /// Excluded; `true` when a rule of the layer (its `requires`) says so.
    No(Text, bool),
    NotEnrolled(Text),
    Needs(String, Text),
    NoRules(Text),
}

impl Settler<'_> {
    pub(super) fn eligibility(
        &self,
        lr: LayerRef,
        facts: &Facts,
        edition: &Edition,
    ) -> Eligibility {
        let layer = lr.layer;
        if let Some(since) = lr.since {
            if facts.date < since {
                return Eligibility::No(
                    text(
                        format!("患者 {since} 才加入该项目"),
                        format!("the patient joined the programme only on {since}"),
                    ),
                    false,
                );
            }
        }
        if let Some(st) = &layer.status {
            if let Some(end) = st.ended_on {
                if facts.date >= end {
                    return Eligibility::No(
                        text(
                            format!("该项目已于 {end} 结束"),
                            format!("the programme ended on {end}"),
                        ),
                        false,
                    );
                }
            }
            if let Some(closed) = st.closed_to_new_from {
                if facts.date >= closed {
                    match lr.since {
                        Some(s) if s < closed => {}
                        Some(_) => {
                            return Eligibility::No(
                                text(
                                    format!("该项目自 {closed} 起不再接受新患者"),
                                    format!(
                                        "the programme has not accepted new patients since {closed}"
                                    ),
                                ),
                                false,
                            )
                        }
                        None => {
                            let input = match lr.programme_path {
                                Some(i) => format!("programmes[{i}].since"),
                                None => "programmes.since".to_string(),
                            };
                            return Eligibility::Needs(
                                input,
                                text(
                                    format!("该项目自 {closed} 起不再接受新患者；需知道患者何时加入"),
                                    format!("the programme has not accepted new patients since {closed}; when did the patient join?"),
                                ),
                            );
                        }
                    }
                }
            }
        }
        if layer.enrolment.is_some() && !facts.member.enrolments.contains(&layer.id) {
            return Eligibility::NotEnrolled(text(
                format!("未参加{}", layer.name.zh),
                format!("not enrolled in {}", layer.name.en),
            ));
        }
        for req in &layer.requires {
            match req.when.eval(facts) {
                Truth::Yes => {}
                Truth::No => return Eligibility::No(req.reason.clone(), true),
                Truth::Unknown(input) => {
                    return Eligibility::Needs(input.to_string(), req.reason.clone())
                }
            }
        }
        if let Some(g) = edition.effective.gaps.iter().find(|g| g.blocking) {
            return Eligibility::NoRules(g.what.clone());
        }
        Eligibility::Yes
    }
}
