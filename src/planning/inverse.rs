//! Inverse questions, exact to the fen.
//!
//! * **Aid needed**: how much a further last layer paying a fixed sum would have to pay to
//!   bring the family's share down to a target. That is the share minus the target (never
//!   below zero); the answer is checked by settling the case again with such a layer added
//!   (`verified`).
//! * **Largest bill**: the largest amount of one chosen bill (an encounter's total, one item, or
//!   a plan course's unit price or bill) that keeps the family's share at or under a target. The
//!   share does not decrease when a bill grows (a property the test suite checks), so bisection
//!   on whole fen over `[0, upper]` finds the exact boundary; the answer carries the share at the
//!   amount and at one fen more, which shows the boundary is tight.
//!
//! ```json
//! {"case": { …a case or plan document… }, "target": "5000",
//!  "scale": {"encounter": 0, "item": 1} | {"course": 0} | "total", "upper": "10000000"}
//! ```

use serde::Serialize;
use serde_json::{json, Value};
use tiercost_derive::Read;

use crate::error::{Error, ErrorCode};
use crate::planning::plan::{evaluate_value, read_subject};
use crate::reading::read::read_str;
use crate::units::date::Date;
use crate::units::money::{Money, MAX_INPUT_FEN};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The most bisection steps (enough for every amount up to 2^64 fen).
pub const MAX_ITERATIONS: u32 = 64;
/// The default upper limit of the largest-bill search: ¥100,000,000.
pub const DEFAULT_UPPER_FEN: i64 = 10_000_000_000;

/// Which bill the largest-bill question varies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
pub enum Scale {
    /// `"total"`: the whole case (every encounter scaled in proportion); for a one-encounter
    /// case, that encounter.
    Total(TotalTag),
    /// One encounter (its index as given), or one item of it.
    Encounter {
        /// Encounter index in the case's `encounters`.
        encounter: usize,
        /// Item index; the whole encounter (items scaled in proportion) when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<usize>,
    },
    /// One course of a plan: a drug's unit price, or each admission's / visit's bill.
    Course {
        /// Course index in `plan.courses`.
        course: usize,
    },
}

/// The word `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TotalTag {
    /// The whole bill.
    Total,
}

/// What the inverse functions read.
#[derive(Clone, Debug, Read)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InverseInput {
    /// The case or plan document.
    pub case: Value,
    /// The family's share to reach or keep under.
    pub target: Money,
    /// For the largest bill: what to vary (default: encounter 0, or course 0 of a plan).
    #[serde(default)]
    pub scale: Option<Scale>,
    /// For the largest bill: the most to try (default ¥100,000,000).
    #[serde(default)]
    pub upper: Option<Money>,
}

/// Aid for one policy year.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct YearAid {
    /// First day of the policy year.
    pub policy_year: Date,
    /// The family's share that year.
    pub family: Money,
    /// The aid assigned to that year (latest years first).
    pub aid: Money,
}

/// The aid needed.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AidAnswer {
    /// The target.
    pub target: Money,
    /// The family's share now.
    pub family: Money,
    /// The aid that brings it to the target (zero when it is already there).
    pub aid_needed: Money,
    /// The family's share once the aid is paid, as settled again.
    pub family_with_aid: Money,
    /// Whether settling again with the aid as a last layer gave exactly the target (or the
    /// unchanged share when no aid is needed).
    pub verified: bool,
    /// How the aid falls on policy years (a yearly cap each).
    pub by_policy_year: Vec<YearAid>,
}

/// The largest bill.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MaxBillAnswer {
    /// The target.
    pub target: Money,
    /// What was varied.
    pub scale: Scale,
    /// Its amount in the case as given.
    pub current_amount: Money,
    /// The family's share as given.
    pub current_family: Money,
    /// The largest amount keeping the share ≤ target; absent when even zero does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// The whole bill at that amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_at_amount: Option<Money>,
    /// The family's share at that amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_at_amount: Option<Money>,
    /// The family's share at one fen more (above the target, unless `bounded` is false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_at_next_fen: Option<Money>,
    /// False when even `upper` keeps the share under the target (the answer is then `upper`:
    /// the share does not grow with this bill, e.g. it is fully donated or covered).
    pub bounded: bool,
    /// The upper limit searched.
    pub upper: Money,
    /// Settlements run.
    pub iterations: u32,
}

