//! Help still available: for a case (or plan) as entered, the help that concerns *this* case
//! — programmes serving its region whose drugs it uses, products for its scheme, assistance
//! categories that would change what it pays — each settled again, with how much the family's
//! share would fall, what must still be true for that (the certification, the programme's own
//! review), and how to apply (office, documents, deadline) where the rules' data says.
//! Sorted by saving, largest first.
//!
//! Left out, because nobody could apply for them for this case: built-in programme templates
//! (ids starting `template-`, examples for charity portals); programmes for other regions
//! (`regions`); drug-donation programmes for drugs the case does not use; programmes ended or
//! closed to new patients, and anything else whose rules say the family is not eligible;
//! categories and products that would not lower what this case costs.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::planning::plan::{evaluate_value, region_of, Evaluated};
use crate::planning::scenario::{apply_preset, Preset};
use crate::reading::read::parse;
use crate::results::estimate::{LayerResult, Outcome};
use crate::rules::catalog::Catalog;
use crate::rules::policy::{HowToApply, Layer, LayerKind, PackKind, Text};
use crate::units::date::Date;
use crate::units::money::Money;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// What kind of help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpKind {
    /// A charity or drug-donation programme.
    Programme,
    /// A product to enrol in (惠民保).
    Product,
    /// Recognition in an assistance category (因病致贫, 低保 …).
    Category,
}

/// One kind of help and what it would change.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HelpOption {
    /// What kind.
    pub kind: HelpKind,
    /// The programme, product (layer) or category id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// How much the family's share falls (negative if it would rise).
    pub saving: Money,
    /// The family's share with it.
    pub family_with: Money,
    /// For a product: saving − premium.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_saving: Option<Money>,
    /// Eligibility, from the layer(s) it adds or changes.
    pub outcome: Outcome,
    /// The layers concerned.
    pub layers: Vec<String>,
    /// Documents to bring.
    pub documents: Vec<Text>,
    /// For a product: the yearly premium.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub premium: Option<Money>,
    /// For a product: the enrolment window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_from: Option<Date>,
    /// For a product: the last day of enrolment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_until: Option<Date>,
    /// What must still be true for the saving, in plain words: the certification a category
    /// needs ("if your household is certified 低保"), what the programme checks that its
    /// rules here do not express (its declared gaps). Empty only when the case itself shows
    /// the family qualifies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Text>,
    /// How to apply, step by step (for a category: first be certified, then how the
    /// assistance is paid), where the rules' data says; empty when it does not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub apply: Vec<HowToApply>,
}

/// The help still available.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HelpAvailable {
    /// The family's share as entered.
    pub family: Money,
    /// Each option, largest saving first.
    pub options: Vec<HelpOption>,
}

/// The outcome that best describes the change: an eligible layer that pays more, else the
/// first layer's (needs information before ineligible).
fn outcome_of(layers: &[&LayerResult]) -> Outcome {
    if let Some(l) = layers
        .iter()
        .find(|l| l.outcome == Outcome::Eligible && !l.paid.is_zero())
    {
        return l.outcome.clone();
    }
    if let Some(l) = layers
        .iter()
        .find(|l| matches!(l.outcome, Outcome::NeedsInformation { .. }))
    {
        return l.outcome.clone();
    }
    if let Some(l) = layers.iter().find(|l| l.outcome == Outcome::Eligible) {
        return l.outcome.clone();
    }
    layers
        .first()
        .map(|l| l.outcome.clone())
        .unwrap_or(Outcome::Ineligible {
            reason: Text::new("没有适用的待遇", "no layer applies"),
            sources: Vec::new(),
        })
}

/// Help the family applies for (a programme, an assistance category), with `with` the case
/// settled again as if it had it and `ls` the layers it adds or changes: no premium and no
/// enrolment window; what must still be true and how to apply as the caller found them.
// One argument a field the two callers set differently (a struct update from a partial option
// instead made the planning wasm 400 B gzip larger).
#[allow(clippy::too_many_arguments)]
fn applied_for(
    kind: HelpKind,
    id: &str,
    name: &Text,
    saving: Money,
    with: &Evaluated,
    ls: &[&LayerResult],
    outcome: Outcome,
    conditions: Vec<Text>,
    apply: Vec<HowToApply>,
) -> HelpOption {
    HelpOption {
        kind,
        id: id.to_string(),
        name: name.clone(),
        saving,
        family_with: with.estimate.patient.total,
        net_saving: None,
        outcome,
        layers: ls.iter().map(|l| l.id.clone()).collect(),
        documents: documents(ls),
        premium: None,
        window_from: None,
        window_until: None,
        conditions,
        apply,
    }
}

