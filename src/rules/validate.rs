//! Validation of packs and programmes on load: every problem, each with its JSON path.

use std::collections::BTreeSet;

use crate::choice::Choice;
use crate::condition::Condition;
use crate::error::{Error, ErrorCode};
use crate::policy::*;

/// How much of the grade policy applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// Built-in packs, `tiercost validate`, the rules editor: every rule.
    Published,
    /// A pack a case carries inline: not the rule on grade D alone.
    Inline,
}

struct V<'a> {
    pack: &'a Pack,
    strictness: Strictness,
    /// The pack's scheme, group, level and category ids, for checking conditions.
    schemes: BTreeSet<&'a str>,
    groups: BTreeSet<&'a str>,
    levels: BTreeSet<&'a str>,
    categories: BTreeSet<&'a str>,
    problems: Vec<Error>,
    /// Entries counted in every list so far (for [`crate::limits::MAX_RULES_TOTAL`]).
    entries: usize,
    /// Whether references to other layers can be checked (not for programmes, whose
    /// offsets name layers of whichever region they are used with).
    check_layers: bool,
}

impl V<'_> {
    fn err(&mut self, code: ErrorCode, path: String, message: impl Into<String>) {
        self.problems.push(Error::new(code, path, message));
    }

    /// Refuses a list longer than [`crate::limits::MAX_RULES`].
    fn rules(&mut self, n: usize, path: impl FnOnce() -> String) {
        use crate::limits::MAX_RULES;
        self.entries = self.entries.saturating_add(n);
        if n > MAX_RULES {
            self.err(
                ErrorCode::TooManyRules,
                path(),
                format!("{n} entries; the limit is {MAX_RULES} per list"),
            );
        }
    }

    fn source(&mut self, id: &str, path: String) {
        if !self.pack.sources.contains_key(id) {
            self.err(
                ErrorCode::UnknownReference,
                path,
                format!("source \"{id}\" is not in the pack's sources"),
            );
        }
    }

    /// The grade policy for one source (`policies/README.md`, *Grades*): a citation names
    /// the page with the figure, a mirror is never A, A is the government's own text.
    fn source_grade(&mut self, id: &str, s: &Source) {
        let path = format!("$.sources.{id}");
        if let Some(url) = &s.url {
            if is_site_root(url) {
                self.err(
                    ErrorCode::WeakSource,
                    format!("{path}.url"),
                    format!("\"{url}\" is a site's front page: cite the page or document with the figure"),
                );
            }
        }
        if s.url.is_none() && s.document.is_none() && s.grade == Grade::A {
            self.err(
                ErrorCode::WeakSource,
                format!("{path}.url"),
                "a grade A source needs the address of the page with the figure or the document number",
            );
        }
        if s.grade == Grade::A {
            if s.mirror_of.is_some() {
                self.err(
                    ErrorCode::WeakSource,
                    format!("{path}.grade"),
                    "a mirror is graded B at most: grade A is the government's own page or document",
                );
            }
            let official = s.url.as_deref().is_some_and(is_government_host) || s.document.is_some();
            if !official && self.pack.kind != PackKind::Programme {
                self.err(
                    ErrorCode::WeakSource,
                    format!("{path}.grade"),
                    "grade A is for a government page (a gov.cn address) or a numbered official document",
                );
            }
        }
        if let Some(v) = &s.validity {
            if let Until::On(u) = v.until {
                if u < v.from {
                    self.err(
                        ErrorCode::UnsortedDates,
                        format!("{path}.validity.until"),
                        format!("ends ({u}) before it starts ({})", v.from),
                    );
                }
            }
            if v.review < v.from {
                self.err(
                    ErrorCode::UnsortedDates,
                    format!("{path}.validity.review"),
                    format!(
                        "the review date ({}) is before the rules start ({})",
                        v.review, v.from
                    ),
                );
            }
        }
    }

    /// Statutory values that compute must rest on a source better than grade D (a
    /// programme's values are its operator's own terms, whatever page reports them).
    fn edition_grade(&mut self, e: &Effective, path: &str) {
        let grades: Vec<Grade> = e
            .cited()
            .filter_map(|id| self.pack.sources.get(id))
            .map(|s| s.grade)
            .collect();
        if !grades.is_empty() && grades.iter().all(|g| *g == Grade::D) {
            self.err(
                ErrorCode::WeakSource,
                format!("{path}.sources"),
                "these values rest on grade D sources alone: add a second source of grade C or better that agrees, or declare the values as a blocking gap",
            );
        }
    }

    fn effective(&mut self, e: &Effective, path: &str) {
        for (name, n) in [
            ("sources", e.sources.len()),
            ("provenance", e.provenance.len()),
            ("gaps", e.gaps.len()),
        ] {
            self.rules(n, || format!("{path}.{name}"));
        }
        if e.sources.is_empty() {
            self.err(
                ErrorCode::MissingSource,
                format!("{path}.sources"),
                "every edition must cite at least one source",
            );
        }
        for (i, s) in e.sources.iter().enumerate() {
            self.source(s, format!("{path}.sources[{i}]"));
        }
        if let Some(u) = e.until {
            if u < e.from {
                self.err(
                    ErrorCode::UnsortedDates,
                    format!("{path}.until"),
                    format!("ends ({u}) before it starts ({})", e.from),
                );
            }
        }
        for (i, p) in e.provenance.iter().enumerate() {
            if let Some(s) = &p.source {
                self.source(s, format!("{path}.provenance[{i}].source"));
            }
            if !p.field.starts_with('/') {
                self.err(
                    ErrorCode::InvalidValue,
                    format!("{path}.provenance[{i}].field"),
                    "a field is a JSON pointer inside the edition, starting with /",
                );
            }
        }
    }

    fn dates(&mut self, eds: &[&Effective], path: &str, what: &str) {
        for i in 1..eds.len() {
            let (a, b) = (eds[i - 1], eds[i]);
            if b.from <= a.from {
                self.err(
                    ErrorCode::UnsortedDates,
                    format!("{path}[{i}].from"),
                    format!(
                        "{what} must be in date order: {} is not after {}",
                        b.from, a.from
                    ),
                );
            } else if a.until.is_none_or(|u| u >= b.from) {
                self.err(
                    ErrorCode::OverlappingDates,
                    format!("{path}[{}].until", i - 1),
                    format!(
                        "{what} overlap: the one from {} must end before {} (set its `until`)",
                        a.from, b.from
                    ),
                );
            }
        }
    }

    fn condition(&mut self, c: &Condition, path: &str) {
        for (name, n) in [
            ("schemes", c.schemes.len()),
            ("groups", c.groups.len()),
            ("categories", c.categories.len()),
            ("diagnoses", c.diagnoses.len()),
            ("settings", c.settings.len()),
            ("levels", c.levels.len()),
            ("localities", c.localities.len()),
            ("codes", c.codes.len()),
            ("any", c.any.len()),
        ] {
            self.rules(n, || format!("{path}.{name}"));
        }
        let is_programme = self.pack.kind == PackKind::Programme;
        for (i, s) in c.schemes.iter().enumerate() {
            if !is_programme && !self.schemes.contains(s.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.schemes[{i}]"),
                    format!("scheme \"{s}\" is not defined in the pack"),
                );
            }
        }
        for (i, g) in c.groups.iter().enumerate() {
            if !is_programme && !self.groups.contains(g.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.groups[{i}]"),
                    format!("member group \"{g}\" is not defined by any scheme of the pack"),
                );
            }
        }
        for (i, l) in c.levels.iter().enumerate() {
            if !is_programme && !self.levels.contains(l.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.levels[{i}]"),
                    format!("hospital level \"{l}\" is not defined in the pack"),
                );
            }
        }
        for (i, k) in c.categories.iter().enumerate() {
            if !is_programme && !self.categories.contains(k.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.categories[{i}]"),
                    format!("assistance category \"{k}\" is not defined in the pack"),
                );
            }
        }
        for (name, l) in [
            ("incomePerPersonBelow", &c.income_per_person_below),
            ("incomePerPersonAtLeast", &c.income_per_person_at_least),
        ] {
            if let Some(l) = l {
                self.income_line(l, &format!("{path}.{name}"));
                if let Err(e) = l.times_ppm() {
                    self.err(ErrorCode::InvalidValue, format!("{path}.{name}.times"), e);
                }
                if l.amount.is_none() && l.line.is_none() {
                    self.err(
                        ErrorCode::MissingField,
                        format!("{path}.{name}"),
                        "give an amount or a line",
                    );
                }
                if let (Some(line), false) = (&l.line, is_programme) {
                    if !self
                        .pack
                        .general
                        .iter()
                        .any(|g| g.lines.contains_key(line) || g.unsourced_lines.contains(line))
                    {
                        self.err(ErrorCode::UnknownReference, format!("{path}.{name}.line"), format!("reference line \"{line}\" is not in any `general` edition of the pack (declare it in `unsourcedLines` if no source gives its value)"));
                    }
                }
            }
        }
        for (i, a) in c.any.iter().enumerate() {
            self.condition(a, &format!("{path}.any[{i}]"));
        }
        if let Some(n) = &c.not {
            self.condition(n, &format!("{path}.not"));
        }
    }

    fn choice<T>(&mut self, c: &Choice<T>, path: &str) {
        if let Choice::Table(rows) = c {
            self.rules(rows.len(), || path.to_string());
            if rows.is_empty() {
                self.err(
                    ErrorCode::InvalidValue,
                    path.to_string(),
                    "a table of values needs at least one row",
                );
            }
            for (i, r) in rows.iter().enumerate() {
                if let Some(w) = &r.when {
                    self.condition(w, &format!("{path}[{i}].when"));
                }
                match (&r.value, &r.gap) {
                    (Some(_), Some(_)) => self.err(
                        ErrorCode::Inconsistent,
                        format!("{path}[{i}]"),
                        "a row gives either a `value` or a `gap`, not both",
                    ),
                    (None, None) => self.err(
                        ErrorCode::MissingField,
                        format!("{path}[{i}].value"),
                        "a row needs a `value` (or a `gap` saying no source gives it)",
                    ),
                    _ => {}
                }
            }
        }
    }

    fn amounts(&mut self, c: &Choice<crate::choice::Amount>, path: &str) {
        self.choice(c, path);
        for a in c.values() {
            self.line(a, path);
        }
    }

    fn line(&mut self, a: &crate::choice::Amount, path: &str) {
        if let crate::choice::Amount::Line { line, .. } = a {
            if self.pack.kind != PackKind::Programme
                && !self
                    .pack
                    .general
                    .iter()
                    .any(|g| g.lines.contains_key(line) || g.unsourced_lines.contains(line))
            {
                self.err(
                    ErrorCode::UnknownReference,
                    path.to_string(),
                    format!(
                        "reference line \"{line}\" is not in any `general` edition of the pack (declare it in `unsourcedLines` if no source gives its value)"
                    ),
                );
            }
        }
    }

    fn caps(&mut self, caps: &[Cap], path: &str) {
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

    fn layer_ref(&mut self, id: &str, before: &BTreeSet<&str>, path: String) {
        if self.check_layers && !before.contains(id) {
            self.err(
                ErrorCode::UnknownReference,
                path,
                format!("layer \"{id}\" is not an earlier layer of the pack"),
            );
        }
    }

    fn benefit(&mut self, b: &Benefit, path: &str, before: &BTreeSet<&str>) {
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
    fn base_alone(&mut self, b: &Benefit, path: &str) {
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
    fn lump_sum_alone(&mut self, b: &Benefit, path: &str) {
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
    fn deductible_per_encounter(&mut self, d: &Deductible, path: &str) {
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

    /// An income line is an absolute `amount`, or a reference `line` times `times`: given
    /// both, the amount wins and the line is ignored; `times` without a line means nothing.
    fn income_line(&mut self, l: &crate::condition::IncomeLine, path: &str) {
        if l.amount.is_some() && l.line.is_some() {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.line"),
                "give either an `amount` or a `line` (with `times`), not both: the line would be ignored",
            );
        }
        if l.times.is_some() && l.line.is_none() {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.times"),
                "`times` multiplies a reference `line`; without a line it would be ignored",
            );
        }
    }

    fn run(&mut self) {
        let p = self.pack;
        if p.id.trim().is_empty() {
            self.err(ErrorCode::InvalidValue, "$.id".into(), "a pack needs an id");
        }
        if p.version.trim().is_empty() {
            self.err(
                ErrorCode::InvalidValue,
                "$.version".into(),
                "a pack needs a data version",
            );
        }
        for (id, s) in &p.sources {
            self.source_grade(id, s);
        }
        if p.layers.is_empty() {
            self.err(
                ErrorCode::NoLayers,
                "$.layers".into(),
                if p.kind == PackKind::Programme {
                    "the programme has no layers, so it could never pay: add one under `layers` saying what it pays (e.g. a share of what remains, a grant)"
                } else {
                    "the pack has no layers, so nothing could ever pay: add at least one under `layers` (basic insurance, 大病, 救助…)"
                },
            );
        }
        for (name, n) in [
            ("sources", p.sources.len()),
            ("schemes", p.schemes.len()),
            ("levels", p.levels.len()),
            ("categories", p.categories.len()),
            ("general", p.general.len()),
            ("layers", p.layers.len()),
            ("order", p.order.len()),
            ("notes", p.notes.len()),
        ] {
            self.rules(n, || format!("$.{name}"));
        }
        for (i, s) in p.schemes.iter().enumerate() {
            self.rules(s.groups.len(), || format!("$.schemes[{i}].groups"));
        }
        if let Some(a) = &p.certification {
            self.source(&a.source, "$.certification.source".into());
        }
        let mut seen = BTreeSet::new();
        for (i, s) in p.schemes.iter().enumerate() {
            if !seen.insert(s.id.as_str()) {
                self.err(
                    ErrorCode::DuplicateId,
                    format!("$.schemes[{i}].id"),
                    format!("scheme \"{}\" appears twice", s.id),
                );
            }
        }
        let mut seen = BTreeSet::new();
        for (i, l) in p.levels.iter().enumerate() {
            if !seen.insert(l.id.as_str()) {
                self.err(
                    ErrorCode::DuplicateId,
                    format!("$.levels[{i}].id"),
                    format!("level \"{}\" appears twice", l.id),
                );
            }
        }
        let gen: Vec<&Effective> = p.general.iter().map(|g| &g.effective).collect();
        self.dates(&gen, "$.general", "general editions");
        for (i, g) in p.general.iter().enumerate() {
            let path = format!("$.general[{i}]");
            self.rules(g.lines.len(), || format!("{path}.lines"));
            self.rules(g.unsourced_lines.len(), || format!("{path}.unsourcedLines"));
            self.effective(&g.effective, &path);
            if self.check_layers && self.strictness == Strictness::Published {
                self.edition_grade(&g.effective, &path);
            }
            if let Some(c) = &g.first_pay_ratio {
                self.choice(c, &format!("{path}.firstPayRatio"));
            }
            if let Some(s) = g.typical_split {
                let sum = s.class_a.ppm() as u64 + s.class_b.ppm() as u64 + s.class_c.ppm() as u64;
                if sum != 1_000_000 {
                    self.err(
                        ErrorCode::Inconsistent,
                        format!("{path}.typicalSplit"),
                        "the typical split must sum to 1",
                    );
                }
            }
        }
        let mut before: BTreeSet<&str> = BTreeSet::new();
        let order: Vec<&Layer> = if p.order.is_empty() {
            p.layers.iter().collect()
        } else {
            let mut v = Vec::new();
            for (i, id) in p.order.iter().enumerate() {
                match p.layers.iter().find(|l| l.id == *id) {
                    Some(l) => v.push(l),
                    None => self.err(
                        ErrorCode::UnknownReference,
                        format!("$.order[{i}]"),
                        format!("layer \"{id}\" is not in the pack"),
                    ),
                }
            }
            for l in &p.layers {
                if !p.order.contains(&l.id) {
                    v.push(l);
                }
            }
            v
        };
        let mut ids = BTreeSet::new();
        for (li, l) in p.layers.iter().enumerate() {
            if !ids.insert(l.id.as_str()) {
                self.err(
                    ErrorCode::DuplicateId,
                    format!("$.layers[{li}].id"),
                    format!("layer \"{}\" appears twice", l.id),
                );
            }
        }
        for l in order {
            let li = p
                .layers
                .iter()
                .position(|x| std::ptr::eq(x, l))
                .unwrap_or(0);
            let path = format!("$.layers[{li}]");
            for (name, n) in [
                ("schemes", l.schemes.len()),
                ("requires", l.requires.len()),
                ("documents", l.documents.len()),
                ("editions", l.editions.len()),
            ] {
                self.rules(n, || format!("{path}.{name}"));
            }
            for (i, s) in l.schemes.iter().enumerate() {
                if p.kind != PackKind::Programme && !p.schemes.iter().any(|x| x.id == *s) {
                    self.err(
                        ErrorCode::UnknownReference,
                        format!("{path}.schemes[{i}]"),
                        format!("scheme \"{s}\" is not defined in the pack"),
                    );
                }
            }
            for (i, r) in l.requires.iter().enumerate() {
                self.condition(&r.when, &format!("{path}.requires[{i}].when"));
            }
            if let Some(s) = l.status.as_ref().and_then(|s| s.source.as_ref()) {
                self.source(s, format!("{path}.status.source"));
            }
            if let Some(a) = &l.apply {
                self.source(&a.source, format!("{path}.apply.source"));
            }
            if l.editions.is_empty() {
                self.err(
                    ErrorCode::MissingField,
                    format!("{path}.editions"),
                    "a layer needs at least one dated edition",
                );
            }
            let eds: Vec<&Effective> = l.editions.iter().map(|e| &e.effective).collect();
            self.dates(&eds, &format!("{path}.editions"), "editions");
            for (ei, e) in l.editions.iter().enumerate() {
                let epath = format!("{path}.editions[{ei}]");
                self.rules(e.benefits.len(), || format!("{epath}.benefits"));
                if let Some(d) = &e.donation {
                    self.rules(d.codes.len(), || format!("{epath}.donation.codes"));
                    self.rules(d.rounds.len(), || format!("{epath}.donation.rounds"));
                }
                self.effective(&e.effective, &epath);
                if self.check_layers
                    && self.strictness == Strictness::Published
                    && (!e.benefits.is_empty() || e.donation.is_some())
                {
                    self.edition_grade(&e.effective, &epath);
                }
                let mut bids = BTreeSet::new();
                for (bi, b) in e.benefits.iter().enumerate() {
                    if !bids.insert(b.id.as_str()) {
                        self.err(
                            ErrorCode::DuplicateId,
                            format!("{epath}.benefits[{bi}].id"),
                            format!("benefit \"{}\" appears twice", b.id),
                        );
                    }
                    self.benefit(b, &format!("{epath}.benefits[{bi}]"), &before);
                }
                self.caps(&e.caps, &format!("{epath}.caps"));
                match (l.kind == LayerKind::Donation, &e.donation) {
                    (true, None) => self.err(
                        ErrorCode::MissingField,
                        format!("{epath}.donation"),
                        "a donation layer needs a donation pattern",
                    ),
                    (false, Some(_)) => self.err(
                        ErrorCode::Inconsistent,
                        format!("{epath}.donation"),
                        "only layers of kind `donation` carry a donation pattern",
                    ),
                    (true, Some(d)) => {
                        if d.codes.is_empty() {
                            self.err(
                                ErrorCode::MissingField,
                                format!("{epath}.donation.codes"),
                                "name the drug codes donated",
                            );
                        }
                        if d.rounds.is_empty()
                            || d.rounds.iter().any(|r| r.paid as u64 + r.free as u64 == 0)
                        {
                            self.err(
                                ErrorCode::InvalidValue,
                                format!("{epath}.donation.rounds"),
                                "give at least one round, each with paid + free above 0",
                            );
                        }
                        if let Some(c) = &d.all_free_when {
                            self.condition(c, &format!("{epath}.donation.allFreeWhen"));
                        }
                    }
                    _ => {}
                }
                if e.benefits.is_empty()
                    && e.donation.is_none()
                    && !e.effective.gaps.iter().any(|g| g.blocking)
                {
                    self.err(
                        ErrorCode::MissingField,
                        format!("{epath}.benefits"),
                        "an edition needs at least one benefit",
                    );
                }
            }
            before.insert(l.id.as_str());
        }
    }
}

/// Whether a URL names a site's front page rather than a page (`https://www.gov.cn`,
/// `https://www.gov.cn/`).
fn is_site_root(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.split_once('/') {
        None => true,
        Some((_, path)) => path.trim_matches('/').is_empty(),
    }
}

/// Whether a URL's host is a government one (`*.gov.cn`).
fn is_government_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    host == "gov.cn" || host.ends_with(".gov.cn")
}

/// Validates a pack (after inheritance has been resolved), returning every problem.
pub(crate) fn validate_pack(pack: &Pack, strictness: Strictness) -> Vec<Error> {
    let mut v = V {
        strictness,
        pack,
        schemes: pack.schemes.iter().map(|s| s.id.as_str()).collect(),
        groups: pack
            .schemes
            .iter()
            .flat_map(|s| s.groups.iter().map(|g| g.id.as_str()))
            .collect(),
        levels: pack.levels.iter().map(|l| l.id.as_str()).collect(),
        categories: pack
            .categories
            .iter()
            .map(|c| c.id.as_str())
            .chain(["none"])
            .collect(),
        problems: Vec::new(),
        entries: 0,
        check_layers: pack.kind != PackKind::Programme,
    };
    v.run();
    use crate::limits::MAX_RULES_TOTAL;
    if v.entries > MAX_RULES_TOTAL {
        let n = v.entries;
        v.err(
            ErrorCode::TooManyRules,
            "$".into(),
            format!(
                "the pack's lists hold {n} entries in all; the limit is {MAX_RULES_TOTAL} per pack"
            ),
        );
    }
    v.problems
}

#[cfg(test)]
mod grade_tests {
    use super::*;

    #[test]
    fn site_roots_and_government_hosts() {
        assert!(is_site_root("https://english.www.gov.cn"));
        assert!(is_site_root("https://www.gov.cn/"));
        assert!(!is_site_root(
            "https://www.gov.cn/zhengce/content/2021-11/19/content_5651446.htm"
        ));
        assert!(is_government_host("https://ybj.sh.gov.cn/x.html"));
        assert!(is_government_host("http://gov.cn/a"));
        assert!(!is_government_host("https://notgov.cn/a"));
        assert!(!is_government_host("https://www.gov.cn.example.com/a"));
    }
}