fn prev_day(d: Date) -> Option<Date> {
    if d.day() > 1 {
        return Date::new(d.year(), d.month(), d.day() - 1);
    }
    let (y, m) = if d.month() == 1 {
        (d.year() - 1, 12)
    } else {
        (d.year(), d.month() - 1)
    };
    (28..=31).rev().find_map(|day| Date::new(y, m, day))
}

/// The aid needed to bring the family's share down to `target`, checked by settling again.
pub fn aid_needed(input: &InverseInput) -> Result<AidAnswer, Error> {
    let ev = evaluate_value(&input.case, "$.case")?;
    let family = ev.estimate.patient.total;
    let aid = family.saturating_sub_floor0(input.target);
    // Spread the aid over policy years, latest first, each at most that year's share.
    let mut years: Vec<(Date, Money)> = Vec::new();
    for e in &ev.estimate.encounters {
        match years.iter_mut().find(|(y, _)| *y == e.policy_year) {
            Some((_, m)) => *m = m.checked_add(e.patient)?,
            None => years.push((e.policy_year, e.patient)),
        }
    }
    years.sort_by_key(|(y, _)| *y);
    let mut left = aid;
    let mut by_year: Vec<YearAid> = years
        .iter()
        .rev()
        .map(|(y, f)| {
            let a = if left < *f { left } else { *f };
            left = left.saturating_sub_floor0(a);
            YearAid {
                policy_year: *y,
                family: *f,
                aid: a,
            }
        })
        .collect();
    by_year.reverse();
    if aid.is_zero() {
        return Ok(AidAnswer {
            target: input.target,
            family,
            aid_needed: aid,
            family_with_aid: family,
            verified: true,
            by_policy_year: by_year,
        });
    }
    // The check: the same case with a last layer paying up to each year's aid.
    let t = |s: &str| json!({"zh": s, "en": s});
    let mut editions = Vec::new();
    for (i, ya) in by_year.iter().enumerate() {
        if ya.aid.is_zero() {
            continue;
        }
        let mut ed = json!({
            "from": ya.policy_year.to_string(), "sources": ["aid"],
            "benefits": [{"id": "aid", "base": {"buckets": {"inScope": "1", "firstPay": "1", "overLimit": "1", "outOfCatalogue": "1"}},
                          "rate": {"flat": "1"}, "caps": [{"amount": ya.aid.to_string(), "per": "year"}]}]
        });
        if let Some(next) = by_year.get(i + 1) {
            if let Some(until) = prev_day(next.policy_year) {
                ed["until"] = json!(until.to_string());
            }
        }
        editions.push(ed);
    }
    let first = by_year
        .first()
        .map(|y| y.policy_year.to_string())
        .unwrap_or_default();
    let programme = json!({
        "id": "tiercost-aid-needed", "kind": "programme", "name": t("所需援助 / aid needed"),
        "version": "1", "rulesAsOf": first,
        "sources": {"aid": {"title": "A hypothetical last layer paying a fixed sum (tiercost aid question)", "grade": "D"}},
        "layers": [{"id": "tiercost-aid-needed", "kind": "charity", "name": t("所需援助 / aid needed"), "editions": editions}]
    });
    let mut doc = input.case.clone();
    if let Value::Object(m) = &mut doc {
        let list = m.entry("programmes").or_insert_with(|| json!([]));
        if let Value::Array(v) = list {
            v.push(json!({ "inline": programme }));
        }
    }
    let checked = evaluate_value(&doc, "$.case")?;
    let with_aid = checked.estimate.patient.total;
    let paid = checked
        .estimate
        .layers
        .iter()
        .find(|l| l.id == "tiercost-aid-needed")
        .map(|l| l.paid)
        .unwrap_or(Money::ZERO);
    Ok(AidAnswer {
        target: input.target,
        family,
        aid_needed: aid,
        family_with_aid: with_aid,
        verified: with_aid == input.target && paid == aid,
        by_policy_year: by_year,
    })
}

