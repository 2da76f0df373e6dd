//! Conditions: the one vocabulary packs use for eligibility, for choosing values by level,
//! group or locality, and for when an adjustment or benefit applies.
//!
//! Every field that is present must hold (AND); `any` holds when one of its conditions holds;
//! `not` negates. Evaluation is three-valued: a condition about an input the case does not
//! give is *unknown*, and names that input, so the estimate can say which answer it needs.

use serde::Serialize;
use tiercost_derive::Read;

use crate::rules::member::{Locality, Member, Setting};
use crate::units::date::Date;
use crate::units::money::{parse_signed_ppm, Money};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A condition on the member, the encounter or the item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// The member's scheme is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemes: Vec<String>,
    /// The member's group is one of these (`in_service`, `retired`, `child`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// The member's assistance category is one of these (`none` for no category).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Minimum age in whole years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_min: Option<u32>,
    /// Maximum age in whole years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_max: Option<u32>,
    /// Retired before this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_before: Option<Date>,
    /// Has a pre-existing condition (既往症) the product lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_existing: Option<bool>,
    /// Enrolled in this product (a layer id in the member's `enrolments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolled: Option<String>,
    /// Has one of these diagnoses (on the member or the encounter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// Household income per person is below a line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_per_person_below: Option<IncomeLine>,
    /// Household income per person is at least a line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_per_person_at_least: Option<IncomeLine>,
    /// The household's annual income is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_income_below: Option<Money>,
    /// The household's annual income is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_income_at_least: Option<Money>,
    /// The member has held the category for at least this many months (from
    /// `member.categorySince` to the date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_held_months_at_least: Option<u32>,
    /// The household's medical spending over 12 months is at least this share of its capacity
    /// to pay (income minus subsistence spending): 力比泰's "≥ 40% of capacity to pay".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spending_share_of_capacity_at_least: Option<crate::units::money::Rate>,
    /// The household's medical spending over 12 months is at least this (an amount, or a
    /// multiple of a line): 因病致贫 "above 100% of per-capita disposable income".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medical_spending_at_least: Option<IncomeLine>,
    /// At least this many consecutive claim-free years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_free_years_at_least: Option<u32>,
    /// The encounter was referred (转诊), or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred: Option<bool>,
    /// The encounter's setting is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<Setting>,
    /// The encounter's hospital level is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// The encounter's locality is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub localities: Vec<Locality>,
    /// Out-of-region care was filed (备案) or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed: Option<bool>,
    /// This is at least the n-th inpatient admission of the policy year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_from: Option<u32>,
    /// This is at most the n-th inpatient admission of the policy year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_to: Option<u32>,
    /// The item's code is one of these (for values chosen per item, such as a first-pay ratio).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// Any of these holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<Condition>,
    /// This does not hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// An income threshold per household member per year: an absolute amount, or a multiple of
/// one of the pack's reference lines (`minimum_living` × 2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncomeLine {
    /// An absolute amount per person per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// A reference line of the pack (`general[].lines`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The multiple of the line, a decimal string (default "1").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<String>,
}

/// Three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// Holds.
    Yes,
    /// Does not hold.
    No,
    /// Cannot be decided: the named input is missing.
    Unknown(&'static str),
}

impl Truth {
    fn from_bool(b: bool) -> Truth {
        if b {
            Truth::Yes
        } else {
            Truth::No
        }
    }

    /// AND: a definite "no" wins over "unknown".
    fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::No, _) | (_, Truth::No) => Truth::No,
            (Truth::Unknown(a), _) => Truth::Unknown(a),
            (_, Truth::Unknown(b)) => Truth::Unknown(b),
            _ => Truth::Yes,
        }
    }
}

/// What a condition is evaluated against.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The member.
    pub member: &'a Member,
    /// The date (encounter date, or the estimate date).
    pub date: Date,
    /// The encounter, if the condition is about one.
    pub encounter: Option<EncounterFacts<'a>>,
    /// The item's code, if the condition is about an item.
    pub code: Option<&'a str>,
    /// The pack's reference lines in effect.
    pub lines: &'a std::collections::BTreeMap<String, Money>,
}

/// The facts of one encounter.
#[derive(Clone, Copy, Debug)]
pub struct EncounterFacts<'a> {
    /// Setting.
    pub setting: Setting,
    /// Hospital level.
    pub level: Option<&'a str>,
    /// Locality.
    pub locality: Locality,
    /// Whether out-of-region care was filed.
    pub filed: Option<bool>,
    /// The inpatient admission number in the policy year (0 when not inpatient).
    pub admission: u32,
    /// Referred or not.
    pub referred: Option<bool>,
    /// Diagnoses on the encounter.
    pub diagnoses: &'a [String],
}

