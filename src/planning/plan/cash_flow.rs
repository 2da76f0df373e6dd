//! The cash flow of a plan: month by month and year by year, what the bill is, what each
//! layer pays and what the family pays (and has paid so far), with the events that explain
//! it and the burden against the household's income.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::planning::burden::{burden_for, Burden};
use crate::reading::read::parse;
use crate::results::estimate::{Estimate, Outcome};
use crate::rules::catalog::Catalog;
use crate::rules::policy::{LayerKind, Text};
use crate::units::date::Date;
use crate::units::money::Money;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::events::{events, Event};
use super::subject::{evaluate_value, region_of, Evaluated};

/// The result of a plan.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanResult {
    /// The plan's start, length and the encounters it expanded into.
    pub plan: PlanSummary,
    /// The whole bill.
    pub total: Money,
    /// What all layers together paid.
    pub covered: Money,
    /// What is left for the family.
    pub family: Money,
    /// Each layer's total over the plan, in settlement order.
    pub layers: Vec<LayerTotal>,
    /// Month by month.
    pub months: Vec<MonthRow>,
    /// Per policy year.
    pub years: Vec<YearRow>,
    /// Every event, in date order (also listed in each month).
    pub events: Vec<Event>,
    /// The family's share against its income, and the non-medical costs beside it.
    pub burden: Burden,
    /// The full settlement, with traces.
    pub estimate: Estimate,
}

/// The plan's shape.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// First day.
    pub start: Date,
    /// Months.
    pub months: u32,
    /// Encounters generated.
    pub encounters: usize,
}

/// One layer's total.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LayerTotal {
    /// Layer id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Kind.
    pub kind: LayerKind,
    /// Paid.
    pub paid: Money,
    /// Eligibility.
    pub outcome: Outcome,
}

/// One month of the cash flow.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MonthRow {
    /// Plan month, 1-based.
    pub month: u32,
    /// The day of the month's encounters.
    pub date: Date,
    /// The policy year it falls in (its first day).
    pub policy_year: Date,
    /// Encounters in the month.
    pub encounters: usize,
    /// The month's bill.
    pub bill: Money,
    /// Paid by each layer that paid.
    pub paid_by: BTreeMap<String, Money>,
    /// What the family pays this month.
    pub family: Money,
    /// What the family has paid since the plan started.
    pub cumulative_family: Money,
    /// What happened this month.
    pub events: Vec<Event>,
}

/// One policy year's totals.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct YearRow {
    /// First day of the policy year.
    pub policy_year: Date,
    /// The bill in that year.
    pub bill: Money,
    /// Paid by each layer that paid.
    pub paid_by: BTreeMap<String, Money>,
    /// Left for the family.
    pub family: Money,
}

/// Settles a plan document given as JSON text and returns its month-by-month cash flow.
pub fn plan_json(text: &str) -> Result<PlanResult, Error> {
    crate::reading::limits::check_size(text)?;
    let value: Value = parse(text)?;
    if value.get("plan").is_none() {
        return Err(Error::new(
            ErrorCode::MissingField,
            "$.plan",
            "a plan document needs a `plan` {start, months, courses}",
        ));
    }
    let ev = evaluate_value(&value, "$")?;
    plan_result(ev)
}

/// Builds the cash flow of an evaluated plan.
pub fn plan_result(ev: Evaluated) -> Result<PlanResult, Error> {
    let Some(plan) = ev.plan.clone() else {
        return Err(Error::new(
            ErrorCode::MissingField,
            "$.plan",
            "not a plan document",
        ));
    };
    let est = &ev.estimate;
    let month_of_pos: Vec<u32> = est
        .encounters
        .iter()
        .map(|e| ev.origins.get(e.input_index).map(|o| o.month).unwrap_or(1))
        .collect();
    let events = events(&ev, &month_of_pos)?;
    let mut months: Vec<MonthRow> = (1..=plan.months)
        .map(|m| {
            let date = plan.start.add_months(m - 1);
            MonthRow {
                month: m,
                date,
                policy_year: policy_year_of(&ev, date),
                encounters: 0,
                bill: Money::ZERO,
                paid_by: BTreeMap::new(),
                family: Money::ZERO,
                cumulative_family: Money::ZERO,
                events: Vec::new(),
            }
        })
        .collect();
    let mut years: Vec<YearRow> = Vec::new();
    for (pos, e) in est.encounters.iter().enumerate() {
        let row = &mut months[(month_of_pos[pos] - 1) as usize];
        row.encounters += 1;
        row.policy_year = e.policy_year;
        row.bill = row.bill.checked_add(e.total)?;
        row.family = row.family.checked_add(e.patient)?;
        add_into(&mut row.paid_by, &e.paid_by)?;
        let y = match years
            .iter_mut()
            .position(|y| y.policy_year == e.policy_year)
        {
            Some(i) => &mut years[i],
            None => {
                years.push(YearRow {
                    policy_year: e.policy_year,
                    bill: Money::ZERO,
                    paid_by: BTreeMap::new(),
                    family: Money::ZERO,
                });
                years.last_mut().ok_or_else(Error::overflow)?
            }
        };
        y.bill = y.bill.checked_add(e.total)?;
        y.family = y.family.checked_add(e.patient)?;
        add_into(&mut y.paid_by, &e.paid_by)?;
    }
    let mut cum = Money::ZERO;
    for row in &mut months {
        cum = cum.checked_add(row.family)?;
        row.cumulative_family = cum;
        row.events = events
            .iter()
            .filter(|e| e.month == row.month)
            .cloned()
            .collect();
    }
    let burden = burden_for(&ev)?;
    let layers = est
        .layers
        .iter()
        .map(|l| LayerTotal {
            id: l.id.clone(),
            name: l.name.clone(),
            kind: l.kind,
            paid: l.paid,
            outcome: l.outcome.clone(),
        })
        .collect();
    Ok(PlanResult {
        plan: PlanSummary {
            start: plan.start,
            months: plan.months,
            encounters: ev.case.encounters.len(),
        },
        total: est.total,
        covered: est.covered,
        family: est.patient.total,
        layers,
        months,
        years,
        events,
        burden,
        estimate: ev.estimate,
    })
}

fn policy_year_of(ev: &Evaluated, date: Date) -> Date {
    // The estimate gives each encounter's policy year; months without encounters take the
    // pack's year start (January 1 unless the pack says otherwise).
    let start = region_of(&ev.case, Catalog::embedded())
        .map(|p| p.year_start)
        .unwrap_or_default();
    start.year_start_for(date)
}

fn add_into(
    into: &mut BTreeMap<String, Money>,
    from: &BTreeMap<String, Money>,
) -> Result<(), Error> {
    for (k, v) in from {
        let e = into.entry(k.clone()).or_insert(Money::ZERO);
        *e = e.checked_add(*v)?;
    }
    Ok(())
}