fn fen_str(f: i64) -> Value {
    json!(Money::from_fen(f).to_string())
}

/// Splits `amount` over `weights` in proportion: the k-th share is
/// ⌊amount·W_k/W⌋ − ⌊amount·W_{k−1}/W⌋ with W_k the running sums, so the shares sum exactly
/// to `amount`. With all weights zero, everything goes to the first.
fn proportional(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|w| *w as i128).sum();
    if total == 0 {
        let mut v = vec![0; weights.len()];
        if let Some(f) = v.first_mut() {
            *f = amount;
        }
        return v;
    }
    let mut run = 0i128;
    let mut prev = 0i128;
    weights
        .iter()
        .map(|w| {
            run += *w as i128;
            let cut = amount as i128 * run / total;
            let share = cut - prev;
            prev = cut;
            share as i64
        })
        .collect()
}

fn money_at(v: &Value, path: &str) -> Result<i64, Error> {
    let s = v.as_str().ok_or_else(|| {
        Error::new(
            ErrorCode::NumberNotString,
            path,
            "expected an amount as a decimal string",
        )
    })?;
    Money::parse_decimal(s)
        .map(Money::fen)
        .map_err(|m| Error::new(ErrorCode::InvalidAmount, path, m))
}

/// A way to set the varied amount in the document.
struct Knob {
    current: i64,
    /// JSON pointers and weights: one pointer is set to the amount; several share it.
    targets: Vec<(String, i64)>,
}

fn encounter_knob(doc: &Value, ei: usize, item: Option<usize>, base: &str) -> Result<Knob, Error> {
    let p = format!("/encounters/{ei}");
    let Some(enc) = doc.pointer(&p) else {
        return Err(Error::new(
            ErrorCode::UnknownReference,
            "$.scale.encounter",
            format!("the case has no encounter {ei}"),
        ));
    };
    let path = format!("{base}.encounters[{ei}]");
    if let Some(t) = enc.get("total") {
        if item.is_some() {
            return Err(Error::new(
                ErrorCode::Inconsistent,
                "$.scale.item",
                "the encounter gives a total, not items",
            ));
        }
        let cur = money_at(t, &format!("{path}.total"))?;
        return Ok(Knob {
            current: cur,
            targets: vec![(format!("{p}/total"), cur)],
        });
    }
    let knob = items_knob(enc, &p, &path, item)?;
    if knob.targets.is_empty() {
        return Err(Error::new(
            ErrorCode::UnknownReference,
            "$.scale.item",
            format!("encounter {ei} has no such item"),
        ));
    }
    Ok(knob)
}

/// The itemised bill of an encounter or a plan course (the object at JSON pointer `pointer`,
/// at `path` in error messages) as a knob: the amount varied is the sum of its items' amounts
/// (or of the one item `only` names), each item set in proportion to its own. No targets when
/// there is no such item.
fn items_knob(bill: &Value, pointer: &str, path: &str, only: Option<usize>) -> Result<Knob, Error> {
    let items = bill
        .get("items")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut targets = Vec::new();
    let mut current = 0i64;
    for (k, it) in items.iter().enumerate() {
        if only.is_some_and(|i| i != k) {
            continue;
        }
        let a = money_at(
            it.get("amount").unwrap_or(&Value::Null),
            &format!("{path}.items[{k}].amount"),
        )?;
        current = current.checked_add(a).ok_or_else(Error::overflow)?;
        targets.push((format!("{pointer}/items/{k}/amount"), a));
    }
    Ok(Knob { current, targets })
}