impl Condition {
    /// Whether this condition (or any part of it) tests locality, 备案 filing or referral.
    pub fn mentions_locality(&self) -> bool {
        !self.localities.is_empty()
            || self.filed.is_some()
            || self.referred.is_some()
            || self.any.iter().any(Condition::mentions_locality)
            || self.not.as_ref().is_some_and(|c| c.mentions_locality())
    }

    /// Whether the condition is empty (always holds).
    pub fn is_empty(&self) -> bool {
        *self == Condition::default()
    }

    /// Evaluates the condition.
    pub fn eval(&self, f: &Facts) -> Truth {
        let m = f.member;
        let mut t = Truth::Yes;
        if !self.schemes.is_empty() {
            t = t.and(Truth::from_bool(self.schemes.contains(&m.scheme)));
        }
        if !self.groups.is_empty() {
            t = t.and(match &m.group {
                Some(g) => Truth::from_bool(self.groups.contains(g)),
                None => Truth::Unknown("member.group"),
            });
        }
        if !self.categories.is_empty() {
            t = t.and(match &m.category {
                Some(c) => Truth::from_bool(self.categories.contains(c)),
                None => Truth::Unknown("member.category"),
            });
        }
        if self.age_min.is_some() || self.age_max.is_some() {
            t = t.and(match m.age_on(f.date) {
                Some(age) => Truth::from_bool(
                    self.age_min.is_none_or(|a| age >= a) && self.age_max.is_none_or(|a| age <= a),
                ),
                None => Truth::Unknown("member.age"),
            });
        }
        if let Some(before) = self.retired_before {
            t = t.and(match m.retired_on {
                Some(d) => Truth::from_bool(d < before),
                None => Truth::Unknown("member.retiredOn"),
            });
        }
        if let Some(p) = self.pre_existing {
            t = t.and(match m.pre_existing {
                Some(v) => Truth::from_bool(v == p),
                None => Truth::Unknown("member.preExisting"),
            });
        }
        if let Some(id) = &self.enrolled {
            t = t.and(Truth::from_bool(m.enrolments.iter().any(|e| e == id)));
        }
        if !self.diagnoses.is_empty() {
            let enc = f.encounter.map(|e| e.diagnoses).unwrap_or(&[]);
            let has = m
                .diagnoses
                .iter()
                .chain(enc)
                .any(|d| self.diagnoses.contains(d));
            t = t.and(if has {
                Truth::Yes
            } else if m.diagnoses.is_empty() && enc.is_empty() {
                Truth::Unknown("member.diagnoses")
            } else {
                Truth::No
            });
        }
        if let Some(line) = &self.income_per_person_below {
            t = t.and(income_test(f, line, |income, limit| income < limit));
        }
        if let Some(line) = &self.income_per_person_at_least {
            t = t.and(income_test(f, line, |income, limit| income >= limit));
        }
        if self.household_income_below.is_some() || self.household_income_at_least.is_some() {
            t = t.and(match m.household_income {
                Some(income) => Truth::from_bool(
                    self.household_income_below.is_none_or(|l| income < l)
                        && self.household_income_at_least.is_none_or(|l| income >= l),
                ),
                None => Truth::Unknown("member.householdIncome"),
            });
        }
        if let Some(months) = self.category_held_months_at_least {
            t = t.and(match m.category_since {
                Some(since) => {
                    let held = (f.date.year() - since.year()) * 12 + f.date.month() as i32
                        - since.month() as i32
                        - i32::from(f.date.day() < since.day());
                    Truth::from_bool(held >= months as i32)
                }
                None => Truth::Unknown("member.categorySince"),
            });
        }
        if let Some(share) = self.spending_share_of_capacity_at_least {
            t = t.and(capacity_test(f, share));
        }
        if let Some(line) = &self.medical_spending_at_least {
            t = t.and(match m.medical_spending {
                None => Truth::Unknown("member.medicalSpending"),
                Some(spent) => match line_amount(f, line) {
                    Some(limit_ppm) => {
                        Truth::from_bool(spent.fen() as i128 * 1_000_000 >= limit_ppm)
                    }
                    None => Truth::Unknown("pack.general.lines"),
                },
            });
        }
        if let Some(years) = self.claim_free_years_at_least {
            t = t.and(match m.claim_free_years {
                Some(y) => Truth::from_bool(y >= years),
                None => Truth::Unknown("member.claimFreeYears"),
            });
        }
        if !self.settings.is_empty()
            || !self.levels.is_empty()
            || !self.localities.is_empty()
            || self.filed.is_some()
            || self.admission_from.is_some()
            || self.admission_to.is_some()
            || self.referred.is_some()
        {
            match f.encounter {
                None => t = t.and(Truth::No),
                Some(e) => {
                    if !self.settings.is_empty() {
                        t = t.and(Truth::from_bool(self.settings.contains(&e.setting)));
                    }
                    if !self.levels.is_empty() {
                        t = t.and(match e.level {
                            Some(l) => Truth::from_bool(self.levels.iter().any(|x| x == l)),
                            None => Truth::Unknown("encounter.level"),
                        });
                    }
                    if !self.localities.is_empty() {
                        t = t.and(Truth::from_bool(self.localities.contains(&e.locality)));
                    }
                    if let Some(filed) = self.filed {
                        t = t.and(match e.filed {
                            Some(v) => Truth::from_bool(v == filed),
                            None if e.locality == Locality::InRegion => Truth::from_bool(filed),
                            None => Truth::Unknown("encounter.filed"),
                        });
                    }
                    if let Some(r) = self.referred {
                        t = t.and(match e.referred {
                            Some(v) => Truth::from_bool(v == r),
                            None => Truth::Unknown("encounter.referred"),
                        });
                    }
                    if let Some(n) = self.admission_from {
                        t = t.and(Truth::from_bool(e.admission >= n));
                    }
                    if let Some(n) = self.admission_to {
                        t = t.and(Truth::from_bool(e.admission <= n));
                    }
                }
            }
        }
        if !self.codes.is_empty() {
            t = t.and(Truth::from_bool(
                f.code.is_some_and(|c| self.codes.iter().any(|x| x == c)),
            ));
        }
        if !self.any.is_empty() {
            let mut acc = Truth::No;
            for c in &self.any {
                match c.eval(f) {
                    Truth::Yes => {
                        acc = Truth::Yes;
                        break;
                    }
                    Truth::Unknown(i) => acc = Truth::Unknown(i),
                    Truth::No => {}
                }
            }
            t = t.and(acc);
        }
        if let Some(n) = &self.not {
            t = t.and(match n.eval(f) {
                Truth::Yes => Truth::No,
                Truth::No => Truth::Yes,
                u => u,
            });
        }
        t
    }
}

