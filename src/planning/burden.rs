//! Burden: what the family's share means for the household — as a share of its income, flagged
//! at the common catastrophic-expenditure thresholds — and the non-medical costs it carries,
//! listed beside the medical remainder and never mixed into the settlement.
//!
//! Ratios are exact (integer fen over integer fen) and rendered once, half up, with six
//! decimals: `"0.254000"`. Thresholds are compared exactly, never on the rendered string.

use serde::Serialize;
use tiercost_derive::Read;

use crate::error::Error;
use crate::planning::plan::{evaluate_value, region_of, Evaluated};
use crate::reading::read::parse;
use crate::rules::catalog::Catalog;
use crate::rules::policy::Text;
use crate::units::money::Money;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// What a non-medical cost is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NonMedicalKind {
    /// Travel to and from care.
    Travel,
    /// Lodging near the hospital.
    Lodging,
    /// A caregiver's lost income.
    Caregiver,
    /// Food, nutrition and anything else.
    Other,
}

/// A cost the family carries that no layer pays and the settlement does not see.
#[derive(Clone, Debug, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NonMedicalCost {
    /// What kind.
    pub kind: NonMedicalKind,
    /// In the family's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How much over the period the case or plan covers.
    pub amount: Money,
}

/// The non-medical costs and their sum.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NonMedical {
    /// Each cost as entered.
    pub items: Vec<NonMedicalCost>,
    /// Their sum.
    pub total: Money,
}

/// A catastrophic-expenditure flag.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// `income_10`, `income_25` or `capacity_40`.
    pub id: String,
    /// The threshold as a share, `"0.10"`.
    pub threshold: String,
    /// Whether the medical remainder reaches it; absent when it cannot be computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached: Option<bool>,
    /// In words.
    pub message: Text,
}

/// The family's burden.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Burden {
    /// The medical remainder: what the settlement leaves for the family.
    pub medical: Money,
    /// Non-medical costs, beside (not in) the medical remainder.
    pub non_medical: NonMedical,
    /// Medical remainder plus non-medical costs, for the family's own budgeting.
    pub all_costs: Money,
    /// The household's annual income, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub household_income: Option<Money>,
    /// Medical remainder ÷ household income, six decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_of_income: Option<String>,
    /// All costs ÷ household income, six decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_costs_share_of_income: Option<String>,
    /// Income minus subsistence spending (never below zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_to_pay: Option<Money>,
    /// Where the subsistence figure came from: `member` or `pack_line`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsistence_source: Option<String>,
    /// Medical remainder ÷ capacity to pay, six decimals (absent when the capacity is zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_of_capacity: Option<String>,
    /// The flags at 10% and 25% of income and 40% of capacity to pay.
    pub flags: Vec<Flag>,
    /// What could not be computed, and why.
    pub notes: Vec<Text>,
}

/// `num / den` rendered half up with six decimals (`den` > 0, both ≥ 0).
pub fn ratio_string(num: i64, den: i64) -> Option<String> {
    if den <= 0 || num < 0 {
        return None;
    }
    let scaled = (num as i128 * 1_000_000 * 2 + den as i128) / (2 * den as i128);
    Some(format!("{}.{:06}", scaled / 1_000_000, scaled % 1_000_000))
}

/// Whether `num / den ≥ pct / 100`, exactly.
fn at_least(num: i64, den: i64, pct: i64) -> bool {
    num as i128 * 100 >= den as i128 * pct as i128
}