fn knob(doc: &Value, scale: &Scale) -> Result<Knob, Error> {
    match scale {
        Scale::Encounter { encounter, item } => {
            if doc.get("plan").is_some() {
                return Err(Error::new(
                    ErrorCode::Inconsistent,
                    "$.scale",
                    "for a plan, vary a course: {\"course\": N}",
                ));
            }
            encounter_knob(doc, *encounter, *item, "$.case")
        }
        Scale::Course { course } => {
            let p = format!("/plan/courses/{course}");
            let Some(c) = doc.pointer(&p) else {
                return Err(Error::new(
                    ErrorCode::UnknownReference,
                    "$.scale.course",
                    format!("the document has no plan course {course}"),
                ));
            };
            let path = format!("$.case.plan.courses[{course}]");
            for key in ["unitPrice", "each"] {
                if let Some(v) = c.get(key) {
                    let cur = money_at(v, &format!("{path}.{key}"))?;
                    return Ok(Knob {
                        current: cur,
                        targets: vec![(format!("{p}/{key}"), cur)],
                    });
                }
            }
            let knob = items_knob(c, &p, &path, None)?;
            if knob.targets.is_empty() {
                return Err(Error::new(
                    ErrorCode::MissingField,
                    path,
                    "the course has no amount to vary",
                ));
            }
            Ok(knob)
        }
        Scale::Total(_) => {
            if doc.get("plan").is_some() {
                return Err(Error::new(
                    ErrorCode::Inconsistent,
                    "$.scale",
                    "for a plan, vary a course: {\"course\": N}",
                ));
            }
            let n = doc
                .get("encounters")
                .and_then(Value::as_array)
                .map(Vec::len)
                .unwrap_or(0);
            let mut targets = Vec::new();
            let mut cur = 0i64;
            for ei in 0..n {
                let k = encounter_knob(doc, ei, None, "$.case")?;
                cur = cur.checked_add(k.current).ok_or_else(Error::overflow)?;
                targets.extend(k.targets);
            }
            Ok(Knob {
                current: cur,
                targets,
            })
        }
    }
}

fn set(doc: &Value, knob: &Knob, amount: i64) -> Value {
    let mut d = doc.clone();
    let weights: Vec<i64> = knob.targets.iter().map(|(_, w)| *w).collect();
    let shares = if knob.targets.len() == 1 {
        vec![amount]
    } else {
        proportional(amount, &weights)
    };
    for ((ptr, _), s) in knob.targets.iter().zip(shares) {
        if let Some(v) = d.pointer_mut(ptr) {
            *v = fen_str(s);
        }
    }
    d
}

