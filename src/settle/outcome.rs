//! Each layer's outcome and the estimate's totals: what every layer paid, whether it is
//! eligible, ineligible, not enrolled, needs information or has no rules here (DESIGN.md
//! principle 7, docs/FORMATS.md §3 "Statuses and ranges"), the layers whose payment a range
//! must span, and a check that every item's payments add up to its amount to the fen.

use std::collections::BTreeMap;

use crate::error::{Error, ErrorCode};
use crate::results::estimate::*;
use crate::rules::policy::{LayerKind, Text};
use crate::units::date::Date;
use crate::units::money::Money;

use super::items::Item;
use super::state::EncounterCtx;
use super::{text, Settler, UndecidedLayer};

/// What one layer gathered over the encounters.
#[derive(Default)]
pub(super) struct LayerTally {
    pub paid: Money,
    pub settlements: Vec<Settlement>,
    pub eligible_somewhere: bool,
    pub ineligible: Option<(Text, Vec<String>)>,
    pub not_enrolled: Option<Text>,
    pub needs: Option<(String, Text)>,
    pub no_rules: Option<Text>,
    /// 异地 care the layer's rules do not mention, settled under the national rule: what
    /// the range spans.
    pub out_of_area: Option<Text>,
    /// Whether the floor run settled the national floor pack's layer in its place.
    pub used_floor: bool,
}