fn documents(layers: &[&LayerResult]) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::new();
    for l in layers {
        for d in &l.documents {
            if !out.contains(d) {
                out.push(d.clone());
            }
        }
    }
    out
}

/// The subject settled again with one change (enrol, apply for a programme, a category).
fn with_preset(doc: &Value, preset: &Preset) -> Result<Evaluated, Error> {
    let mut d = doc.clone();
    apply_preset(&mut d, preset);
    evaluate_value(&d, "$")
}

/// Whether a product or category would lower the family's share (or an answer is needed to
/// know): otherwise it is no help for this case and is left out.
fn lowers_share(saving: Money, outcome: &Outcome) -> bool {
    saving > Money::ZERO || matches!(outcome, Outcome::NeedsInformation { .. })
}

/// Whether a programme layer concerns the case: a drug-donation programme only when the case
/// uses one of its drugs; any other programme always.
fn uses_drugs_of(l: &Layer, codes: &[&str]) -> bool {
    l.kind != LayerKind::Donation
        || l.editions.iter().any(|e| {
            e.donation
                .as_ref()
                .is_some_and(|d| d.codes.iter().any(|c| codes.contains(&c.as_str())))
        })
}

/// Whether a programme takes no new patients (ended, or closed to new ones) on the case's
/// first date: a family cannot apply any more.
fn closed_to_new(layers: &[Layer], date: Option<Date>) -> bool {
    let Some(date) = date else { return false };
    !layers.is_empty()
        && layers.iter().all(|l| {
            l.status.as_ref().is_some_and(|s| {
                s.ended_on.is_some_and(|d| date >= d)
                    || s.closed_to_new_from.is_some_and(|d| date >= d)
            })
        })
}

