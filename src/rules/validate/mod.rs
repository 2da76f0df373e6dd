//! Validation of packs and programmes on load: every problem, each with its JSON path. The
//! [`Validator`] walks the pack in order (`run`); what it checks of sources and dates, of
//! conditions and choices, and of benefits lives in the files beside this one.

use std::collections::BTreeSet;

use crate::error::{Error, ErrorCode};
use crate::rules::policy::*;

mod benefits;
mod conditions;
mod sources;

/// How much of the grade policy applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// Built-in packs, `tiercost validate`, the rules editor: every rule.
    Published,
    /// A pack a case carries inline: not the rule on grade D alone.
    Inline,
}

/// The pack being checked, the ids its conditions may name, and the problems found so far.
struct Validator<'a> {
    pack: &'a Pack,
    strictness: Strictness,
    /// The pack's scheme, group, level and category ids, for checking conditions.
    schemes: BTreeSet<&'a str>,
    groups: BTreeSet<&'a str>,
    levels: BTreeSet<&'a str>,
    categories: BTreeSet<&'a str>,
    problems: Vec<Error>,
    /// Entries counted in every list so far (for [`crate::reading::limits::MAX_RULES_TOTAL`]).
    entries: usize,
    /// Whether references to other layers can be checked (not for programmes, whose
    /// offsets name layers of whichever region they are used with).
    check_layers: bool,
}

impl Validator<'_> {
    fn err(&mut self, code: ErrorCode, path: String, message: impl Into<String>) {
        self.problems.push(Error::new(code, path, message));
    }

    /// Refuses a list longer than [`crate::reading::limits::MAX_RULES`].
    fn rules(&mut self, n: usize, path: impl FnOnce() -> String) {
        use crate::reading::limits::MAX_RULES;
        self.entries = self.entries.saturating_add(n);
        if n > MAX_RULES {
            self.err(
                ErrorCode::TooManyRules,
                path(),
                format!("{n} entries; the limit is {MAX_RULES} per list"),
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

/// Validates a pack (after inheritance has been resolved), returning every problem.
pub(crate) fn validate_pack(pack: &Pack, strictness: Strictness) -> Vec<Error> {
    let mut v = Validator {
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
    use crate::reading::limits::MAX_RULES_TOTAL;
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
