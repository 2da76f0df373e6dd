//! Help still available: for a case (or plan) as entered, every programme of the catalogue
//! not yet applied for, every product the member could enrol in, and every assistance
//! category the pack recognises — each settled again, with how much the family's share would
//! fall, whether the family qualifies (or which input would decide it), and the documents to
//! bring. Sorted by saving, largest first.
//!
//! Built-in programme templates (ids starting `template-`) are examples for charity portals,
//! not programmes one can apply to, and are left out.

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::date::Date;
use crate::error::{from_json_str, Error};
use crate::estimate::{LayerResult, Outcome};
use crate::money::Money;
use crate::plan::{evaluate_value, region_of};
use crate::policy::{PackKind, Text};
use crate::scenario::{apply_preset, Preset};

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

/// The help still available for a subject document.
pub fn help_available(doc: &Value) -> Result<HelpAvailable, Error> {
    let base = evaluate_value(doc, "$")?;
    let family = base.estimate.patient.total;
    let catalog = Catalog::embedded();
    let region = region_of(&base.case, catalog)?;
    let mut options = Vec::new();

    // Programmes not applied for.
    let applied: Vec<&str> = base
        .case
        .programmes
        .iter()
        .filter_map(|p| p.id.as_deref())
        .collect();
    let layer_ids: Vec<&str> = base.estimate.layers.iter().map(|l| l.id.as_str()).collect();
    for p in catalog.packs().filter(|p| p.kind == PackKind::Programme) {
        if applied.contains(&p.id.as_str())
            || p.id.starts_with("template-")
            || p.layers.iter().any(|l| layer_ids.contains(&l.id.as_str()))
        {
            continue;
        }
        let mut d = doc.clone();
        apply_preset(&mut d, &Preset::Programme { id: p.id.clone() });
        let ev = evaluate_value(&d, "$")?;
        let ids: Vec<&str> = p.layers.iter().map(|l| l.id.as_str()).collect();
        let ls: Vec<&LayerResult> = ev
            .estimate
            .layers
            .iter()
            .filter(|l| ids.contains(&l.id.as_str()))
            .collect();
        options.push(HelpOption {
            kind: HelpKind::Programme,
            id: p.id.clone(),
            name: p.name.clone(),
            saving: family.checked_sub(ev.estimate.patient.total)?,
            family_with: ev.estimate.patient.total,
            net_saving: None,
            outcome: outcome_of(&ls),
            layers: ls.iter().map(|l| l.id.clone()).collect(),
            documents: documents(&ls),
            premium: None,
            window_from: None,
            window_until: None,
        });
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
        let mut d = doc.clone();
        apply_preset(
            &mut d,
            &Preset::Enrol {
                product: l.id.clone(),
            },
        );
        let ev = evaluate_value(&d, "$")?;
        let ls: Vec<&LayerResult> = ev.estimate.layers.iter().filter(|x| x.id == l.id).collect();
        let saving = family.checked_sub(ev.estimate.patient.total)?;
        options.push(HelpOption {
            kind: HelpKind::Product,
            id: l.id.clone(),
            name: l.name.clone(),
            saving,
            family_with: ev.estimate.patient.total,
            net_saving: Some(saving.checked_sub(en.premium.unwrap_or(Money::ZERO))?),
            outcome: outcome_of(&ls),
            layers: vec![l.id.clone()],
            documents: documents(&ls),
            premium: en.premium,
            window_from: en.window_from,
            window_until: en.window_until,
        });
    }

    // Assistance categories.
    let current = base.case.member.category.as_deref();
    for c in &region.categories {
        if current == Some(c.id.as_str()) {
            continue;
        }
        let mut d = doc.clone();
        apply_preset(
            &mut d,
            &Preset::Category {
                category: c.id.clone(),
            },
        );
        let ev = evaluate_value(&d, "$")?;
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
        options.push(HelpOption {
            kind: HelpKind::Category,
            id: c.id.clone(),
            name: c.name.clone(),
            saving: family.checked_sub(ev.estimate.patient.total)?,
            family_with: ev.estimate.patient.total,
            net_saving: None,
            outcome: outcome_of(&ls),
            layers: ls.iter().map(|l| l.id.clone()).collect(),
            documents: documents(&ls),
            premium: None,
            window_from: None,
            window_until: None,
        });
    }
    options.sort_by(|a, b| b.saving.cmp(&a.saving).then_with(|| a.id.cmp(&b.id)));
    Ok(HelpAvailable { family, options })
}

/// The help still available for a case or plan document given as JSON text.
pub fn help_available_json(text: &str) -> Result<HelpAvailable, Error> {
    crate::engine::check_size(text)?;
    let value: Value = from_json_str(text)?;
    help_available(&value)
}
