//! Where every figure comes from: the sources an edition cites (`effective.sources`), the
//! source of one parameter (`effective.provenance`, matched on the parameter's pointer), and
//! the warnings a settlement gathers on the way (DESIGN.md principles 3 and 4).
//!
//! A source is noted when a rule that cites it is used — in a totals estimate too, because
//! the low-grade warning names every weak source behind the numbers — but its key
//! (`pack/source`) is written out only where a result shows it: in the trace, in an
//! ineligible layer's outcome, and in that warning.

use std::collections::BTreeMap;

use crate::results::estimate::{Pointer, Warning};
use crate::rules::policy::{Effective, Grade, Pack, Source, Text};

use super::state::BenefitCtx;
use super::Settler;

/// A source an estimate used: its pack, its id in that pack, and the source.
#[derive(Clone, Copy)]
pub(super) struct Cited<'a> {
    pack: &'a str,
    id: &'a str,
    pub source: &'a Source,
}

impl Cited<'_> {
    /// `pack/source`, the key the result cites it by.
    pub fn key(&self) -> String {
        key(self.pack, self.id)
    }
}

/// The key a result cites a pack's source by: `pack/source`.
fn key(pack: &str, id: &str) -> String {
    format!("{pack}/{id}")
}

impl<'a> Settler<'a> {
    /// Adds a warning, once.
    pub(super) fn warn(&mut self, code: &str, message: Text, path: Option<String>) {
        let w = Warning {
            code: code.to_string(),
            message,
            path,
        };
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// Notes the sources an edition cites (every estimate that uses the edition).
    pub(super) fn note_edition(&mut self, pack: &'a Pack, e: &'a Effective) {
        for id in &e.sources {
            self.note(pack, id);
        }
    }

    /// The source keys of an edition, built once per estimate (and the sources noted).
    pub(super) fn cite_edition(
        &mut self,
        pack: &'a Pack,
        e: &'a Effective,
    ) -> std::sync::Arc<[String]> {
        let edition = e as *const Effective;
        if let Some(v) = self.cited.get(&edition) {
            return v.clone();
        }
        self.note_edition(pack, e);
        let v: std::sync::Arc<[String]> = e.sources.iter().map(|id| key(&pack.id, id)).collect();
        self.cited.insert(edition, v.clone());
        v
    }

    /// Notes a pack's source as used; nothing if the pack has no such source.
    fn note(&mut self, pack: &'a Pack, id: &'a str) {
        if self.sources.iter().any(|c| c.pack == pack.id && c.id == id) {
            return;
        }
        if let Some(source) = pack.sources.get(id) {
            self.sources.push(Cited {
                pack: &pack.id,
                id,
                source,
            });
        }
    }

    /// `pack/source (grade)` for each low-grade source noted (C or D), in the order of the
    /// keys.
    pub(super) fn weak_sources(&self) -> Vec<String> {
        let mut weak: Vec<(String, Grade)> = Vec::new();
        for c in self.sources.iter().filter(|c| c.source.grade >= Grade::C) {
            // Few: placed by a scan, as a map sorted by key would place them.
            let key = c.key();
            let at = weak.iter().position(|w| w.0 > key).unwrap_or(weak.len());
            weak.insert(at, (key, c.source.grade));
        }
        weak.into_iter()
            .map(|(key, grade)| format!("{key} ({grade:?})"))
            .collect()
    }

    /// The sources noted, by key, as the full result lists them.
    pub(super) fn sources_by_key(&self) -> BTreeMap<String, Source> {
        let mut out = BTreeMap::new();
        for c in &self.sources {
            out.insert(c.key(), c.source.clone());
        }
        out
    }

    /// The provenance entry for a parameter: the most specific one whose field is the
    /// pointer, contains it, or lies inside it (matching whole path segments). Its source
    /// is noted; the source key and note are returned for the trace (`None` without it).
    pub(super) fn provenance(
        &mut self,
        ctx: &BenefitCtx<'a, '_>,
        pointer: Pointer,
    ) -> (Option<String>, Option<String>) {
        let entries = &ctx.edition.effective.provenance;
        if entries.is_empty() {
            return (None, None);
        }
        let pointer = pointer.to_string();
        let within = |outer: &str, inner: &str| {
            inner == outer
                || (inner.starts_with(outer) && inner.as_bytes().get(outer.len()) == Some(&b'/'))
        };
        let best = entries
            .iter()
            .filter(|p| within(&p.field, &pointer) || within(&pointer, &p.field))
            .max_by_key(|p| p.field.len());
        match best {
            Some(p) => {
                let pack = ctx.lr.pack;
                if let Some(s) = p.source.as_deref() {
                    self.note(pack, s);
                }
                if !self.trace {
                    return (None, None);
                }
                // A source the pack does not hold is still cited by its key (the validator
                // refuses such packs; an inline one may carry it).
                (
                    p.source.as_deref().map(|s| key(&pack.id, s)),
                    p.note.clone(),
                )
            }
            None => (None, None),
        }
    }
}
