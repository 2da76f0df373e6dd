//! A plan expanded into dated encounters: plan month `m` is the start date plus `m − 1`
//! months (the day clamped to the month's end); every encounter of a month is dated on that
//! day, in the order drug purchases, admissions, visits — the order the engine settles them
//! in. Each encounter remembers the course and month it came from (`Origin`).

use crate::error::{Error, ErrorCode};
use crate::rules::case::{Encounter, Item, Setting};
use crate::rules::policy::Split;
use crate::units::date::Date;
use crate::units::money::{Money, MAX_INPUT_FEN};

use super::{BillOfEach, Course, EncounterDetails, Plan, MAX_COURSES, MAX_PLAN_MONTHS};

/// Where a generated encounter came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index of the course in `plan.courses`.
    pub course: usize,
    /// Plan month, 1-based.
    pub month: u32,
}

fn months_of(given: &Option<Vec<u32>>, plan_months: u32, path: &str) -> Result<Vec<u32>, Error> {
    match given {
        None => Ok((1..=plan_months).collect()),
        Some(v) => {
            for (i, m) in v.iter().enumerate() {
                if *m == 0 || *m > plan_months {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{path}.months[{i}]"),
                        format!("month {m} is outside the plan's months 1–{plan_months}"),
                    ));
                }
            }
            Ok(v.clone())
        }
    }
}

/// A bill: a quick total with its split, or items.
type Bill = (Option<Money>, Option<Split>, Vec<Item>);

/// A course's bill of each, checked (`each` or `items`, a `split` only with `each`); `path`
/// is the course's.
fn bill(b: &BillOfEach, path: &str) -> Result<Bill, Error> {
    let BillOfEach { each, split, items } = b;
    match (each, items.is_empty()) {
        (Some(_), false) => Err(Error::new(
            ErrorCode::Inconsistent,
            format!("{path}.each"),
            "give either `each` (with an optional `split`) or `items`, not both",
        )),
        (None, true) => Err(Error::new(
            ErrorCode::MissingField,
            format!("{path}.each"),
            "give the bill of each: `each` (with an optional `split`) or `items`",
        )),
        (Some(t), true) => Ok((Some(*t), *split, Vec::new())),
        (None, false) => {
            if split.is_some() {
                return Err(Error::new(
                    ErrorCode::Inconsistent,
                    format!("{path}.split"),
                    "a split goes with `each`, not with `items`",
                ));
            }
            Ok((None, None, items.to_vec()))
        }
    }
}

fn encounter(
    date: Date,
    setting: Setting,
    details: &EncounterDetails,
    month: u32,
    days: Option<u32>,
    bill: Bill,
) -> Encounter {
    Encounter {
        label: Some(match &details.label {
            Some(l) => format!("{l} · {month}"),
            None => format!("{} · {month}", setting_name(setting)),
        }),
        date,
        setting,
        level: details.level.clone(),
        locality: details.locality,
        filed: details.filed,
        referred: details.referred,
        days,
        diagnoses: details.diagnoses.clone(),
        items: bill.2,
        total: bill.0,
        split: bill.1,
    }
}

fn setting_name(s: Setting) -> &'static str {
    match s {
        Setting::Inpatient => "inpatient",
        Setting::Outpatient => "outpatient",
        Setting::Chronic => "chronic",
        Setting::Pharmacy => "pharmacy",
    }
}

