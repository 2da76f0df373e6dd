//! Care outside the home region (异地就医) that a public layer's own rules do not mention:
//! settled under the national rule for 跨省异地就医直接结算 (医保发〔2022〕22号: 就医地目录、
//! 参保地政策), with the rate cut that regions commonly apply to a temporary or unfiled visit
//! as the high end of the range (research notes §1.5).

use crate::rules::case::{Encounter, Locality};
use crate::rules::choice::Choice;
use crate::rules::condition::Condition;
use crate::rules::policy::Text;
use crate::rules::policy::{Cap, Edition, Layer};

use super::{text, Settler};

/// How far a layer's rate is cut for 异地 care its rules do not mention, and why.
#[derive(Clone)]
pub(super) struct LocalityCut {
    pub points: i64,
    pub reason: Text,
}

impl<'a> Settler<'a> {
    /// 异地 care a public layer's rules do not mention. Out of the province, the national
    /// rules for 跨省异地就医直接结算 apply (医保发〔2022〕22号: 就医地目录、参保地政策 — the home
    /// region's deductible, rates and caps; temporary visits may be paid less, by an amount
    /// each region sets). The notice sets no size for the cut: local rules typically take 10
    /// points off a filed temporary visit and up to 20 off one not filed or not referred
    /// (research notes §1.5, grades A–D), so those are the range's high ends: `Ok` with what
    /// the range spans and the largest cut. Inside the province no national rule applies:
    /// `Err` with what is missing.
    pub(super) fn out_of_area(
        &self,
        layer: &Layer,
        enc: &Encounter,
    ) -> Result<(Text, LocalityCut), Text> {
        let name = &layer.name;
        if enc.locality == Locality::InProvince {
            return Err(text(
                format!("{}省内异地就医（本市以外、省内）的报销规则", name.zh),
                format!("{}'s rules for care elsewhere in the province", name.en),
            ));
        }
        let (points, zh, en) = match enc.filed {
            Some(true) => (
                100_000,
                "已备案的跨省异地就医：按参保地政策结算；临时外出就医的比例可能降低，各地常见约10个百分点",
                "filed care in another province: settled under the home region's rules; a temporary visit may be paid at a lower rate, commonly about 10 points lower",
            ),
            Some(false) => (
                200_000,
                "未备案的跨省异地就医：按参保地政策结算，比例通常降低，各地常见最多约20个百分点",
                "care in another province not filed (未备案): settled under the home region's rules at a rate usually lowered, by up to about 20 points",
            ),
            None => (
                200_000,
                "跨省异地就医（未说明是否备案）：按参保地政策结算；临时外出或未备案时比例会降低，各地常见最多约20个百分点",
                "care in another province (filing not stated): settled under the home region's rules; a temporary or unfiled visit is paid at a lower rate, by up to about 20 points",
            ),
        };
        let what = text(
            format!("{}：本地区资料没有异地就医的规定，按国家跨省直接结算规则估算。{zh}", name.zh),
            format!("{}: the pack states no rules for care outside the region; the national rules for cross-province settlement were used. {en}", name.en),
        );
        let n = points / 10_000;
        Ok((
            what,
            LocalityCut {
                points,
                reason: text(
                    format!("跨省异地就医：按各地常见的降低{n}个百分点估算（较高的一端）"),
                    format!("care in another province: {n} points lower, as regions commonly do (the high end)"),
                ),
            },
        ))
    }
}

/// Whether any condition of an edition tests locality, filing or referral (then its own
/// rules decide 异地 care).
pub(super) fn edition_mentions_locality(edition: &Edition) -> bool {
    fn choice<T>(c: &Choice<T>) -> bool {
        match c {
            Choice::One(_) => false,
            Choice::Table(rows) => rows
                .iter()
                .any(|r| r.when.as_ref().is_some_and(Condition::mentions_locality)),
        }
    }
    let caps = |caps: &[Cap]| caps.iter().any(|c| choice(&c.amount));
    caps(&edition.caps)
        || edition.benefits.iter().any(|b| {
            b.when.mentions_locality()
                || b.first_pay.as_ref().is_some_and(choice)
                || b.deductible.as_ref().is_some_and(|d| choice(&d.amount))
                || b.rate.flat.as_ref().is_some_and(choice)
                || b.rate
                    .bands
                    .as_ref()
                    .is_some_and(|bands| bands.steps.iter().any(|s| choice(&s.rate)))
                || b.rate
                    .adjustments
                    .iter()
                    .any(|a| a.when.mentions_locality())
                || caps(&b.caps)
        })
}
