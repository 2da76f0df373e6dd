//! Checks on benefits: caps, references to earlier layers, and the combinations a benefit
//! must not hold (a base alone, a lump sum alone, a deductible per encounter that would
//! never apply).

use std::collections::BTreeSet;

use super::Validator;
use crate::error::ErrorCode;
use crate::rules::policy::*;

impl Validator<'_> {
    pub(super) fn caps(&mut self, caps: &[Cap], path: &str) {
        self.rules(caps.len(), || path.to_string());
        for (i, c) in caps.iter().enumerate() {
            let p = format!("{path}[{i}].amount");
            self.choice(&c.amount, &p);
            for l in c.amount.values() {
                if let Some(a) = &l.0 {
                    self.line(a, &p);
                }
            }
        }
    }

    pub(super) fn layer_ref(&mut self, id: &str, before: &BTreeSet<&str>, path: String) {
        if self.check_layers && !before.contains(id) {
            self.err(
                ErrorCode::UnknownReference,
                path,
                format!("layer \"{id}\" is not an earlier layer of the pack"),
            );
        }
    }

    pub(super) fn benefit(&mut self, b: &Benefit, path: &str, before: &BTreeSet<&str>) {
        if b.id.is_empty() {
            self.err(
                ErrorCode::InvalidValue,
                format!("{path}.id"),
                "a benefit needs an id",
            );
        }
        self.condition(&b.when, &format!("{path}.when"));
        self.rules(b.items.codes.len(), || format!("{path}.items.codes"));
        self.rules(b.items.exclude_codes.len(), || {
            format!("{path}.items.excludeCodes")
        });
        self.rules(b.base.exclude_deductible_of.len(), || {
            format!("{path}.base.excludeDeductibleOf")
        });
        self.rules(b.rate.adjustments.len(), || {
            format!("{path}.rate.adjustments")
        });
        if let Some(bands) = &b.rate.bands {
            self.rules(bands.steps.len(), || format!("{path}.rate.bands.steps"));
        }
        if let Some(d) = &b.deductible {
            self.rules(d.offset_by.len(), || format!("{path}.deductible.offsetBy"));
        }
        if let Some(src) = &b.base.above_cap_of {
            self.layer_ref(src, before, format!("{path}.base.aboveCapOf"));
        }
        for (i, l) in b.base.exclude_deductible_of.iter().enumerate() {
            self.layer_ref(l, before, format!("{path}.base.excludeDeductibleOf[{i}]"));
        }
        self.base_alone(b, path);
        self.lump_sum_alone(b, path);
        let w = &b.base.buckets;
        if b.base.above_cap_of.is_none()
            && b.lump_sum.is_none()
            && Bucket::ALL.iter().all(|k| w.weight(*k).ppm() == 0)
        {
            self.err(
                ErrorCode::MissingField,
                format!("{path}.base.buckets"),
                "a base needs at least one bucket with a weight above 0 (or aboveCapOf)",
            );
        }
        if let Some(fp) = &b.first_pay {
            self.choice(fp, &format!("{path}.firstPay"));
        }
        if let Some(d) = &b.deductible {
            self.amounts(&d.amount, &format!("{path}.deductible.amount"));
            for (i, l) in d.offset_by.iter().enumerate() {
                self.layer_ref(l, before, format!("{path}.deductible.offsetBy[{i}]"));
            }
            self.deductible_per_encounter(d, &format!("{path}.deductible"));
            if let Some(la) = &d.later_admissions {
                if let Some(f) = &la.floor {
                    self.amounts(f, &format!("{path}.deductible.laterAdmissions.floor"));
                }
                if la.none_from.is_some_and(|n| n < 2) {
                    self.err(
                        ErrorCode::InvalidValue,
                        format!("{path}.deductible.laterAdmissions.noneFrom"),
                        "noneFrom counts admissions from 2 upwards",
                    );
                }
            }
        }
        let r = &b.rate;
        match (&r.flat, &r.bands, b.lump_sum.is_some()) {
            (Some(_), Some(_), _) => self.err(
                ErrorCode::Inconsistent,
                format!("{path}.rate"),
                "give either `flat` or `bands`, not both",
            ),
            (None, None, false) => self.err(
                ErrorCode::MissingField,
                format!("{path}.rate"),
                "give a `flat` rate or `bands`",
            ),
            _ => {}
        }
        if let Some(f) = &r.flat {
            self.choice(f, &format!("{path}.rate.flat"));
        }
        if let Some(bands) = &r.bands {
            if bands.steps.is_empty() {
                self.err(
                    ErrorCode::MissingField,
                    format!("{path}.rate.bands.steps"),
                    "bands need at least one step",
                );
            }
            for i in 0..bands.steps.len() {
                self.choice(
                    &bands.steps[i].rate,
                    &format!("{path}.rate.bands.steps[{i}].rate"),
                );
                if i > 0 && bands.steps[i].from <= bands.steps[i - 1].from {
                    self.err(
                        ErrorCode::BandsNotAscending,
                        format!("{path}.rate.bands.steps[{i}].from"),
                        format!(
                            "band thresholds must ascend: {} is not above {}",
                            bands.steps[i].from,
                            bands.steps[i - 1].from
                        ),
                    );
                }
            }
        }
        for (i, a) in r.adjustments.iter().enumerate() {
            self.condition(&a.when, &format!("{path}.rate.adjustments[{i}].when"));
            if a.points.is_none()
                && a.self_share_factor.is_none()
                && a.per_year_of_age.is_none()
                && a.floor.is_none()
                && a.ceiling.is_none()
            {
                self.err(
                    ErrorCode::MissingField,
                    format!("{path}.rate.adjustments[{i}]"),
                    "an adjustment needs points, selfShareFactor, perYearOfAge, floor or ceiling",
                );
            }
        }
        self.caps(&b.caps, &format!("{path}.caps"));
    }

    /// A base takes either the cost above an earlier layer's cap (`aboveCapOf`) or weighted
    /// buckets: with `aboveCapOf` the settlement never reads `buckets` or `asBilled`, so
    /// giving them too is a contradiction, not a refinement.
    pub(super) fn base_alone(&mut self, b: &Benefit, path: &str) {
        if b.base.above_cap_of.is_none() {
            return;
        }
        let w = &b.base.buckets;
        if w.in_scope.is_some()
            || w.first_pay.is_some()
            || w.over_limit.is_some()
            || w.out_of_catalogue.is_some()
        {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.base.buckets"),
                "give either `aboveCapOf` (the cost above an earlier layer's cap) or `buckets`, not both: with `aboveCapOf` the buckets would be ignored",
            );
        }
        if b.base.as_billed {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.base.asBilled"),
                "`asBilled` measures buckets as billed; with `aboveCapOf` there are no buckets and it would be ignored",
            );
        }
    }

    /// A lump sum is paid as it is, once a year, limited to what is left of the bill: the
    /// settlement never applies a rate, a deductible, a first-pay share or caps to it, so a
    /// benefit with `lumpSum` must not give them.
    pub(super) fn lump_sum_alone(&mut self, b: &Benefit, path: &str) {
        if b.lump_sum.is_none() {
            return;
        }
        let r = &b.rate;
        for (given, field) in [
            (r.flat.is_some(), "rate.flat"),
            (r.bands.is_some(), "rate.bands"),
            (!r.adjustments.is_empty(), "rate.adjustments"),
            (b.deductible.is_some(), "deductible"),
            (b.first_pay.is_some(), "firstPay"),
            (!b.caps.is_empty(), "caps"),
        ] {
            if given {
                self.err(
                    ErrorCode::Inconsistent,
                    format!("{path}.{field}"),
                    format!("a `lumpSum` is paid as it is, so `{field}` would be ignored: remove it, or put it in a benefit of its own"),
                );
            }
        }
    }

    /// `pool` and `highestLevel` describe a yearly deductible; on a deductible charged per
    /// encounter the settlement never reads them.
    pub(super) fn deductible_per_encounter(&mut self, d: &Deductible, path: &str) {
        if d.per != Per::Encounter {
            return;
        }
        if d.pool.is_some() {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.pool"),
                "a pooled deductible is one yearly threshold shared by several benefits: with `per`: \"encounter\" the pool would be ignored (use `per`: \"year\")",
            );
        }
        if d.highest_level {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.highestLevel"),
                "`highestLevel` charges a yearly deductible once, at the highest level used: with `per`: \"encounter\" it would be ignored (use `per`: \"year\")",
            );
        }
    }
}