/// Expands a plan into dated encounters (in date order) and their origins.
pub fn expand(plan: &Plan, path: &str) -> Result<(Vec<Encounter>, Vec<Origin>), Error> {
    if plan.months == 0 {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            format!("{path}.months"),
            format!("a plan runs 1 to {MAX_PLAN_MONTHS} months"),
        ));
    }
    if plan.months > MAX_PLAN_MONTHS {
        return Err(Error::new(
            ErrorCode::TooManyMonths,
            format!("{path}.months"),
            format!(
                "{} months; the limit is {MAX_PLAN_MONTHS} months per plan",
                plan.months
            ),
        ));
    }
    if plan.courses.is_empty() {
        return Err(Error::new(
            ErrorCode::MissingField,
            format!("{path}.courses"),
            "a plan needs at least one course",
        ));
    }
    if plan.courses.len() > MAX_COURSES {
        return Err(Error::new(
            ErrorCode::TooManyCourses,
            format!("{path}.courses"),
            format!(
                "{} courses; the limit is {MAX_COURSES} per plan",
                plan.courses.len()
            ),
        ));
    }
    // (month, kind order, course, encounter)
    let mut out: Vec<(u32, u8, usize, Encounter)> = Vec::new();
    let limit = crate::reading::limits::MAX_ENCOUNTERS as u64;
    let mut count: u64 = 0;
    let date_of = |m: u32| plan.start.add_months(m - 1);
    for (ci, course) in plan.courses.iter().enumerate() {
        let cpath = format!("{path}.courses[{ci}]");
        let too_many = || {
            Error::new(
                ErrorCode::TooManyEncounters,
                cpath.clone(),
                format!("the plan expands into more than {limit} encounters; the limit is {limit} per case"),
            )
        };
        match course {
            Course::Drug(d) => {
                if d.units_per_month == 0 {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.unitsPerMonth"),
                        "at least one unit a month",
                    ));
                }
                let amount = d
                    .unit_price
                    .fen()
                    .checked_mul(d.units_per_month as i64)
                    .filter(|f| *f <= MAX_INPUT_FEN)
                    .ok_or_else(Error::overflow)?;
                let months = months_of(&d.months, plan.months, &cpath)?;
                count += months.len() as u64;
                if count > limit {
                    return Err(too_many());
                }
                for m in months {
                    let item = Item {
                        description: Some(d.description.clone().unwrap_or_else(|| d.code.clone())),
                        amount: Money::from_fen(amount),
                        class: d.class,
                        first_pay_ratio: d.first_pay_ratio,
                        price_limit: None,
                        code: Some(d.code.clone()),
                        quantity: Some(d.units_per_month),
                    };
                    let e = encounter(
                        date_of(m),
                        d.setting,
                        &d.details,
                        m,
                        None,
                        (None, None, vec![item]),
                    );
                    out.push((m, 0, ci, e));
                }
            }
            Course::Admissions(a) => {
                if a.count == 0 {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.count"),
                        "at least one admission",
                    ));
                }
                if a.count as u64 > limit {
                    return Err(too_many());
                }
                let b = bill(&a.bill, &cpath)?;
                let months = match &a.months {
                    Some(v) => {
                        if v.len() != a.count as usize {
                            return Err(Error::new(
                                ErrorCode::Inconsistent,
                                format!("{cpath}.months"),
                                format!("{} months given for {} admissions", v.len(), a.count),
                            ));
                        }
                        months_of(&a.months, plan.months, &cpath)?
                    }
                    None => spread(a.count, plan.months),
                };
                count += months.len() as u64;
                if count > limit {
                    return Err(too_many());
                }
                for m in months {
                    let e = encounter(
                        date_of(m),
                        Setting::Inpatient,
                        &a.details,
                        m,
                        a.days,
                        b.clone(),
                    );
                    out.push((m, 1, ci, e));
                }
            }
            Course::Visits(v) => {
                if v.per_month == 0 {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.perMonth"),
                        "at least one visit a month",
                    ));
                }
                if v.setting == Setting::Inpatient {
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        format!("{cpath}.setting"),
                        "visits are outpatient, chronic or pharmacy; use an `admissions` course for inpatient stays",
                    ));
                }
                let b = bill(&v.bill, &cpath)?;
                let months = months_of(&v.months, plan.months, &cpath)?;
                count += months.len() as u64 * v.per_month as u64;
                if count > limit {
                    return Err(too_many());
                }
                for m in months {
                    for _ in 0..v.per_month {
                        let e = encounter(date_of(m), v.setting, &v.details, m, None, b.clone());
                        out.push((m, 2, ci, e));
                    }
                }
            }
        }
    }
    out.sort_by_key(|(m, k, c, _)| (*m, *k, *c));
    let origins = out
        .iter()
        .map(|(m, _, c, _)| Origin {
            course: *c,
            month: *m,
        })
        .collect();
    Ok((out.into_iter().map(|x| x.3).collect(), origins))
}

/// `count` months spread evenly over `months`: the k-th (0-based) in month ⌊k·months/count⌋+1.
fn spread(count: u32, months: u32) -> Vec<u32> {
    (0..count as u64)
        .map(|k| (k * months as u64 / count as u64) as u32 + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_even_and_starts_in_month_one() {
        assert_eq!(spread(2, 12), vec![1, 7]);
        assert_eq!(spread(3, 12), vec![1, 5, 9]);
        assert_eq!(spread(1, 5), vec![1]);
        assert_eq!(spread(4, 2), vec![1, 1, 2, 2]);
    }

    #[test]
    fn expansion_orders_by_month_then_kind() {
        let plan: Plan = crate::reading::read::read_str(
            r#"{"start": "2025-01-31", "months": 3, "courses": [
                {"kind": "visits", "perMonth": 2, "each": "100", "months": [2]},
                {"kind": "admissions", "count": 1, "each": "5000", "months": [2]},
                {"kind": "drug", "code": "x", "class": "a", "unitPrice": "10", "unitsPerMonth": 3}]}"#,
        )
        .unwrap();
        let (enc, origins) = expand(&plan, "$.plan").unwrap();
        assert_eq!(enc.len(), 6);
        assert_eq!(enc[1].date.to_string(), "2025-02-28"); // clamped
        assert_eq!(enc[1].items[0].amount.to_string(), "30.00");
        assert_eq!(enc[2].setting, Setting::Inpatient);
        assert_eq!(
            origins[3],
            Origin {
                course: 0,
                month: 2
            }
        );
        assert_eq!(enc[5].date.to_string(), "2025-03-31");
    }

    #[test]
    fn bad_plans_are_errors_with_paths() {
        let p = |s: &str| crate::reading::read::read_str::<Plan>(s).unwrap();
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 0, "courses": []}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.path, "$.plan.months");
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "admissions", "count": 2, "each": "1", "months": [1]}]}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Inconsistent);
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "visits", "perMonth": 1000, "each": "1"}]}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyEncounters);
        let e = expand(
            &p(r#"{"start": "2025-01-01", "months": 2, "courses": [{"kind": "drug", "code": "x", "class": "a", "unitPrice": "1", "months": [3]}]}"#),
            "$.plan",
        )
        .unwrap_err();
        assert_eq!(e.path, "$.plan.courses[0].months[0]");
    }
}