impl Settler<'_> {
    /// What one encounter cost, what each layer paid of it and what is left for the family.
    pub(super) fn encounter_result(
        &self,
        ei: usize,
        e: &EncounterCtx,
        policy_year: Date,
        items: &[Item],
    ) -> Result<EncounterResult, Error> {
        let mut paid_by = BTreeMap::new();
        let mut total = Money::ZERO;
        let mut patient = Money::ZERO;
        for it in &items[e.range.clone()] {
            total = total.checked_add(it.amount)?;
            for b in it.rem {
                patient = patient.checked_add(b)?;
            }
            for (li, p) in it.paid.iter().enumerate() {
                if p.is_zero() {
                    continue;
                }
                // Looked up by `&str` first: the id is copied once per layer that paid, not
                // once per item.
                let id = &self.layers[li].layer.id;
                match paid_by.get_mut(id.as_str()) {
                    Some(entry) => *entry = Money::checked_add(*entry, *p)?,
                    None => {
                        paid_by.insert(id.clone(), *p);
                    }
                }
            }
        }
        Ok(EncounterResult {
            input_index: ei,
            date: e.enc.date,
            label: e.enc.label.clone(),
            total,
            paid_by,
            patient,
            admission: e.admission,
            policy_year,
        })
    }

    pub(super) fn finish(
        mut self,
        items: Vec<Item>,
        tallies: Vec<LayerTally>,
        encounters: Vec<EncounterResult>,
    ) -> Result<(Estimate, Vec<UndecidedLayer>), Error> {
        let mut total = Money::ZERO;
        let mut rem = [Money::ZERO; 4];
        let mut item_results = Vec::with_capacity(if self.trace { items.len() } else { 0 });
        for it in &items {
            total = total.checked_add(it.amount)?;
            let mut patient = Money::ZERO;
            for (k, r) in it.rem.iter().enumerate() {
                rem[k] = rem[k].checked_add(*r)?;
                patient = patient.checked_add(*r)?;
            }
            let mut sum = patient;
            for p in it.paid.iter() {
                sum = sum.checked_add(*p)?;
            }
            if sum != it.amount || it.rem.iter().any(|m| m.is_negative()) {
                return Err(Error::new(
                    ErrorCode::Internal,
                    "$",
                    "an item's payments do not add up to its amount; please report this case",
                ));
            }
            if !self.trace {
                continue;
            }
            item_results.push(ItemResult {
                encounter: it.enc,
                index: it.index,
                class: it.class,
                amount: it.amount,
                buckets: Buckets::from_array(it.billed),
                paid_by: it.paid.to_vec(),
                patient,
            });
        }
        let mut layers = Vec::new();
        let mut covered = Money::ZERO;
        let mut undecided = Vec::new();
        for (li, t) in tallies.into_iter().enumerate() {
            let lr = self.layers[li];
            covered = covered.checked_add(t.paid)?;
            let name = &lr.layer.name;
            let open = if let Some(what) = &t.no_rules {
                Some(("no_rules", None, what.clone()))
            } else if let Some((input, reason)) = &t.needs {
                Some(("needs_information", Some(input.clone()), reason.clone()))
            } else {
                t.out_of_area
                    .as_ref()
                    .map(|w| ("out_of_area", None, w.clone()))
            };
            if let Some((status, input, what)) = open {
                undecided.push(UndecidedLayer {
                    li,
                    status,
                    input,
                    what,
                    paid: t.paid,
                    used_floor: t.used_floor,
                });
            }
            if let Some(what) = &t.out_of_area {
                self.warn("out_of_area_national_rule", what.clone(), None);
            }
            let outcome = if t.eligible_somewhere && !t.paid.is_zero() {
                if let Some(what) = &t.no_rules {
                    self.warn(
                        "no_rules",
                        text(
                            format!("{}：部分就医没有收录的规则，未计入——{}", name.zh, what.zh),
                            format!(
                                "{}: part of the care has no rules here and was not counted: {}",
                                name.en, what.en
                            ),
                        ),
                        None,
                    );
                } else if let Some((input, reason)) = &t.needs {
                    self.warn(
                        "needs_information",
                        text(
                            format!(
                                "{}：部分待遇需要更多信息（{}）才能计算：{}",
                                name.zh, input, reason.zh
                            ),
                            format!(
                                "{}: part of it needs more information ({}) to compute: {}",
                                name.en, input, reason.en
                            ),
                        ),
                        Some(input.clone()),
                    );
                }
                Outcome::Eligible
            } else if let Some(missing) = t.no_rules {
                Outcome::NoRules {
                    missing,
                    ask: ask_about(lr.layer.kind),
                }
            } else if let Some((input, reason)) = t.needs {
                Outcome::NeedsInformation { input, reason }
            } else if t.eligible_somewhere {
                Outcome::Eligible
            } else if let Some((reason, sources)) = t.ineligible {
                Outcome::Ineligible { reason, sources }
            } else if let Some(reason) = t.not_enrolled {
                Outcome::NotEnrolled { reason }
            } else {
                Outcome::Ineligible {
                    reason: text("不符合条件", "not eligible"),
                    sources: Vec::new(),
                }
            };
            layers.push(LayerResult {
                id: lr.layer.id.clone(),
                kind: lr.layer.kind,
                name: lr.layer.name.clone(),
                pack: lr.pack.id.clone(),
                rules_as_of: lr.pack.rules_as_of,
                paid: t.paid,
                outcome,
                premium: lr.layer.enrolment.as_ref().and_then(|e| e.premium),
                documents: lr.layer.documents.clone(),
                settlements: t.settlements,
            });
        }
        let patient_total = total.checked_sub(covered)?;
        let in_scope = rem[0].checked_add(rem[1])?;
        let out_of_scope = rem[2].checked_add(rem[3])?;
        if in_scope.checked_add(out_of_scope)? != patient_total {
            return Err(Error::new(ErrorCode::Internal, "$", "layer payments and the family's share do not add up to the total; please report this case"));
        }
        // Low-grade sources behind the numbers deserve a word.
        let weak = self.weak_sources();
        if !weak.is_empty() {
            self.warn(
                "low_grade_source",
                text(
                    format!("部分规则来自非官方来源（等级 C/D），请向当地医保部门核实：{}", weak.join("，")),
                    format!("Some rules come from unofficial sources (grade C/D); check them with the local medical insurance bureau: {}", weak.join(", ")),
                ),
                None,
            );
        }
        let mut packs: Vec<PackStamp> = Vec::new();
        for lr in &self.layers {
            if !packs.iter().any(|p| p.id == lr.pack.id) {
                packs.push(PackStamp::of(lr.pack));
            }
        }
        if !packs.iter().any(|p| p.id == self.region.id) {
            packs.insert(0, PackStamp::of(self.region));
        }
        // A totals estimate leaves the sources out with the trace that cites them.
        let sources = if self.trace {
            self.sources_by_key()
        } else {
            BTreeMap::new()
        };
        let estimate = Estimate {
            engine_version: crate::ENGINE_VERSION.to_string(),
            detail: if self.trace {
                Detail::Full
            } else {
                Detail::Totals
            },
            packs,
            total,
            covered,
            patient: PatientShare {
                total: patient_total,
                in_scope,
                out_of_scope,
                by_bucket: Buckets::from_array(rem),
            },
            range: None,
            layers,
            encounters,
            items: item_results,
            warnings: self.warnings,
            sources,
        };
        Ok((estimate, undecided))
    }
}

/// Where a family can ask about a layer the product holds no rules for.
pub(super) fn ask_about(kind: LayerKind) -> Text {
    match kind {
        LayerKind::Commercial => text(
            "请咨询该保险产品的客服热线，或查看保单条款",
            "ask the product's customer-service line, or read the policy terms",
        ),
        LayerKind::Charity | LayerKind::Donation => text(
            "请咨询该项目的执行机构（项目热线或医院的项目医生）",
            "ask the programme's operator (its hotline or the programme doctor at the hospital)",
        ),
        _ => text(
            "请到参保地医保经办窗口咨询，或拨打医保服务热线 12393",
            "ask at the medical insurance office (医保窗口) where you are insured, or call the 12393 hotline",
        ),
    }
}