impl IncomeLine {
    /// The multiple in parts per million, if well-formed.
    pub(crate) fn times_ppm(&self) -> Result<i64, String> {
        match &self.times {
            None => Ok(1_000_000),
            Some(t) => {
                let v = parse_signed_ppm(t)?;
                if !(0..=1_000_000_000).contains(&v) {
                    return Err(format!("\"{t}\" must be a multiple between 0 and 1000"));
                }
                Ok(v)
            }
        }
    }
}

/// An income line's amount in millionths of a fen (`amount`, or `line` × `times`).
fn line_amount(f: &Facts, line: &IncomeLine) -> Option<i128> {
    match (&line.amount, &line.line) {
        (Some(a), _) => Some(a.fen() as i128 * 1_000_000),
        (None, Some(name)) => f
            .lines
            .get(name)
            .map(|v| v.fen() as i128 * line.times_ppm().unwrap_or(1_000_000) as i128),
        (None, None) => None,
    }
}

/// Medical spending ≥ share × (income − subsistence). Subsistence is the member's own figure,
/// or the pack's `subsistence` line per person × household size.
fn capacity_test(f: &Facts, share: crate::units::money::Rate) -> Truth {
    let m = f.member;
    let Some(spent) = m.medical_spending else {
        return Truth::Unknown("member.medicalSpending");
    };
    let Some(income) = m.household_income else {
        return Truth::Unknown("member.householdIncome");
    };
    let subsistence = match (
        m.subsistence_spending,
        f.lines.get("subsistence"),
        m.household_size,
    ) {
        (Some(s), _, _) => s.fen() as i128,
        (None, Some(line), Some(size)) => line.fen() as i128 * size as i128,
        (None, Some(_), None) => return Truth::Unknown("member.householdSize"),
        (None, None, _) => return Truth::Unknown("member.subsistenceSpending"),
    };
    let capacity = (income.fen() as i128 - subsistence).max(0);
    Truth::from_bool(spent.fen() as i128 * 1_000_000 >= capacity * share.ppm() as i128)
}

fn income_test(f: &Facts, line: &IncomeLine, cmp: fn(i128, i128) -> bool) -> Truth {
    let m = f.member;
    let (Some(income), Some(size)) = (m.household_income, m.household_size) else {
        return Truth::Unknown(if m.household_income.is_none() {
            "member.householdIncome"
        } else {
            "member.householdSize"
        });
    };
    if size == 0 {
        return Truth::Unknown("member.householdSize");
    }
    let limit_ppm_fen: i128 = match (&line.amount, &line.line) {
        (Some(a), _) => a.fen() as i128 * 1_000_000,
        (None, Some(name)) => match f.lines.get(name) {
            Some(v) => v.fen() as i128 * line.times_ppm().unwrap_or(1_000_000) as i128,
            None => return Truth::Unknown("pack.general.lines"),
        },
        (None, None) => return Truth::Unknown("pack.general.lines"),
    };
    // income / size compared with limit, exactly: income × 1e6 vs limit_ppm × size.
    let lhs = income.fen() as i128 * 1_000_000;
    let rhs = limit_ppm_fen * size as i128;
    Truth::from_bool(cmp(lhs, rhs))
}