/// What the rules in effect on the case's first date cannot check for the family: their
/// declared gaps, as conditions ("the programme also checks: its financial test").
fn unchecked(layers: &[Layer], date: Option<Date>) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::new();
    for l in layers {
        let in_effect = l.editions.iter().filter(|e| {
            let f = &e.effective;
            date.is_none_or(|d| f.from <= d && f.until.is_none_or(|u| d < u))
        });
        for g in in_effect.flat_map(|e| &e.effective.gaps) {
            let t = Text::new(
                format!("还须通过审核：{}", g.what.zh),
                format!("still to be checked by them: {}", g.what.en),
            );
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// The help still available for a subject document.
pub fn help_available(doc: &Value) -> Result<HelpAvailable, Error> {
    let base = evaluate_value(doc, "$")?;
    let family = base.estimate.patient.total;
    let catalog = Catalog::embedded();
    let region = region_of(&base.case, catalog)?;
    let mut options = Vec::new();

    // Programmes not applied for, for this region and the drugs the case uses.
    let applied: Vec<&str> = base
        .case
        .programmes
        .iter()
        .filter_map(|p| p.id.as_deref())
        .collect();
    let layer_ids: Vec<&str> = base.estimate.layers.iter().map(|l| l.id.as_str()).collect();
    let codes: Vec<&str> = base
        .case
        .encounters
        .iter()
        .flat_map(|e| &e.items)
        .filter_map(|i| i.code.as_deref())
        .collect();
    let date = base.case.encounters.iter().map(|e| e.date).min();
    for p in catalog.packs().filter(|p| p.kind == PackKind::Programme) {
        if applied.contains(&p.id.as_str())
            || p.id.starts_with("template-")
            || !(p.regions.is_empty() || p.regions.contains(&region.id))
            || p.layers.iter().any(|l| layer_ids.contains(&l.id.as_str()))
            || !p.layers.iter().any(|l| uses_drugs_of(l, &codes))
        {
            continue;
        }
        let ev = with_preset(doc, &Preset::Programme { id: p.id.clone() })?;
        let ids: Vec<&str> = p.layers.iter().map(|l| l.id.as_str()).collect();
        let ls: Vec<&LayerResult> = ev
            .estimate
            .layers
            .iter()
            .filter(|l| ids.contains(&l.id.as_str()))
            .collect();
        let outcome = outcome_of(&ls);
        if matches!(outcome, Outcome::Ineligible { .. }) || closed_to_new(&p.layers, date) {
            continue;
        }
        let saving = family.checked_sub(ev.estimate.patient.total)?;
        options.push(applied_for(
            HelpKind::Programme,
            &p.id,
            &p.name,
            saving,
            &ev,
            &ls,
            outcome,
            unchecked(&p.layers, date),
            p.layers.iter().filter_map(|l| l.apply.clone()).collect(),
        ));
    }

    // Products the member is not enrolled in.
    let scheme = base.case.member.scheme.as_str();
    for l in &region.layers {
        let Some(en) = &l.enrolment else { continue };
        if base.case.member.enrolments.contains(&l.id)
            || !(l.schemes.is_empty() || l.schemes.iter().any(|s| s == scheme))
        {
            continue;
        }
        let ev = with_preset(
            doc,
            &Preset::Enrol {
                product: l.id.clone(),
            },
        )?;
        let ls: Vec<&LayerResult> = ev.estimate.layers.iter().filter(|x| x.id == l.id).collect();
        let saving = family.checked_sub(ev.estimate.patient.total)?;
        let outcome = outcome_of(&ls);
        if !lowers_share(saving, &outcome) {
            continue; // the product would not pay anything towards this case
        }
        options.push(HelpOption {
            kind: HelpKind::Product,
            id: l.id.clone(),
            name: l.name.clone(),
            saving,
            family_with: ev.estimate.patient.total,
            net_saving: Some(saving.checked_sub(en.premium.unwrap_or(Money::ZERO))?),
            outcome,
            layers: vec![l.id.clone()],
            documents: documents(&ls),
            premium: en.premium,
            window_from: en.window_from,
            window_until: en.window_until,
            conditions: [
                vec![Text::new(
                    "只赔投保生效（等待期满）后发生的费用；已有的疾病（既往症）可能少赔或不赔",
                    "pays only for costs after cover starts (after any waiting period); an illness you already have (既往症) may be paid less or not at all",
                )],
                unchecked(std::slice::from_ref(l), date),
            ]
            .concat(),
            apply: l.apply.iter().cloned().collect(),
        });
    }

    // Assistance categories.
    let current = base.case.member.category.as_deref();
    for c in &region.categories {
        if current == Some(c.id.as_str()) {
            continue;
        }
        let ev = with_preset(
            doc,
            &Preset::Category {
                category: c.id.clone(),
            },
        )?;
        // The layers whose payment or outcome the category changes.
        let ls: Vec<&LayerResult> = ev
            .estimate
            .layers
            .iter()
            .filter(
                |l| match base.estimate.layers.iter().find(|b| b.id == l.id) {
                    Some(b) => b.paid != l.paid || b.outcome != l.outcome,
                    None => true,
                },
            )
            .collect();
        let saving = family.checked_sub(ev.estimate.patient.total)?;
        let outcome = outcome_of(&ls);
        if !lowers_share(saving, &outcome) {
            continue; // the category would not lower what this case costs the family
        }
        // First be certified, then how the assistance is paid.
        let mut apply: Vec<HowToApply> = region.certification.iter().cloned().collect();
        for l in &ls {
            if let Some(a) = region
                .layers
                .iter()
                .find(|x| x.id == l.id)
                .and_then(|x| x.apply.as_ref())
            {
                if !apply.contains(a) {
                    apply.push(a.clone());
                }
            }
        }
        let conditions = vec![Text::new(
            format!("如果您家经认定为{}", c.name.zh),
            format!("if your household is certified as {}", c.name.en),
        )];
        options.push(applied_for(
            HelpKind::Category,
            &c.id,
            &c.name,
            saving,
            &ev,
            &ls,
            outcome,
            conditions,
            apply,
        ));
    }
    options.sort_by(|a, b| b.saving.cmp(&a.saving).then_with(|| a.id.cmp(&b.id)));
    Ok(HelpAvailable { family, options })
}

/// The help still available for a case or plan document given as JSON text.
pub fn help_available_json(text: &str) -> Result<HelpAvailable, Error> {
    crate::reading::limits::check_size(text)?;
    help_available(&parse(text)?)
}