/// The burden of an evaluated case or plan.
pub fn burden_for(ev: &Evaluated) -> Result<Burden, Error> {
    let medical = ev.estimate.patient.total;
    let mut nm_total = Money::ZERO;
    for c in &ev.non_medical {
        nm_total = nm_total.checked_add(c.amount)?;
    }
    let all_costs = medical.checked_add(nm_total)?;
    let m = &ev.case.member;
    let mut notes = Vec::new();
    let income = m.household_income;
    let (mut f10, mut f25, mut f40) = (None, None, None);
    let mut share_of_income = None;
    let mut all_share = None;
    let mut capacity = None;
    let mut source = None;
    let mut share_of_capacity = None;
    match income {
        None => notes.push(Text::new(
            "未填写家庭年收入，无法计算负担比例",
            "no household income given: the burden cannot be computed",
        )),
        Some(inc) if inc.is_zero() => {
            notes.push(Text::new(
                "家庭年收入为零：任何自付都超过收入的 10% 和 25%",
                "the household income is zero: any remainder exceeds 10% and 25% of it",
            ));
            f10 = Some(!medical.is_zero());
            f25 = Some(!medical.is_zero());
        }
        Some(inc) => {
            share_of_income = ratio_string(medical.fen(), inc.fen());
            all_share = ratio_string(all_costs.fen(), inc.fen());
            f10 = Some(at_least(medical.fen(), inc.fen(), 10));
            f25 = Some(at_least(medical.fen(), inc.fen(), 25));
        }
    }
    if let Some(inc) = income {
        let first = ev.case.encounters.iter().map(|e| e.date).min();
        let subsistence: Option<(Money, &str)> = match m.subsistence_spending {
            Some(s) => Some((s, "member")),
            None => {
                let region = region_of(&ev.case, Catalog::embedded())?;
                let line = first.and_then(|d| {
                    region
                        .general
                        .iter()
                        .find(|g| g.effective.covers(d))
                        .and_then(|g| g.lines.get("subsistence").copied())
                });
                match (line, m.household_size) {
                    (Some(l), Some(n)) => Some((
                        Money::from_fen(l.fen().checked_mul(n as i64).ok_or_else(Error::overflow)?),
                        "pack_line",
                    )),
                    (Some(_), None) => {
                        notes.push(Text::new(
                            "未填写家庭人口数，无法按本地生存支出标准计算支付能力",
                            "no household size given: capacity to pay cannot be computed from the pack's subsistence line",
                        ));
                        None
                    }
                    (None, _) => {
                        notes.push(Text::new(
                            "未填写家庭生存支出，本地政策包也没有生存支出标准，无法计算支付能力",
                            "no subsistence spending given and the pack has no subsistence line: capacity to pay cannot be computed",
                        ));
                        None
                    }
                }
            }
        };
        if let Some((s, src)) = subsistence {
            let cap = Money::from_fen((inc.fen() - s.fen()).max(0));
            capacity = Some(cap);
            source = Some(src.to_string());
            if cap.is_zero() {
                notes.push(Text::new(
                    "生存支出不低于收入：支付能力为零",
                    "subsistence spending is at least the income: the capacity to pay is zero",
                ));
                f40 = Some(!medical.is_zero());
            } else {
                share_of_capacity = ratio_string(medical.fen(), cap.fen());
                f40 = Some(at_least(medical.fen(), cap.fen(), 40));
            }
        }
    }
    let flag = |id: &str, t: &str, reached: Option<bool>, zh: &str, en: &str| Flag {
        id: id.into(),
        threshold: t.into(),
        reached,
        message: match reached {
            Some(true) => Text::new(
                format!("自付医疗费用达到{zh}"),
                format!("the medical remainder reaches {en}"),
            ),
            Some(false) => Text::new(
                format!("自付医疗费用低于{zh}"),
                format!("the medical remainder is below {en}"),
            ),
            None => Text::new(
                format!("无法判断是否达到{zh}"),
                format!("cannot tell whether the remainder reaches {en}"),
            ),
        },
    };
    let flags = vec![
        flag(
            "income_10",
            "0.10",
            f10,
            "家庭年收入的 10%",
            "10% of household income",
        ),
        flag(
            "income_25",
            "0.25",
            f25,
            "家庭年收入的 25%（灾难性医疗支出）",
            "25% of household income (catastrophic)",
        ),
        flag(
            "capacity_40",
            "0.40",
            f40,
            "支付能力的 40%（灾难性医疗支出）",
            "40% of capacity to pay (catastrophic)",
        ),
    ];
    Ok(Burden {
        medical,
        non_medical: NonMedical {
            items: ev.non_medical.clone(),
            total: nm_total,
        },
        all_costs,
        household_income: income,
        share_of_income,
        all_costs_share_of_income: all_share,
        capacity_to_pay: capacity,
        subsistence_source: source,
        share_of_capacity,
        flags,
        notes,
    })
}

/// The burden of a case or plan document (with optional `nonMedical` costs) given as JSON text.
pub fn burden_json(text: &str) -> Result<Burden, Error> {
    crate::reading::limits::check_size(text)?;
    burden_for(&evaluate_value(&parse(text)?, "$")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_round_half_up_to_six_decimals() {
        assert_eq!(ratio_string(1, 3).unwrap(), "0.333333");
        assert_eq!(ratio_string(2, 3).unwrap(), "0.666667");
        assert_eq!(ratio_string(1, 8_000_000).unwrap(), "0.000000");
        assert_eq!(ratio_string(1, 2_000_000).unwrap(), "0.000001"); // exactly half rounds up
        assert_eq!(ratio_string(5, 2).unwrap(), "2.500000");
        assert_eq!(ratio_string(1, 0), None);
    }

    #[test]
    fn thresholds_are_exact() {
        assert!(at_least(10, 100, 10));
        assert!(!at_least(9, 100, 10));
        assert!(at_least(2_500_000, 10_000_000, 25));
        assert!(!at_least(2_499_999, 10_000_000, 25));
    }
}