/// Bisection on whole fen: the largest `x` in `[lo, hi]` with `ok(x)`, given `ok(lo)` and
/// `!ok(hi)`; at most [`MAX_ITERATIONS`] probes. Returns `(x, probes)`.
pub fn bisect<F>(mut lo: i64, mut hi: i64, mut ok: F) -> Result<(i64, u32), Error>
where
    F: FnMut(i64) -> Result<bool, Error>,
{
    let mut n = 0;
    while hi - lo > 1 {
        if n >= MAX_ITERATIONS {
            // 64 halvings narrow any range of i64 fen to one: not converging is a bug.
            return Err(Error::new(
                ErrorCode::Internal,
                "$",
                "the search did not converge within its step limit",
            ));
        }
        let mid = lo + (hi - lo) / 2;
        n += 1;
        if ok(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok((lo, n))
}

/// The largest bill keeping the family's share at or under the target.
pub fn max_bill(input: &InverseInput) -> Result<MaxBillAnswer, Error> {
    let doc = &input.case;
    // Read it once, for errors with paths before any search.
    read_subject(doc, "$.case")?;
    let scale = input.scale.clone().unwrap_or(if doc.get("plan").is_some() {
        Scale::Course { course: 0 }
    } else {
        Scale::Encounter {
            encounter: 0,
            item: None,
        }
    });
    let k = knob(doc, &scale)?;
    let upper = input
        .upper
        .map(Money::fen)
        .unwrap_or(DEFAULT_UPPER_FEN.max(k.current))
        .min(MAX_INPUT_FEN);
    if upper <= 0 {
        return Err(Error::new(
            ErrorCode::InvalidValue,
            "$.upper",
            "the upper limit must be above zero",
        ));
    }
    let target = input.target;
    let runs = std::cell::Cell::new(0u32);
    let share = |amount: i64| -> Result<(Money, Money), Error> {
        runs.set(runs.get() + 1);
        let ev = evaluate_value(&set(doc, &k, amount), "$.case")?;
        Ok((ev.estimate.patient.total, ev.estimate.total))
    };
    let current_family = evaluate_value(doc, "$.case")?.estimate.patient.total;
    let (at0, total0) = share(0)?;
    let mut answer = MaxBillAnswer {
        target,
        scale,
        current_amount: Money::from_fen(k.current),
        current_family,
        amount: None,
        total_at_amount: None,
        family_at_amount: None,
        family_at_next_fen: None,
        bounded: true,
        upper: Money::from_fen(upper),
        iterations: 0,
    };
    if at0 > target {
        answer.family_at_amount = Some(at0);
        answer.total_at_amount = Some(total0);
        answer.iterations = runs.get();
        return Ok(answer);
    }
    let (at_up, total_up) = share(upper)?;
    if at_up <= target {
        answer.amount = Some(Money::from_fen(upper));
        answer.total_at_amount = Some(total_up);
        answer.family_at_amount = Some(at_up);
        answer.bounded = false;
        answer.iterations = runs.get();
        return Ok(answer);
    }
    let (x, _) = bisect(0, upper, |a| Ok(share(a)?.0 <= target))?;
    let (fx, tx) = share(x)?;
    let (fnext, _) = share(x + 1)?;
    answer.amount = Some(Money::from_fen(x));
    answer.total_at_amount = Some(tx);
    answer.family_at_amount = Some(fx);
    answer.family_at_next_fen = Some(fnext);
    answer.iterations = runs.get();
    Ok(answer)
}

fn read_input(text: &str) -> Result<InverseInput, Error> {
    crate::reading::limits::check_size(text)?;
    read_str(text)
}

/// The aid needed, from JSON text `{case, target}`.
pub fn aid_needed_json(text: &str) -> Result<AidAnswer, Error> {
    aid_needed(&read_input(text)?)
}

/// The largest bill, from JSON text `{case, target, scale?, upper?}`.
pub fn max_bill_json(text: &str) -> Result<MaxBillAnswer, Error> {
    max_bill(&read_input(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bisection_finds_the_last_true_fen() {
        for edge in [0i64, 1, 2, 7, 999, 1_000_000, 9_999_999_998] {
            let (x, n) = bisect(0, 9_999_999_999, |a| Ok(a <= edge)).unwrap();
            assert_eq!(x, edge);
            assert!(n <= 34);
        }
    }

    #[test]
    fn bisection_is_bounded_and_passes_errors_on() {
        let e = bisect(0, 100, |_| Err(Error::overflow())).unwrap_err();
        assert_eq!(e.code, ErrorCode::Overflow);
        let (x, n) = bisect(0, i64::MAX, |a| Ok(a < 5)).unwrap();
        assert_eq!(x, 4);
        assert!(n <= 64);
    }

    #[test]
    fn proportional_shares_sum_exactly() {
        assert_eq!(proportional(100, &[1, 1, 1]), vec![33, 33, 34]);
        assert_eq!(proportional(7, &[0, 0]), vec![7, 0]);
        assert_eq!(proportional(0, &[5, 5]), vec![0, 0]);
        let v = proportional(123_457, &[3, 0, 11, 2]);
        assert_eq!(v.iter().sum::<i64>(), 123_457);
    }

    #[test]
    fn previous_day_crosses_months_and_years() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(prev_day(d("2025-03-01")).unwrap(), d("2025-02-28"));
        assert_eq!(prev_day(d("2024-03-01")).unwrap(), d("2024-02-29"));
        assert_eq!(prev_day(d("2025-01-01")).unwrap(), d("2024-12-31"));
        assert_eq!(prev_day(d("2025-07-15")).unwrap(), d("2025-07-14"));
    }
}
